"""The whole build from the outside: exit codes, messages and the summary line."""
from __future__ import annotations

import shutil
from pathlib import Path

from helpers import ROOT, SITES, run_cli
import pytest

# These tests check behaviour with the English messages (issue 17: Danish is the default).
pytestmark = pytest.mark.english


def _copy_site(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(SITES / name, target)
    return target


def test_good_site_exits_0_with_summary(tmp_path):
    site = _copy_site("document-features", tmp_path)
    result = run_cli(cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Built 8 pages: 0 errors, 0 warnings" in result.stdout
    assert "See the site with: python build.py --serve (public/ is ready" in result.stdout
    assert (site / "public/testby/politik/index.html").exists()
    assert (site / "public/testby/politik/kort.png").exists()
    assert len(list((site / "public/assets").glob("site.*.css"))) == 1   # its hashed name
    assert (site / "public-server/nginx.conf").exists()                  # beside the site


def test_content_problems_exit_1_without_traceback(tmp_path):
    site = _copy_site("front-matter-errors", tmp_path)
    result = run_cli(cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "content/testby/politik/index.md:2: error: unknown front matter key 'titel'" in result.stdout
    assert result.stdout.rstrip().endswith("The previous output is unchanged.")


def test_missing_folder_is_a_usage_problem(tmp_path):
    result = run_cli("--content", "nowhere", cwd=tmp_path)
    assert result.returncode == 2
    assert "the content folder" in result.stderr


def test_bad_option_is_a_usage_problem(tmp_path):
    assert run_cli("--no-such-option", cwd=tmp_path).returncode == 2


def test_strict_counts_warnings(tmp_path):
    site = _copy_site("document-features", tmp_path)
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text() + "\nSe [her](/testby/politik/).\n")
    assert run_cli(cwd=site).returncode == 0
    result = run_cli("--strict", "-o", "strict-out", cwd=site)
    assert result.returncode == 1
    assert "[link-text]" in result.stdout
    assert not (site / "strict-out").exists()


def test_real_site_builds_without_errors(tmp_path):
    result = run_cli("--content", str(ROOT / "content"), "--layouts", str(ROOT / "layouts"),
                     "-o", str(tmp_path / "public"), cwd=ROOT)
    assert result.returncode == 0, result.stdout
    assert " 0 errors" in result.stdout


ADVICE_TEXT = """
Kommunen vil sammen med borgerne, foreningerne, handicaprådet og de mange medarbejdere i
alle kommunens forvaltninger arbejde for, at alle borgere med handicap kan leve det liv, som
de selv ønsker at leve i deres egen by.

Tilgængelighedsforbedringsarbejdet fortsætter i hele perioden, og KKR følger det.
"""


def test_advice_is_counted_always_and_printed_with_the_advice_option(tmp_path):
    """Advice is only counted without --advice (memory, issue 7); the counts, the summary and
    the readability report are the same either way."""
    import json
    site = _copy_site("document-features", tmp_path)
    policy = site / "content/testby/politik/index.md"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("\n[^1]:", ADVICE_TEXT + "\n[^1]:"), encoding="utf-8")
    line = text.replace("\n[^1]:", ADVICE_TEXT + "\n[^1]:").splitlines().index(
        "Kommunen vil sammen med borgerne, foreningerne, handicaprådet og de mange medarbejdere i") + 1
    quiet = run_cli(cwd=site)
    reports = {"quiet": json.loads((site / "public/sprograpport/rapport.json").read_text())}
    loud = run_cli("--advice", cwd=site)
    reports["loud"] = json.loads((site / "public/sprograpport/rapport.json").read_text())
    assert quiet.returncode == loud.returncode == 0, quiet.stdout + loud.stdout
    path = "content/testby/politik/index.md"
    expected = [f"{path}:{line}: advice: the sentence has 36 words; split it up so that it "
                "has at most 25 (\"Kommunen vil sammen med borgerne, foreningerne, "
                "handicaprådet og …\") [pl-sentence]",
                f"{path}:{line + 4}: advice: 'Tilgængelighedsforbedringsarbejdet' has 34 "
                "letters; consider splitting the word up [pl-long-word]",
                f"{path}:{line + 4}: advice: the abbreviation 'KKR' is not explained; write "
                "the full form the first time or add it to content/glossary.yaml "
                "[pl-abbreviation]"]
    for wanted in expected:
        assert wanted in loud.stdout.splitlines(), loud.stdout
        assert wanted not in quiet.stdout
    assert ": advice: " not in quiet.stdout
    count = lambda out: out.strip().splitlines()[-1].split(" warnings, ")[1].split(" plain")[0]
    assert count(quiet.stdout) == count(loud.stdout)
    assert int(count(loud.stdout)) == sum(": advice: " in l for l in loud.stdout.splitlines())
    advice = {name: {r["path"]: r["advice"] for r in report["pages"]}
              for name, report in reports.items()}
    assert advice["quiet"] == advice["loud"]
    assert advice["loud"][path.removeprefix("content/")] >= 3    # the report: under content/
