"""The held-out real-CV set (benchmarks/cv_unseen/) is well formed and really held out.

Its CVs must come from repositories that are neither in the development set nor reserved for
independent evaluation, and both the collector and the evaluation must be able to run on it.
The accuracy figures come from running the benchmark, not from tests.
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
DEV = ROOT / "benchmarks" / "cv_real"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


ev = _load("cv_real_eval_unseen", ROOT / "benchmarks" / "cv_real_eval.py")
collect = _load("cv_real_collect", DEV / "collect.py")
MANIFEST = yaml.safe_load((UNSEEN / "manifest.yaml").read_text("utf-8"))["documents"]


def test_unseen_repositories_are_disjoint_from_the_development_set_and_reserved() -> None:
    dev = yaml.safe_load((DEV / "manifest.yaml").read_text("utf-8"))["documents"]
    dev_repos = {d["source"]["repo"].lower() for d in dev}
    for d in MANIFEST:
        repo = d["source"]["repo"].lower()
        assert repo not in dev_repos, d["id"]
        assert repo not in RESERVED, d["id"]


def test_unseen_manifest_is_complete() -> None:
    ids = [d["id"] for d in MANIFEST]
    assert len(ids) == len(set(ids)) >= 20
    assert {d["kind"] for d in MANIFEST} == {"pdf", "docx"}
    assert len({d["language"] for d in MANIFEST}) >= 5
    for d in MANIFEST:
        for key in ("file", "kind", "sha256", "licence", "profession", "language", "layout"):
            assert d.get(key), (d["id"], key)
        assert re.fullmatch(r"[0-9a-f]{64}", d["sha256"])
        assert re.fullmatch(r"[0-9a-f]{40}", d["source"]["commit"]), d["id"]
        assert (UNSEEN / "labels" / f"{d['id']}.yaml").is_file(), d["id"]


@pytest.mark.parametrize("doc_id", [d["id"] for d in MANIFEST])
def test_unseen_label_is_well_formed(doc_id: str) -> None:
    assert_label_well_formed(doc_id, ev.load_label(UNSEEN, doc_id))


def test_the_evaluation_knows_both_sets(tmp_path: Path, monkeypatch) -> None:
    assert ev.SETS["unseen"][0] == UNSEEN
    monkeypatch.setenv("RESUMATE_CV_UNSEEN_DIR", str(tmp_path))
    assert ev.cache_dir_default("unseen") == tmp_path
    # An empty cache: every CV is counted as missing, nothing crashes.
    result = ev.evaluate(tmp_path, set_dir=UNSEEN)
    assert result["cvs_evaluated"] == 0


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
