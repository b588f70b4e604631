"""Accuracy of the job-ad reader (``resumate.ai.jobs``) on real public postings (issue 13).

    .venv/bin/python benchmarks/job_real/eval.py [--verbose] [--json out.json]

It reads this checkout's ``src/`` unless PYTHONPATH is set, so
``PYTHONPATH=/other/tree/src .venv/bin/python benchmarks/job_real/eval.py`` measures another tree.

Reads postings/<id>.txt with the title from manifest.yaml, parses each one as the jobs service
does and compares with the hand labels in labels.yaml:

* required skills: precision, and recall over the labels the taxonomy can name (labels it has
  no entry for are counted apart: no reader limited to the taxonomy can find them);
* nice-to-have skills: the same;
* required languages, minimum years and salary (min, max, currency, period) exact where the
  ad states them, and how often a value is reported where the ad states none;
* every benefit, company, legal or how-to-apply phrase (``not_requirements``) found among the
  required skills: the target is none.

Targets (issue 13): required precision >= 0.85 at recall >= 0.80; salary and years exact where
stated >= 90%; no benefit or boilerplate phrase among the requirements.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


def _canon(name: str) -> str | None:
    from resumate.ai.skills import canonical_skill

    return canonical_skill(name)


def _key(name: str) -> str:
    return (_canon(name) or name).strip().lower()


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def _salary_equal(label: dict[str, Any], got: Any) -> bool:
    def same(a: float | None, b: int | None) -> bool:
        if a is None or b is None:
            return a is None and b is None
        return abs(round(a) - b) <= 1

    return (
        same(label.get("min"), got.salary_min if label.get("min") is not None else None)
        and same(label.get("max"), got.salary_max)
        and label.get("currency") == got.salary_currency
        and label.get("period") == got.salary_period
    )


def evaluate(verbose: bool = False) -> dict[str, Any]:
    from resumate.ai.jobs import parse_posting

    manifest = {
        p["id"]: p for p in yaml.safe_load((HERE / "manifest.yaml").read_text())["postings"]
    }
    labels: dict[str, dict[str, Any]] = yaml.safe_load((HERE / "labels.yaml").read_text())
    counts = dict.fromkeys(("tp", "fp", "fn", "fn_oov", "ntp", "nfp", "nfn"), 0)
    years = {"stated": 0, "exact": 0, "invented": 0}
    salary = {"stated": 0, "exact": 0, "invented": 0}
    languages = {"exact": 0, "total": 0}
    leaks: list[str] = []
    rows: list[dict[str, Any]] = []
    for pid, label in labels.items():
        text = (HERE / "postings" / f"{pid}.txt").read_text(encoding="utf-8")
        got = parse_posting(text, title=manifest[pid]["title"])
        want = {_key(s) for s in label.get("required") or [] if _canon(s)}
        oov = {s.lower() for s in label.get("required") or [] if not _canon(s)}
        have = {_key(s) for s in got.required_skills}
        counts["tp"] += len(have & want)
        counts["fp"] += len(have - want)
        counts["fn"] += len(want - have)
        counts["fn_oov"] += len(oov)
        nice_want = {_key(s) for s in label.get("nice_to_have") or [] if _canon(s)}
        nice_have = {_key(s) for s in got.nice_to_have_skills}
        counts["ntp"] += len(nice_have & nice_want)
        counts["nfp"] += len(nice_have - nice_want)
        counts["nfn"] += len(nice_want - nice_have)
        for bad in label.get("not_requirements") or []:
            if _key(bad) in have:
                leaks.append(f"{pid}: {bad}")
        languages["total"] += 1
        if {s.lower() for s in label.get("languages") or []} == {
            s.lower() for s in got.required_languages
        }:
            languages["exact"] += 1
        if label.get("years") is not None:
            years["stated"] += 1
            years["exact"] += got.min_experience_years == float(label["years"])
        elif got.min_experience_years is not None:
            years["invented"] += 1
        if label.get("salary"):
            salary["stated"] += 1
            salary["exact"] += _salary_equal(label["salary"], got)
        elif got.salary_min is not None or got.salary_max is not None:
            salary["invented"] += 1
        rows.append(
            {
                "id": pid,
                "false_required": sorted(have - want),
                "missed_required": sorted(want - have),
                "false_nice": sorted(nice_have - nice_want),
                "missed_nice": sorted(nice_want - nice_have),
                "years": [label.get("years"), got.min_experience_years],
                "salary": [
                    label.get("salary"),
                    [got.salary_min, got.salary_max, got.salary_currency, got.salary_period],
                ],
                "languages": [label.get("languages"), got.required_languages],
            }
        )
    precision, recall = _prf(counts["tp"], counts["fp"], counts["fn"])
    _, recall_all = _prf(counts["tp"], counts["fp"], counts["fn"] + counts["fn_oov"])
    nice_p, nice_r = _prf(counts["ntp"], counts["nfp"], counts["nfn"])
    result = {
        "postings": len(labels),
        "required_precision": round(precision, 3),
        "required_recall": round(recall, 3),
        "required_recall_incl_unnamed": round(recall_all, 3),
        "required_labels_the_taxonomy_lacks": counts["fn_oov"],
        "nice_precision": round(nice_p, 3),
        "nice_recall": round(nice_r, 3),
        "languages_exact": f"{languages['exact']}/{languages['total']}",
        "years_exact_where_stated": f"{years['exact']}/{years['stated']}",
        "years_reported_where_none": years["invented"],
        "salary_exact_where_stated": f"{salary['exact']}/{salary['stated']}",
        "salary_reported_where_none": salary["invented"],
        "boilerplate_among_required": leaks,
    }
    if verbose:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="per-posting differences")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    if not os.environ.get("PYTHONPATH"):
        # This checkout's analyzer; with PYTHONPATH set (a before/after run), that one.
        sys.path.insert(0, str(HERE.parents[1] / "src"))
    result = evaluate(args.verbose)
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
