"""The site works wherever it is published (issue 21): the real site, served at '/' and under
a sub-path by a server that answers nothing outside it, has no broken link, stylesheet,
script, image, feed or sitemap entry on any page (the 404 page at any depth included), and
its search finds and opens a document under the sub-path in Chromium."""
from __future__ import annotations

import dataclasses
import re
import shutil
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import SUB_PATH_URL
from helpers import ROOT, SITES, options_for
from site_gen.pipeline import build_site

MISSING_PAGE = "findes/ikke/her/"                       # the 404 page, three folders deep
URL_ATTRIBUTES = ("href", "src", "bundle-path")         # bundle-path: Pagefind's files


class Crawl:
    """Fetches every page of a served site and every target its pages name."""

    def __init__(self, server_url: str, prefix: str, base_url: str):
        self.server_url, self.prefix, self.base_url = server_url, prefix, base_url
        self.fetched: dict[str, tuple[int, bytes]] = {}
        self.broken: list[str] = []
        self.followed = 0

    def get(self, url: str) -> tuple[int, bytes]:
        if url not in self.fetched:
            try:
                with urllib.request.urlopen(url, timeout=20) as answer:
                    self.fetched[url] = (answer.status, answer.read())
            except urllib.error.HTTPError as error:
                self.fetched[url] = (error.code, error.read())
        return self.fetched[url]

    def local(self, url: str) -> str | None:
        """The served address of a URL the site printed; None for another site's."""
        if url.startswith(self.base_url):
            return self.server_url + self.prefix + url[len(self.base_url):]
        if url.startswith(self.server_url):
            return url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc == urlsplit(self.base_url).netloc:
            return self.server_url + parts.path     # the site's domain, outside its path
        return None

    def check_target(self, where: str, url: str) -> None:
        local = self.local(url)
        if local is None:
            return
        self.followed += 1
        address, fragment = urldefrag(local)
        status, body = self.get(address)
        if status != 200:
            self.broken.append(f"{where}: {url} -> {status}")
        elif fragment and address.endswith("/"):
            if HTMLParser(body.decode("utf-8")).css_first(f'[id="{fragment}"]') is None:
                self.broken.append(f"{where}: {url} -> no id '{fragment}'")

    def check_page(self, url: str, expected_status: int = 200) -> None:
        status, body = self.get(url)
        if status != expected_status:
            self.broken.append(f"{url} -> {status}")
            return
        tree = HTMLParser(body.decode("utf-8"))
        for attribute in URL_ATTRIBUTES:
            for node in tree.css(f"[{attribute}]"):
                value = node.attributes.get(attribute) or ""
                if value.startswith("#"):            # this page, wherever it is served
                    if tree.css_first(f'[id="{value[1:]}"]') is None:
                        self.broken.append(f"{url}: {value} -> no such id")
                elif not value.startswith(("mailto:", "tel:", "data:")):
                    self.check_target(url, urljoin(url, value))
        for node in tree.css('meta[http-equiv="refresh"]'):
            target = (node.attributes.get("content") or "").partition("url=")[2]
            self.check_target(url, urljoin(url, target))


def pages_of(folder: Path, prefix: str) -> list[str]:
    return sorted(prefix + p.relative_to(folder).as_posix().removesuffix("index.html")
                  for p in folder.rglob("*.html") if "pagefind" not in p.parts)


@pytest.mark.parametrize("name", ["root", "sub-path"])
def test_no_page_names_a_target_that_is_not_there(published, name):
    server, out, prefix, base_url = published[name]
    crawl = Crawl(server.url, prefix, base_url)
    pages = pages_of(out, prefix)
    assert len(pages) >= 20, pages
    for page in pages:
        crawl.check_page(server.url + page)
    crawl.check_page(server.url + prefix + MISSING_PAGE, expected_status=404)
    sitemap = ET.fromstring(crawl.get(server.url + prefix + "sitemap.xml")[1])
    for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        crawl.check_target("sitemap.xml", loc.text)
    feed = ET.fromstring(crawl.get(server.url + prefix + "feed.xml")[1])
    for link in feed.iter("{http://www.w3.org/2005/Atom}link"):
        crawl.check_target("feed.xml", link.attrib["href"])
    robots = crawl.get(server.url + prefix + "robots.txt")[1].decode()
    for line in robots.splitlines():
        if line.startswith("Sitemap:"):
            crawl.check_target("robots.txt", line.split(None, 1)[1])
        if line.startswith("Disallow:"):
            crawl.check_target("robots.txt", server.url + line.split(None, 1)[1])
    assert not crawl.broken, f"{len(crawl.broken)} broken targets:\n" + "\n".join(crawl.broken)
    assert crawl.followed > 400, crawl.followed       # the crawl really followed the links


def test_the_server_answers_nothing_outside_the_sub_path(published):
    """The crawl's server behaves as a published sub-path does: '/assets/...' is not there."""
    server, out, prefix, _ = published["sub-path"]
    css = next((out / "assets").glob("site.*.css")).name
    crawl = Crawl(server.url, prefix, SUB_PATH_URL)
    assert crawl.get(f"{server.url}{prefix}assets/{css}")[0] == 200
    assert crawl.get(f"{server.url}/assets/{css}")[0] == 404


def test_pages_print_no_root_relative_url_outside_the_base_path(published):
    _, out, prefix, _ = published["sub-path"]
    outside = re.compile(r'(?:href|src|bundle-path|base-url)="(/(?!politikker/handicap/)[^"]*)"')
    found = [f"{page.relative_to(out)}: {match}" for page in sorted(out.rglob("*.html"))
             if "pagefind" not in page.parts
             for match in outside.findall(page.read_text(encoding="utf-8"))]
    assert not found, "\n".join(found[:20])


def search_and_open(driver, search_page: str, word: str, expected_part: str) -> str:
    """Search for `word` on the search page, open the first result naming `expected_part`,
    and return the address the browser ends on."""
    driver.get(search_page)
    box = WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return document.querySelector('pagefind-input input')"))
    box.send_keys(word)
    found = lambda d: [a for a in d.find_elements(By.CSS_SELECTOR, "pagefind-results a")
                       if expected_part in (a.get_attribute("href") or "")]
    # Pagefind replaces result elements as it fills them in: one read a moment earlier can
    # be stale, so the look-up and the click are tried again until they hold.
    opened = lambda d: bool(found(d)) and (found(d)[0].click() or True)
    try:
        WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException,)).until(
            opened)
    except TimeoutException:
        links = [a.get_attribute("href") for a in
                 driver.find_elements(By.CSS_SELECTOR, "pagefind-results a")]
        pytest.fail(f"no result under {expected_part} for {word!r}: {links}")
    WebDriverWait(driver, 20).until(lambda d: d.current_url.split("#")[0] != search_page)
    return driver.current_url


def test_search_finds_and_opens_a_document_under_the_sub_path(published, chromium):
    driver = chromium
    server, _, prefix, _ = published["sub-path"]
    opened = search_and_open(driver, f"{server.url}{prefix}soeg/", "botilbuddene",
                             f"{prefix}koebenhavn/")
    assert opened.startswith(f"{server.url}{prefix}koebenhavn/"), opened
    heading = driver.find_element(By.TAG_NAME, "h1").text
    assert heading and heading != "Siden findes ikke", heading
    stylesheet = driver.execute_script(
        "return getComputedStyle(document.querySelector('.skip-link')).position")
    assert stylesheet == "absolute", "the page has no stylesheet"


def test_pdfs_get_their_stylesheet_and_pictures_under_the_sub_path(published):
    """WeasyPrint reads the pages' stylesheet and pictograms through the base path: the PDFs
    of the sub-path build have the fonts of the root build's (an unstyled PDF has the default
    serif font), and the easy-read ones their pages (without pictures they have fewer). A
    standard PDF may have a page more: it prints the related documents' longer addresses."""
    import pikepdf

    def shape(pdf: Path) -> tuple:
        with pikepdf.open(pdf) as document:
            fonts = {str(font.get("/BaseFont")).split("+")[-1] for page in document.pages
                     for font in (page.Resources.get("/Font") or {}).values()}
            return len(document.pages), sorted(fonts)

    _, root, _, _ = published["root"]
    _, sub, _, _ = published["sub-path"]
    pdfs = sorted(p.relative_to(root) for p in root.rglob("*.pdf"))
    assert len(pdfs) >= 10 and any("letlaest" in p.name for p in pdfs)
    differ = [f"{p}: {shape(root / p)} != {shape(sub / p)}" for p in pdfs
              if shape(root / p)[1] != shape(sub / p)[1]
              or ("letlaest" in p.name and shape(root / p)[0] != shape(sub / p)[0])]
    assert not differ, "\n".join(differ)


def test_a_layout_url_without_the_base_path_is_an_error(tmp_path):
    """A site's own layout that prints '/soeg/' past the `url` filter is named, with the fix,
    instead of publishing a link that leads nowhere under the path."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "easy-read-pair" / "content", site / "content")
    (site / "layouts").mkdir()
    base = (ROOT / "layouts" / "base.html").read_text(encoding="utf-8")
    (site / "layouts" / "base.html").write_text(base.replace("{{ '/soeg/'|url }}", "/soeg/"),
                                                encoding="utf-8")
    at_root = build_site(options_for(site, tmp_path / "root"))
    assert at_root.wrote, "\n".join(at_root.problems.sorted_lines())
    options = dataclasses.replace(options_for(site, tmp_path / "sub"), base_url=SUB_PATH_URL)
    result = build_site(options)
    lines = [line for line in result.problems.sorted_lines() if "[url-outside-base]" in line]
    assert not result.wrote and lines, result.problems.sorted_lines()
    assert ": fejl: '/soeg/' " in lines[0] and "/politikker/handicap/" in lines[0] and \
        "{{ '/soeg/'|url }}" in lines[0], lines[0]


def test_raw_html_sites_get_the_base_path_once(tmp_path):
    """With `allow_html: true` the sanitiser gives addresses the base path; Markdown links
    and raw HTML links alike get it once (they got it twice: /p/h/p/h/testby/...)."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "easy-read-pair" / "content", site / "content")
    settings = site / "content/site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "allow_html: true\n",
                        encoding="utf-8")
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[Markdown-link](/testby/politik/) og "
                    '<a href="/testby/politik/">HTML-link</a>.\n', encoding="utf-8")
    options = dataclasses.replace(options_for(site, tmp_path / "sub"), base_url=SUB_PATH_URL)
    result = build_site(options)
    assert result.wrote, result.problems.sorted_lines()
    html = (tmp_path / "sub/testby/politik/index.html").read_text(encoding="utf-8")
    path = urlsplit(SUB_PATH_URL).path
    for text in ("Markdown-link", "HTML-link"):
        assert f'<a href="{path}testby/politik/">{text}</a>' in html
