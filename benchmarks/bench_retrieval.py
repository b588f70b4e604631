"""Retrieval at scale: 100,000 job ads in one account (issue 6).

    .venv/bin/python benchmarks/bench_retrieval.py [--jobs 100000] [--real 2000] [--queries 100]
        [--ef 40,100,200,400] [--sigma 0.025]

Builds one account holding ``--jobs`` job ads in an embedded PostgreSQL in a temporary
directory (or DATABASE_URL, with a throw-away user deleted afterwards):

* ``--real`` job ads are generated from templates of 26 occupations (title, company, duties,
  "N+ years", required and nice-to-have skills, benefits; 90-150 words each) and embedded with
  the local model, as the jobs service would;
* the rest are *derived*: a real generated ad's text and requirements with a vector equal to
  the real vector plus Gaussian noise (``--sigma`` per dimension, cosine about 0.9 to its
  parent) renormalised. Each real ad has about 50 noisy neighbours, a clustered distribution
  that is harder for HNSW than spread-out vectors.

Rows go in with COPY; the model's partial HNSW index (with the service's m and
ef_construction) is built after loading, then VACUUM ANALYZE.

Queries are the embeddings of the 32 CVs of the labelled set (benchmarks/match_data) plus CV-like
texts generated the same way, none of them stored as jobs. It prints:

1. top-20 vector retrieval through ``jobs.service.vector_search``: exact scan vs the HNSW index
   per ``hnsw.ef_search`` (iterative scan ``relaxed_order`` as the service sets it), p50/p95
   latency and recall@20 against the exact top 20, plus the plan actually used;
2. the full ranking ``match_jobs_for_cv`` (hybrid candidates, scoring, cache) and end-to-end
   ``GET /api/v1/cvs/{id}/matches?limit=20`` through the app (httpx ASGITransport, the same
   process), cold (first request per CV: every candidate scored and cached) and warm;
3. whether each labelled CV's best job (the 72 labelled ads are stored too) reaches the hybrid
   candidate list and the top 20 among the 100,000 generated ads.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import logging
import random
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from match_eval import (
    configure,
    database_url,
    delete_user,
    fmt_table,
    insert_cvs,
    insert_jobs,
    load_labelled_set,
)

# ---- generated job ads ------------------------------------------------------------------------

# occupation: (job noun, skills, duties, industries)
OCCUPATIONS: dict[str, tuple[str, str, str, str]] = {
    "Backend Engineer": (
        "backend engineer",
        "Python, Java, Go, PostgreSQL, Redis, Kafka, Docker, Kubernetes, REST APIs, AWS, gRPC",
        "design and operate services|own APIs and data models|improve reliability and on-call|"
        "review code and mentor engineers|tune database queries",
        "fintech|e-commerce|logistics software|healthtech|SaaS",
    ),
    "Frontend Developer": (
        "frontend developer",
        "React, TypeScript, JavaScript, Vue.js, HTML, CSS, Next.js, Jest, Cypress, Figma",
        "build accessible user interfaces|maintain the design system|improve web performance|"
        "work with designers on new features|write component and end-to-end tests",
        "media|travel|e-commerce|education technology|SaaS",
    ),
    "Data Scientist": (
        "data scientist",
        "Python, SQL, pandas, scikit-learn, XGBoost, statistics, A/B testing, Spark, MLflow",
        "build predictive models|design experiments|explain results to stakeholders|"
        "deploy and monitor models|analyse customer behaviour",
        "insurance|retail|banking|marketplaces|telecoms",
    ),
    "Data Analyst": (
        "data analyst",
        "SQL, Power BI, Tableau, Excel, Python, Looker, BigQuery, statistics",
        "build dashboards|answer business questions with data|automate reports|"
        "analyse promotions and campaigns|improve data quality",
        "retail|online grocery|public sector|hospitality|logistics",
    ),
    "DevOps Engineer": (
        "DevOps engineer",
        "Kubernetes, Terraform, AWS, Linux, CI/CD, Prometheus, Grafana, Ansible, Docker, Go",
        "automate infrastructure|run Kubernetes clusters|improve CI/CD pipelines|"
        "lead incident response|define SLOs and alerting",
        "cloud software|gaming|fintech|media streaming|SaaS",
    ),
    "Registered Nurse": (
        "registered nurse",
        "patient assessment, medication administration, IV therapy, BLS, ACLS, wound care, Epic",
        "provide direct patient care|administer medications safely|educate patients and families|"
        "document care in the electronic record|work with physicians and therapists",
        "acute hospital|community health|rehabilitation|surgical centre|emergency department",
    ),
    "Pharmacist": (
        "pharmacist",
        "dispensing, patient counselling, immunisation, medication reviews, compounding",
        "check prescriptions|counsel patients|administer vaccines|supervise technicians|"
        "run medication review clinics",
        "community pharmacy|hospital pharmacy|pharmacy chain|clinic|long-term care",
    ),
    "Pharmacy Technician": (
        "pharmacy technician",
        "prescription processing, insurance billing, inventory management, sterile compounding",
        "enter and fill prescriptions|process insurance claims|manage inventory|"
        "prepare IV admixtures|serve customers at the counter",
        "retail pharmacy|hospital|mail-order pharmacy|clinic|long-term care",
    ),
    "Accountant": (
        "accountant",
        "GAAP, IFRS, month-end close, reconciliations, NetSuite, SAP, Excel, audit",
        "prepare month-end close|reconcile balance sheet accounts|support the external audit|"
        "prepare financial statements|improve internal controls",
        "manufacturing|software|property|hospitality|non-profit",
    ),
    "Accounts Payable Clerk": (
        "accounts payable clerk",
        "accounts payable, three-way matching, SAP, vendor reconciliation, Excel",
        "process supplier invoices|prepare payment runs|reconcile vendor statements|"
        "answer supplier queries|post month-end accruals",
        "shared services|retail|construction|healthcare|distribution",
    ),
    "Sales Representative": (
        "sales representative",
        "B2B sales, prospecting, negotiation, Salesforce, account management, CRM",
        "prospect new customers|run demos and close deals|manage a territory|"
        "forecast pipeline|negotiate contracts",
        "software|FMCG|medical devices|industrial supplies|telecoms",
    ),
    "Marketing Manager": (
        "marketing manager",
        "SEO, Google Ads, Meta Ads, Google Analytics, content marketing, email marketing, CRM",
        "run paid campaigns|grow organic traffic|manage the marketing budget|"
        "lead a small team|report on campaign performance",
        "travel|e-commerce|consumer brands|B2B software|education",
    ),
    "Social Media Coordinator": (
        "social media coordinator",
        "social media, content creation, copywriting, Canva, video editing, community management",
        "plan content calendars|create posts and short videos|manage the community|"
        "coordinate influencers|report on engagement",
        "hospitality|fashion|beauty|sport|food and drink",
    ),
    "Mechanical Engineer": (
        "mechanical engineer",
        "SolidWorks, CATIA, GD&T, FEA, DFMEA, manufacturing processes, AutoCAD",
        "design mechanical components|run tolerance analyses|coordinate prototypes and tests|"
        "support suppliers and production|lead design reviews",
        "automotive|aerospace|medical devices|industrial machinery|energy",
    ),
    "HVAC Engineer": (
        "building services engineer",
        "HVAC design, Revit MEP, AutoCAD, load calculations, IES VE, building regulations",
        "size heating and cooling systems|model ductwork and pipework|write specifications|"
        "attend site inspections|prepare energy reports",
        "consultancy|contracting|public buildings|data centres|life sciences",
    ),
    "Civil Engineer": (
        "civil engineer",
        "structural analysis, AutoCAD, Revit, ETABS, reinforced concrete, site supervision",
        "design structures and foundations|supervise works on site|review shop drawings|"
        "coordinate subcontractors|prepare calculations and reports",
        "construction|infrastructure|consultancy|transport|water",
    ),
    "Teacher": (
        "teacher",
        "lesson planning, classroom management, assessment, safeguarding, differentiation",
        "plan and teach lessons|assess pupils' progress|support pupils with additional needs|"
        "communicate with parents|contribute to the curriculum",
        "secondary school|primary school|academy trust|international school|college",
    ),
    "English Teacher": (
        "English teacher",
        "EFL teaching, CELTA, Cambridge exams, lesson planning, young learners",
        "teach English to groups|prepare students for exams|plan engaging lessons|"
        "report progress to parents|run speaking clubs",
        "language academy|bilingual school|online school|summer school|university centre",
    ),
    "HR Business Partner": (
        "HR business partner",
        "employee relations, performance management, Workday, organisational design, coaching",
        "advise managers on people matters|run performance and pay reviews|"
        "handle employee relations cases|support restructuring|analyse HR data",
        "technology|banking|manufacturing|retail|public sector",
    ),
    "Recruiter": (
        "recruiter",
        "full-cycle recruitment, sourcing, LinkedIn Recruiter, interviewing, ATS, employer branding",
        "source candidates|run interviews|partner with hiring managers|manage offers|"
        "improve candidate experience",
        "software|shared services|agency|healthcare|retail",
    ),
    "Supply Chain Planner": (
        "supply chain planner",
        "demand planning, S&OP, SAP, inventory optimisation, Excel, forecasting",
        "forecast demand|plan production and inventory|run the S&OP cycle|"
        "work with sales and production|improve service levels",
        "FMCG|chemicals|pharmaceuticals|food|consumer electronics",
    ),
    "Warehouse Supervisor": (
        "warehouse supervisor",
        "warehouse operations, WMS, inventory control, team leadership, OSHA, Lean",
        "lead a shift of associates|plan labour|track productivity and safety KPIs|"
        "resolve inventory discrepancies|coach and train staff",
        "third-party logistics|e-commerce fulfilment|retail distribution|food distribution|parcel",
    ),
    "Graphic Designer": (
        "graphic designer",
        "Adobe Illustrator, Photoshop, InDesign, typography, branding, print production, Figma",
        "design brand identities|create campaign visuals|prepare print-ready artwork|"
        "present concepts to clients|keep brand guidelines",
        "branding studio|advertising agency|publishing|retail|non-profit",
    ),
    "Customer Support Agent": (
        "customer support agent",
        "customer service, Zendesk, complaint handling, CRM, live chat, English",
        "answer customer calls and emails|resolve orders and refunds|escalate technical issues|"
        "update the knowledge base|meet service levels",
        "e-commerce|airline|software|telecoms|utilities",
    ),
    "Paralegal": (
        "paralegal",
        "litigation support, e-discovery, Relativity, legal research, Westlaw, e-filing",
        "prepare discovery documents|manage productions|prepare trial binders|"
        "file documents with courts|track deadlines",
        "law firm|corporate legal department|public defender|insurance|real estate",
    ),
    "Solicitor": (
        "solicitor",
        "M&A, contract drafting, due diligence, corporate governance, negotiation",
        "run transactions|draft and negotiate agreements|coordinate due diligence|"
        "advise clients|supervise trainees",
        "law firm|in-house legal team|private equity|technology|life sciences",
    ),
}
SENIORITY = [("Junior", 1), ("", 3), ("Senior", 5), ("Lead", 8)]
CITIES = "Berlin|London|Toronto|Madrid|Amsterdam|Dublin|Warsaw|Austin|Lisbon|Singapore|Nairobi"
BENEFITS = (
    "Hybrid working, 28 days of holiday and a learning budget.|"
    "Competitive salary, pension and private health insurance.|"
    "Flexible hours, a yearly bonus and a friendly team.|"
    "Remote-first, home office budget and paid parental leave.|"
    "Relocation support, training programme and an annual team trip."
)


def _split(value: str, sep: str = "|") -> list[str]:
    return [part.strip() for part in value.split(sep) if part.strip()]


def generated_job(rng: random.Random) -> tuple[str, str, str]:
    """(title, company, description) of a plausible ad of a random occupation and level."""
    occupation = rng.choice(list(OCCUPATIONS))
    noun, skills, duties, industries = OCCUPATIONS[occupation]
    level, years = rng.choice(SENIORITY)
    skill_list = _split(skills, ",")
    rng.shuffle(skill_list)
    required, nice = skill_list[:4], skill_list[4:6]
    company = f"{rng.choice(['Nord', 'Blue', 'Alto', 'Vela', 'Kite', 'Oak'])}"
    company += rng.choice(["wave", "field", "point", "stone", "line", "works"])
    industry = rng.choice(_split(industries))
    city = rng.choice(_split(CITIES))
    chosen_duties = rng.sample(_split(duties), 3)
    title = f"{level} {occupation}".strip()
    lines = [
        f"{company} is a {rng.choice(['growing', 'established', 'independent'])} {industry} "
        f"company in {city}. We are looking for a {title.lower()} to join our team.",
        "",
        "What you will do:",
        *(f"- {d[0].upper()}{d[1:]}." for d in chosen_duties),
        "",
        "Requirements:",
        f"- {years}+ years of experience as a {noun}.",
        *(f"- {s}." for s in required),
        "",
        f"Nice to have: {', '.join(nice)}.",
        "",
        rng.choice(_split(BENEFITS)),
    ]
    return title, company, "\n".join(lines)


def generated_cv(rng: random.Random) -> str:
    """A short CV-like text of a random occupation (a query that is no stored job)."""
    occupation = rng.choice(list(OCCUPATIONS))
    _, skills, duties, industries = OCCUPATIONS[occupation]
    years = rng.randint(1, 15)
    skill_list = _split(skills, ",")
    rng.shuffle(skill_list)
    duty_lines = [f"- {d[0].upper()}{d[1:]}." for d in rng.sample(_split(duties), 3)]
    return "\n".join(
        [
            f"{rng.choice(['Alex', 'Sam', 'Noor', 'Kim', 'Ana'])} {rng.choice(['Lee', 'Ruiz'])}",
            f"{occupation}, {years} years of experience in {rng.choice(_split(industries))}.",
            "",
            "Experience",
            f"{occupation}, {rng.choice(_split(CITIES))}, {2024 - years} - present",
            *duty_lines,
            "",
            "Skills",
            ", ".join(skill_list[:6]),
        ]
    )


# ---- loading ------------------------------------------------------------------------------------


def derived_vectors(
    parents: np.ndarray, count: int, sigma: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(parent index, vector) of ``count`` derived vectors: a random parent mixed with a random
    second real vector (weight 0-0.6) plus Gaussian noise, renormalised.

    Mixing spreads derived ads along a continuum between real ones, as real ads blend
    occupations; plain noisy copies would form tight islands of near-duplicates, which no
    real account has at this scale and which fragment the HNSW graph (recall@20 about 0.2)."""
    index = rng.integers(0, len(parents), size=count)
    partner = rng.integers(0, len(parents), size=count)
    weight = rng.uniform(0.0, 0.6, size=(count, 1))
    vectors = (1 - weight) * parents[index] + weight * parents[partner]
    vectors += rng.normal(0.0, sigma, size=(count, parents.shape[1]))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return index, vectors.astype(np.float32)


def _vector_text(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{x:.6g}" for x in vector) + "]"


def copy_jobs(
    libpq_url: str,
    user_id: uuid.UUID,
    model: str,
    rows: list[tuple[str, str, str, Any, np.ndarray]],
) -> None:
    """COPY job rows (title, company, description, requirements, vector) and their vectors."""
    import psycopg

    from resumate.ai.jobs import skill_ids

    now = datetime.now(UTC)
    with psycopg.connect(libpq_url) as conn, conn.cursor() as cur:
        with cur.copy(
            "COPY job_descriptions (id, user_id, title, company, description, location_type, "
            "required_skills, nice_to_have_skills, duty_skills, skill_ids, min_experience_years, "
            "extracted_fields, is_active, created_at, updated_at) FROM STDIN"
        ) as job_copy:
            ids = []
            for title, company, description, requirements, _ in rows:
                job_id = uuid.uuid4()
                ids.append((job_id, description, title))
                job_copy.write_row(
                    (
                        job_id,
                        user_id,
                        title,
                        company,
                        description,
                        "hybrid",
                        requirements.required_skills,
                        requirements.nice_to_have_skills,
                        requirements.duty_skills,
                        skill_ids(
                            [
                                *requirements.required_skills,
                                *requirements.nice_to_have_skills,
                                *requirements.duty_skills,
                            ]
                        ),
                        requirements.min_experience_years,
                        ["required_skills", "nice_to_have_skills", "min_experience_years"],
                        True,
                        now,
                        now,
                    )
                )
        with cur.copy(
            "COPY embeddings (id, owner_id, resource_type, resource_id, model, dim, embedding, "
            "content_sha256, created_at) FROM STDIN"
        ) as vector_copy:
            for (job_id, description, title), row in zip(ids, rows, strict=True):
                digest = hashlib.sha256(f"{title}\n\n{description}".encode()).hexdigest()
                vector_copy.write_row(
                    (
                        uuid.uuid4(),
                        user_id,
                        "job",
                        job_id,
                        model,
                        len(row[4]),
                        _vector_text(row[4]),
                        digest,
                        now,
                    )
                )
        conn.commit()


def build_index(libpq_url: str, model: str, dim: int) -> float:
    """The model's partial HNSW index, built after loading; VACUUM ANALYZE. Seconds taken."""
    import psycopg

    from resumate.modules.embeddings.service import HNSW_EF_CONSTRUCTION, HNSW_M, index_name

    started = time.perf_counter()
    literal = model.replace("'", "''")
    with psycopg.connect(libpq_url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute(f"DROP INDEX IF EXISTS {index_name(model, dim)}")
        conn.execute(
            f"CREATE INDEX {index_name(model, dim)} ON embeddings USING hnsw "
            f"((embedding::vector({dim})) vector_cosine_ops) "
            f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION}) "
            f"WHERE model = '{literal}'"
        )
        conn.execute("VACUUM ANALYZE embeddings")
        conn.execute("VACUUM ANALYZE job_descriptions")
        conn.execute("VACUUM ANALYZE job_skill_sets")
    return time.perf_counter() - started


# ---- measuring ----------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


async def timed_search(
    database: Any,
    user_id: uuid.UUID,
    model: str,
    dim: int,
    vector: list[float],
    *,
    exact: bool,
) -> tuple[list[uuid.UUID], float]:
    from resumate.modules.jobs import service as job_service

    async with database.sessionmaker() as session, session.begin():
        started = time.perf_counter()
        hits = await job_service.vector_search(
            session,
            resource_type=job_service.RESOURCE,
            owner_id=user_id,
            model=model,
            dim=dim,
            vector=vector,
            k=20,
            exact=exact,
        )
        return [h[0] for h in hits], (time.perf_counter() - started) * 1000


async def explain_plan(
    database: Any, user_id: uuid.UUID, model: str, dim: int, vector: list[float], *, exact: bool
) -> str:
    """The plan's node types for the service's query (same SQL, literal values)."""
    from resumate.modules.jobs import retrieval
    from resumate.modules.jobs import service as job_service

    distance = (
        "e.embedding <=> CAST(:q AS vector)"
        if exact
        else f"e.embedding::vector({dim}) <=> CAST(:q AS vector({dim}))"
    )
    async with database.sessionmaker() as session, session.begin():
        if not exact:
            await session.execute(text(f"SET LOCAL hnsw.ef_search = {retrieval.HNSW_EF_SEARCH}"))
            await session.execute(text("SET LOCAL hnsw.iterative_scan = relaxed_order"))
        rows = await session.execute(
            text(
                f"EXPLAIN SELECT e.resource_id FROM embeddings e "  # noqa: S608 (constants)
                f"JOIN job_descriptions r ON r.id = e.resource_id "
                f"WHERE e.model = :m AND e.resource_type = 'job' AND e.owner_id = :o "
                f"AND r.is_active ORDER BY {distance} LIMIT 20"
            ),
            {"q": job_service._vector_literal(vector), "m": model, "o": user_id},
        )
        plan = "\n".join(row[0] for row in rows)
    uses_index = "ix_embeddings_hnsw" in plan
    return "HNSW index scan" if uses_index else "sequential scan + sort"


async def run(args: argparse.Namespace, url: str) -> None:
    from resumate.ai.embeddings import get_local_embedder
    from resumate.app import create_app
    from resumate.config import get_settings
    from resumate.core import storage as storage_module
    from resumate.modules.jobs import retrieval
    from resumate.modules.jobs import service as job_service

    database = configure(url)
    settings = get_settings()
    storage_module.set_storage(storage_module.LocalStorage(settings.data_dir / "files"))
    app = create_app(settings, manage_resources=False)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    embedder = get_local_embedder()
    model, dim = embedder.model, embedder.dim
    data = load_labelled_set()
    rng = random.Random(20261121)
    phases: list[list[str]] = []

    transport = httpx.ASGITransport(app=app)
    state_path = args.keep / "state.json" if args.keep else None
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        if state_path is not None and state_path.exists():
            # A database loaded by an earlier run with the same --keep: time it again.
            state = json.loads(state_path.read_text())
            email, password = state["email"], state["password"]
            user_id = uuid.UUID(state["user_id"])
            job_ids = {k: uuid.UUID(v) for k, v in state["job_ids"].items()}
            cv_ids = {k: uuid.UUID(v) for k, v in state["cv_ids"].items()}
            for _ in range(state["real"]):  # the query generator continues from here
                generated_job(rng)
            loaded = True
        else:
            email = f"bench-{uuid.uuid4().hex[:10]}@example.org"
            password = "benchmark password " + uuid.uuid4().hex
            response = await client.post(
                "/api/v1/auth/register", json={"email": email, "password": password}
            )
            assert response.status_code == 201, response.text
            user_id = uuid.UUID(response.json()["data"]["user"]["id"])
            client.cookies.clear()
            loaded = False

        async def login() -> dict[str, str]:
            token = await client.post(
                "/api/v1/auth/token", data={"username": email, "password": password}
            )
            assert token.status_code == 200, token.text
            return {"Authorization": f"Bearer {token.json()['access_token']}"}

        try:
            if not loaded:
                job_ids, cv_ids = await load_account(
                    args, url, database, user_id, embedder, data, rng, phases
                )
                if state_path is not None:
                    state_path.write_text(
                        json.dumps(
                            {
                                "email": email,
                                "password": password,
                                "user_id": str(user_id),
                                "real": args.real,
                                "job_ids": {k: str(v) for k, v in job_ids.items()},
                                "cv_ids": {k: str(v) for k, v in cv_ids.items()},
                            }
                        )
                    )
            async with database.sessionmaker() as session:
                total = (
                    await session.execute(
                        text("SELECT count(*) FROM job_descriptions WHERE user_id = :u"),
                        {"u": user_id},
                    )
                ).scalar_one()
            if phases:
                print(fmt_table(["phase", "time"], phases))
            print(f"\n{total} active jobs in the account\n")

            # Queries: the labelled CVs plus generated CV-like texts.
            query_texts = [c["text"] for c in data.cvs]
            query_texts += [
                generated_cv(rng) for _ in range(max(0, args.queries - len(query_texts)))
            ]
            queries = embedder.embed_sync(query_texts)
            for q in queries[:3]:  # warm caches and the planner
                await timed_search(database, user_id, model, dim, q, exact=True)
                await timed_search(database, user_id, model, dim, q, exact=False)

            exact_ids: list[list[uuid.UUID]] = []
            exact_ms: list[float] = []
            for q in queries:
                ids, ms = await timed_search(database, user_id, model, dim, q, exact=True)
                exact_ids.append(ids)
                exact_ms.append(ms)
            plan_exact = await explain_plan(database, user_id, model, dim, queries[0], exact=True)
            table = [
                [
                    "exact scan",
                    plan_exact,
                    f"{pct(exact_ms, 50):.1f}",
                    f"{pct(exact_ms, 95):.1f}",
                    "1.000",
                    "1.000",
                    "0",
                ]
            ]
            default_ef, default_pool = retrieval.HNSW_EF_SEARCH, retrieval.HNSW_POOL
            try:
                for ef in [int(x) for x in args.ef.split(",")]:
                    for pool in [int(x) for x in args.pools.split(",")]:
                        retrieval.HNSW_EF_SEARCH, retrieval.HNSW_POOL = ef, pool
                        recalls: list[float] = []
                        ms_list: list[float] = []
                        for q, truth in zip(queries, exact_ids, strict=True):
                            ids, ms = await timed_search(
                                database, user_id, model, dim, q, exact=False
                            )
                            ms_list.append(ms)
                            recalls.append(len(set(ids) & set(truth)) / max(1, len(truth)))
                        plan = await explain_plan(
                            database, user_id, model, dim, queries[0], exact=False
                        )
                        service = (ef, pool) == (default_ef, default_pool)
                        table.append(
                            [
                                f"HNSW ef_search={ef}, pool {pool}"
                                + (" (service)" if service else ""),
                                plan,
                                f"{pct(ms_list, 50):.1f}",
                                f"{pct(ms_list, 95):.1f}",
                                f"{statistics.fmean(recalls):.3f}",
                                f"{min(recalls):.3f}",
                                str(sum(1 for r in recalls if r < 0.95)),
                            ]
                        )
            finally:
                retrieval.HNSW_EF_SEARCH, retrieval.HNSW_POOL = default_ef, default_pool
            print(
                f"Top-20 vector retrieval over {total} jobs, {len(queries)} queries "
                f"(jobs.service.vector_search)"
            )
            print(
                fmt_table(
                    [
                        "path",
                        "plan",
                        "p50 ms",
                        "p95 ms",
                        "recall@20 mean",
                        "recall@20 min",
                        "queries < 0.95",
                    ],
                    table,
                )
            )
            if args.vector_only:
                return

            # Full ranking in-process and end-to-end through the app.
            service_ms: list[float] = []
            for cv_id in list(cv_ids.values())[:8]:
                async with database.sessionmaker() as session, session.begin():
                    started = time.perf_counter()
                    await job_service.match_jobs_for_cv(
                        session, user_id=user_id, cv_id=cv_id, limit=20
                    )
                    service_ms.append((time.perf_counter() - started) * 1000)
            await database_clear_cache(database)
            headers = await login()
            cold: list[float] = []
            warm: list[float] = []
            best_ranks: list[list[str]] = []
            names = {v: k for k, v in job_ids.items()}
            for name, cv_id in cv_ids.items():
                for attempt in range(4):
                    started = time.perf_counter()
                    response = await client.get(
                        f"/api/v1/cvs/{cv_id}/matches?limit=20", headers=headers
                    )
                    elapsed = (time.perf_counter() - started) * 1000
                    if response.status_code == 401:  # a short-lived access token ran out
                        headers = await login()
                        started = time.perf_counter()
                        response = await client.get(
                            f"/api/v1/cvs/{cv_id}/matches?limit=20", headers=headers
                        )
                        elapsed = (time.perf_counter() - started) * 1000
                    assert response.status_code == 200, response.text
                    (cold if attempt == 0 else warm).append(elapsed)
                    if attempt == 0:
                        top = [uuid.UUID(m["job"]["id"]) for m in response.json()["data"]]
                        best = job_ids[data.best(name)]
                        async with database.sessionmaker() as session:
                            vector = await _cv_vector(session, cv_id, model)
                            candidates = await job_service.hybrid_candidates(
                                session,
                                resource_type=job_service.RESOURCE,
                                owner_id=user_id,
                                vector=vector,
                                model=model,
                                dim=dim,
                                terms=await _cv_terms(session, cv_id),
                                skill_ids=await _cv_skill_ids(session, cv_id),
                            )
                        in_candidates = best in {c.id for c in candidates}
                        rank = top.index(best) + 1 if best in top else None
                        labelled_in_top = sum(1 for j in top if j in names)
                        best_ranks.append(
                            [
                                name,
                                "yes" if in_candidates else "no",
                                str(rank or "-"),
                                str(labelled_in_top),
                            ]
                        )
            print(
                "\nFull ranking for a CV (hybrid candidates from vector and skill ids, scored, "
                "re-ranked, cached)"
            )
            print(
                fmt_table(
                    ["path", "requests", "p50 ms", "p95 ms"],
                    [
                        [
                            "match_jobs_for_cv in-process (first 8 CVs, cold)",
                            str(len(service_ms)),
                            f"{pct(service_ms, 50):.0f}",
                            f"{pct(service_ms, 95):.0f}",
                        ],
                        [
                            "GET /cvs/{id}/matches, cold (nothing cached)",
                            str(len(cold)),
                            f"{pct(cold, 50):.0f}",
                            f"{pct(cold, 95):.0f}",
                        ],
                        [
                            "GET /cvs/{id}/matches, warm (same request again)",
                            str(len(warm)),
                            f"{pct(warm, 50):.0f}",
                            f"{pct(warm, 95):.0f}",
                        ],
                    ],
                )
            )
            if args.profile:
                await database_clear_cache(database)
                print(await profile_cold(client, login, list(cv_ids.values())[: args.profile]))
            # Where a request's time goes: the candidate stages on their own (k=100). The
            # service's vector_search without ``exact`` first counts the owner's vectors to
            # choose between exact scan and index.
            count_ms: list[float] = []
            vec_ms: list[float] = []
            kw_ms: list[float] = []
            kw_rows: list[int] = []
            for cv_id in cv_ids.values():
                async with database.sessionmaker() as session, session.begin():
                    vector = await _cv_vector(session, cv_id, model)
                    terms = await _cv_terms(session, cv_id)
                    skill_id_list = await _cv_skill_ids(session, cv_id)
                    assert vector is not None
                    started = time.perf_counter()
                    await job_service._owner_count(
                        session, resource_type=job_service.RESOURCE, owner_id=user_id, model=model
                    )
                    count_ms.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    await job_service.vector_search(
                        session,
                        resource_type=job_service.RESOURCE,
                        owner_id=user_id,
                        model=model,
                        dim=dim,
                        vector=vector,
                        k=job_service.CANDIDATES,
                        exact=False,
                    )
                    vec_ms.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    await job_service.keyword_search(
                        session,
                        resource_type=job_service.RESOURCE,
                        owner_id=user_id,
                        terms=terms,
                        k=job_service.CANDIDATES,
                        skill_ids=skill_id_list,
                    )
                    kw_ms.append((time.perf_counter() - started) * 1000)
                    kw_rows.append(
                        (
                            await session.execute(
                                text(
                                    "SELECT count(*) FROM job_skill_sets r "
                                    "WHERE r.skill_ids && CAST(:ids AS int[]) "
                                    "AND r.user_id = :o"
                                ),
                                {"ids": skill_id_list, "o": user_id},
                            )
                        ).scalar_one()
                    )
            print(
                fmt_table(
                    ["candidate stage (k=100)", "p50 ms", "p95 ms"],
                    [
                        [
                            "_owner_count (exact or index?)",
                            f"{pct(count_ms, 50):.1f}",
                            f"{pct(count_ms, 95):.1f}",
                        ],
                        [
                            "vector_search, index path (exact=False)",
                            f"{pct(vec_ms, 50):.1f}",
                            f"{pct(vec_ms, 95):.1f}",
                        ],
                        [
                            "keyword_search (skill ids, GIN, top 100 by overlap)",
                            f"{pct(kw_ms, 50):.1f}",
                            f"{pct(kw_ms, 95):.1f}",
                        ],
                    ],
                )
            )
            print(
                f"Ads sharing a skill id with a CV (overlap counted, top 100 kept): median "
                f"{statistics.median(kw_rows):.0f}, max {max(kw_rows)} of {total}"
            )
            found = sum(1 for r in best_ranks if r[1] == "yes")
            in_top = sum(1 for r in best_ranks if r[2] != "-")
            in_top3 = sum(1 for r in best_ranks if r[2] != "-" and int(r[2]) <= 3)
            print(
                f"\nLabelled best job among {total} ads: in the hybrid candidates for "
                f"{found}/{len(best_ranks)} CVs, in the top 20 for {in_top}, in the top 3 for "
                f"{in_top3}"
            )
            if args.verbose:
                print(
                    fmt_table(["cv", "in candidates", "rank", "labelled ads in top 20"], best_ranks)
                )
        finally:
            if args.keep is None:
                await delete_user(database, user_id)
            await database.dispose()


async def load_account(
    args: argparse.Namespace,
    url: str,
    database: Any,
    user_id: uuid.UUID,
    embedder: Any,
    data: Any,
    rng: random.Random,
    phases: list[list[str]],
) -> tuple[dict[str, uuid.UUID], dict[str, uuid.UUID]]:
    """Generate, embed and COPY the ads, add the labelled set, build the index."""
    from resumate.ai.jobs import parse_posting
    from resumate.core.db import libpq_url

    model, dim = embedder.model, embedder.dim
    # Real generated ads, embedded.
    started = time.perf_counter()
    real = [generated_job(rng) for _ in range(args.real)]
    real_vectors = np.asarray(
        embedder.embed_sync([f"{t}\n\n{d}" for t, _, d in real]), dtype=np.float32
    )
    requirements = [parse_posting(d, title=t) for t, _, d in real]
    phases.append([f"generate + embed {args.real} ads", f"{time.perf_counter() - started:.0f} s"])

    # Derived ads, then COPY everything.
    started = time.perf_counter()
    derived = max(0, args.jobs - args.real - len(data.jobs))
    parent, vectors = derived_vectors(real_vectors, derived, args.sigma, np.random.default_rng(7))
    closeness = float(np.mean(np.sum(vectors[:2000] * real_vectors[parent[:2000]], axis=1)))
    rows = [
        (t, c, d, r, v) for (t, c, d), r, v in zip(real, requirements, real_vectors, strict=True)
    ]
    rows += [
        (real[p][0], real[p][1], real[p][2], requirements[p], v)
        for p, v in zip(parent, vectors, strict=True)
    ]
    batch = 10_000
    for offset in range(0, len(rows), batch):
        await asyncio.to_thread(
            copy_jobs, libpq_url(url), user_id, model, rows[offset : offset + batch]
        )
    async with database.sessionmaker() as session, session.begin():
        await session.execute(
            text(
                "INSERT INTO job_skill_sets (job_id, user_id, skill_ids) "
                "SELECT id, user_id, skill_ids FROM job_descriptions "
                "WHERE user_id = :u AND is_active"
            ),
            {"u": user_id},
        )
    phases.append(
        [
            f"COPY {len(rows)} ads ({derived} derived, mean cosine to parent {closeness:.3f})",
            f"{time.perf_counter() - started:.0f} s",
        ]
    )

    # The labelled set: its ads through the service, its CVs as the analysis job stores them.
    started = time.perf_counter()
    job_ids = await insert_jobs(database, user_id, data.jobs)
    cv_ids = await insert_cvs(database, user_id, data.cvs)
    phases.append(
        [
            f"{len(job_ids)} labelled ads + {len(cv_ids)} CVs via the services",
            f"{time.perf_counter() - started:.0f} s",
        ]
    )
    build = await asyncio.to_thread(build_index, libpq_url(url), model, dim)
    phases.append(["HNSW build + VACUUM ANALYZE", f"{build:.0f} s"])
    return job_ids, cv_ids


async def profile_cold(client: Any, login: Any, cv_ids: list[uuid.UUID]) -> str:
    """Where a cold ``GET /cvs/{id}/matches?limit=20`` spends its time: wall time of the
    service's stages (patched with timers) and of every SQL statement, summed per request."""
    from sqlalchemy.ext.asyncio import AsyncSession

    from resumate.ai import matching
    from resumate.core import cache
    from resumate.modules.embeddings import service as embedding_service
    from resumate.modules.jobs import retrieval
    from resumate.modules.jobs import service as job_service

    spent: dict[str, float] = {}

    def timed(owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)
        if asyncio.iscoroutinefunction(original):

            async def async_wrapper(*a: Any, **kw: Any) -> Any:
                started = time.perf_counter()
                try:
                    return await original(*a, **kw)
                finally:
                    spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

            setattr(owner, name, async_wrapper)
        else:

            def wrapper(*a: Any, **kw: Any) -> Any:
                started = time.perf_counter()
                try:
                    return original(*a, **kw)
                finally:
                    spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

            setattr(owner, name, wrapper)
        patched.append((owner, name, original))

    patched: list[tuple[Any, str, Any]] = []
    original_execute = AsyncSession.execute

    async def execute(self: Any, statement: Any, *a: Any, **kw: Any) -> Any:
        sql = " ".join(str(statement).split())
        label = "sql: " + sql[:60]
        started = time.perf_counter()
        try:
            return await original_execute(self, statement, *a, **kw)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

    timed(job_service, "_ready_cv", "stage: load CV (_ready_cv)")
    timed(embedding_service, "get_vector", "stage: CV vector (get_vector)")
    timed(retrieval, "vector_search", "stage: vector_search (incl. owner count)")
    timed(retrieval, "keyword_search", "stage: keyword_search (skill ids)")
    timed(retrieval, "_cosines", "stage: cosines of keyword-only candidates")
    timed(job_service, "hybrid_candidates", "stage: hybrid_candidates (all of the above 3)")
    timed(job_service, "score_pairs", "stage: score_pairs (cache read, scoring, insert)")
    timed(matching, "score_match", "stage:   score_match (Python, inside score_pairs)")
    timed(job_service, "match_jobs_for_cv", "stage: match_jobs_for_cv (all)")
    timed(job_service, "record_matches_viewed", "stage: record_matches_viewed")
    timed(cache, "cached", "stage: cache.cached (lookup + build)")
    AsyncSession.execute = execute  # type: ignore[method-assign]
    per_request: list[dict[str, float]] = []
    totals: list[float] = []
    headers = await login()
    try:
        for cv_id in cv_ids:
            spent.clear()
            started = time.perf_counter()
            response = await client.get(f"/api/v1/cvs/{cv_id}/matches?limit=20", headers=headers)
            totals.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text
            per_request.append(dict(spent))
    finally:
        AsyncSession.execute = original_execute  # type: ignore[method-assign]
        for owner, name, original in reversed(patched):
            setattr(owner, name, original)
    labels = sorted(
        {k for r in per_request for k in r}, key=lambda k: (not k.startswith("stage"), k)
    )
    rows = [["request total", f"{pct(totals, 50):.1f}", f"{pct(totals, 95):.1f}", ""]]
    for label in labels:
        values = [r.get(label, 0.0) * 1000 for r in per_request]
        rows.append(
            [
                label,
                f"{pct(values, 50):.1f}",
                f"{pct(values, 95):.1f}",
                f"{statistics.fmean(values) / statistics.fmean(totals):.0%}",
            ]
        )
    return (
        f"\nCold request profile ({len(cv_ids)} CVs, ms per request; SQL: wall time of each "
        f"statement kind)\n" + fmt_table(["part", "p50 ms", "p95 ms", "share of mean"], rows)
    )


async def database_clear_cache(database: Any) -> None:
    """Nothing cached: no pair scores, no ranking kept in this process (``REDIS_URL`` unset)."""
    from resumate.core import cache

    async with database.sessionmaker() as session, session.begin():
        await session.execute(text("DELETE FROM match_results"))
    clear_local = getattr(cache, "clear_local", None)  # absent before the in-process cache
    if clear_local is not None:
        clear_local()


async def _cv_vector(session: Any, cv_id: uuid.UUID, model: str) -> list[float] | None:
    from resumate.modules.embeddings import service as embedding_service

    return await embedding_service.get_vector(
        session, resource_type="cv", resource_id=cv_id, model=model
    )


async def _cv_terms(session: Any, cv_id: uuid.UUID) -> list[str]:
    from sqlalchemy import select
    from sqlalchemy.orm import undefer

    from resumate.modules.cvs.models import CV
    from resumate.modules.jobs import service as job_service

    cv = (
        await session.execute(select(CV).options(undefer(CV.text_content)).where(CV.id == cv_id))
    ).scalar_one()
    return job_service._cv_terms(cv)


async def _cv_skill_ids(session: Any, cv_id: uuid.UUID) -> list[int]:
    from sqlalchemy import select

    from resumate.modules.cvs.models import CV
    from resumate.modules.jobs import service as job_service

    cv = (await session.execute(select(CV).where(CV.id == cv_id))).scalar_one()
    return job_service._cv_skill_ids(cv)


@contextlib.contextmanager
def kept_database(directory: Path) -> Iterator[str]:
    """A migrated embedded server in ``directory``, stopped but kept afterwards."""
    from match_eval import DATABASE_NAME
    from resumate.core.migrations import upgrade
    from resumate.core.pgserver import start_embedded, stop_embedded

    server = start_embedded(directory, database=DATABASE_NAME)
    try:
        url = server.url(DATABASE_NAME)
        upgrade(url)
        yield url
    finally:
        stop_embedded(directory)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--real", type=int, default=2_000, help="generated ads really embedded")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--ef", default="40,100,200,400", help="hnsw.ef_search values to try")
    parser.add_argument(
        "--pools", default=str(100), help="rows asked of the index (HNSW_POOL) to try"
    )
    parser.add_argument("--vector-only", action="store_true", help="stop after part 1")
    parser.add_argument("--sigma", type=float, default=0.025, help="noise of derived vectors")
    parser.add_argument("--verbose", action="store_true", help="per-CV table of part 3")
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the loaded account in an embedded database in this directory; a later run "
        "with the same --keep times it again without loading",
    )
    parser.add_argument(
        "--profile", type=int, default=0, help="time the stages of this many cold requests"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    with kept_database(args.keep) if args.keep else database_url() as url:
        asyncio.run(run(args, url))
    print(f"\nTotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
