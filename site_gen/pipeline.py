"""The build in seven stages (STYLE.md): discover, parse, validate, render markdown,
render layout, check, write. This is the only place that runs them, in this order."""
from __future__ import annotations

import time
from dataclasses import dataclass

from . import checks, discover, layout, parse, report, validate, write
from .config import BuildOptions, load_config
from .markdown import render_markdown
from .model import Site
from .pictograms import load_pictograms
from .problems import Problems


@dataclass
class BuildResult:
    site: Site | None
    problems: Problems
    pages_written: int
    seconds: float
    wrote: bool
    report: list = None           # readability rows (report.Row), when the site was checked


def build_site(options: BuildOptions) -> BuildResult:
    """Build the site; write it only when there are no errors (no warnings under --strict)."""
    started = time.perf_counter()
    problems = Problems()
    config = load_config(options, problems)
    site, rows = None, None
    if config is not None:
        site = parse.read_site(config, discover.find_sources(config, problems), problems)
        validate.check_site(site, problems)
        if not problems.has_errors():
            env = render_all(site, problems)
            checks.run_all(site, problems)
            rows = report.make_rows(site, problems)
            layout.render_report(env, site, rows, problems)
    written, wrote = 0, False
    if site is not None and not problems.has_errors(strict=options.strict):
        written = write.write_site(site, options.output_dir)
        wrote = True
    return BuildResult(site, problems, written, time.perf_counter() - started, wrote, rows)


def render_all(site: Site, problems: Problems):
    """Render markdown, then layouts; returns the Jinja environment for later pages."""
    env = layout.make_environment(site.config)
    config = site.config
    site.pictograms = load_pictograms(config.layout_dirs, config.display, problems)
    for page in site.pages.values():
        terms = site.glossary.for_municipality(page.front.municipality) if site.glossary else []
        render_markdown(page, problems, terms, site.pictograms, config.allow_html)
    for page in site.pages.values():     # layouts may use every page's headings
        layout.render_page(env, page, site, problems)
    layout.render_listings(env, site, problems)
    return env
