"""`build.py new` (issue 17): a new document with its front matter, optionally its easy-read
partner; it never overwrites and refuses a folder name that cannot be an address."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import SITES, build, run_cli
from site_gen.new_page import easy_read_text, standard_text
from site_gen.parse import FRONT_MATTER


@pytest.fixture
def site(tmp_path) -> Path:
    shutil.copytree(SITES / "easy-read-pair" / "content", tmp_path / "content")
    return tmp_path


def test_new_writes_a_document_that_builds_once_filled_in(site, tmp_path):
    result = run_cli("new", "testby/trafikplan", "--kind", "action-plan", "--easy-read", cwd=site)
    assert result.returncode == 0, result.stderr
    folder = site / "content" / "testby" / "trafikplan"
    standard, easy = folder / "index.md", folder / "index.easy-read.md"
    assert result.stdout.splitlines()[:2] == ["Skrev content/testby/trafikplan/index.md",
                                              "Skrev content/testby/trafikplan/index.easy-read.md"]
    text = standard.read_text()
    assert "title: Trafikplan\n" in text and "kind: action-plan\n" in text
    for key in ("issued", "adopted", "updated", "review_by", "period", "related", "history"):
        assert f"\n# {key}:" in text, key                   # optional keys, commented
    assert easy.read_text().split("---\n", 2)[2].startswith("\n## Det vigtigste\n\n![](billede:")
    # As written, the build names the one field still to fill in, on both pages.
    unfilled = build(site, tmp_path / "out")
    assert {(p.path.rsplit("/", 1)[1], p.code) for p in unfilled.problems} == \
        {("index.md", "bad-value"), ("index.easy-read.md", "bad-value")}
    for path, words in ((standard, "Vi vil gøre det let at komme rundt i byen."),
                        (easy, "Du kan komme rundt.")):
        path.write_text(path.read_text().replace("summary:\n", "summary: En plan for trafik.\n")
                        + words + "\n")
    built = build(site, tmp_path / "out")
    assert built.wrote, "\n".join(built.problems.sorted_lines())
    # A draft until its status says otherwise: left out of a published build (issue 27).
    assert built.drafts == 1 and not (tmp_path / "out" / "testby" / "trafikplan").exists()
    standard.write_text(standard.read_text().replace("status: draft", "status: in-force"))
    built = build(site, tmp_path / "out")
    assert built.wrote and built.drafts == 0, "\n".join(built.problems.sorted_lines())
    assert (tmp_path / "out" / "testby" / "trafikplan" / "letlaest" / "index.html").is_file()


def test_new_refuses_an_existing_document_and_changes_nothing(site):
    existing = site / "content" / "testby" / "politik" / "index.md"
    before = existing.read_bytes()
    result = run_cli("new", "testby/politik", cwd=site)
    assert result.returncode == 2
    assert "content/testby/politik/index.md findes allerede" in result.stderr
    assert existing.read_bytes() == before
    assert not (site / "content" / "testby" / "politik" / "index.easy-read.md").exists() or \
        (site / "content" / "testby" / "politik" / "index.easy-read.md").read_bytes() == \
        (SITES / "easy-read-pair/content/testby/politik/index.easy-read.md").read_bytes()


def test_new_refuses_an_existing_easy_read_page(site):
    folder = site / "content" / "testby" / "ny"
    folder.mkdir()
    (folder / "index.easy-read.md").write_text("mine\n")
    result = run_cli("new", "testby/ny", "--easy-read", cwd=site)
    assert result.returncode == 2 and "findes allerede" in result.stderr
    assert not (folder / "index.md").exists()
    assert (folder / "index.easy-read.md").read_text() == "mine\n"


@pytest.mark.parametrize("address, shown", [("testby/Trafik_Plan", "Trafik_Plan"),
                                            ("Testby/plan", "Testby"),
                                            ("testby/børn", "børn")])
def test_new_refuses_a_folder_name_that_cannot_be_an_address(site, address, shown):
    result = run_cli("new", address, cwd=site)
    assert result.returncode == 2
    assert f"mappenavnet '{shown}'" in result.stderr, result.stderr
    assert not any(p.name == "index.md" and shown in str(p) for p in site.rglob("*"))


@pytest.mark.parametrize("address", ["trafikplan", "testby/a/b", "../x"])
def test_new_wants_municipality_and_slug(site, address):
    result = run_cli("new", address, cwd=site)
    assert result.returncode == 2 and "build.py new: fejl:" in result.stderr, result.stderr


def test_new_speaks_english_on_request(site):
    result = run_cli("--lang", "en", "new", "testby/politik", cwd=site)
    assert result.returncode == 2
    assert "build.py new: error: content/testby/politik/index.md exists already" in result.stderr


# Keys `build.py new` leaves out on purpose: the folder gives the municipality, layout and
# extra are for custom layouts, and only the easy-read page says who tested it.
LEFT_OUT = {"municipality", "layout", "extra", "tested_by", "tested_on", "written_by"}


def _keys(text: str) -> set[str]:
    """The keys a new page's front matter names, written or commented out."""
    front = text.split("---\n")[1]
    return set(re.findall(r"^(?:# )?([a-z_]+):", front, re.MULTILINE))


def test_new_lists_every_front_matter_key_an_author_may_fill_in():
    assert _keys(standard_text("plan", "policy")) == set(FRONT_MATTER) - LEFT_OUT
    assert _keys(easy_read_text("plan")) == {"title", "summary", "tested_by", "tested_on", "written_by"}


@pytest.mark.parametrize("address, says", [
    ("testby/con", "Windows"), ("testby/aux", "Windows"), ("andeby/politik", "andeby"),
    ("linket/politik", "symbolsk link"),
])
def test_new_refuses_reserved_names_unknown_municipalities_and_links(site, tmp_path,
                                                                     address, says):
    """Issue 31: a Windows device name, a municipality site.yaml does not know, and a
    folder that is a symbolic link (writing through it would write outside content/)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site / "content" / "linket").symlink_to(elsewhere)
    settings = site / "content" / "site.yaml"
    settings.write_text(settings.read_text().replace("  testby:\n", "  linket:\n    name: L\n"
                                                     "    website: https://l.example/\n"
                                                     "  testby:\n", 1))
    result = run_cli("new", address, cwd=site)
    assert result.returncode == 2 and says in result.stderr, result.stderr
    assert not any(elsewhere.iterdir())
    assert not (site / "content" / address).exists()
