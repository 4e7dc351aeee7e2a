"""Helpers for tests: build a fixture site for real, normalise HTML for golden comparison."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from site_gen.config import BuildOptions
from site_gen.pipeline import BuildResult, build_site

ROOT = Path(__file__).resolve().parent.parent
FIXED_TODAY = dt.date(2026, 11, 1)
FIXED_TODAY_EPOCH = 1793491200          # 2026-11-01T00:00:00Z
SITES = Path(__file__).resolve().parent / "sites"
HASHED_NAME = re.compile(r"\.[0-9a-f]{10}(\.(?:css|js))\b")


def options_for(site_dir: Path, out: Path, strict: bool = False) -> BuildOptions:
    """Options as `build.py` run inside `site_dir` would make them; the fixture's own
    layouts/ when it has one, else the project's."""
    layouts = site_dir / "layouts"
    return BuildOptions(root=site_dir.resolve(), content_dir=(site_dir / "content").resolve(),
                        layouts_dir=(layouts if layouts.is_dir() else ROOT / "layouts").resolve(),
                        output_dir=out.resolve(), strict=strict,
                        default_layouts_dir=(ROOT / "layouts").resolve(),
                        today=FIXED_TODAY)


def build(site_dir: Path, out: Path, strict: bool = False) -> BuildResult:
    return build_site(options_for(site_dir, out, strict))


def run_cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run build.py as a user would, in `cwd`."""
    # A fixed "today", so review-date warnings do not appear as the calendar moves on.
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(FIXED_TODAY_EPOCH))
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, env=env)


def normalise_html(text: str) -> str:
    """Whitespace-insensitive HTML for golden comparison: one tag boundary per line. The
    content hash in an asset's name (site.3f9c2a1b0d.css) is left out, so that an edit of the
    stylesheet does not change every golden page; test_server_config.py tests the hashes."""
    text = HASHED_NAME.sub(r"\1", text)
    text = re.sub(r">\s+<", ">\n<", text.strip())
    return "\n".join(" ".join(line.split()) for line in text.splitlines()) + "\n"


def clean_build(site: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    """What a clean build (--no-cache) of `site`'s sources as they are now publishes: a copy
    of the site without its output, memo or leftovers, built in tmp_path/name."""
    copy = tmp_path / name
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(
        "public", "public-server", ".site_gen-cache", ".public*"))
    assert run_cli("--no-cache", cwd=copy).returncode == 0
    return tree_snapshot(copy / "public")


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# The fixture sites and broken inputs, one case a folder (the format: test_sites.py).
CASES = sorted(p.name for p in SITES.iterdir() if (p / "content").is_dir())
TIME_LIMIT = 30.0      # seconds for one build of a tiny site, on a loaded shared machine


def prepare_case(case: str, previous_build: Path, tmp_path: Path) -> Path:
    """A copy of the case's site in tmp_path, its setup.txt done, holding the output of
    `previous_build` as if the author had published another site there before (no memo:
    every case is built cold)."""
    site = tmp_path / "site"
    for part in ("content", "layouts"):
        if (SITES / case / part).is_dir():
            shutil.copytree(SITES / case / part, site / part, symlinks=True)
    shutil.copytree(previous_build / "public", site / "public", symlinks=True)
    setup = SITES / case / "setup.txt"
    for line in setup.read_text().splitlines() if setup.exists() else []:
        action, target, *rest = line.split()
        if action == "symlink":
            os.symlink(rest[0], site / target)
        elif action == "large":
            path = site / target
            path.write_text(path.read_text() + "\nTekst." * (int(rest[0]) // 7))
        elif action == "fifo":
            os.mkfifo(site / target)
        else:
            raise ValueError(f"{setup}: unknown action {action!r}")
    return site


def expected_problems(case: str) -> list[str]:
    """The case's expected-problems.txt as lines; none when it has no such file."""
    path = SITES / case / "expected-problems.txt"
    return path.read_text().splitlines() if path.exists() else []


# The severity of a printed problem, in Danish (the default) or English (--lang en).
SEVERITY = re.compile(r": (fejl|advarsel|råd|error|warning|advice): ")
ERROR_WORDS = ("fejl", "error")


def severity_of(line: str) -> str | None:
    """'fejl', 'advarsel', 'error', ... of a problem line; None for any other line."""
    found = SEVERITY.search(line)
    return found.group(1) if found else None


def exit_status(problem_lines: list[str]) -> int:
    """build.py's exit status for these printed problems: 1 when one is an error."""
    return 1 if any(severity_of(line) in ERROR_WORDS for line in problem_lines) else 0


def printed_problems(result: subprocess.CompletedProcess) -> list[str]:
    """The problem lines among what build.py printed."""
    return [line for line in result.stdout.splitlines()
            if severity_of(line) not in (None, "råd", "advice")]
