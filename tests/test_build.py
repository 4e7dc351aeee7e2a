"""The whole build from the outside: exit codes, messages, atomic output."""
from __future__ import annotations

import shutil
from pathlib import Path

from helpers import ROOT, SITES, build, run_cli, tree_snapshot


def _copy_site(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(SITES / name, target)
    return target


def test_good_site_exits_0_with_summary(tmp_path):
    site = _copy_site("document-features", tmp_path)
    result = run_cli(cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Built 7 pages: 0 errors, 0 warnings" in result.stdout
    assert "Open public/index.html" in result.stdout
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


def test_site_layout_overrides_one_file(tmp_path):
    site = _copy_site("document-features", tmp_path)
    (site / "layouts").mkdir()
    (site / "layouts/404.html").write_text(
        '{% extends "base.html" %}{% block title %}Væk{% endblock %}'
        '{% block main %}<h1>Væk</h1>{% endblock %}')
    assert run_cli(cwd=site).returncode == 0
    assert "<h1>Væk</h1>" in (site / "public/404.html").read_text()
    assert "Testby Kommunes Handicappolitik" in (site / "public/testby/politik/index.html").read_text()


def test_broken_layout_names_file_and_line(tmp_path):
    site = _copy_site("broken-layout", tmp_path)
    result = run_cli(cwd=site)
    assert result.returncode == 1
    assert result.stdout.startswith("layouts/document.html:12: error: the layout cannot be read")


def test_undefined_variable_in_layout_names_file_and_line(tmp_path):
    site = _copy_site("document-features", tmp_path)
    (site / "layouts").mkdir()
    (site / "layouts/404.html").write_text('{% extends "base.html" %}\n{% block title %}x{% endblock %}\n'
                                           '{% block main %}\n{{ nonexistent.thing }}\n{% endblock %}\n')
    result = run_cli(cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith("layouts/404.html:4: error: 'nonexistent' is undefined")


def test_missing_folder_is_a_usage_problem(tmp_path):
    result = run_cli("--content", "nowhere", cwd=tmp_path)
    assert result.returncode == 2
    assert "the content folder" in result.stderr


def test_bad_option_is_a_usage_problem(tmp_path):
    assert run_cli("--no-such-option", cwd=tmp_path).returncode == 2


def test_failed_build_leaves_previous_output_byte_for_byte(tmp_path):
    site = _copy_site("document-features", tmp_path)
    assert run_cli(cwd=site).returncode == 0
    before = tree_snapshot(site / "public")
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text().replace("kind: policy", "kind: pollicy"))
    result = run_cli(cwd=site)
    assert result.returncode == 1
    assert "did you mean 'policy'?" in result.stdout
    assert tree_snapshot(site / "public") == before
    assert not list(site.glob(".public-*")), "no temporary folders may be left behind"


def test_successful_rebuild_removes_stale_pages(tmp_path):
    site = _copy_site("document-features", tmp_path)
    out = tmp_path / "out"
    assert build(site, out).wrote
    (out / "stale.html").write_text("old")
    assert build(site, out).wrote
    assert not (out / "stale.html").exists()


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


def test_real_and_broken_builds_alternate_without_touching_the_published_site(tmp_path):
    """Publish the real site, then alternate a broken copy and the real content into the
    same folder: the failed builds never change a byte, and the good ones are identical."""
    out = tmp_path / "public"
    broken = tmp_path / "broken"
    shutil.copytree(ROOT / "content", broken)
    page = broken / "glostrup/handicappolitik/index.md"
    page.write_text(page.read_text().replace("status: adopted", "status: vedtaget"))
    real = ["--content", str(ROOT / "content"), "-o", str(out)]
    assert run_cli(*real, cwd=ROOT).returncode == 0
    published = tree_snapshot(out)
    for _ in range(2):
        failed = run_cli("--content", str(broken), "-o", str(out), cwd=ROOT)
        assert failed.returncode == 1 and "[bad-value]" in failed.stdout
        assert tree_snapshot(out) == published
        assert run_cli(*real, cwd=ROOT).returncode == 0
        assert tree_snapshot(out) == published


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
    expected = [f"{path}:{line}: info: sætningen har 36 ord; del den op, så den har højst 25 "
                "(\"Kommunen vil sammen med borgerne, foreningerne, handicaprådet og …\") "
                "[pl-sentence]",
                f"{path}:{line + 4}: info: 'Tilgængelighedsforbedringsarbejdet' har 34 "
                "bogstaver; overvej at dele ordet op [pl-long-word]",
                f"{path}:{line + 4}: info: forkortelsen 'KKR' er ikke forklaret; skriv den "
                "fulde form første gang eller tilføj den til content/glossary.yaml "
                "[pl-abbreviation]"]
    for wanted in expected:
        assert wanted in loud.stdout.splitlines(), loud.stdout
        assert wanted not in quiet.stdout
    assert ": info: " not in quiet.stdout
    count = lambda out: out.strip().splitlines()[-1].split(" warnings, ")[1].split(" plain")[0]
    assert count(quiet.stdout) == count(loud.stdout)
    assert int(count(loud.stdout)) == sum(": info: " in l for l in loud.stdout.splitlines())
    advice = {name: {r["path"]: r["advice"] for r in report["pages"]}
              for name, report in reports.items()}
    assert advice["quiet"] == advice["loud"]
    assert advice["loud"][path.removeprefix("content/")] >= 3    # the report: under content/


def test_a_file_saved_during_the_build_is_an_error_not_a_mixed_page(tmp_path):
    """A full build keeps only front matter after parsing and reads each body again where
    the page is rendered (memory, issue 7); a file saved in between is reported."""
    from helpers import options_for
    from site_gen import discover, layout, parse, render, validate
    from site_gen.config import load_config
    from site_gen.memo import Memo
    from site_gen.problems import Problems
    from site_gen.write import InPlaceWriter
    site_dir = _copy_site("document-features", tmp_path)
    problems, memo = Problems(), Memo()
    config = load_config(options_for(site_dir, tmp_path / "out"), problems)
    sources = discover.find_sources(config, problems)
    site = parse.read_site(config, sources, problems, memo,
                           {s.source_path: s.source_path for s in sources})
    validate.check_site(site, problems)
    page = site.pages["testby/politik/index.md"]
    assert page.body is None and not problems.has_errors()
    env, writer = layout.make_environment(config), InPlaceWriter(tmp_path / "out", memo)
    result = render.render_one(page, site, env, writer)
    assert result.html and page.body is None and not result.problems
    source = site_dir / "content/testby/politik/index.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nEn ny sætning.\n",
                      encoding="utf-8")
    result = render.render_one(page, site, env, writer)
    changed = ["content/testby/politik/index.md: error: the file changed while the site was "
               "being built; build again [changed-during-build]"]
    assert [p.format() for p in result.problems] == changed and not result.files
    source.unlink()
    assert [p.format() for p in render.render_one(page, site, env, writer).problems] == changed
