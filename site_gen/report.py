"""The readability report for editors (issue 4): per page the LIX and its band, the longest
sentence and the number of problems, printed after the build and published at
/sprograpport/ (not linked from the navigation, kept out of search engines) with
/sprograpport/rapport.json beside it for other tools."""
from __future__ import annotations

import json
from dataclasses import fields, dataclass

from . import layout
from .checks.language import measure
from .lix import band
from .model import Site
from .outputs import REPORT_FOLDER
from .problems import Problems, Severity


@dataclass
class Row:
    path: str                # relative to the content folder: the published report holds no
                             # path of the machine it was built on (issue 14)
    url: str
    variant: str
    words: int
    lix: int | None          # prose LIX on standard pages, page LIX on easy-read pages
    band: str
    longest_sentence: int
    errors: int
    warnings: int
    advice: int


def make_rows(site: Site, problems: Problems) -> list[Row]:
    counts = problems.by_page()
    rows = []
    for page in site.pages.values():
        reading = measure(page)
        count = reading.page if page.variant.value == "easy-read" else reading.prose
        lix = count.rounded if count.words >= 100 else None
        rows.append(Row(page.source.source_path, page.url, page.variant.value, reading.page.words, lix,
                        band(lix) if lix is not None else "for kort tekst",
                        reading.longest, counts[(page.path, Severity.ERROR)],
                        counts[(page.path, Severity.WARNING)], counts[(page.path, Severity.INFO)]))
    return rows


def format_table(rows: list[Row]) -> str:
    header = ("page", "LIX", "band", "longest", "err", "warn", "advice")
    lines = [(r.path, "-" if r.lix is None else str(r.lix), r.band, str(r.longest_sentence),
              str(r.errors), str(r.warnings), str(r.advice)) for r in rows]
    widths = [max(len(x) for x in column) for column in zip(header, *lines)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths))]
    out += ["  ".join(c.ljust(w) for c, w in zip(line, widths)) for line in lines]
    return "\n".join(out)


def to_json(rows: list[Row]) -> str:
    names = [f.name for f in fields(Row)]         # asdict() is ten times slower
    return json.dumps({"pages": [{n: getattr(r, n) for n in names} for r in rows]},
                      ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_report(env, site: Site, rows: list,
                  problems: Problems) -> list[tuple[str, str]]:
    """The editors' readability page and its JSON (report.py) as (output_path, text)."""
    config = site.config
    html = layout.render_template(env, "report.html", {"rows": rows},
                           config.display(config.layout_dirs[0] / "report.html"), problems)
    pages = [(f"{REPORT_FOLDER}/index.html", html)] if html is not None else []
    return pages + [(f"{REPORT_FOLDER}/rapport.json", to_json(rows))]
