"""Render (render.py): one page through Markdown, its checks and its layout, in the process
that renders it, from its source file as it is at that moment."""
from __future__ import annotations

import shutil

import pytest

from helpers import SITES


@pytest.mark.english
def test_a_file_saved_during_the_build_is_an_error_not_a_mixed_page(tmp_path):
    """A full build keeps only front matter after parsing and reads each body again where
    the page is rendered (memory, issue 7); a file saved in between is reported."""
    from helpers import options_for
    from site_gen import discover, layout, parse, render, validate
    from site_gen.config import load_config
    from site_gen.memo import Memo
    from site_gen.problems import Problems
    from site_gen.write import InPlaceWriter
    site_dir = tmp_path / "document-features"
    shutil.copytree(SITES / "document-features", site_dir)
    problems, memo = Problems(), Memo()
    config = load_config(options_for(site_dir, tmp_path / "out"), problems)
    sources = discover.find_sources(config, problems)
    site = parse.read_site(config, sources, problems, memo,
                           {s.source_path: s.source_path for s in sources})
    validate.check_site(site, problems)
    page = site.pages["testby/politik/index.md"]
    assert page.body is None and not problems.has_errors()
    env, writer = layout.make_environment(config), InPlaceWriter(tmp_path / "out", memo)
    result = render.render_one(page, site, env, writer)
    assert result.html and page.body is None and not result.problems
    source = site_dir / "content/testby/politik/index.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nEn ny sætning.\n",
                      encoding="utf-8")
    result = render.render_one(page, site, env, writer)
    changed = ["content/testby/politik/index.md: error: the file changed while the site was "
               "being built; build again [changed-during-build]"]
    assert [p.format() for p in result.problems] == changed and not result.files
    source.unlink()
    assert [p.format() for p in render.render_one(page, site, env, writer).problems] == [
        "content/testby/politik/index.md: error: the file was deleted or renamed while the "
        "site was being built; build again [changed-during-build]"]
