"""What the calendar does to a document (issue 26): model.timing at the edges of a period
given as a year, a month and a date, and last_day for every partial date."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from site_gen.model import ENDING_DAYS, FrontMatter, Period, last_day, shown_status, timing


def _front(end: str | None, status: str = "in-force", kind: str = "policy",
           start: str | None = "2023") -> FrontMatter:
    return FrontMatter(title="Plan", summary="Kort.", kind=kind, status=status,
                       municipality="testby", period=Period(start, end) if end or start else None)


@pytest.mark.parametrize("end, last, first_ended", [
    ("2026", dt.date(2026, 12, 31), dt.date(2027, 1, 1)),
    ("2026-02", dt.date(2026, 2, 28), dt.date(2026, 3, 1)),
    ("2028-02", dt.date(2028, 2, 29), dt.date(2028, 3, 1)),
    ("2026-12", dt.date(2026, 12, 31), dt.date(2027, 1, 1)),
    ("2026-06-30", dt.date(2026, 6, 30), dt.date(2026, 7, 1)),
])
def test_a_period_ends_after_its_last_day(end, last, first_ended):
    front = _front(end)
    assert last_day(end) == last
    assert timing(front, last) == "ending"
    assert timing(front, first_ended) == "ended"
    assert shown_status(front, last) == "in-force"
    assert shown_status(front, first_ended) == "expired"
    assert timing(front, last - dt.timedelta(days=ENDING_DAYS)) == "current"
    assert timing(front, last - dt.timedelta(days=ENDING_DAYS - 1)) == "ending"


def test_31_december_and_1_january():
    front = _front("2026")
    assert timing(front, dt.date(2026, 12, 31)) == "ending"
    assert timing(front, dt.date(2027, 1, 1)) == "ended"


def test_only_documents_that_apply_are_ended_by_the_calendar():
    """A status report's period is what it covers; a draft has not started to apply; an
    author's own ended status is kept as written."""
    after = dt.date(2030, 1, 1)
    assert timing(_front("2026", kind="status-report"), after) == "current"
    assert timing(_front("2026", status="draft"), after) == "current"
    assert timing(_front("2026", status="in-hearing"), after) == "current"
    assert shown_status(_front("2026", status="replaced"), after) == "replaced"
    assert timing(_front(None, status="expired", start=None), dt.date(2000, 1, 1)) == "ended"
    assert timing(_front(None), after) == "current"           # no end: never ended by a date


@given(st.integers(1900, 2200), st.integers(1, 12))
def test_last_day_of_a_month_is_the_day_before_the_next_month(year, month):
    day = last_day(f"{year}-{month:02d}")
    assert (day.year, day.month) == (year, month)
    assert (day + dt.timedelta(days=1)).day == 1


@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)))
def test_last_day_of_a_full_date_is_that_date(day):
    assert last_day(day.isoformat()) == day
    assert last_day(str(day.year)) == dt.date(day.year, 12, 31)
