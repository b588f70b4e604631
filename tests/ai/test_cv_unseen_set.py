"""The other real-CV sets (benchmarks/cv_unseen/, benchmarks/cv_holdout/, benchmarks/cv_dev2/,
benchmarks/cv_dev3/) are well formed and share no repository with any other set.

Their CVs must come from repositories that are neither in the development set nor reserved for
independent evaluation (the holdout set's from none of the unseen set's either: it was built
because the unseen set had been looked at while tuning; the third development set's from none of
the unseen or holdout sets'; the fourth's from none of any earlier set's), and both the collector
and the evaluation must be able to run on each of them. The accuracy figures come from running the benchmark, not from tests.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from tests.ai.test_cv_real_set import RESERVED, assert_label_well_formed

ROOT = Path(__file__).resolve().parents[2]
UNSEEN = ROOT / "benchmarks" / "cv_unseen"
HOLDOUT = ROOT / "benchmarks" / "cv_holdout"
DEV = ROOT / "benchmarks" / "cv_real"
DEV2 = ROOT / "benchmarks" / "cv_dev2"
DEV3 = ROOT / "benchmarks" / "cv_dev3"
# Each set besides the first development set, and the sets (besides that one) it must not share a
# repository with.
HELD_OUT = {
    "unseen": (UNSEEN, ()),
    "holdout": (HOLDOUT, (UNSEEN,)),
    "dev2": (DEV2, (UNSEEN, HOLDOUT)),
    "dev3": (DEV3, (UNSEEN, HOLDOUT, DEV2)),
}


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


ev = _load("cv_real_eval_unseen", ROOT / "benchmarks" / "cv_real_eval.py")
collect = _load("cv_real_collect", DEV / "collect.py")


def _manifest(set_dir: Path) -> list[dict]:
    return yaml.safe_load((set_dir / "manifest.yaml").read_text("utf-8"))["documents"]


def _repos(set_dir: Path) -> set[str]:
    return {d["source"]["repo"].lower() for d in _manifest(set_dir)}


@pytest.mark.parametrize("set_name", sorted(HELD_OUT))
def test_held_out_repositories_are_disjoint_from_other_sets_and_reserved(set_name: str) -> None:
    set_dir, others = HELD_OUT[set_name]
    seen = _repos(DEV).union(*(_repos(o) for o in others))
    for d in _manifest(set_dir):
        repo = d["source"]["repo"].lower()
        assert repo not in seen, d["id"]
        assert repo not in RESERVED, d["id"]


@pytest.mark.parametrize("set_name", sorted(HELD_OUT))
def test_held_out_manifest_is_complete(set_name: str) -> None:
    set_dir, _ = HELD_OUT[set_name]
    manifest = _manifest(set_dir)
    ids = [d["id"] for d in manifest]
    assert len(ids) == len(set(ids)) >= 20
    assert {d["kind"] for d in manifest} == {"pdf", "docx"}
    assert len({d["language"] for d in manifest}) >= 5
    for d in manifest:
        for key in ("file", "kind", "sha256", "licence", "profession", "language", "layout"):
            assert d.get(key), (d["id"], key)
        assert re.fullmatch(r"[0-9a-f]{64}", d["sha256"])
        assert re.fullmatch(r"[0-9a-f]{40}", d["source"]["commit"]), d["id"]
        assert isinstance(d["redistributable"], bool)
        assert (set_dir / "labels" / f"{d['id']}.yaml").is_file(), d["id"]
    # No stray label without a manifest entry.
    assert {p.stem for p in (set_dir / "labels").glob("*.yaml")} == set(ids)


@pytest.mark.parametrize(
    ("set_name", "doc_id"),
    [
        (name, d["id"])
        for name, (set_dir, _) in sorted(HELD_OUT.items())
        for d in _manifest(set_dir)
    ],
)
def test_held_out_label_is_well_formed(set_name: str, doc_id: str) -> None:
    assert_label_well_formed(doc_id, ev.load_label(HELD_OUT[set_name][0], doc_id))


def test_the_third_development_set_is_the_size_it_was_built_to() -> None:
    """At least 30 CVs from at least 25 repositories, mostly not in English."""
    manifest = _manifest(DEV2)
    assert len(manifest) >= 30
    assert len({d["source"]["repo"].lower() for d in manifest}) >= 25
    languages = [d["language"] for d in manifest]
    assert len(set(languages)) >= 7
    assert languages.count("en") <= len(languages) // 3


def test_the_fourth_development_set_is_the_size_it_was_built_to() -> None:
    """At least 25 CVs, one per repository, in at least 8 languages, mostly not English, with
    Word files, a LinkedIn export and a page that only OCR can read among them."""
    manifest = _manifest(DEV3)
    assert len(manifest) >= 25
    assert len({d["source"]["repo"].lower() for d in manifest}) == len(manifest)
    languages = [d["language"] for d in manifest]
    assert len(set(languages)) >= 8
    assert languages.count("en") <= len(languages) // 3
    assert sum(d["kind"] == "docx" for d in manifest) >= 5
    assert any("LinkedIn" in d["producer"] for d in manifest)
    assert any(d["text_layer"] == "none" for d in manifest)


@pytest.mark.parametrize(
    ("set_name", "variable"),
    [
        ("unseen", "RESUMATE_CV_UNSEEN_DIR"),
        ("holdout", "RESUMATE_CV_HOLDOUT_DIR"),
        ("dev2", "RESUMATE_CV_DEV2_DIR"),
        ("dev3", "RESUMATE_CV_DEV3_DIR"),
    ],
)
def test_the_evaluation_knows_the_held_out_sets(
    set_name: str, variable: str, tmp_path: Path, monkeypatch
) -> None:
    set_dir = HELD_OUT[set_name][0]
    assert ev.SETS[set_name][0] == set_dir
    monkeypatch.setenv(variable, str(tmp_path))
    assert ev.cache_dir_default(set_name) == tmp_path
    # An empty cache: every CV is counted as missing, nothing crashes.
    result = ev.evaluate(tmp_path, set_dir=set_dir)
    assert result["cvs_evaluated"] == 0
    assert len(result["cvs_missing"]) == len(_manifest(set_dir))
    assert result["set"] == set_name


@pytest.mark.parametrize(
    ("set_name", "goal"), [("real", 60), ("unseen", 20), ("dev2", 30), ("dev3", 25)]
)
def test_the_report_shows_each_sets_own_size_goal(set_name: str, goal: int) -> None:
    """The first row's goal is the set's own target, not the first development set's 60."""
    result = {
        "set": set_name,
        "cvs_in_manifest": 1,
        "cvs_evaluated": 0,
        "cvs_missing": [],
        "crashes": [],
        **dict.fromkeys(
            [
                "name_acc", "email_acc", "phone_acc", "location_acc", "positions_recall",
                "positions_precision", "education_recall", "education_precision", "years_within_range",
                "years_mae", "skills_precision", "skills_recall", "skills_f1",
            ],
            float("nan"),
        ),
        "positions_matched": 0,
        "positions_labelled": 0,
        "positions_predicted": 0,
        "cvs_with_no_position_found": [],
        "cvs_with_zero_skills": [],
        "latency_ms": {},
        "fp_skills_by_category": {},
        "coverage": {},
        "files": [],
    }  # fmt: skip
    first_row = ev.format_report(result).splitlines()[2]
    assert "CVs evaluated / in manifest" in first_row
    assert f">= {goal} " in first_row


def test_the_holdout_report_is_its_table_only(tmp_path: Path) -> None:
    """Wrong skills, coverage and per-file problems of the holdout are not printed, and -v or
    --json on it is refused unless the set is opened (and so retired)."""
    result = ev.evaluate(tmp_path, set_dir=ev.SETS["holdout"][0])
    result["fp_skills_by_category"] = {"other": {"Leadership": 3}}
    report = ev.format_report(result, verbose=True)
    assert "Skills precision" in report
    assert "False-positive" not in report and "Coverage" not in report
    assert "Leadership" not in report and "Per-file" not in report
    opened = ev.format_report(result, verbose=True, opened=True)
    assert "Leadership" in opened and "Coverage" in opened
    base = ["--set", "holdout", "--cache", str(tmp_path)]
    assert ev.main([*base, "-v"]) == 2
    assert ev.main([*base, "--json", str(tmp_path / "out.json")]) == 2
    assert not (tmp_path / "out.json").exists()
    result["set"] = "dev2"
    assert "Leadership" in ev.format_report(result)


def test_collect_reads_the_chosen_manifest(tmp_path: Path) -> None:
    """The collector copies a file out of a bare mirror at the recorded commit, hash-checked."""
    work = tmp_path / "src"
    work.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", str(work)], check=True)
    data = b"%PDF-1.4 a CV\n"
    (work / "cv.pdf").write_bytes(data)
    subprocess.run([*git, "-C", str(work), "add", "cv.pdf"], check=True)
    subprocess.run([*git, "-C", str(work), "commit", "-qm", "cv"], check=True)
    commit = subprocess.run(
        ["git", "-C", str(work), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    mirror = tmp_path / "mirror"
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(work), str(mirror / "o+cvs" / "repo")], check=True
    )
    set_dir = tmp_path / "set"
    set_dir.mkdir()
    entry = {
        "id": "x",
        "file": "x.pdf",
        "sha256": hashlib.sha256(data).hexdigest(),
        "source": {"repo": "o/cvs", "path": "cv.pdf", "commit": commit},
    }
    (set_dir / "manifest.yaml").write_text(yaml.safe_dump({"documents": [entry]}), "utf-8")
    cache = tmp_path / "cache"
    assert collect.collect(mirror, cache, set_dir) == (0, 1, [])
    assert (cache / "x.pdf").read_bytes() == data
    assert collect.collect(mirror, cache, set_dir) == (1, 0, [])  # already there
    assert collect.SETS["unseen"][0] == UNSEEN
    assert collect.SETS["holdout"][0] == HOLDOUT
    assert collect.SETS["dev2"][0] == DEV2
    assert collect.SETS["dev3"][0] == DEV3
