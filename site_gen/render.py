"""Render markdown, render layout and check, page by page (STYLE.md stages 4-6), with the memo.

Each page is a unit: its Markdown, the checks on its tokens, its layout and the check of its
HTML run in one pass (in a worker process when there are many pages, runner.py), and the
result is a small `PageResult` (headings, problems, reading figures, links and the digest of
the HTML it wrote), never the tokens. The result is memoised under its key (`page_keys`):
the digest of the build's inputs (memo.inputs), the page's own file and bundle files, and
the front matter of every page its layout shows (its other reading version, its related documents and the
documents that name it). A page whose key is in the memo, and whose file the writer can
still take from the last output, is not rendered at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import checks, parse, runner
from .checks import language, links
from .layout import render_page
from .markdown import render_markdown
from .memo import Memo, digest
from .model import Page, Site, Variant
from .problems import Problem, Problems, Severity


@dataclass
class PageResult:
    """What rendering one page found and wrote; small, picklable, memoised."""
    headings: list
    terms: list
    problems: list[Problem]
    reading: object                 # checks.language.Reading without its blocks
    links: list[tuple[int | None, str]]
    link_targets: frozenset = frozenset()   # the addresses `links` point to, without #parts
    worst: Severity = Severity.INFO   # of `problems`, worked out once in the worker
    advice: int = 0                 # advice counted, not in `problems` (no --advice)
    files: dict[str, str] = field(default_factory=dict)   # output path -> digest (HTML, PDF)
    html: str | None = None         # the HTML itself, only on its way to a writer in memory
    layout_problems: list[Problem] = field(default_factory=list)   # its layout's and HTML's


def page_keys(site: Site, inputs: str, fronts: dict[str, str], files: dict[str, str],
              memo: Memo) -> dict[str, str]:
    """The digest of everything each page's render reads, by source path. `fronts`: source
    path -> digest of its front matter; `files`: source path -> digest of the file's bytes.

    A key has two parts. The page's place among the others (`_place`: what its layout shows
    of other pages, whether it has ended) depends on the inputs, the date and every page's
    front matter, and nothing else: it is memoised under the digest of those, so after an
    edit to a text only the edited page's bytes are digested anew (a third of the preview's
    rebuild went on working out 4,400 places that had not changed)."""
    today = site.config.options.today
    whole = digest(inputs, "places", today.isoformat(),
                   *(f"{path}\0{front}" for path, front in fronts.items()))
    places = memo.get(whole)
    if places is None:
        places = {path: _place(page, site, inputs, fronts)
                  for path, page in site.pages.items()}
        memo.put(whole, places)
    keys = {}
    for path, page in site.pages.items():
        parts = [places[path], files[path]]
        for asset in page.source.assets:
            parts += [asset.source_path, files.get(asset.source_path, "")]
        keys[path] = digest(*parts)
    return keys


def _place(page: Page, site: Site, inputs: str, fronts: dict[str, str]) -> str:
    shown = [page]
    other = Variant.EASY_READ if page.variant is Variant.STANDARD else Variant.STANDARD
    partner = site.page_for(page.key, other)
    base = site.page_for(page.key) or page
    shown += [partner] if partner is not None else []
    shown += [target for target in (site.page_for(r.target) for r in base.front.related)
              if target is not None]
    shown += [named for named, _ in site.inbound(page.key)]
    # The build's date reaches a page only through whether each document it shows has
    # ended or ends soon (model.timing), and whether its own is more than a year old (the
    # easy-read checks call an old document "ny": issue 26). Those, not the date, are in the
    # key, so the memo holds across days and still sees the day a period runs out.
    return digest(inputs, "page", page.variant.value, "no partner" if partner is None else "",
                  site.age_of(page),
                  *(f"{p.source.source_path}\0{fronts.get(p.source.source_path, '')}\0"
                    f"{site.timing_of(p)}" for p in shown))


def render_pages(site: Site, problems: Problems, memo: Memo, keys: dict[str, str],
                 writer, env, laid: Problems) -> dict[str, PageResult]:
    """Give every page its headings, links and reading figures and add its problems; pages
    whose result the memo and the writer can reuse are not rendered. New HTML goes to
    `writer` (a full build's workers write it themselves); what the layouts and the HTML
    check found goes to `laid`. Returns the results of the pages rendered, by source path."""
    reused = {path: result for path in site.pages
              if (result := writer.reuse_memoised(keys[path])) is not None}
    todo = [path for path in site.pages if path not in reused]
    if todo:
        writer.open()                         # the workers write into its staging folder
    results = dict(zip(todo, runner.run_all(_render_one, (site, env, writer), todo)))
    for path, result in results.items():
        if result.html is not None:
            writer.put(site.pages[path].source.output_path, result.html)
            result.html = None
        else:
            writer.wrote(result.files)
        if result.files:                      # not a file that changed during the build
            memo.put(keys[path], result)
    for path, page in site.pages.items():
        result = results.get(path) or reused[path]
        page.headings, page.terms, page.analysis = result.headings, result.terms, result.reading
        page.links, page.link_targets = result.links, result.link_targets
        page.tokens, page.fragment, page.html = [], "", ""
        if result.problems:                  # most pages have none: no call for nothing
            problems.extend(result.problems, result.worst)
        if result.advice:
            problems.count_advice(page.path, result.advice)
        if result.layout_problems:
            laid.extend(result.layout_problems)
    return results


def _render_one(shared: tuple, source_path: str) -> PageResult:
    site, env, writer = shared
    return render_one(site.pages[source_path], site, env, writer)


def markdown_and_checks(page: Page, site: Site, found: Problems):
    """Stages 4 and 6 of one page's text: its Markdown, the checks on its tokens and its
    reading figures. The build runs it on the file; the browser editor on the text being
    written (editor/web.py), so what the editor says while writing is what the build says."""
    config = site.config
    terms = site.glossary.for_municipality(page.front.municipality) if site.glossary else ()
    render_markdown(page, found, terms, site.pictograms, config.allow_html, site.layout_ids,
                    config.site_url)
    for check in checks.TOKEN_CHECKS:
        found.extend(check(page, site))
    return language.measure(page)


def render_one(page: Page, site: Site, env, writer) -> PageResult:
    """Markdown, the checks on its tokens, the layout and the HTML check of one page. The
    body is read again from the file (a full build keeps no bodies in memory)."""
    config = site.config
    found = Problems(keep_advice=config.options.advice)
    if not parse.read_body(config, page, found):
        return PageResult([], [], list(found), None, [], worst=Severity.ERROR)
    reading = markdown_and_checks(page, site, found)
    # The figures only: the sentences behind them would be ~100 KB a page kept and pickled.
    light = language.Reading(reading.prose.figures(), reading.page.figures(), reading.longest, [])
    result = PageResult(page.headings, page.terms, [], light, links.collect(page),
                        advice=found.advice_counted())
    result.link_targets = frozenset(href.split("#")[0] for _, href in result.links)
    page.tokens, page.analysis, page.body = [], light, None
    result.problems = list(found)
    result.worst = max((p.severity for p in result.problems), default=Severity.INFO)
    laid = Problems()
    render_page(env, page, site, laid)
    for check in checks.HTML_CHECKS:
        laid.extend(check(page, site))
    result.layout_problems = list(laid)
    sha, result.html = writer.write_page(page.source.output_path, page.html)
    result.files = {page.source.output_path: sha}
    page.html = page.fragment = ""              # memory stays flat: the writer has it now
    return result
