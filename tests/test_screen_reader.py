"""What a screen-reader user hears and a keyboard user reaches, page kind by page kind
(issue 29). For every kind of page of the real site (and the fixture site with footnotes, a
word list and a quotation), a transcript in tests/transcripts/<kind>.txt: the landmarks, the
headings and the links as a screen reader lists them, the phrases spoken reading from the
top to the end, and the first data table cell by cell; and tests/transcripts/<kind>.tab.txt,
every Tab stop from the top. A person has read each file: a change fails the test with a
diff; after a deliberate change rewrite them with `pytest tests/test_screen_reader.py
--update-golden` and read the diff (README, "Tests")."""
from __future__ import annotations

import difflib
from pathlib import Path

import pytest

import screen_reader
from browser import StaticServer, search
from helpers import ROOT, SITES, options_for
from site_gen.pipeline import build_site

pytestmark = pytest.mark.a11y

TRANSCRIPTS = Path(__file__).resolve().parent / "transcripts"

# kind -> (site, address). "search" is a search with results.
PAGES = {
    "front-page": ("real", "/"),
    "municipality": ("real", "/albertslund/"),
    "policy": ("real", "/glostrup/handicappolitik/"),
    "action-plan": ("real", "/albertslund/handicappolitik-handlingsplan-2012-2014/"),
    "status-report": ("real", "/koebenhavn/status-handicappolitik-2023-2026/"),
    "hearing-response": ("real", "/koebenhavn/hoeringssvar-handicapraadet-status-2025/"),
    "cover-note": ("real", "/koebenhavn/status-handicappolitik-notat-buu/"),
    "easy-read": ("real", "/albertslund/handicappolitik-handlingsplan-2012-2014/letlaest/"),
    "search": ("real", "/soeg/?q=koordination"),
    "statement": ("real", "/tilgaengelighed/"),
    "about": ("real", "/om-webstedet/"),
    "not-found": ("real", "/findes-ikke/"),
    "footnotes-and-words": ("document-features", "/testby/politik/"),
}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    out = tmp_path_factory.mktemp("transcripts")
    running = {}
    for name, source in (("real", ROOT), ("document-features", SITES / "document-features")):
        result = build_site(options_for(source, out / name))
        assert result.wrote, "\n".join(result.problems.sorted_lines())
        running[name] = StaticServer(out / name)
    yield running
    for server in running.values():
        server.stop()


def _open(driver, servers, kind: str) -> None:
    site, address = PAGES[kind]
    url = servers[site].url
    if kind == "search":
        search(driver, url, address.split("=", 1)[1])
    else:
        driver.get(url + address)


def _compare(path: Path, text: str, update_golden: bool) -> None:
    if update_golden or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not update_golden:
            pytest.fail(f"{path.name} was missing and has been written: read it, then commit it")
        return
    expected = path.read_text(encoding="utf-8")
    if expected != text:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                            f"{path.name} (golden)", "heard now", n=2))
        pytest.fail(f"{path.name} differs (rewrite with --update-golden and read the diff):\n"
                    + diff[:20000])


def transcript(driver) -> str:
    nodes = screen_reader.accessibility_tree(driver)
    parts = ["# Landmarks", *screen_reader.landmarks(nodes), "",
             "# Headings", *screen_reader.headings(nodes), "",
             "# Links", *screen_reader.links(nodes), "",
             "# Reading from the top", *screen_reader.read_from_top(driver)]
    cells = screen_reader.table_cells(driver)
    if cells:
        parts += ["", "# The first table, cell by cell", *cells,
                  "", "# The first table, down its second column",
                  *screen_reader.table_column(driver)]
    return "\n".join(parts) + "\n"


@pytest.mark.parametrize("kind", PAGES)
def test_what_a_screen_reader_says(chromium, servers, kind, update_golden):
    _open(chromium, servers, kind)
    text = transcript(chromium)
    _compare(TRANSCRIPTS / f"{kind}.txt", text, update_golden)


@pytest.mark.parametrize("kind", PAGES)
def test_what_a_screen_reader_says_holds_the_basics(chromium, servers, kind):
    """What must hold whatever the wording: the skip link first, one main, named navigations
    and search, no link without a name, no 'highlight' and no empty status bars."""
    _open(chromium, servers, kind)
    nodes = screen_reader.accessibility_tree(chromium)
    marks = screen_reader.landmarks(nodes)
    assert marks.count("main") == 1, marks
    assert not [m for m in marks if m in ("navigation", "search")], f"unnamed: {marks}"
    assert sum(m.startswith("search") for m in marks) <= 1, marks
    assert "(no name)" not in screen_reader.links(nodes)
    spoken, _items = screen_reader.read_raw(chromium)
    assert spoken[:2] == ["document", "link, Gå til indholdet"], spoken[:3]
    assert "mark" not in spoken and "status" not in spoken and "–" not in spoken


@pytest.mark.parametrize("kind", PAGES)
def test_keyboard_reaches_every_stop_with_a_name_and_visible_focus(chromium, servers, kind,
                                                                   update_golden):
    _open(chromium, servers, kind)
    stops = screen_reader.tab_through(chromium)
    lines = [f"{s['role']}, {s['name']}  [{s['path']}]"
             + ("" if s["visible"] else "  HIDDEN") + ("" if s["focus"] else "  NO FOCUS RING")
             for s in stops]
    _compare(TRANSCRIPTS / f"{kind}.tab.txt", "\n".join(lines) + "\n", update_golden)
    assert stops and stops[0]["path"] == "a.skip-link", lines[:2]
    problems = [line for line, stop in zip(lines, stops)
                if not stop["name"].strip() or not stop["visible"] or not stop["focus"]
                or stop["path"] == "(trap)"]
    assert not problems, "\n".join(problems)


_UNLABELLED = """
const shown = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' &&
    !(s.clipPath || '').startsWith('inset(100%') && !(s.clip || '').startsWith('rect(0'); };
return [...document.querySelectorAll('input, select, textarea')]
  .filter(f => f.type !== 'hidden' && shown(f))
  .filter(f => ![...f.labels].some(l => shown(l) && l.textContent.trim()))
  .map(f => f.outerHTML.slice(0, 120));
"""


@pytest.mark.parametrize("width", [320, 1280])
def test_every_visible_field_has_a_visible_label(chromium, servers, width):
    """A label only screen readers get is no label to a sighted or voice-control user, nor
    to every checker (issue 29: IBM Equal Access's input_label_exists)."""
    from browser import viewport
    failures = []
    with viewport(chromium, width):
        for kind in PAGES:
            _open(chromium, servers, kind)
            failures += [f"{kind}: {field}" for field in chromium.execute_script(_UNLABELLED)]
    assert not failures, "\n".join(failures)
