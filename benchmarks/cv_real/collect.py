"""Re-collect the real-CV development set (or a held-out set) into the cache from local git mirrors.

    .venv/bin/python benchmarks/cv_real/collect.py [--set real|unseen|dev2|dev3|holdout] [--mirror DIR]
        [--cache DIR]

The CV files are not in git (most of them carry no licence that allows it). Each manifest
entry names the public repository, the path and the commit it came from, plus the file's
SHA-256. Given a directory of bare mirrors laid out as `<owner>+<name>/repo` (or
`<owner>+<name>.git`, or `<owner>/<name>`), this copies each file out of its commit into the
cache and checks the hash. Entries whose mirror is absent are listed and skipped.

`--set unseen` reads `benchmarks/cv_unseen/manifest.yaml` instead: the held-out real CVs that
no accuracy decision is taken on (see benchmarks/cv_unseen/README.md); its default cache is
`benchmarks/.cache/cv_unseen/`. `--set holdout` reads `benchmarks/cv_holdout/manifest.yaml`, the
second held-out set, built after the unseen set had been looked at while tuning (see
benchmarks/cv_holdout/README.md); its default cache is `benchmarks/.cache/cv_holdout/`.
`--set dev2` reads `benchmarks/cv_dev2/manifest.yaml`, the third development set (people outside
software, eight languages; see benchmarks/cv_dev2/README.md); its default cache is
`benchmarks/.cache/cv_dev2/`. `--set dev3` reads `benchmarks/cv_dev3/manifest.yaml`, the fourth
development set (professions outside software, LinkedIn exports, scans and garbled text layers,
ten languages; see benchmarks/cv_dev3/README.md); its default cache is `benchmarks/.cache/cv_dev3/`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_CACHE = HERE.parent / ".cache" / "cv_real"
# The manifest directory of each set, and its default cache.
SETS = {
    "real": (HERE, DEFAULT_CACHE),
    "unseen": (HERE.parent / "cv_unseen", HERE.parent / ".cache" / "cv_unseen"),
    "holdout": (HERE.parent / "cv_holdout", HERE.parent / ".cache" / "cv_holdout"),
    "dev2": (HERE.parent / "cv_dev2", HERE.parent / ".cache" / "cv_dev2"),
    "dev3": (HERE.parent / "cv_dev3", HERE.parent / ".cache" / "cv_dev3"),
}
DEFAULT_MIRROR = Path(os.environ.get("RESUMATE_MIRROR_DIR", "/work/.mirror"))


def _git_dirs(mirror: Path, repo: str) -> list[Path]:
    owner, name = repo.split("/", 1)
    return [
        mirror / f"{owner}+{name}" / "repo",
        mirror / f"{owner}+{name}.git",
        mirror / owner / name,
    ]


def _read(git_dir: Path, commit: str, path: str) -> bytes | None:
    for rev in (commit, "HEAD"):
        proc = subprocess.run(
            ["git", "-C", str(git_dir), "show", f"{rev}:{path}"],
            capture_output=True,
            check=False,
        )
        if proc.returncode == 0:
            return proc.stdout
    return None


def collect(mirror: Path, cache: Path, set_dir: Path = HERE) -> tuple[int, int, list[str]]:
    manifest = yaml.safe_load((set_dir / "manifest.yaml").read_text("utf-8"))
    cache.mkdir(parents=True, exist_ok=True)
    present = copied = 0
    unavailable: list[str] = []
    for entry in manifest["documents"]:
        target = cache / entry["file"]
        want = entry.get("sha256")
        if target.is_file() and (
            not want or hashlib.sha256(target.read_bytes()).hexdigest() == want
        ):
            present += 1
            continue
        src = entry["source"]
        data = None
        for git_dir in _git_dirs(mirror, src["repo"]):
            if git_dir.is_dir():
                data = _read(git_dir, str(src["commit"]), src["path"])
                if data is not None:
                    break
        if data is None:
            unavailable.append(f"{entry['id']} ({src['repo']})")
            continue
        if want and hashlib.sha256(data).hexdigest() != want:
            unavailable.append(f"{entry['id']} (content changed at {src['repo']})")
            continue
        target.write_bytes(data)
        copied += 1
    return present, copied, unavailable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--cache", type=Path, help="default: benchmarks/.cache/<set>")
    parser.add_argument("--set", choices=sorted(SETS), default="real", help="which manifest")
    args = parser.parse_args(argv)
    set_dir, default_cache = SETS[args.set]
    present, copied, unavailable = collect(args.mirror, args.cache or default_cache, set_dir)
    print(f"already present: {present}, copied: {copied}, unavailable: {len(unavailable)}")
    for item in unavailable:
        print(f"  missing: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
