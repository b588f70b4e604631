"""The real-CV development set (benchmarks/cv_real/) is consistent, and its scorer is right.

The CV files are not in git, so these tests check the manifest and the hand labels, and the
scoring rules of benchmarks/cv_real_eval.py on small cases. The accuracy figures themselves
come from running the benchmark, not from tests.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SET_DIR = ROOT / "benchmarks" / "cv_real"

RESERVED = {
    "bjherger/resumeparser",
    "srbhr/resume-matcher",
    "omkarpathak/pyresparser",
    "xitanggg/open-resume",
    "gitobic/soupboss",
    "dataturks-engg/entity-recognition-in-resumes-spacy",
    "perminder-klair/resume-parser",
    "jaijanyani/automated-resume-screening-system",
    "aeoluslau/resume",
    "aishucheeku/resume",
    "adrianstorr/ad-resume",
    "akshay-s07/resume",
    "7brooksby/resume_brooksby",
}


def _load_eval():
    spec = importlib.util.spec_from_file_location(
        "cv_real_eval", ROOT / "benchmarks" / "cv_real_eval.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["cv_real_eval"] = module
    spec.loader.exec_module(module)
    return module


ev = _load_eval()
MANIFEST = yaml.safe_load((SET_DIR / "manifest.yaml").read_text("utf-8"))["documents"]
DATE = re.compile(r"^\d{4}(-\d{2})?$")


def test_manifest_entries_are_complete_and_unique() -> None:
    ids = [d["id"] for d in MANIFEST]
    assert len(ids) == len(set(ids))
    for d in MANIFEST:
        for key in ("file", "kind", "sha256", "licence", "profession", "language", "layout"):
            assert d.get(key), (d["id"], key)
        assert d["kind"] in ("pdf", "docx")
        assert re.fullmatch(r"[0-9a-f]{64}", d["sha256"])
        src = d["source"]
        assert re.fullmatch(r"[0-9a-f]{40}", src["commit"]), d["id"]
        assert src["repo"].lower() not in RESERVED, d["id"]
        assert isinstance(d["redistributable"], bool)


def assert_label_well_formed(doc_id: str, label: dict[str, Any]) -> None:
    """A hand label (development or unseen set) in the format the evaluation reads."""
    assert "name" in label and "email" in label and "phone" in label
    for pos in label.get("positions") or []:
        assert pos.get("title") or pos.get("company"), pos
        for key in ("start", "end"):
            value = pos.get(key)
            if value is None or (key == "end" and ev.is_present(value)):
                continue
            assert DATE.match(str(value)), (doc_id, key, value)
    assert isinstance(label.get("skills") or [], list)


@pytest.mark.parametrize("doc_id", [d["id"] for d in MANIFEST])
def test_label_is_well_formed(doc_id: str) -> None:
    assert_label_well_formed(doc_id, ev.load_label(SET_DIR, doc_id))


def test_cache_files_match_the_manifest_hash(tmp_path: Path) -> None:
    import hashlib

    cache = ev.cache_dir_default()
    for d in MANIFEST:
        path = cache / d["file"]
        if path.is_file():
            assert hashlib.sha256(path.read_bytes()).hexdigest() == d["sha256"], d["id"]


def test_dates_and_years() -> None:
    assert ev.Ym.parse("2019-05") == ev.Ym(2019, 5)
    assert ev.Ym.parse("2019") == ev.Ym(2019, None)
    assert ev.Ym.parse("May 2019") is None
    assert ev.Ym(2019, None).same(ev.Ym(2019, 7))
    assert not ev.Ym(2019, 5).same(ev.Ym(2019, 6))
    label = {
        "positions": [
            {"start": "2018-01", "end": "2019-12"},
            {"start": "2019-01", "end": "2020-12"},  # overlaps: counted once
            {"start": "2015-01", "end": "2015-06", "internship": True},
            {"start": "2021-01", "end": "present"},
        ]
    }
    assert ev.label_years(label, date(2021, 12, 15)) == pytest.approx(4.0)


def test_phone_name_and_position_matching() -> None:
    assert ev._phone_ok("634 511 696", "+34634511696", "+34 634 511 696")
    assert ev._phone_ok(None, "+33601756378", "06 01 75 63 78")
    assert not ev._phone_ok("53741253", "+4953741253", "+34 634 511 696")
    assert ev._phone_ok(None, None, None)
    assert ev._name_ok("DJIGO Aminata", "Aminata Djigo")
    assert not ev._name_ok("Etat Civil", "Aminata DJIGO")
    pred = {
        "position": "Lecturer",
        "name": "Boston College",
        "startDate": "2015-09",
        "endDate": "2017-12",
    }
    assert ev._entry_matches(
        pred,
        {"title": "Lecturer", "company": "Boston College", "start": "2015-09", "end": "2017-12"},
    )
    assert not ev._entry_matches(
        pred,
        {"title": "Lecturer", "company": "Boston College", "start": "2015-09", "end": "present"},
    )
    assert not ev._entry_matches(
        pred,
        {"title": "Nurse", "company": "General Hospital", "start": "2015-09", "end": "2017-12"},
    )


def test_labelled_volunteering_is_found_among_volunteer_entries() -> None:
    labels = [
        {"title": "Volunteer", "company": "Red Cross", "start": "2021", "end": "2023"},
        {"title": "Youngster educator", "company": "Gruppo S.Stefano", "start": "2015-02",
         "end": "present", "exclude_from_years": True},
        {"title": "Cashier", "company": "Aldi", "start": "2019-01", "end": "2019-06"},
    ]  # fmt: skip
    volunteer = [
        {"organization": "Red Cross", "position": "Volunteer", "startDate": "2021",
         "endDate": "2023"},
        {"organization": "Gruppo S.Stefano", "position": "Youngster educator",
         "startDate": "2015-02"},
        {"organization": "Aldi", "position": "Cashier", "startDate": "2019-01",
         "endDate": "2019-06"},
    ]  # fmt: skip
    matched, left = ev._match_positions([], labels)
    assert (matched, len(left)) == (0, 3)
    # A paid job the analyzer put among volunteering is not found there.
    assert ev._volunteer_matches(volunteer, left) == 2


def test_skill_aliases_and_false_positive_categories() -> None:
    norm = ev.SkillNormaliser()
    assert norm.key("AWS") == norm.key("Amazon Web Services")
    assert norm.key("ReactJS") == norm.key("React")
    label = {
        "positions": [{"title": "Full Stack Developer", "company": "Pinecone Creative Agency"}],
        "education": [{"degree": "BSc Computer Science", "institution": "Lund University"}],
        "location": "Granada, Spain",
    }
    assert ev._fp_category("Pinecone", label, set()) == "company"
    assert ev._fp_category("Computer science", label, set()) == "degree subject"
    assert ev._fp_category("Insurance", label, set()) == "industry"
    assert ev._fp_category("Granada", label, set()) == "place"
    assert ev._fp_category("Full-stack development", label, set()) == "job title"
    assert ev._fp_category("Bookkeeping", label, set()) == "other"


def test_evaluate_skips_missing_files_and_says_so(tmp_path: Path) -> None:
    result = ev.evaluate(cache_dir=tmp_path)
    assert result["cvs_evaluated"] == 0
    assert len(result["cvs_missing"]) == len(MANIFEST)
