"""The real content is faithful to its sources: every sentence of six or more words of each
source document is on the built pages (issue 3). Missing sentences are listed by name."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coverage import DOCUMENTS, measure
from helpers import ROOT, build

MIN_COVERAGE = 0.98


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("real") / "public"
    result = build(ROOT, out)
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    return out


@pytest.mark.parametrize("source", sorted(DOCUMENTS))
def test_every_source_sentence_is_on_the_site(real_site, source):
    coverage = measure(source, real_site)
    print(f"{source}: {coverage.ratio:.1%} of {coverage.total} sentences")
    assert coverage.total > 40
    assert coverage.ratio >= MIN_COVERAGE, "missing sentences:\n" + "\n".join(coverage.missing)


def test_a_dropped_sentence_is_noticed(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    page = site / "content/glostrup/handicappolitik/index.md"
    dropped = "Mestring handler om at være styrmand i sit eget liv; at kunne klare sig selv."
    page.write_text(page.read_text().replace(dropped, ""))
    build(site, tmp_path / "out")
    coverage = measure("glostrup-handicappolitik.txt", tmp_path / "out")
    assert [" ".join(s.split()) for s in coverage.missing] == [dropped]
