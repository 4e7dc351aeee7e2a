"""The readability report for editors (issue 4): per page the LIX and its band, the longest
sentence, the number of problems and which easy-read rules the page breaks (issue 19),
printed after the build and published at /sprograpport/ (not linked from the navigation,
kept out of search engines) with /sprograpport/rapport.json beside it for other tools."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import fields, dataclass

from .lazy import lazy
from .lix import band
from .model import Site
from .outputs import REPORT_DATA, REPORT_PAGE
from .problems import Problems, Severity

# Only making the report needs these; printing its table does not (lazy.py).
layout, language = lazy("site_gen.layout"), lazy("site_gen.checks.language")


# Danish names of the easy-read rules for the report's table (the codes stay in rapport.json).
FINDING_LABELS = {
    "er-sentence": "lang sætning", "er-lix": "LIX", "er-summary": "'Det vigtigste' mangler",
    "er-abbreviation": "forkortelse", "er-percent": "procent", "er-emphasis": "kursiv",
    "er-length": "lang side", "er-picture": "billede mangler",
    "er-line": "flere sætninger på en linje", "er-pronoun": "'man' eller 'De'",
    "er-hard-word": "svært ord", "er-phrase": "billedligt udtryk", "er-passive": "passiv",
    "er-number-word": "tal skrevet med ord", "er-address": "'vi' og 'kommunen'",
    "er-status": "siger ikke, at den er udløbet", "er-contact": "'Hvem kan jeg spørge?' mangler",
    "er-layout-abbreviation": "forkortelse i layoutet",
}


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
    findings: dict[str, int]  # easy-read rules hit on the page: code -> times (issue 19)

    @property
    def labels(self) -> list[str]:
        """'passiv (2 gange)' for each easy-read rule the page breaks, as the report shows it."""
        return [FINDING_LABELS.get(code, code) + (f" ({times} gange)" if times > 1 else "")
                for code, times in self.findings.items()]


def make_rows(site: Site, problems: Problems) -> list[Row]:
    counts = problems.by_page()
    findings: dict[str, Counter] = {}
    for problem in problems:
        if problem.code.startswith("er-"):
            findings.setdefault(problem.path, Counter())[problem.code] += 1
    rows = []
    for page in site.pages.values():
        reading = language.measure(page)
        count = reading.page if page.variant.value == "easy-read" else reading.prose
        lix = count.rounded if count.words >= 100 else None
        rows.append(Row(page.source.source_path, page.url, page.variant.value, reading.page.words, lix,
                        band(lix) if lix is not None else "for kort tekst",
                        reading.longest, counts[(page.path, Severity.ERROR)],
                        counts[(page.path, Severity.WARNING)], counts[(page.path, Severity.INFO)],
                        dict(sorted(findings.get(page.path, Counter()).items()))))
    return rows


def format_table(rows: list[Row]) -> str:
    from .i18n import _
    header = (_("page"), "LIX", _("band"), _("longest"), _("err"), _("warn"), _("advice"))
    lines = [(r.path, "-" if r.lix is None else str(r.lix), r.band, str(r.longest_sentence),
              str(r.errors), str(r.warnings), str(r.advice)) for r in rows]
    widths = [max(len(x) for x in column) for column in zip(header, *lines)]
    row = "  ".join(f"{{:<{width}}}" for width in widths)
    return "\n".join(row.format(*line) for line in (header, *lines))


def to_json(rows: list[Row]) -> str:
    """{"pages": [...]} with one page a line: readable, and written by json's C encoder
    (indent= makes it use the Python one: a tenth of a second for 4,400 pages)."""
    names = [f.name for f in fields(Row)]         # asdict() is ten times slower
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
    lines = ",\n".join(encode({n: getattr(r, n) for n in names}) for r in rows)
    return '{"pages": [\n' + lines + "\n]}\n" if rows else '{"pages": []}\n'


def render_report(env, site: Site, rows: list,
                  problems: Problems) -> list[tuple[str, str]]:
    """The editors' readability page and its JSON (report.py) as (output_path, text)."""
    config = site.config
    html = layout.render_template(env, REPORT_PAGE.layout, {"rows": rows},
                           config.display(config.layout_dirs[0] / REPORT_PAGE.layout), problems)
    pages = [(REPORT_PAGE.path, html)] if html is not None else []
    return pages + [(REPORT_DATA.path, to_json(rows))]
