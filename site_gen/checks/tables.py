"""Data tables are whole: every body row has as many cells as the header (WCAG 1.3.1).
Captions and header rows are enforced while rendering (markdown/tables.py). Code: table-shape."""
from __future__ import annotations

from typing import Iterable

from ..i18n import _
from ..model import Page, Site
from ..problems import Problem, Severity


def check(page: Page, site: Site) -> Iterable[Problem]:
    columns, row_cells, row_line = 0, 0, None
    for token in page.tokens:
        if token.type == "table_open":
            columns = 0
        elif token.type == "tr_open":
            row_cells, row_line = 0, token.map[0] + page.body_line if token.map else None
        elif token.type in ("th_open", "td_open"):
            row_cells += 1
        elif token.type == "tr_close":
            if columns == 0:
                columns = row_cells
            elif row_cells < columns:
                yield Problem(page.path, row_line, Severity.WARNING, "table-shape",
                              _("this row has {row_cells} cells but the table has {columns} columns; "
                                 "fill the empty cells (write '–' for nothing)").format(row_cells=row_cells, columns=columns))
