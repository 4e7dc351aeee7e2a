"""Import a policy from Word (issue 9): a .docx written by the test becomes a bundle that
builds once the reported points are fixed, and the report names exactly those points."""
from __future__ import annotations

import shutil

import pytest

from helpers import SITES, build, run_cli
from wordfiles import fix_reported_points, policy_docx

BUNDLE = "content/testby/politik"


@pytest.fixture
def imported(tmp_path):
    """A site with no document yet, a Word policy beside it, and the import run."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "easy-read-pair" / "content", site / "content")
    shutil.rmtree(site / BUNDLE)
    policy_docx(site / "politik.docx")
    result = run_cli("import", "politik.docx", "--to", BUNDLE + "/", cwd=site)
    return site, result


def _lines(site) -> list[str]:
    return (site / BUNDLE / "index.md").read_text(encoding="utf-8").split("\n")


def _reported(result) -> dict[str, list[int | None]]:
    found: dict[str, list[int | None]] = {}
    for line in result.stdout.splitlines():
        if ": warning: " not in line:
            continue
        where = line.split(": warning: ")[0]
        code = line.rsplit("[", 1)[1].rstrip("]")
        number = int(where.rsplit(":", 1)[1]) if where.count(":") else None
        found.setdefault(code, []).append(number)
    return found


def test_import_writes_markdown_in_site_gens_syntax(imported):
    site, result = imported
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    text = "\n".join(_lines(site))
    assert 'title: "Testby Kommunes Handicappolitik"' in text
    headings = [line for line in _lines(site) if line.startswith("#")]
    assert headings == ["## Forord", "## Mål", "## Aktiviteter", "## Kort og billeder"]
    assert "**vedtaget**" in text and "*byrådet*" in text and "*alle*" in text
    assert "- Alle kan komme ind i kommunens bygninger.\n  - Ramper ved rådhuset." in text
    assert "1. Første skridt er en plan.\n2. Andet skridt er at følge planen." in text
    # typed numbering: a list of its own, so it is numbered from 1 again, as in Word
    assert "2. Andet skridt er at følge planen.\n1) Kommunen skriver en rapport hvert år." in text
    assert "::: tabel Aktiviteter i 2026\n| Nr. | Aktivitet | År |\n|---|---|---|" in text
    assert "Aktiviteter i 2026\n\n::: tabel" not in text           # the caption is not repeated
    assert "![Kort over stierne ved rådhuset](figur-1.png)" in text
    assert "[Retsinformation](https://www.retsinformation.dk/)" in text
    assert "handicap[^1]." in text
    assert "[^1]: FN's konvention om rettigheder for personer med handicap." in text
    assert "fra 2026." in text and "fra 2025." not in text          # tracked change accepted
    assert "Handicaprådet?" not in text                             # the comment is dropped
    assert (site / BUNDLE / "figur-1.png").read_bytes()[:4] == b"\x89PNG"
    assert (site / BUNDLE / "figur-2.png").is_file()


def test_import_reports_each_point_that_needs_a_human_at_its_line(imported):
    site, result = imported
    lines, reported = _lines(site), _reported(result)
    at = lambda code: [lines[n - 1] for n in reported[code]]
    assert at("import-fake-heading") == ["**Vores mål**", "Opfølgning"]
    assert at("import-typed-list") == ["1) Kommunen skriver en rapport hvert år.",
                                       "2) Handicaprådet læser rapporten."]
    assert at("import-table-caption") == ["::: tabel"]
    assert at("import-table-header") == ["| Hvem | Hvad |"]
    assert at("import-image-alt") == ["![](figur-2.png)"]
    assert "[her](https://testby.dk/handicap)" in at("import-link-text")[0]
    assert reported["import-tracked"] == [None]
    assert at("import-emphasis") == at("import-comment") == [lines[9]]
    assert lines[9].startswith("Kommunen vil") and "*byrådet*" in lines[9]
    assert at("import-page-break") == ["## Aktiviteter"]
    assert "Word comment by Redaktør: 'Skal vi nævne Handicaprådet?'" in result.stdout
    assert "import-table-header" not in [c for c, n in reported.items()
                                         if any(lines[i - 1].startswith("| Nr.") for i in n if i)]
    assert result.stdout.splitlines()[-1].startswith(f"Imported politik.docx into {BUNDLE}/index.md")


def test_build_names_the_front_matter_to_fill_in(imported):
    site, _ = imported
    result = build(site, site / "public")
    assert not result.wrote
    codes = {(p.line, p.code, p.message.split(":")[0]) for p in result.problems
             if p.severity.name == "ERROR"}
    assert codes == {(3, "bad-value", "'summary'"), (4, "bad-value", "'kind'"),
                     (5, "bad-value", "'status'")}


def test_build_refuses_the_image_without_alt_text_until_it_gets_one(imported):
    site, _ = imported
    fix_reported_points(site / BUNDLE / "index.md")
    index = site / BUNDLE / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace(
        "![Kommunens logo](figur-2.png)", "![](figur-2.png)"), encoding="utf-8")
    result = build(site, site / "public")
    assert not result.wrote
    assert [p.code for p in result.problems if p.severity.name == "ERROR"] == ["image-alt"]


def test_imported_bundle_builds_once_the_reported_points_are_fixed(imported):
    site, _ = imported
    fix_reported_points(site / BUNDLE / "index.md")
    result = build(site, site / "public")
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    assert not [p for p in result.problems if p.severity.name in ("ERROR", "WARNING")
                and p.path.endswith("index.md")]
    html = (site / "public" / "testby" / "politik" / "index.html").read_text(encoding="utf-8")
    assert '<caption id="data-table">Aktiviteter i 2026</caption>' in html
    assert '<th scope="col">Aktivitet</th>' in html and 'scope="row">1.1</th>' in html
    assert 'alt="Kort over stierne ved rådhuset"' in html
    assert 'href="https://www.retsinformation.dk/"' in html


def test_import_never_overwrites_a_bundle_unless_asked(imported):
    site, _ = imported
    index = site / BUNDLE / "index.md"
    index.write_text("mit arbejde", encoding="utf-8")
    again = run_cli("import", "politik.docx", "--to", BUNDLE, cwd=site)
    assert again.returncode == 2
    assert "exists already" in again.stderr and "--force" in again.stderr
    assert index.read_text(encoding="utf-8") == "mit arbejde"
    forced = run_cli("import", "politik.docx", "--to", BUNDLE, "--force", cwd=site)
    assert forced.returncode == 0 and index.read_text(encoding="utf-8").startswith("---")


def test_a_file_that_is_not_a_word_document_gets_a_clear_message(tmp_path):
    (tmp_path / "politik.docx").write_text("ikke et Word-dokument", encoding="utf-8")
    result = run_cli("import", "politik.docx", "--to", "content/a/b", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "politik.docx cannot be read as a Word document (.docx)" in result.stderr
    missing = run_cli("import", "mangler.docx", "--to", "content/a/b", cwd=tmp_path)
    assert missing.returncode == 2 and "'mangler.docx' does not exist" in missing.stderr


def test_the_bundle_folder_must_make_a_valid_address(tmp_path):
    policy_docx(tmp_path / "politik.docx")
    result = run_cli("import", "politik.docx", "--to", "content/testby/Børnepolitik 2026",
                     cwd=tmp_path)
    assert result.returncode == 2
    assert "the folder name 'Børnepolitik 2026' becomes part of the address" in result.stderr
    assert "e.g. 'boernepolitik-2026'" in result.stderr
    assert not (tmp_path / "content").exists()


def test_properties_title_keeps_every_heading_as_a_section(tmp_path):
    """With a title in the document's properties, a first 'Heading 1' such as 'Forord' is a
    section, not swallowed as the title."""
    import docx
    document = docx.Document()
    document.core_properties.title = "Politik for Testby"
    document.add_heading("Forord", 1)
    document.add_paragraph("Tekst.")
    document.add_heading("Delmål", 2)
    document.save(str(tmp_path / "p.docx"))
    assert run_cli("import", "p.docx", "--to", "content/testby/p", cwd=tmp_path).returncode == 0
    text = (tmp_path / "content" / "testby" / "p" / "index.md").read_text(encoding="utf-8")
    assert 'title: "Politik for Testby"' in text
    assert "## Forord\n\nTekst.\n\n### Delmål" in text
