"""The corpus of broken content (issue 8): every case in tests/broken/ gets the exit status
and the exact `path:line: severity: message [code]` lines in its expected.txt, never a
traceback, never a change to the previous output, and finishes within a time bound.

A case is an overlay on the good fixture site tests/sites/document-features: the files under
overlay/ replace or add to it, and setup.txt may ask for a symlink, a large file, a removed
file or a named pipe (fifo). `pytest --update-golden` rewrites expected.txt from what the build prints."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from helpers import SITES, run_cli, tree_snapshot

BROKEN = Path(__file__).resolve().parent / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())
TIME_LIMIT = 30.0      # seconds for one build of a tiny site, on a loaded shared machine


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("good") / "site"
    shutil.copytree(SITES / "document-features", site)
    result = run_cli(cwd=site)
    assert result.returncode == 0, result.stdout
    return site


def _prepare(case: str, good_site: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(good_site, site, symlinks=True)
    overlay = BROKEN / case / "overlay"
    if overlay.is_dir():
        shutil.copytree(overlay, site, dirs_exist_ok=True)
    setup = BROKEN / case / "setup.txt"
    for line in setup.read_text().splitlines() if setup.exists() else []:
        action, target, *rest = line.split()
        if action == "symlink":
            os.symlink(rest[0], site / target)
        elif action == "large":
            path = site / target
            path.write_text(path.read_text() + "\nTekst." * (int(rest[0]) // 7))
        elif action == "remove":
            (site / target).unlink()
        elif action == "fifo":                  # a named pipe: reading it would hang
            os.mkfifo(site / target)
    return site


def _expected(case: str) -> tuple[int, list[str]]:
    lines = (BROKEN / case / "expected.txt").read_text().splitlines()
    return int(lines[0].removeprefix("exit: ")), lines[1:]


@pytest.mark.parametrize("case", CASES)
def test_broken_case(case, good_site, tmp_path, update_golden):
    site = _prepare(case, good_site, tmp_path)
    before = tree_snapshot(site / "public")
    started = time.monotonic()
    result = run_cli(cwd=site, timeout=TIME_LIMIT)
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    problem_lines = [l for l in result.stdout.splitlines() if ": error: " in l or ": warning: " in l]
    if update_golden:
        (BROKEN / case / "expected.txt").write_text(
            f"exit: {result.returncode}\n" + "".join(l + "\n" for l in problem_lines))
        return
    status, expected = _expected(case)
    assert "Traceback" not in output, output
    assert result.returncode == status, output
    assert problem_lines == expected, output
    assert elapsed < TIME_LIMIT
    if status != 0:
        assert tree_snapshot(site / "public") == before, "a failed build changed the output"
        assert not list(site.glob(".public-*")), "a failed build left a temporary folder"
