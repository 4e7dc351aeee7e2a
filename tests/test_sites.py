"""Golden tests: every fixture site under tests/sites/ builds to its expected HTML, or prints
exactly its expected problems (STYLE.md, "Tests")."""
from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from helpers import SITES, build, normalise_html

SITE_DIRS = sorted(p for p in SITES.iterdir() if (p / "content").is_dir())


def test_there_are_fixture_sites():
    assert len(SITE_DIRS) >= 5


@pytest.mark.parametrize("site_dir", SITE_DIRS, ids=[p.name for p in SITE_DIRS])
def test_fixture_site(site_dir: Path, tmp_path: Path, update_golden: bool):
    out = tmp_path / "public"
    result = build(site_dir, out)
    problems = "".join(line + "\n" for line in result.problems.sorted_lines())
    expected_problems = site_dir / "expected-problems.txt"
    expected_dir = site_dir / "expected"
    if update_golden:
        _update(site_dir, out, problems, result.wrote)
        return
    if expected_problems.exists() or problems:
        assert problems == (expected_problems.read_text() if expected_problems.exists() else ""), \
            "problems differ from expected-problems.txt"
    if expected_dir.exists():
        assert result.wrote, problems
        _compare_tree(expected_dir, out)
    else:
        assert not result.wrote, "a site with errors must not be written"
        assert not out.exists()


def _update(site_dir: Path, out: Path, problems: str, wrote: bool) -> None:
    expected_problems = site_dir / "expected-problems.txt"
    if problems:
        expected_problems.write_text(problems)
    elif expected_problems.exists():
        expected_problems.unlink()
    expected = site_dir / "expected"
    shutil.rmtree(expected, ignore_errors=True)
    if wrote:
        for path in sorted(out.rglob("*.html")):
            target = expected / path.relative_to(out)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(normalise_html(path.read_text()))


def _compare_tree(expected: Path, out: Path) -> None:
    want = {p.relative_to(expected).as_posix() for p in expected.rglob("*.html")}
    got = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    assert got == want, f"pages differ: missing {sorted(want - got)}, extra {sorted(got - want)}"
    for name in sorted(want):
        a = (expected / name).read_text()
        b = normalise_html((out / name).read_text())
        if a != b:
            diff = "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True),
                                                f"expected/{name}", f"built/{name}"))
            pytest.fail(f"{name} differs from its golden file:\n{diff}")
