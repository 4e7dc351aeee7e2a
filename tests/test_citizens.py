"""Citizens first (issue 16), measured in Chromium on the real site: the text starts within
1.5 screens on a phone, every list and search result leads to the easy-read version and
shows a status, search speaks Danish and filters, and works without JavaScript."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from browser import StaticServer, search, viewport
from helpers import ROOT, options_for
from site_gen.pipeline import build_site

pytestmark = pytest.mark.a11y

PHONE = (320, 640)


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    out = tmp_path_factory.mktemp("citizens") / "site"
    result = build_site(options_for(ROOT, out))
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    server = StaticServer(out)
    yield server, out
    server.stop()


def _document_pages(folder: Path) -> list[str]:
    """Every standard and easy-read document page: the pages with a `.content` body."""
    pages = []
    for path in sorted(folder.rglob("index.html")):
        if 'class="content"' in path.read_text(encoding="utf-8"):
            pages.append("/" + path.parent.relative_to(folder).as_posix() + "/")
    return pages


def test_the_text_starts_within_one_and_a_half_screens_on_a_phone(chromium, real):
    """At 320 x 640 the document's own text (its first `##` section, or the text before it
    where there is some) starts within 960 px."""
    server, folder = real
    pages = _document_pages(folder)
    assert len(pages) >= 12, pages
    late = []
    with viewport(chromium, *PHONE):
        for page in pages:
            chromium.get(server.url + page)
            top = chromium.execute_script(
                "const first = document.querySelector('.content > *');"
                "return first.getBoundingClientRect().top + window.scrollY;")
            if top > 1.5 * PHONE[1]:
                late.append(f"{page}: the text starts at {top:.0f} px")
    assert not late, "\n".join(late)


@pytest.mark.parametrize("width", [320, 1280])
def test_contents_are_collapsed_on_a_phone_and_open_on_a_wide_screen(chromium, real, width):
    server, _ = real
    with viewport(chromium, width):
        chromium.get(server.url + "/koebenhavn/handicappolitik-2023-2026/")
        wide = chromium.find_element(By.CSS_SELECTOR, ".toc-wide")
        narrow = chromium.find_element(By.CSS_SELECTOR, ".toc-narrow")
        shown = [e for e in (wide, narrow) if e.is_displayed()]
        assert len(shown) == 1
        if width == 320:
            assert shown[0] == narrow and narrow.get_attribute("open") is None
            assert not chromium.find_element(By.CSS_SELECTOR, ".toc-narrow a").is_displayed()
        else:
            assert shown[0] == wide
            assert chromium.find_element(By.CSS_SELECTOR, ".toc-wide a").is_displayed()
        back = chromium.find_elements(By.LINK_TEXT, "Til indholdsfortegnelsen")
        sections = chromium.find_elements(By.CSS_SELECTOR, ".content h2")
        assert len(back) == len(sections) > 3
        back[-1].click()
        top = chromium.execute_script(
            "return document.getElementById('indholdsfortegnelse').getBoundingClientRect().top")
        assert 0 <= top < 100, top


def _check_easy_read_link(chromium, server, href: str) -> str | None:
    """None when the link opens an easy-read page, else what is wrong."""
    chromium.get(server.url + href)
    if not chromium.find_elements(By.CSS_SELECTOR, "body.easy-read main h1"):
        return f"{href} is not an easy-read page"
    return None


def test_every_listing_leads_to_the_easy_read_version_and_shows_a_status(chromium, real):
    server, folder = real
    lists = ["/", "/koebenhavn/", "/glostrup/", "/herlev/", "/albertslund/",
             "/koebenhavn/status-handicappolitik-2023-2026/"]
    failures, targets = [], set()
    for page in lists:
        chromium.get(server.url + page)
        items = chromium.find_elements(By.CSS_SELECTOR, ".document-list li, .related li")
        assert items, page
        for item in items:
            title = item.find_element(By.CSS_SELECTOR, "a").text
            status = item.find_elements(By.CSS_SELECTOR, ".status-line .status")
            if not status or not status[0].text.strip():
                failures.append(f"{page}: {title!r} shows no status")
            easy = item.find_elements(By.CSS_SELECTOR, "a.easy-read-link")
            standard = item.find_element(By.CSS_SELECTOR, "a").get_attribute("href")
            key = standard.split("://", 1)[1].split("/", 1)[1]
            has_easy = (folder / key / "letlaest" / "index.html").is_file()
            if has_easy and not easy:
                failures.append(f"{page}: {title!r} has no 'Letlæst' link")
            for link in easy:
                if not link.text.startswith("Letlæst") or not link.is_displayed():
                    failures.append(f"{page}: the easy-read link of {title!r} shows {link.text!r}")
                picture = link.find_element(By.TAG_NAME, "img")
                if picture.get_attribute("alt") != "":
                    failures.append(f"{page}: the picture of {title!r} is not decorative")
                targets.add(link.get_attribute("href").split(server.url, 1)[1])
    for href in sorted(targets):
        problem = _check_easy_read_link(chromium, server, href)
        if problem:
            failures.append(problem)
    assert len(targets) >= 4, targets
    assert not failures, "\n".join(failures)


def test_lists_put_documents_in_force_first_and_dates_are_machine_readable(chromium, real):
    server, _ = real
    chromium.get(server.url + "/")
    for group in chromium.find_elements(By.CSS_SELECTOR, ".document-list"):
        statuses = [s.text for s in group.find_elements(By.CSS_SELECTOR, ".status-line .status")]
        ended = [s in ("Udløbet", "Erstattet") for s in statuses]
        assert ended == sorted(ended), statuses
    chromium.get(server.url + "/koebenhavn/handicappolitik-2023-2026/")
    line = chromium.find_element(By.CSS_SELECTOR, "main > .status-line")
    assert _shown_text(chromium, line) == "Gældende, gælder 2023 til 2026"
    times = [t.get_attribute("datetime") for t in line.find_elements(By.TAG_NAME, "time")]
    assert times == ["2023", "2026"]
    chromium.get(server.url + "/herlev/handicappolitik/")
    line = chromium.find_element(By.CSS_SELECTOR, "main > .status-line")
    assert _shown_text(chromium, line) == "Offentliggjort juni 2023"
    assert line.find_element(By.TAG_NAME, "time").get_attribute("datetime") == "2023-06"
    # The order right under the title: status, then the easy-read version and the PDF.
    order = chromium.execute_script(
        "return [...document.querySelectorAll('main > *')].slice(0, 4)"
        ".map(e => e.className || e.tagName)")
    assert order[:2] == ["H1", "status-line"] and "versions" in order, order


def _shown_text(chromium, element) -> str:
    """The text a sighted reader sees: without the visually hidden parts for screen readers."""
    return chromium.execute_script(
        "const copy = arguments[0].cloneNode(true);"
        "copy.querySelectorAll('.visually-hidden').forEach(e => e.remove());"
        "return copy.textContent.replace(/\\s+/g, ' ').trim();", element)


def _search(chromium, server, term: str):
    return search(chromium, server.url, term)


def test_search_speaks_danish_and_every_result_shows_status_and_easy_read(chromium, real):
    server, _ = real
    results = _search(chromium, server, "bolig")
    assert len(results) >= 4
    text = chromium.find_element(By.CSS_SELECTOR, ".search-ui").text
    labels = chromium.execute_script(
        "return [...document.querySelectorAll('.search-ui [aria-label], .search-ui label,"
        " .search-ui button, pagefind-input input')].map(e => (e.getAttribute('aria-label')"
        " || '') + ' ' + (e.getAttribute('placeholder') || '') + ' ' + e.textContent)")
    english = [w for w in (r"\bSearch", r"\bClear\b", r"\bresults?\b", r"\bResults\b",
                           r"\bFilters\b", r"\bLoad more\b", r"\bselected\b")
               if re.search(w, text) or any(re.search(w, label) for label in labels)]
    assert not english, (english, labels)
    assert "resultater for bolig" in text
    failures = []
    for result in results:
        title = result.find_element(By.CSS_SELECTOR, ".pf-result-link").text
        if not result.find_elements(By.CSS_SELECTOR, ".status-line") or \
                not result.find_element(By.CSS_SELECTOR, ".status-line").text.strip():
            failures.append(f"{title}: no status")
        if not result.find_elements(By.CSS_SELECTOR, ".result-facts"):
            failures.append(f"{title}: no municipality and kind")
        easy = result.find_elements(By.CSS_SELECTOR, "a.easy-read-link")
        if not easy or not easy[0].text.startswith("Letlæst"):
            failures.append(f"{title}: no 'Letlæst' link")
    assert not failures, "\n".join(failures)
    href = results[1].find_element(By.CSS_SELECTOR, "a.easy-read-link").get_attribute("href")
    assert _check_easy_read_link(chromium, server, href.split(server.url, 1)[1]) is None


def test_search_filters_by_municipality_and_status(chromium, real):
    server, _ = real
    results = _search(chromium, server, "bolig")
    before = len(results)
    groups = {g.get_attribute("data-filter-name"): g for g in
              chromium.find_elements(By.CSS_SELECTOR, "pagefind-filter-pane details")}
    assert set(groups) == {"Kommune", "Type", "Status"}, groups
    names = " ".join(label.get_attribute("textContent") for label in
                     chromium.find_elements(By.CSS_SELECTOR, "pagefind-filter-pane label"))
    for expected in ("Albertslund Kommune", "Københavns Kommune", "Gældende", "Udløbet",
                     "Politik"):
        assert expected in names, names
    groups["Status"].find_element(By.TAG_NAME, "summary").click()
    groups["Status"].find_element(By.CSS_SELECTOR, "input[value='Udløbet']").click()
    # Pagefind fills each result in when it has loaded it: wait for the filled ones.
    shown = lambda d: d.execute_script(
        "const q = s => [...document.querySelectorAll('pagefind-results ' + s)]"
        ".map(e => e.textContent.trim()); return [q('.pf-result'), q('.status-line')];")
    WebDriverWait(chromium, 20).until(
        lambda d: 0 < len(shown(d)[0]) < before and len(shown(d)[1]) == len(shown(d)[0]))
    statuses = shown(chromium)[1]
    assert statuses and all(s.startswith("Udløbet") for s in statuses), statuses


def test_search_field_in_every_header_and_the_no_js_text_only_without_js(chromium, real):
    server, folder = real
    for page in ("/", "/glostrup/", "/glostrup/handicappolitik/", "/tilgaengelighed/"):
        chromium.get(server.url + page)
        form = chromium.find_element(By.CSS_SELECTOR, "header form[role=search]")
        assert form.get_attribute("method") == "get"
        assert form.get_attribute("action").endswith("/soeg/")
    chromium.get(server.url + "/soeg/")
    WebDriverWait(chromium, 20).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".search-ui").is_displayed())
    assert "kræver JavaScript" not in chromium.find_element(By.TAG_NAME, "main").text
    chromium.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        chromium.get(server.url + "/soeg/?q=bolig")
        main = chromium.find_element(By.TAG_NAME, "main")
        assert "kræver JavaScript" in main.text
        assert not chromium.find_element(By.CSS_SELECTOR, ".search-ui").is_displayed()
        assert main.find_elements(By.LINK_TEXT, "Dokumenter fra Glostrup Kommune")
    finally:
        chromium.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


_TABLES = """
return [...document.querySelectorAll('.content .table-wrap')].map(wrap => {
  const table = wrap.querySelector('table');
  const stacked = getComputedStyle(table).display !== 'table';
  const result = {fit: wrap.className, stacked: stacked, cut: wrap.scrollWidth > wrap.clientWidth,
                  region: wrap.getAttribute('role'), tabindex: wrap.getAttribute('tabindex'),
                  label: wrap.getAttribute('aria-label') || wrap.getAttribute('aria-labelledby')};
  if (stacked) {              // would it have fitted? Lay it out as a table and measure
    const fit = wrap.className; wrap.className = 'table-wrap';
    // with room to spare: the build rounds a table's width up to the next 2rem step
    const room = wrap.clientWidth;
    wrap.style.width = (room - 2 * 16) + 'px';
    result.fitsUnstacked = wrap.scrollWidth <= wrap.clientWidth;
    wrap.style.width = '';
    wrap.className = fit;
  }
  return result;
});
"""


@pytest.mark.parametrize("width", [320, 480, 800, 1280])
def test_tables_are_never_cut_off_and_stacked_only_when_they_cannot_fit(chromium, real, width):
    """Every table of the real site, measured in Chromium at each width: nothing scrolls or
    is cut off, and a table is stacked only when laid out as a table it would not fit (in
    the container less 2rem: the build rounds each table's width up to a 2rem step)."""
    server, folder = real
    pages = [p for p in _document_pages(folder)
             if 'class="table-wrap' in (folder / p.strip("/") / "index.html").read_text("utf-8")]
    assert len(pages) >= 2, pages
    failures, seen = [], 0
    with viewport(chromium, width):
        for page in pages:
            chromium.get(server.url + page)
            for number, table in enumerate(chromium.execute_script(_TABLES), 1):
                seen += 1
                where = f"{page} table {number} ({table['fit']}) at {width}px"
                if table["cut"]:
                    failures.append(f"{where}: cut off / scrolls sideways")
                if table["stacked"] and table["fitsUnstacked"]:
                    failures.append(f"{where}: stacked although it fits")
                if table["region"] or table["tabindex"] or table["label"]:
                    failures.append(f"{where}: the wrapper is a named region or a Tab stop")
    assert seen >= 4
    assert not failures, "\n".join(failures)


def test_a_wide_table_uses_the_page_width_and_numbers_are_right_aligned(chromium, real):
    server, _ = real
    with viewport(chromium, 1280):
        chromium.get(server.url + "/albertslund/handicappolitik-handlingsplan-2012-2014/")
        wrap = chromium.find_element(By.CSS_SELECTOR, ".table-wrap")
        text = chromium.find_element(By.CSS_SELECTOR, ".content > p")
        assert wrap.size["width"] > text.size["width"] + 200, (wrap.size, text.size)
        chromium.get(server.url + "/koebenhavn/status-handicappolitik-2023-2026/")
        styles = chromium.execute_script(
            "return [...document.querySelector('.table-wrap tbody tr').children].map(c => "
            "[c.textContent.trim(), getComputedStyle(c).textAlign, "
            "getComputedStyle(c).fontVariantNumeric])")
        assert [s[1] for s in styles] == ["left", "right", "right", "right"], styles
        assert all(s[2] == "tabular-nums" for s in styles[1:]), styles
        # The caption names the table once: one table of that name, no region beside it.
        roles = [(n.get("role", {}).get("value"), n.get("name", {}).get("value"))
                 for n in chromium.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
                 if not n.get("ignored")]
        caption = chromium.find_element(By.CSS_SELECTOR, ".table-wrap caption").text
        named = [r for r in roles if r[1] == caption and r[0] not in ("StaticText", "InlineTextBox")]
        assert named == [("table", caption)], named


def _easy_read_pages(folder: Path) -> list[str]:
    return [p for p in _document_pages(folder) if p.endswith("/letlaest/")]


def test_easy_read_sentences_are_blocks_and_nothing_leads_away_before_the_text(chromium, real):
    """At 320 px: every sentence of the text its own block with space after it; the summary
    and the first section come before any link off the page; each hard word is explained in
    its own section, and the word list links back to it."""
    server, folder = real
    pages = _easy_read_pages(folder)
    assert len(pages) >= 4, pages
    failures = []
    with viewport(chromium, 320, 640):
        for page in pages:
            chromium.get(server.url + page)
            found = chromium.execute_script("""
              const paragraphs = [...document.querySelectorAll('.content p:not(.pictogram-holder)')];
              // two sentences in one block (a bold label on its own line before one is fine)
              const joined = paragraphs.filter(p => p.innerText.split('\\n')
                  .filter(line => /[.!?:]$/.test(line.trim())).length > 1).length;
              const tight = paragraphs.filter(p => parseFloat(getComputedStyle(p).marginBottom) < 8).length;
              // the second section's heading (sections are siblings, their headings are not)
              const first = document.querySelectorAll('.content h2')[1] || document.querySelector('.content > :last-child');
              const away = [...document.querySelectorAll('main a[href]')].filter(a =>
                  !a.getAttribute('href').startsWith('#') &&
                  (a.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING));
              const terms = [...document.querySelectorAll('.content a.term')].map(a => {
                  const listed = document.querySelector(a.getAttribute('href'));
                  const back = document.querySelector(`.terms a[href="#${a.id}"]`);
                  return [a.textContent, !!listed && !!listed.closest('.terms'), !!back];
              });
              return {count: paragraphs.length, joined, tight, away: away.map(a => a.href), terms};
            """)
            if found["joined"] or found["tight"]:
                failures.append(f"{page}: {found['joined']} paragraphs hold several lines, "
                                f"{found['tight']} have no space after them")
            if found["away"]:
                failures.append(f"{page}: links away before the first section ends: {found['away']}")
            for word, listed, back in found["terms"]:
                if not listed or not back:
                    failures.append(f"{page}: '{word}' links to the word list: {listed}, "
                                    f"linked back from the word list: {back}")
            assert found["count"] > 5 and found["terms"], (page, found)
        chromium.get(server.url + pages[0])
        chromium.find_element(By.CSS_SELECTOR, ".terms a.back-to-text").click()
        assert chromium.execute_script("return location.hash").endswith("-brug")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("width", [320, 1280])
def test_breadcrumb_separators_are_silent_and_never_alone_on_a_line(chromium, real, width):
    server, _ = real
    with viewport(chromium, width):
        for page in ("/glostrup/handicappolitik/letlaest/",
                     "/koebenhavn/hoeringssvar-handicapraadet-status-2025/"):
            chromium.get(server.url + page)
            alone = chromium.execute_script("""
              return [...document.querySelectorAll('.breadcrumbs li + li')]
                .filter(li => getComputedStyle(li).display !== 'none')
                .filter(li => { const first = li.firstElementChild.getClientRects()[0];
                                return li.getClientRects()[0].top < first.top - 2; })
                .map(li => li.textContent.trim());""")
            assert not alone, (page, alone)
            names = [n.get("name", {}).get("value", "") for n in
                     chromium.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
                     if not n.get("ignored")]
            assert not [n for n in names if "›" in n], page
