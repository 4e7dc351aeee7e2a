"""Helpers for tests: build a fixture site for real, normalise HTML for golden comparison."""
from __future__ import annotations

import datetime as dt
import os
import re
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


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}
