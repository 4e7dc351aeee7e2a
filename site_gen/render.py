"""Render markdown, render layout and check, page by page, for a whole site (STYLE.md stages
4-6), fast and with flat memory (issue 7).

Markdown and the checks that need its tokens run in worker processes (workers.py): each
page is rendered in one. In a full build the worker also lays the page out,
checks its HTML and writes it to the staging folder, and returns a small `PageWork`
(headings, terms, problems, reading figures, links), never the tokens or the HTML. The
preview instead lays out in the main process, because an unchanged page may need a new
layout (a related document's title changed): a `Cache` keeps each page's `PageWork`,
fragment included, by content hash between its builds, and knows which pages a change
affects.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from . import checks, discover, parse, workers
from .checks import html as html_check
from .checks import language, links
from .markdown import render_markdown
from .model import Page, Site, Variant
from .parse import ParseCache
from .problems import Problem, Problems, Severity
from .validate import SHARED_FIELDS


@dataclass
class PageWork:
    """What the markdown phase found for one page; small, picklable, cacheable."""
    fragment: str
    headings: list
    terms: list
    problems: list[Problem]
    reading: object                 # checks.language.Reading without its blocks
    links: list[tuple[int | None, str]]
    laid_out: bool = False          # a full build: the page is written, its HTML is not kept
    link_targets: frozenset = frozenset()   # the addresses `links` point to, without #parts
    layout_problems: list[Problem] = field(default_factory=list)   # from its layout and HTML
    worst: Severity = Severity.INFO   # of `problems`, worked out once in the worker
    advice: int = 0                 # advice counted, not in `problems` (no --advice)


@dataclass
class Cache:
    """Remembered between preview builds: each page's work by a hash of everything its
    markdown phase reads, and the last bytes written to each output path."""
    work: dict[str, tuple[tuple, PageWork]] = field(default_factory=dict)  # source -> (key, work)
    written: dict[str, str] = field(default_factory=dict)                 # output path -> hash
    written_texts: dict[str, str] = field(default_factory=dict)           # ... -> last text
    parsed: ParseCache = field(default_factory=ParseCache)
    sources: list | None = None                  # what discovery found last, with its problems
    listings: tuple | None = None                # (extra pages, their problems) of the last build
    environment: object = None                   # the Jinja environment, while layouts stay
    fingerprint: str = ""
    changed: set[str] = field(default_factory=set)   # source paths redone in the last build
    related: dict[str, set[str]] = field(default_factory=dict)   # source path -> related keys


def sources(config, problems: Problems, cache: Cache | None, changed: set[str] | None):
    """What discovery finds; the preview reuses the last answer when the watcher saw only
    existing documents change (no file added, removed or renamed; no settings or assets)."""
    if cache is None:
        return discover.find_sources(config, problems)
    known = cache.sources[2] if cache.sources else {}
    if changed is not None and known and all(path in known and os.path.isfile(path)
                                             for path in changed):
        cache.parsed.only = {known[path] for path in changed}
        problems.extend(cache.sources[1])
        return cache.sources[0]
    cache.parsed.only = None
    mine = Problems()
    found = discover.find_sources(config, mine)
    content = config.options.content_dir
    cache.sources = (found, list(mine), {str(content / s.source_path): s.source_path
                                         for s in found})
    problems.extend(mine)
    return found


def markdown_phase(page: Page, site: Site, env=None, put=None) -> PageWork:
    """Markdown and the checks on its tokens; with `env` (a full build) also the layout, the
    HTML check and the write, in the same pass: the page's HTML never leaves the worker."""
    config = site.config
    problems = Problems(keep_advice=config.options.advice)
    reread = page.body is None                 # a full build: the body is on disk
    if reread and not parse.read_body(config, page, problems):
        return PageWork("", [], [], list(problems), None, [], worst=Severity.ERROR)
    terms = site.glossary.for_municipality(page.front.municipality) if site.glossary else ()
    render_markdown(page, problems, terms, site.pictograms, config.allow_html, site.layout_ids)
    for check in checks.TOKEN_CHECKS:
        problems.extend(check(page, site))
    reading = language.measure(page)
    # The figures only: the sentences behind them would be ~100 KB a page kept and pickled.
    light = language.Reading(reading.prose.figures(), reading.page.figures(), reading.longest, [])
    work = PageWork(page.fragment, page.headings, page.terms, list(problems), light,
                    links.collect(page), advice=problems.advice_counted())
    work.worst = max((p.severity for p in work.problems), default=Severity.INFO)
    work.link_targets = frozenset(href.split("#")[0] for _, href in work.links)
    page.tokens, page.analysis = [], light     # a worker keeps nothing heavy per page
    if reread:
        page.body = None
    if env is not None:
        laid = Problems()
        layout_phase(env, site, [page], laid, put)
        work.fragment, work.laid_out, work.layout_problems = "", True, list(laid)
        page.fragment = ""
    return work


def _work_for(shared: tuple, source_path: str) -> PageWork:
    site, env, put = shared
    return markdown_phase(site.pages[source_path], site, env, put)


def page_hash(page: Page, site: Site) -> tuple:
    """A key for everything the markdown phase reads for this page: its file's front matter
    and body (the revision the parse cache gave it), the fields an easy-read page inherits,
    its bundle files and whether it has an easy-read partner. Settings, glossary, layouts and
    pictograms are in the site fingerprint (pipeline.py)."""
    partner = site.page_for(page.key, Variant.EASY_READ) is not None
    assets = tuple(a.source_path for a in page.source.assets) if page.source.assets else ()
    inherited = ()
    if page.variant is Variant.EASY_READ:
        inherited = tuple(repr(getattr(page.front, name)) for name in SHARED_FIELDS)
    return page.revision, inherited, partner, assets


def run_markdown(site: Site, problems: Problems, cache: Cache | None = None,
                 jobs: int | None = None, env=None, put=None,
                 layout_problems: Problems | None = None) -> None:
    """Fill every page's fragment, headings, terms and reading; add the problems. With `env`
    and `put` (a full build, no cache) each page is also laid out and written, and what its
    layout and HTML check found goes to `layout_problems`."""
    todo, hashes = [], {}
    for path, page in site.pages.items():
        if cache is None:                      # a full build renders every page
            todo.append(path)
            continue
        hashes[path] = page_hash(page, site)
        cached = cache.work.get(path)
        if cached is None or cached[0] != hashes[path]:
            todo.append(path)
    shared = (site, env if cache is None else None, put)
    results = dict(zip(todo, workers.fork_map(_work_for, shared, todo, jobs)))
    if cache is not None:
        cache.changed = set(todo)
        for path in list(cache.work):
            if path not in site.pages:
                del cache.work[path]
                cache.changed.add(path)
    for path, page in site.pages.items():
        if path in results:
            work = results[path]
            if cache is not None:
                cache.work[path] = (hashes[path], work)
        else:
            work = cache.work[path][1]
        page.fragment, page.headings, page.terms = work.fragment, work.headings, work.terms
        page.analysis, page.links, page.tokens = work.reading, work.links, []
        page.link_targets = work.link_targets
        page.laid_out = work.laid_out
        problems.extend(work.problems, work.worst)
        problems.count_advice(page.path, work.advice)
        if layout_problems is not None:
            layout_problems.extend(work.layout_problems)


def affected_pages(site: Site, cache: Cache | None, everything: bool) -> list[Page]:
    """The pages to lay out again: all of them, or the changed documents, their easy-read
    partners, documents that name them in `related` (before or after the change) or are
    named by them, and pages that link to them."""
    if cache is None or everything:
        return [page for page in site.pages.values() if not page.laid_out]
    keys = {"/".join(path.split("/")[:2]) for path in cache.changed}
    for path in cache.changed:                       # relations before and after the change
        keys |= cache.related.get(path, set())
        if path in site.pages:
            keys |= {r.target for r in site.pages[path].front.related}
    urls = {f"/{key}/" for key in keys} | {f"/{key}/letlaest/" for key in keys}
    result = []
    for page in site.pages.values():
        if page.key in keys or any(r.target in keys for r in page.front.related) \
                or not urls.isdisjoint(page.link_targets):
            result.append(page)
    return result


def remember_relations(site: Site, cache: Cache | None) -> None:
    if cache is not None:
        cache.related = {path: {r.target for r in page.front.related}
                         for path, page in site.pages.items()}


def layout_phase(env, site: Site, pages: list[Page], problems: Problems, put) -> None:
    """Lay out `pages`, check their HTML, and hand each to `put(output_path, html)`."""
    from .layout import render_page
    for page in pages:
        render_page(env, page, site, problems)
        problems.extend(html_check.check(page, site))
        put(page.source.output_path, page.html)
        page.html = ""              # memory stays flat: the writer has it now
