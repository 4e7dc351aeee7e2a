"""The front matter splitter and YAML loading: properties and the traps of YAML 1.1."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings, strategies as st

from site_gen import schema
from site_gen.model import FrontMatter, Period, Relation
from site_gen.parse import EASY_READ_FRONT_MATTER, FRONT_MATTER, split_front_matter
from site_gen.problems import ContentError, Problems
from site_gen.yamlsafe import load_yaml

# These tests check behaviour with the English messages (issue 17: Danish is the default).
pytestmark = pytest.mark.english


def _read(yaml_text: str) -> tuple[dict | None, Problems]:
    problems = Problems()
    try:
        data = load_yaml(yaml_text, "x.md", 1, problems)
    except ContentError:
        return None, problems
    return schema.read_fields(data, FRONT_MATTER, "x.md", problems, 2), problems


BASE = "title: T\nsummary: S\nkind: policy\nstatus: in-force\n"


def test_split_keeps_body_line():
    split = split_front_matter("---\ntitle: a\n---\nbody\n")
    assert split.yaml == "title: a"
    assert split.body == "body\n"
    assert split.body_line == 4


def test_split_refuses_unclosed_and_missing():
    assert split_front_matter("---\ntitle: a\n") is None
    assert split_front_matter("title: a\n---\n") is None


@given(st.text())
@settings(max_examples=300)
def test_split_never_raises_and_lines_stay_inside_the_file(text):
    split = split_front_matter(text)
    if split is not None:
        total = text.count("\n") + 1
        assert 1 <= split.body_line <= total + 1
        assert text.endswith(split.body)


@given(st.text())
@settings(max_examples=300)
def test_yaml_loading_raises_only_our_problem_type(text):
    problems = Problems()
    try:
        load_yaml(text, "x.md", 1, problems)
    except ContentError:
        assert problems.has_errors()
        for problem in problems:
            assert problem.line is None or 1 <= problem.line <= text.count("\n") + 3


@pytest.mark.parametrize("value", ["no", "NO", "yes", "off", "12:30", "0700", "1e3", "~x"])
def test_yaml_11_values_stay_text(value):
    values, problems = _read(BASE.replace("summary: S", f"summary: {value}"))
    assert not problems.has_errors()
    assert values["summary"] == value


def test_duplicate_key_is_an_error_with_both_lines():
    values, problems = _read(BASE + "title: Again\n")
    [problem] = list(problems)
    assert problem.code == "duplicate-key"
    assert problem.line == 6
    assert "first on line 2" in problem.message


def test_impossible_date_is_an_error():
    values, problems = _read(BASE + "adopted: 2024-02-30\n")
    assert [p.code for p in problems] == ["bad-date"]
    assert values is None


def test_date_is_typed():
    values, problems = _read(BASE + "adopted: 2011-06-28\n")
    assert values["adopted"] == dt.date(2011, 6, 28)


def test_unknown_key_suggests_the_right_one():
    values, problems = _read(BASE + "sumary: x\n")
    [problem] = list(problems)
    assert problem.code == "unknown-key"
    assert "did you mean 'summary'?" in problem.message


def test_missing_keys_are_named_in_declaration_order():
    values, problems = _read("layout: document\n")
    assert values is None
    assert [(p.code, p.line, p.message) for p in problems] == [
        ("missing-field", 2, f"the front matter needs '{key}'")
        for key in ("title", "summary", "kind", "status")]


def test_an_easy_read_page_needs_only_title_and_summary():
    problems = Problems()
    data = load_yaml("layout: easy-read\n", "x.md", 1, problems)
    assert schema.read_fields(data, EASY_READ_FRONT_MATTER, "x.md", problems, 2) is None
    assert [p.message for p in problems] == ["the front matter needs 'title'",
                                             "the front matter needs 'summary'"]


def test_every_key_an_author_may_write_is_read_into_front_matter():
    """Each key (checked by hand here) is typed by its reader and lands on FrontMatter."""
    written = BASE + (
        "municipality: testby\nadopted: 2023-06-28\nissued: 2023-06\nupdated: 2024-01-15\n"
        "review_by: 2026-06-01\nperiod:\n  from: 2023\n  to: 2026\nrelated:\n"
        "  - page: testby/andet\n    relation: see-also\nhistory:\n  - date: 2024-01-15\n"
        "    note: Rettet.\nlayout: document\nlang: en\ntested_by: Læsere\n"
        "tested_on: 2024-02-01\nwritten_by: Kommunikation\nextra:\n  farve: blå\n")
    values, problems = _read(written)
    assert not list(problems)
    front = FrontMatter(**values)
    assert front.period == Period(start="2023", end="2026")
    assert front.related == [Relation(target="testby/andet", kind="see-also", line=15)]
    assert front.history[0].date == dt.date(2024, 1, 15) and front.review_by == dt.date(2026, 6, 1)
    assert front.tested_on == dt.date(2024, 2, 1) and front.extra == {"farve": "blå"}
    assert set(values) == set(FRONT_MATTER) == {line.split(":")[0] for line in written.splitlines()
                                                if not line.startswith(" ")}


@pytest.mark.parametrize("text,kind", [("- a\n- b\n", "a list"), ("just text\n", "a single value")])
def test_front_matter_must_be_a_mapping(text, kind):
    values, problems = _read(text)
    [problem] = list(problems)
    assert problem.code == "not-a-mapping" and kind in problem.message


def test_deep_nesting_is_reported_not_raised():
    deep = "extra: " + "[" * 2000 + "]" * 2000 + "\n"
    values, problems = _read(BASE + deep)
    assert values is None
    assert [p.code for p in problems] == ["yaml-too-deep"]


def test_alias_bomb_is_bounded():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [*{'a' if i == 1 else f'a{i-1}'}" + f", *{'a' if i == 1 else f'a{i-1}'}" * 9 + "]")
    values, problems = _read("extra:\n  " + "\n  ".join(lines) + "\n" + BASE)
    assert [p.code for p in problems] == ["yaml-too-deep"]


@given(st.text())
def test_slugs_are_url_safe_stable_and_never_empty(text):
    from site_gen.text import make_slug
    slug = make_slug(text)
    assert slug and slug == make_slug(text)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)


@pytest.mark.parametrize("text,slug", [("Børne- og ungepolitik", "boerne-og-ungepolitik"),
                                       ("Politik for åbenhed", "politik-for-aabenhed"),
                                       ("Ærø", "aeroe"), ("../../etc/passwd", "etc-passwd")])
def test_danish_slugs(text, slug):
    from site_gen.text import make_slug
    assert make_slug(text) == slug


@given(st.lists(st.one_of(st.sampled_from(__import__("fuzz_parse").PIECES), st.text(max_size=10)))
       .map("".join))
@settings(max_examples=150, deadline=None)
def test_parse_and_render_record_problems_never_raise(text):
    from fuzz_parse import parse_and_render
    parse_and_render(text)


@pytest.mark.parametrize("empty", ["", " ~", " ''", ' ""'])
def test_an_optional_key_left_empty_is_not_set(empty):
    """`review_by:`, `updated: ~` and `''` (a browser editor's empty field) mean "not set"
    (issue 30), in front matter and in a nested mapping; a required key stays required."""
    values, problems = _read(BASE + f"updated:{empty}\nreview_by:{empty}\nperiod:\n"
                             f"  from: 2023\n  to:{empty}\n")
    assert not list(problems), problems.sorted_lines()
    assert "updated" not in values and "review_by" not in values
    assert values["period"] == Period(start="2023", end=None)
    values, problems = _read(f"title:{empty}\nsummary: S\nkind: policy\nstatus: in-force\n")
    assert values is None and [p.code for p in problems] in (["missing-field"], ["bad-value"])


@pytest.mark.parametrize("written, suggested", [
    ("vedtaget", "'adopted' (Vedtaget)"), ("Gældende", "'in-force' (Gældende)"),
    ("udlobet", "'expired' (Udløbet)"), ("politik", "'policy' (Politik)"),
])
def test_a_danish_label_is_suggested_back_as_its_value(written, suggested):
    key = "status" if written != "politik" else "kind"
    text = BASE.replace(f"{key}: {'in-force' if key == 'status' else 'policy'}", f"{key}: {written}")
    _, problems = _read(text)
    [problem] = list(problems)
    assert problem.code == "bad-value" and problem.message.endswith(f"did you mean {suggested}?")


def test_adopted_may_be_a_month_when_the_source_gives_no_day():
    """'adopted: 2023-06' where Word says "juni 2023" (issue 30): no day is made up."""
    from site_gen import schema
    from site_gen.text import danish_date
    month = schema.date_or_month("2023-06", 1)
    assert month.isoformat() == "2023-06" and danish_date(month) == "juni 2023"
    assert month == dt.date(2023, 6, 1) and month < dt.date(2023, 6, 2)
    assert schema.date_or_month("2023-06-28", 1) == dt.date(2023, 6, 28)
    for bad in ("2023-13", "2023-6", "juni 2023"):
        with pytest.raises(schema.FieldError) as caught:
            schema.date_or_month(bad, 1)
        assert "2023-06-28" not in str(caught.value)      # no made-up day is suggested
