"""The command line refuses bad values before it touches anything (issue 14): an unsafe or
malformed --base-url, a port that is not a port and a bad SITE_GEN_JOBS are usage errors
(exit 2, one clear line, no traceback), and a file name with a newline cannot forge
problem lines."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, SITES, run_cli

# These tests check behaviour with the English messages (issue 17: Danish is the default).
pytestmark = pytest.mark.english


@pytest.fixture
def site(tmp_path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SITES / "easy-read-pair" / "content", site / "content")
    return site


def _assert_usage_error(result, *words: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output, output
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.mark.parametrize("address", [
    "javascript:alert(1)//", "ikke en adresse", "JaVaScRiPt:alert(1)", "data:text/html,x",
    "https://bruger:kode@example.dk/", "https://example.dk/?side=1", "https://example.dk/#top",
    "//example.dk/", "mailto:a@example.dk", "http://example.dk:99999/", "https:///sti/",
])
def test_bad_base_url_is_a_usage_error_and_nothing_is_written(site, address):
    result = run_cli("--base-url", address, cwd=site)
    _assert_usage_error(result, "--base-url", address)
    assert not (site / "public").exists()


def test_good_base_url_reaches_the_canonical_links(site):
    result = run_cli("--base-url", "https://politik.example.dk/sti", cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (site / "public" / "testby" / "politik" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://politik.example.dk/sti/testby/politik/"' in page
    # The next build without --base-url will use site.yaml's: said, not forgotten (issue 30).
    warned = [line for line in result.stdout.splitlines() if "[base-url-differs]" in line]
    assert len(warned) == 1 and warned[0].startswith("content/site.yaml:"), result.stdout


def test_settings_base_url_is_read_by_the_same_reader(site):
    settings = site / "content" / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "base_url: https://test.example/", "base_url: https://test.example/?x=1"),
        encoding="utf-8")
    result = run_cli(cwd=site)
    assert result.returncode == 1
    assert "content/site.yaml:3: error: 'base_url': 'https://test.example/?x=1' must be the " \
           "site's web address" in result.stdout, result.stdout


@pytest.mark.parametrize("port", ["70000", "0", "-1", "abc", "80.5", ""])
def test_bad_port_is_a_usage_error(site, port):
    result = run_cli("--serve", f"--port={port}", cwd=site, timeout=30)
    _assert_usage_error(result, "--port", "1 to 65535")


@pytest.mark.parametrize("jobs", ["abc", "0", "-3", "2.5"])
def test_bad_site_gen_jobs_is_a_usage_error(site, jobs):
    env = dict(os.environ, SITE_GEN_JOBS=jobs)
    result = subprocess.run([sys.executable, str(ROOT / "build.py")], cwd=site, env=env,
                            capture_output=True, text=True, timeout=60)
    _assert_usage_error(result, "SITE_GEN_JOBS", f"'{jobs}'")
    assert not (site / "public").exists()


def test_site_gen_jobs_that_is_a_number_builds(site):
    env = dict(os.environ, SITE_GEN_JOBS="1")
    result = subprocess.run([sys.executable, str(ROOT / "build.py")], cwd=site, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_newline_in_a_file_name_cannot_forge_problem_lines(site):
    forged = "x.md\nsite.yaml:1: error: forged [forged]\nend.md"
    (site / "content" / "testby" / forged).write_text("tekst", encoding="utf-8")
    (site / "content" / "testby" / "politik" / "bad\rname\u202e.txt").write_text("x")
    result = run_cli(cwd=site)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert not any(line.startswith("site.yaml") for line in lines), result.stdout
    assert "content/testby/x.md\\nsite.yaml:1: error: forged [forged]\\nend.md: " \
           "error:" in result.stdout
    assert "content/testby/politik/bad\\rname\\u202e.txt: warning:" in result.stdout
    problem_lines = [line for line in lines if ": error: " in line or ": warning: " in line]
    assert all(line.startswith("content/testby/") for line in problem_lines), lines


def test_danish_messages_on_an_ascii_terminal_are_no_traceback(tmp_path):
    """PYTHONIOENCODING=ascii (some CI runners): 'æ' becomes '?', the build still says every
    problem and exits 1 (issue 31)."""
    import os
    import shutil
    import subprocess
    import sys
    from helpers import ROOT, SITES
    site = tmp_path / "site"
    shutil.copytree(SITES / "front-matter-errors", site)
    env = dict(os.environ, PYTHONIOENCODING="ascii", SITE_GEN_LANG="da")
    result = subprocess.run([sys.executable, str(ROOT / "build.py")], cwd=site, env=env,
                            capture_output=True, text=True, encoding="ascii", errors="strict",
                            timeout=60)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "5 fejl, 0 advarsler," in result.stdout
