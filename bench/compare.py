"""Builds of this tree beside another version of site_gen, in one run (issue 31: the
sealed memo must keep warm builds within 10 % of what they were; issue 28: each change to
a cold build measured against the code before it).

    .venv/bin/python bench/compare.py --ref 8a030b4 --size 4000 --runs 5
    .venv/bin/python bench/compare.py --ref 8a030b4 --size 1000 --runs 5 --cold

The other version is exported from git (`git archive`) into a scratch folder; each version
builds its own copy of the same generated corpus with `build.py` in a fresh process, as a
user runs it, the memo on disk: once to fill the memo, then, run by run and version by
version in turn, a build where nothing changed and a build after one document was edited.
With `--preview`, each run starts each version's preview (`build.py --serve`) in turn
and times five edits: saved to reload message, and to the page served over HTTP.
With `--cold`, each run is a `--no-cache` build instead (every page made anew, every check
on), the two versions in turn. The figures are medians, and the ratio of this tree to the other is taken per run (the
machine is shared and noisy: side by side, never against numbers from another day).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tarfile
import tempfile
import io
import shutil
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402
from run import PYTHON, edit_latency, timed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def export(ref: str, target: Path) -> Path:
    """The tree of `ref`, as git holds it, in `target`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def compare(ref: str, size: int, runs: int, scratch: Path, cold: bool = False,
            preview: bool = False) -> dict:
    other = export(ref, scratch / "other")
    corpus = scratch / "corpus"
    generate(size, corpus)
    trees = {"this tree": ROOT, ref: other}
    sites = {}
    for name, tree in trees.items():
        site = scratch / f"site-{len(sites)}"
        shutil.copytree(corpus, site)
        command = [PYTHON, str(tree / "build.py"), "-o", str(site / "public")]
        if cold:
            command.append("--no-cache")
        if not preview:
            timed(command, site)                               # fills the memo (a warm-up)
        sites[name] = (site, command)
    if preview:
        figures = {name: {"reload": [], "served": []} for name in trees}
        for _ in range(runs):
            for name, (site, _command) in sites.items():
                measured = edit_latency(site, site / "preview", 5, trees[name])
                for kind in ("reload", "served"):
                    figures[name][kind] += measured[kind]
        return figures
    if cold:
        figures = {name: {"cold": []} for name in trees}
        for _ in range(runs):
            for name, (site, command) in sites.items():
                figures[name]["cold"].append(timed(command, site))
        return figures
    figures = {name: {"unchanged": [], "edited": []} for name in trees}
    for number in range(runs):
        for name, (site, command) in sites.items():
            figures[name]["unchanged"].append(timed(command, site))
            document = site / "content" / "kommune1" / "politik-0" / "index.md"
            document.write_text(document.read_text(encoding="utf-8")
                                + f"\nRettet for {number + 1}. gang.\n", encoding="utf-8")
            figures[name]["edited"].append(timed(command, site))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", required=True, help="the version to compare with (git ref)")
    parser.add_argument("--size", type=int, default=4000, help="documents (default 4000)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", action="store_true",
                        help="time --no-cache builds instead of warm ones")
    parser.add_argument("--preview", action="store_true",
                        help="time edits in the preview: to the reload message, to the page served")
    args = parser.parse_args()
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as scratch:
        figures = compare(args.ref, args.size, args.runs, Path(scratch), args.cold,
                          args.preview)
    ours = figures["this tree"]
    theirs = figures[args.ref]
    print(f"N = {args.size} documents, {args.runs} runs, this tree beside {args.ref}")
    kinds = (("cold", "cold (--no-cache)"),) if args.cold else \
        (("reload", "edit to reload"), ("served", "edit to served")) if args.preview else \
        (("unchanged", "nothing changed"), ("edited", "one document edited"))
    unit, scale = ("ms", 1000) if args.preview else ("s", 1)
    for kind, label in kinds:
        ratios = [a / b for a, b in zip(ours[kind], theirs[kind])]
        print(f"  {label:<20} this tree {statistics.median(ours[kind]) * scale:.2f} {unit}, "
              f"{args.ref} {statistics.median(theirs[kind]) * scale:.2f} {unit}, "
              f"ratio {statistics.median(ratios):.2f} (paired median; max "
              f"{max(ours[kind]) * scale:.2f} {unit} against "
              f"{max(theirs[kind]) * scale:.2f} {unit})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
