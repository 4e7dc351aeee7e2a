"""The build in seven stages (STYLE.md): discover, parse, validate, render markdown,
render layout, check, write. This is the only place that runs them, in this order.

Two refinements of the guide's sketch, for speed and memory (issue 7): stages 4-6 run page
by page (render.py), in a full build all in the worker that rendered the page, and the write
stage opens before them, so each finished page goes to a staging folder instead of staying
in memory. Checks across pages (link targets) run after. Nothing is published unless the
whole build is free of errors.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from . import discover, layout, parse, render, report, validate
from .checks import html as html_check
from .checks import links
from .config import BuildOptions, load_config
from .model import Site
from .pictograms import load_pictograms
from .checks.easy_read import load_phrases
from .problems import Problems
from .write import OutputRefused, Writer, clean_leftovers, refuse_output


@dataclass
class BuildResult:
    site: Site | None
    problems: Problems
    pages_written: int
    seconds: float
    wrote: bool
    report: list = None           # readability rows (report.Row), when the site was checked


def build_site(options: BuildOptions, cache: render.Cache | None = None,
               changed: set[str] | None = None) -> BuildResult:
    """Build the site; publish it only when there are no errors (no warnings under --strict).
    With a `cache` (the preview server) unchanged pages are not rendered again and only
    changed files are rewritten in the output folder; `changed`, the files the watcher saw
    change (absolute paths), lets an edit of existing documents skip discovery.

    Raises write.OutputRefused when the output folder may not be written."""
    started = time.perf_counter()
    refused = refuse_output(options)        # before anything is read or written (issue 14)
    if refused is not None:
        raise OutputRefused(refused)
    if cache is None:
        clean_leftovers(options.output_dir.resolve())    # of builds that were killed
    problems = Problems(keep_advice=options.advice)
    config = load_config(options, problems)
    site, rows, written, wrote = None, None, 0, False
    if config is not None:
        sources = render.sources(config, problems, cache, changed)
        site = parse.read_site(config, sources, problems, cache.parsed if cache else None)
        validate.check_site(site, problems)
    if site is not None and not problems.has_errors():
        site.pictograms = load_pictograms(config.layout_dirs, config.display, problems)
        site.phrases = load_phrases(config.layout_dirs, config.display, problems)
        site.layout_ids = layout.layout_ids(config, problems)
    if site is not None and not problems.has_errors():   # a layout that cannot be read: stop
        everything = _fingerprint_changed(site, cache)
        env = _environment(config, cache, everything)
        writer = Writer(options.output_dir, cache)
        try:
            laid = Problems()                 # what the layouts and HTML checks found
            render.run_markdown(site, problems, cache, env=env, put=writer.put,
                                layout_problems=laid)
            for page in site.pages.values():
                problems.extend(links.check_targets(page, site))
            if not problems.has_errors():
                problems.extend(laid)
                rows = _lay_out(env, site, problems, writer, cache, everything)
                render.remember_relations(site, cache)
            if problems.has_errors(strict=options.strict):
                writer.abort()
            else:
                written, wrote = writer.finish(site), True
        except BaseException:
            writer.abort()
            raise
    return BuildResult(site, problems, written, time.perf_counter() - started, wrote, rows)


def _lay_out(env, site: Site, problems: Problems, writer: Writer, cache, everything: bool):
    """Documents, then the listings (reused by the preview while no front matter changed),
    then the readability report (made on request by the preview, serve.py)."""
    render.layout_phase(env, site, render.affected_pages(site, cache, everything), problems,
                        writer.put)
    if cache is not None and not everything and not cache.parsed.fronts_changed \
            and cache.listings is not None:
        site.extra_pages, found = list(cache.listings[0]), cache.listings[1]
    else:
        site.extra_pages, mine = [], Problems()
        layout.render_listings(env, site, mine)
        for output_path, text in site.extra_pages:      # listings, search, statement ...
            if output_path.endswith(".html") and not output_path.startswith("was/"):
                mine.extend(html_check.check_html(text, f"{output_path} (layout)", site))
        found = list(mine)
        if cache is not None:
            cache.listings = (list(site.extra_pages), found)
    problems.extend(found)
    rows = None
    if not site.config.options.preview:
        rows = report.make_rows(site, problems)
        site.extra_pages += layout.render_report(env, site, rows, problems)
    for output_path, text in site.extra_pages:
        writer.put(output_path, text)
    return rows


def _environment(config, cache: render.Cache | None, everything: bool):
    """The Jinja environment; the preview keeps its compiled layouts while they stay the same."""
    if cache is None or everything or cache.environment is None:
        env = layout.make_environment(config)
        if cache is not None:
            cache.environment = env
        return env
    cache.environment.globals["site"] = config
    return cache.environment


def _fingerprint_changed(site: Site, cache: render.Cache | None) -> bool:
    """Whether anything every page depends on changed: settings, glossary, layouts, pictograms."""
    if cache is None:
        return True
    config = site.config
    digest = hashlib.sha256(repr((config.title, config.base_url, config.statement,
                                  config.municipalities, config.navigation, config.pdf,
                                  config.search, config.allow_html)).encode())
    digest.update(repr(site.glossary).encode())
    for folder in config.layout_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "assets" not in path.relative_to(folder).parts[:1]:
                digest.update(path.read_bytes())
    changed = digest.hexdigest() != cache.fingerprint
    if changed:
        cache.work.clear()
    cache.fingerprint = digest.hexdigest()
    return changed
