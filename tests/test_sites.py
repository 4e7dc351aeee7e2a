"""Fixture sites (STYLE.md "Tests") and the corpus of broken input (issue 8), in one format:
every folder under tests/sites/ is one behaviour, built with build.py as an author runs it.

A case folder holds
- `content/` and, optionally, `layouts/` (a file there replaces site_gen's own layout of
  the same name; the others still come from site_gen);
- `expected-problems.txt`: exactly the problem lines the build prints, in order; a case
  without the file expects none;
- optionally `expected/`: the golden HTML of every page, normalised (helpers.normalise_html);
- optionally `setup.txt`, for what git cannot hold, one action a line, done on a copy:
      symlink <path> <target>   a symbolic link at <path> (under the case folder)
      large <path> <bytes>      <path> with about <bytes> of text added
      fifo <path>               a named pipe at <path> (reading it would hang)

Each case is built cold (no memo) into an output folder that holds a build of
document-features. A case whose expected lines hold an error must exit 1, leave that output
untouched and no staging folder behind; any other case must exit 0 and write the site.
Never a traceback, and within TIME_LIMIT seconds. `pytest --update-golden` rewrites
expected-problems.txt, and expected/ where the case has one (make an empty expected/ to get
goldens for a new case)."""
from __future__ import annotations

import difflib
import shutil
import time
from pathlib import Path

import pytest

from helpers import (CASES, SITES, TIME_LIMIT, expected_problems, exit_status, normalise_html,
                     prepare_case, printed_problems, run_cli, tree_snapshot)


def test_there_are_fixture_sites():
    assert len(CASES) >= 100


@pytest.mark.parametrize("case", CASES)
def test_fixture_site(case: str, previous_build: Path, tmp_path: Path, update_golden: bool):
    site = prepare_case(case, previous_build, tmp_path)
    before = tree_snapshot(site / "public")
    started = time.monotonic()
    result = run_cli(cwd=site, timeout=TIME_LIMIT)
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    problems = printed_problems(result)
    if update_golden:
        _update(SITES / case, site / "public", problems, wrote=result.returncode == 0)
        return
    expected = expected_problems(case)
    assert "Traceback" not in output, output
    assert problems == expected, "problems differ from expected-problems.txt\n" + output
    assert result.returncode == exit_status(expected), output
    assert elapsed < TIME_LIMIT
    if result.returncode != 0:
        assert tree_snapshot(site / "public") == before, "a failed build changed the output"
        assert not list(site.glob(".public-*")), "a failed build left a temporary folder"
    if (SITES / case / "expected").exists():
        assert result.returncode == 0, output
        _compare_tree(SITES / case / "expected", site / "public")


def _update(case_dir: Path, out: Path, problems: list[str], wrote: bool) -> None:
    expected_file = case_dir / "expected-problems.txt"
    if problems:
        expected_file.write_text("".join(line + "\n" for line in problems))
    elif expected_file.exists():
        expected_file.unlink()
    expected = case_dir / "expected"
    if not expected.exists():
        return
    shutil.rmtree(expected)
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
