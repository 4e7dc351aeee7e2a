"""The floor under site_gen's full build (README, "Speed"): the bare stack it is built on,
markdown-it-py (CommonMark and tables) and Jinja, reading front matter with libyaml and
writing each page, in one worker process a core, with no checks and none of site_gen's
Markdown extensions. Run beside Eleventy on the benchmark's corpus, alternating:

    .venv/bin/python bench/floor.py --size 4000 --runs 3
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import jinja2
import markupsafe
import yaml
from markdown_it import MarkdownIt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402
from run import TEMPLATE, eleventy_command, prepare_eleventy, timed  # noqa: E402

_MD = MarkdownIt("commonmark").enable("table")
_TEMPLATE = jinja2.Environment(autoescape=True).from_string(
    TEMPLATE.format(title="{{ title }}", summary="{{ summary }}", content="{{ content }}"))


def _one(job: tuple[Path, Path, Path]) -> None:
    path, content, out = job
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.load(front, Loader=yaml.CSafeLoader)
    html = _TEMPLATE.render(title=meta.get("title"), summary=meta.get("summary"),
                            content=markupsafe.Markup(_MD.render(body)))
    target = out / path.relative_to(content).with_suffix(".html")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")


def floor_build(content: Path, out: Path) -> None:
    jobs = [(path, content, out) for path in sorted(content.rglob("*.md"))]
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        pool.map(_one, jobs, chunksize=16)


def timed_floor(content: Path, out: Path) -> float:
    """A fresh process, as site_gen and Eleventy are timed: start-up and imports count."""
    shutil.rmtree(out, ignore_errors=True)
    return timed([sys.executable, __file__, "--build", str(content), str(out)], content)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build", nargs=2, type=Path, metavar=("CONTENT", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        floor_build(*args.build)
        return 0
    shm = Path("/dev/shm")
    scratch = Path(tempfile.mkdtemp(prefix="site-gen-floor-",
                                    dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None))
    try:
        corpus = scratch / "corpus"
        generate(args.size, corpus)
        eleventy = eleventy_command()
        if eleventy:
            extra = prepare_eleventy(corpus, scratch / "eleventy")
        timed_floor(corpus / "content", scratch / "out")          # warm-up
        ours, theirs = [], []
        for _ in range(args.runs):
            ours.append(timed_floor(corpus / "content", scratch / "out"))
            if eleventy:
                theirs.append(timed(eleventy + extra, scratch / "eleventy"))
        print(f"bare markdown-it-py + Jinja, {os.cpu_count()} processes, N = {args.size}: "
              f"median {statistics.median(ours):.2f} s")
        if theirs:
            ratios = [a / b for a, b in zip(ours, theirs)]
            print(f"Eleventy: median {statistics.median(theirs):.2f} s; floor / Eleventy = "
                  f"{statistics.median(ratios):.2f} (paired median)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
