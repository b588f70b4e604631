"""Evaluate the offline CV analyzer on the generated, labelled corpus.

    .venv/bin/python benchmarks/cv_eval.py [--count 48] [--seed 7] [--corpus DIR] [-v]

Prints skills precision/recall/F1 (micro), experience-years MAE, email/phone/name accuracy,
section detection, throughput on one core, p50/p95 latency (extraction + analysis) and peak
memory. The corpus is generated into a temporary directory unless --corpus points at one.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cv_corpus.generate import TODAY, generate
from resumate.ai.analyzer import analyze_text
from resumate.ai.documents import detect_kind, extract_text
from resumate.ai.skills import get_taxonomy


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _as_expected(name: str, expected: set[str]) -> str:
    if name in expected:
        return name
    skill = get_taxonomy().skills.get(name)
    broader = [r for r in (skill.related if skill else ()) if r in expected]
    return broader[0] if len(broader) == 1 and len(skill.related) == 1 else name  # type: ignore[union-attr]


def evaluate(corpus: Path, verbose: bool = False) -> dict[str, Any]:
    truths = json.loads((corpus / "truth.json").read_text("utf-8"))
    tp = fp = fn = 0
    sec_tp = sec_fp = sec_fn = 0
    abs_err: list[float] = []
    email_ok = phone_ok = name_ok = 0
    latencies: list[float] = []
    latencies_2p: list[float] = []
    by_layout: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    # Warm-up: load the taxonomy and pdfium once, outside the timings.
    first = corpus / truths[0]["file"]
    analyze_text(extract_text(first.read_bytes(), detect_kind(first.read_bytes()) or "pdf"))
    started = time.perf_counter()
    cpu_started = time.process_time()
    for truth in truths:
        data = (corpus / truth["file"]).read_bytes()
        t0 = time.perf_counter()
        kind = detect_kind(data)
        assert kind is not None, truth["file"]
        doc = extract_text(data, kind)
        analysis = analyze_text(doc, today=TODAY)
        elapsed = time.perf_counter() - t0
        latencies.append(elapsed)
        if kind == "pdf" and doc.pages == 2:
            latencies_2p.append(elapsed)

        expected = set(truth["skills"])
        # The corpus predates named tools becoming skills of their own ("ANSYS" was read as
        # "Finite element analysis"): a tool whose broader skill is expected counts as it.
        found = {_as_expected(s.name, expected) for s in analysis.skills}
        ctp, cfp, cfn = len(found & expected), len(found - expected), len(expected - found)
        tp, fp, fn = tp + ctp, fp + cfp, fn + cfn
        err = abs(analysis.total_experience_years - truth["years"])
        abs_err.append(err)
        c = analysis.contact
        e_ok = _norm(c.email) == _norm(truth["email"])
        p_ok = c.phone_e164 == truth["phone_e164"]
        n_ok = _norm(c.name) == _norm(truth["name"])
        email_ok += e_ok
        phone_ok += p_ok
        name_ok += n_ok
        got_sections = set(analysis.sections)
        want_sections = set(truth["sections"])
        sec_tp += len(got_sections & want_sections)
        sec_fp += len(got_sections - want_sections)
        sec_fn += len(want_sections - got_sections)
        lay = by_layout[truth["layout"]]
        lay["n"] += 1
        lay["tp"] += ctp
        lay["fp"] += cfp
        lay["fn"] += cfn
        lay["err"] += err
        if verbose and (cfp or cfn or err > 0.05 or not (e_ok and p_ok and n_ok)
                        or got_sections != want_sections):  # fmt: skip
            print(f"--- {truth['file']} ({truth['layout']}, {truth['language']})")
            if cfn:
                print("  missed skills:", sorted(expected - found))
            if cfp:
                print("  extra skills: ", sorted(found - expected))
            if err > 0.05:
                print(f"  years: got {analysis.total_experience_years} want {truth['years']}")
            if not e_ok:
                print(f"  email: got {c.email!r} want {truth['email']!r}")
            if not p_ok:
                print(f"  phone: got {c.phone!r}/{c.phone_e164!r} want {truth['phone_e164']!r}")
            if not n_ok:
                print(f"  name: got {c.name!r} want {truth['name']!r}")
            if got_sections != want_sections:
                print(f"  sections: missing {sorted(want_sections - got_sections)} "
                      f"extra {sorted(got_sections - want_sections)}")  # fmt: skip
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    # Memory in a second pass: tracemalloc slows Python down, so it stays out of the timings.
    peak = 0
    for truth in truths:
        data = (corpus / truth["file"]).read_bytes()
        tracemalloc.start()
        analyze_text(extract_text(data, detect_kind(data) or "pdf"), today=TODAY)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    n = len(truths)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    sec_p = sec_tp / (sec_tp + sec_fp) if sec_tp + sec_fp else 0.0
    sec_r = sec_tp / (sec_tp + sec_fn) if sec_tp + sec_fn else 0.0

    def pct(values: list[float], q: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    return {
        "cvs": n,
        "skills_precision": precision,
        "skills_recall": recall,
        "skills_f1": f1,
        "years_mae": statistics.fmean(abs_err),
        "email_acc": email_ok / n,
        "phone_acc": phone_ok / n,
        "name_acc": name_ok / n,
        "sections_precision": sec_p,
        "sections_recall": sec_r,
        "throughput_cvs_per_s": n / cpu if cpu else float("nan"),
        "wall_s": wall,
        "p50_ms": pct(latencies, 0.5),
        "p95_ms": pct(latencies, 0.95),
        "p50_2page_pdf_ms": pct(latencies_2p, 0.5),
        "p95_2page_pdf_ms": pct(latencies_2p, 0.95),
        "two_page_pdfs": len(latencies_2p),
        "tracemalloc_peak_mb": peak / 1e6,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "by_layout": {
            k: {
                "n": int(v["n"]),
                "skills_f1": (2 * v["tp"] / (2 * v["tp"] + v["fp"] + v["fn"]))
                if v["tp"] + v["fp"] + v["fn"]
                else 1.0,
                "years_mae": v["err"] / v["n"],
            }
            for k, v in sorted(by_layout.items())
        },
    }


def print_table(r: dict[str, Any]) -> None:
    rows = [
        ("CVs evaluated", f"{r['cvs']}", ">= 40"),
        ("Skills precision (micro)", f"{r['skills_precision']:.3f}", ""),
        ("Skills recall (micro)", f"{r['skills_recall']:.3f}", ""),
        ("Skills F1 (micro)", f"{r['skills_f1']:.3f}", ">= 0.85"),
        ("Experience years MAE", f"{r['years_mae']:.2f}", "<= 0.5"),
        ("Email accuracy", f"{r['email_acc']:.3f}", ">= 0.98"),
        ("Phone accuracy (E.164)", f"{r['phone_acc']:.3f}", ">= 0.98"),
        ("Name accuracy", f"{r['name_acc']:.3f}", ""),
        ("Sections precision", f"{r['sections_precision']:.3f}", ""),
        ("Sections recall", f"{r['sections_recall']:.3f}", ""),
        ("Throughput (CVs/s, one core)", f"{r['throughput_cvs_per_s']:.1f}", ""),
        ("Latency p50 / p95, all (ms)", f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f}", ""),
        (
            f"Latency p50 / p95, 2-page PDF (n={r['two_page_pdfs']}) (ms)",
            f"{r['p50_2page_pdf_ms']:.1f} / {r['p95_2page_pdf_ms']:.1f}",
            "p50 < 150",
        ),
        ("Peak traced memory per CV (MB)", f"{r['tracemalloc_peak_mb']:.1f}", ""),
        ("Max RSS of the process (MB)", f"{r['max_rss_mb']:.0f}", ""),
    ]
    width = max(len(a) for a, _, _ in rows)
    print(f"| {'metric':<{width}} | value         | goal     |")
    print(f"|{'-' * (width + 2)}|---------------|----------|")
    for name, value, goal in rows:
        print(f"| {name:<{width}} | {value:<13} | {goal:<8} |")
    print()
    print("| layout | CVs | skills F1 | years MAE |")
    print("|---|---|---|---|")
    for layout, v in r["by_layout"].items():
        print(f"| {layout} | {v['n']} | {v['skills_f1']:.3f} | {v['years_mae']:.2f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=48)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpus", type=Path, help="reuse an already generated corpus")
    parser.add_argument("-v", "--verbose", action="store_true", help="print per-CV errors")
    args = parser.parse_args(argv)
    if args.corpus and (args.corpus / "truth.json").exists():
        result = evaluate(args.corpus, args.verbose)
    else:
        with tempfile.TemporaryDirectory(prefix="cv_corpus_") as tmp:
            out = args.corpus or Path(tmp)
            generate(out, args.count, args.seed)
            result = evaluate(out, args.verbose)
    print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
