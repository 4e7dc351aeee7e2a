"""The names of site_gen's own pages and folders (outputs.GENERATED, issues 14 and 15): no
document or municipality may take one, whether or not the site turns that page on, and every
file a build writes is either claimed by a document or one of these names."""
from __future__ import annotations

import shutil

import pytest

from helpers import SITES, build
from site_gen.model import Variant
from site_gen.outputs import OutputPaths, generated_paths, pdf_path

pytestmark = pytest.mark.english

# What a build writes itself, checked by hand against a built site (and the messages authors
# see): a generated page added to outputs.GENERATED, renamed or dropped shows up here.
RESERVED = {
    "index.html": "site_gen's page from layouts/index.html",
    "404.html": "site_gen's page from layouts/404.html",
    "was/": "site_gen's /was address of the accessibility statement",
    "sitemap.xml": "site_gen's page from layouts/sitemap.xml",
    "feed.xml": "site_gen's page from layouts/feed.xml",
    "robots.txt": "site_gen's page from layouts/robots.txt",
    "tilgaengelighed/": "site_gen's accessibility statement",
    "soeg/": "site_gen's search page",
    "om-webstedet/": "site_gen's page about the site and its pictures",
    "sprograpport/": "site_gen's readability report",
    "pagefind/": "site_gen's search index",
    "assets/": "site_gen's files from layouts/assets/",
    ".site_gen": "site_gen's mark on its output folder",
}
COMPUTED = dict(generated_paths())
FOLDERS = sorted(name.rstrip("/") for name in RESERVED.keys() | COMPUTED.keys()
                 if name.endswith("/"))


def test_the_reserved_names_are_the_generated_pages():
    assert COMPUTED == RESERVED


@pytest.mark.parametrize("name", sorted(RESERVED.keys() | COMPUTED.keys()))
def test_a_reserved_name_is_taken_for_anything_else(name):
    paths = OutputPaths()
    for path, owner in generated_paths():
        assert paths.claim(path, owner) is None
    wanted = f"{name}politik/index.html" if name.endswith("/") else name
    clash = paths.claim(wanted, "content/x/index.md")
    assert clash is not None and clash.owner == RESERVED[name]


def test_documents_and_municipalities_may_not_take_a_reserved_folder(tmp_path):
    """Also when the site has no search and no statement of its own: turning either on later
    must not break a site that built before."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "document-features/content", site / "content")
    settings = site / "content/site.yaml"
    page = (site / "content/testby/politik/index.md").read_text()
    for name in FOLDERS:
        (site / "content" / name / "politik").mkdir(parents=True)
        (site / "content" / name / "politik/index.md").write_text(page)
    settings.write_text(settings.read_text() + "".join(
        f"  {name}:\n    name: {name.title()} Kommune\n    website: https://{name}.example/\n"
        for name in FOLDERS) + "search: false\n")
    problems = build(site, tmp_path / "out").problems
    clashes = {(p.path, p.message) for p in problems if p.code == "url-clash"}
    expected = set()
    for name in FOLDERS:
        owner = RESERVED[f"{name}/"]
        expected.add((f"content/{name}/politik/index.md",
                       f"this page would be written to /{name}/politik/index.html, which is "
                       f"taken by {owner}; rename the folder"))
        expected.add(("content/site.yaml",
                      f"the municipality '{name}' would get the address /{name}/, which is "
                      f"taken by {owner}; choose another key (and rename the folder)"))
    assert clashes == expected


OWN_STATEMENT = """accessibility_statement:
  reviewed: 2026-09-01
  phone: 11 22 33 44
  email: tilgaengelighed@test.example
  compliance: partially
  known_issues:
    - Kortet har ingen tekst.
pdf: true
"""


def test_every_file_a_build_writes_is_claimed(tmp_path):
    """A file site_gen makes that is not in outputs.GENERATED could be overwritten by a
    document, or overwrite one, without a word."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "document-features/content", site / "content")
    settings = site / "content/site.yaml"
    text = settings.read_text().replace("publisher:\n",
                                        "publisher:\n  colours:\n    primary: '#005a5a'\n")
    start, end = text.index("accessibility_statement:"), text.index("municipalities:")
    settings.write_text(text[:start] + OWN_STATEMENT + text[end:])
    out = tmp_path / "out"
    result = build(site, out)
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    for name in ("tilgaengelighed/index.html", "soeg/index.html", "assets/brand.css"):
        assert name in written                        # the site turns them all on
    documents = {f"{key}/index.html" for key in result.site.config.municipalities}
    for page in result.site.pages.values():
        documents.add(page.source.output_path)
        documents.update(asset.output_path for asset in page.source.assets)
        documents.add(pdf_path(page.key, page.variant is Variant.EASY_READ))
    paths = OutputPaths()
    for path, owner in generated_paths():
        paths.claim(path, owner)
    unclaimed = {name for name in written - documents if paths.claim(name, "?") is None}
    assert not unclaimed
