"""The build in seven stages (STYLE.md): discover, parse, validate, render markdown, render
layout, check, write. This is the only place that runs them, in this order, for the command
line and for the preview alike (issue 15): the preview passes a memo kept in memory, the
command line one kept on disk, and each stage reuses what the memo holds for the same inputs.

Stages 4-6 run page by page (render.py), each page in one pass in a worker process, and a
full build's workers write each finished page into the staging folder; checks across pages
(link targets) run after. Nothing is published unless the whole build is free of errors.
"""
from __future__ import annotations

import os
import pickle
import time
from pathlib import Path
from dataclasses import dataclass

from . import discover, write
from .config import BuildOptions, display_path, load_config
from .lazy import lazy
from .memo import LastBuild, Memo, digest, file_digests, inputs_digest
from .model import Site, Variant
from .problems import Problems

# The stages after discovery, imported when a build gets that far (lazy.py).
parse, validate = lazy("site_gen.parse"), lazy("site_gen.validate")
layout, render = lazy("site_gen.layout"), lazy("site_gen.render")
checks, html_check = lazy("site_gen.checks"), lazy("site_gen.checks.html")
easy_read, pictograms = lazy("site_gen.checks.easy_read"), lazy("site_gen.pictograms")
report = lazy("site_gen.report")


@dataclass
class BuildResult:
    site: Site | None
    problems: Problems
    pages_written: int
    seconds: float
    wrote: bool
    report: list = None           # readability rows (report.Row), when the site was checked
    edited: frozenset = frozenset()   # the files the preview saw change, as problems name them
    base_url: str = ""            # where the site is to be published (site.yaml, --base-url)
    drafts: int = 0               # documents left out because they are drafts (issue 27)


def build_site(options: BuildOptions, memo: Memo | None = None) -> BuildResult:
    """Build the site; publish it only when there are no errors (no warnings under --strict).
    Raises write.OutputRefused, before anything is read or written, when the output folder
    may not be written. One command-line build at a time writes into an output folder
    (write.output_lock); the preview writes only into its own."""
    started = time.perf_counter()
    memo = memo if memo is not None else Memo()
    refused = write.refuse_output(options)
    if refused is not None:
        raise write.OutputRefused(refused)
    if options.preview:
        return _build(options, memo, started)
    with write.output_lock(write.site_path(options.output_dir)):
        return _build(options, memo, started)


def _build(options: BuildOptions, memo: Memo, started: float) -> BuildResult:
    if not options.preview:
        write.clean_leftovers(write.site_path(options.output_dir))    # of killed builds
    problems = Problems(keep_advice=options.advice)
    site, rows, written, wrote, drafts = None, None, 0, False, 0
    config = load_config(options, problems)                               # 1. settings
    if config is not None:
        inputs = inputs_digest(options, config.layout_dirs)
        sources = _discover(config, problems, memo, inputs)              # 2. discover
        paths = [s.source_path for s in sources] + \
            [a.source_path for s in sources for a in s.assets]
        files = file_digests(memo, options.content_dir, list(dict.fromkeys(paths)))
        # The preview builds when its watcher saw a change: it never asks this.
        whole = None if options.preview else whole_build_key(options, inputs, sources,
                                                             problems, files)
        said = (len(problems), problems.advice_by_path())     # said again anyway, next time
        if whole is not None and _as_last_time(options, memo, whole, problems):
            write.server_settings(config, write.site_path(options.output_dir), problems)
            memo.finish(success=True, forget_unused=False)            # nothing else to do
            return BuildResult(None, problems, memo.last.pages,
                               time.perf_counter() - started, True, memo.last.rows,
                               base_url=config.base_url, drafts=memo.last.drafts)
        discover.check_published_files(config, sources, problems, memo, files)  # 2b.
        keys = {s.source_path: digest(inputs, "parse", s.source_path, files[s.source_path])
                for s in sources}
        site = parse.read_site(config, sources, problems, memo, keys)     # 3. parse
        drafts = 0 if options.drafts else leave_out_drafts(site)
        validate.check_site(site, problems)                               # 4. validate
    # Pages are rendered and checked even when some have errors (issue 30): a page whose
    # front matter has an error has stand-ins for it (parse.py), so one build names every
    # problem of every file; the errors stop the publication, never the checks.
    loaded = Problems()
    if site is not None:
        site.pictograms = pictograms.load_pictograms(config.layout_dirs, config.display, loaded)
        site.phrases = easy_read.load_phrases(config.layout_dirs, config.display, loaded)
        site.layout_ids = layout.layout_ids(config, loaded)
        problems.extend(loaded)
    if site is not None and not loaded.has_errors():    # a layout that cannot be read: stop
        writer = (write.InPlaceWriter if options.preview else write.StagingWriter)(
            options.output_dir, memo)
        try:
            env = _environment(config, memo, inputs)
            fronts = {path: page.front_digest for path, page in site.pages.items()}
            keys = render.page_keys(site, inputs, fronts, files, memo)
            laid = Problems()                       # what the layouts and HTML checks found
            fresh = render.render_pages(site, problems, memo, keys, writer, env, laid)
            for page in site.pages.values():                              # 5-6. render, check
                for check in checks.SITE_CHECKS:                          # 7. across pages
                    problems.extend(check(page, site))
            problems.extend(laid)
            rows = _listings_and_report(env, site, problems, writer, memo, inputs, fronts)
            if problems.has_errors(strict=options.strict):
                writer.abort()
            else:                                                         # 8. write
                try:
                    written = write.publish(site, writer, memo, inputs, files, fresh)
                    wrote = True
                except write.ContentChanged as exc:       # named, not "the disk" (issue 31)
                    parse.report_vanished(exc.path, problems)
                    writer.abort()
                if wrote and whole is not None:
                    memo.remember(_last_build(whole, problems, said, rows, written, writer,
                                              drafts))
                if wrote and not options.preview:
                    write.server_settings(config, write.site_path(options.output_dir),
                                          problems)
        except BaseException:
            writer.abort()
            raise
    memo.finish(success=wrote)
    edited = frozenset(display_path(options, Path(path)) for path in memo.watched or ())
    return BuildResult(site, problems, written, time.perf_counter() - started, wrote, rows,
                       edited, config.base_url if config is not None else "", drafts)


def leave_out_drafts(site: Site) -> int:
    """Take the documents whose status is draft out of a published build, with their
    easy-read pages (issue 27): they are read and checked no further, and no listing, feed or
    search index names them. Returns how many documents were left out. A page whose status
    could not be read is kept: its stand-in is 'draft', and its errors must all be said."""
    drafts = {page.key for page in site.pages.values()
              if page.variant is Variant.STANDARD and page.front.status == "draft"
              and "status" not in page.unread}
    if drafts:
        site.pages = {path: page for path, page in site.pages.items() if page.key not in drafts}
        site.by_url = {url: page for url, page in site.by_url.items() if page.key not in drafts}
    return len(drafts)


def whole_build_key(options: BuildOptions, inputs: str, sources: list, problems: Problems,
                    files: dict[str, str]) -> str:
    """The digest of everything a build reads: the inputs (code, settings, glossary, layouts,
    options), the date (review warnings; whether a page has ended), --strict and the output
    folder, what discovery found and said, and the bytes of every file it found."""
    found = pickle.dumps((sources, list(problems)), protocol=pickle.HIGHEST_PROTOCOL)
    return digest(inputs, "build", options.today.isoformat(), repr(options.strict),
                  str(write.site_path(options.output_dir)), found,
                  *(f"{path}\0{sha}" for path, sha in sorted(files.items())))


def _as_last_time(options: BuildOptions, memo: Memo, whole: str, problems: Problems) -> bool:
    """When the last build read exactly these inputs and the output folder still holds
    exactly what it published, that build is this build: its problems are said again and
    nothing else is done (a build of 4,400 pages where nothing changed: issue 15)."""
    last = memo.last
    if last is None or last.key != whole or \
            not write.still_published(options.output_dir, memo, last.files):
        return False
    problems.extend(last.problems)
    for path, number in last.advice.items():
        problems.count_advice(path, number)
    return True


def _last_build(whole: str, problems: Problems, said: tuple, rows, pages: int,
                writer, drafts: int) -> LastBuild:
    """What this build said after discovery (`said`: how much it had said by then) and what
    it published, to be said again while nothing changes."""
    before = said[1]
    advice = {path: number - before.get(path, 0)
              for path, number in problems.advice_by_path().items()
              if number != before.get(path)}
    return LastBuild(whole, list(problems)[said[0]:], advice, rows, pages, dict(writer.files),
                     drafts)


def _discover(config, problems: Problems, memo: Memo, inputs: str):
    """Discovery, reused in the preview while its watcher saw only known files change (an
    edit adds, removes and renames nothing; settings and layouts are in `inputs`)."""
    if not config.options.preview:        # the command line: nobody watched, look at all
        return discover.find_sources(config, problems)
    key = digest(inputs, "discovery")
    known = memo.get(key)
    content = str(config.options.content_dir)
    if known is not None and memo.watched is not None and all(
            path in known[2] and os.path.isfile(path) for path in memo.watched):
        problems.extend(known[1])
        return known[0]
    found = Problems()
    sources = discover.find_sources(config, found)
    files = {f"{content}/{path}" for s in sources
             for path in (s.source_path, *(a.source_path for a in s.assets))}
    memo.put(key, (sources, list(found), files))
    problems.extend(found)
    return sources


def _environment(config, memo: Memo, inputs: str):
    """The layouts' Jinja environment, kept in memory for the next build (the preview's)
    while the inputs are the same, so its templates are compiled once, not on every edit;
    the command line keeps the compiled templates in its memo folder."""
    kept = memo.live.get("environment")
    if kept is not None and kept[0] == inputs:
        env = kept[1]
    else:
        env = layout.make_environment(config, memo.folder("jinja", inputs),
                                      getattr(memo, "seal", None))
        memo.live["environment"] = (inputs, env)
    env.globals["site"] = config
    return env


def _listings_and_report(env, site: Site, problems: Problems, writer, memo: Memo,
                         inputs: str, fronts: dict[str, str]):
    """The listings, search page, statement, feed and sitemap (memoised on every page's front
    matter and whether it has ended today), then the readability report (the preview makes it
    on request, serve.py)."""
    key = digest(inputs, "listings", *(f"{path}\0{front}\0{site.timing_of(site.pages[path])}"
                                       for path, front in fronts.items()))
    listed = writer.reuse_memoised(key)
    if listed is None:
        site.extra_pages, found = [], Problems()
        layout.render_listings(env, site, found)
        for output_path, text in site.extra_pages:
            if output_path.endswith(".html") and not output_path.startswith("was/"):
                found.extend(html_check.check_html(text, f"{output_path} (layout)", site))
        for output_path, text in site.extra_pages:
            writer.put(output_path, text)
        listed = write.Made({path: writer.files[path] for path, _ in site.extra_pages},
                            list(found))
        memo.put(key, listed)
    problems.extend(listed.problems)
    if site.config.options.preview:
        return None
    rows = report.make_rows(site, problems)
    key = digest(inputs, "report", repr(rows))
    if writer.reuse_memoised(key) is None:
        files = report.render_report(env, site, rows, problems)
        for output_path, text in files:
            writer.put(output_path, text)
        memo.put(key, write.Made({path: writer.files[path] for path, _ in files}))
    return rows
