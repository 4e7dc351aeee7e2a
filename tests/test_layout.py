"""Render layout (layout.py): the Jinja environment escapes every value, an undefined name
is an error that names the layout file and line (never a traceback), a site's own layout
replaces one file of site_gen's, and the `url` and `absolute` filters put the base path and
the hashed asset names into every URL a layout prints."""
from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from helpers import ROOT, SITES, build, options_for, run_cli
from site_gen import layout
from site_gen.config import load_config
from site_gen.problems import Problems

SUB_PATH = "https://www.example.dk/politikker/handicap/"


def _copy_site(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(SITES / name, target)
    return target


def _environment(tmp_path: Path, base_url: str | None = None, preview: bool = False):
    site = _copy_site("document-features", tmp_path)
    options = dataclasses.replace(options_for(site, tmp_path / "out"), base_url=base_url,
                                  preview=preview)
    problems = Problems()
    config = load_config(options, problems)
    assert config is not None, problems.sorted_lines()
    return layout.make_environment(config)


@pytest.mark.english
def test_site_layout_overrides_one_file(tmp_path):
    site = _copy_site("document-features", tmp_path)
    (site / "layouts").mkdir()
    (site / "layouts/404.html").write_text(
        '{% extends "base.html" %}{% block title %}Væk{% endblock %}'
        '{% block main %}<h1>Væk</h1>{% endblock %}')
    assert run_cli(cwd=site).returncode == 0
    assert "<h1>Væk</h1>" in (site / "public/404.html").read_text()
    assert "Testby Kommunes Handicappolitik" in (site / "public/testby/politik/index.html").read_text()


@pytest.mark.english
def test_broken_layout_names_file_and_line(tmp_path):
    site = _copy_site("broken-layout", tmp_path)
    result = run_cli(cwd=site)
    assert result.returncode == 1
    assert result.stdout.startswith("layouts/document.html:12: error: the layout cannot be read")


@pytest.mark.english
def test_undefined_variable_in_layout_names_file_and_line(tmp_path):
    site = _copy_site("document-features", tmp_path)
    (site / "layouts").mkdir()
    (site / "layouts/404.html").write_text('{% extends "base.html" %}\n{% block title %}x{% endblock %}\n'
                                           '{% block main %}\n{{ nonexistent.thing }}\n{% endblock %}\n')
    result = run_cli(cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith("layouts/404.html:4: error: 'nonexistent' is undefined")


def test_an_undefined_name_in_an_included_layout_names_the_included_file(tmp_path):
    """The innermost layout in the traceback is named: the part an author has to fix."""
    site = _copy_site("document-features", tmp_path)
    (site / "layouts").mkdir()
    (site / "layouts/_note.html").write_text("<p>\n{{ front.titel }}\n</p>\n")
    document = (ROOT / "layouts/document.html").read_text(encoding="utf-8")
    (site / "layouts/document.html").write_text(
        document.replace("{% block main %}", '{% block main %}{% include "_note.html" %}', 1),
        encoding="utf-8")
    result = build(site, tmp_path / "out")
    found = [(p.path, p.line, p.code) for p in result.problems]
    assert found == [("layouts/_note.html", 2, "layout-error")], result.problems.sorted_lines()
    assert not result.wrote


def test_a_layout_named_in_front_matter_that_does_not_exist_is_an_error(tmp_path):
    site = _copy_site("document-features", tmp_path)
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text().replace("kind: policy", "kind: policy\nlayout: plakat"))
    result = build(site, tmp_path / "out")
    found = [(p.path, p.line, p.code) for p in result.problems]
    assert found == [("content/testby/politik/index.md", None, "layout-missing")], \
        result.problems.sorted_lines()


@pytest.mark.parametrize("value, shown", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('" onmouseover="x', "&#34; onmouseover=&#34;x"),
    ("Børn & unge", "Børn &amp; unge")])
def test_every_value_a_layout_prints_is_escaped(tmp_path, value, shown):
    env = _environment(tmp_path)
    html = env.from_string('<p title="{{ value }}">{{ value }}</p>').render(value=value)
    assert html == f'<p title="{shown}">{shown}</p>'


def test_an_undefined_name_is_never_printed_as_nothing(tmp_path):
    import jinja2
    env = _environment(tmp_path)
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("<p>{{ front.titel }}</p>").render(front={"title": "Politik"})


def test_url_filter_adds_the_base_path_and_the_hashed_asset_name(tmp_path):
    env = _environment(tmp_path, base_url=SUB_PATH)
    show = lambda text: env.from_string(text).render()
    assert show("{{ '/soeg/'|url }}") == "/politikker/handicap/soeg/"
    assert re.fullmatch(r"/politikker/handicap/assets/site\.[0-9a-f]{10}\.css",
                        show("{{ '/assets/site.css'|url }}"))
    for unchanged in ("https://testby.example/", "#indhold", "kort.png", "mailto:post@test.example"):
        assert show(f"{{{{ '{unchanged}'|url }}}}") == unchanged
    assert show("{{ '/testby/politik/'|absolute }}") == SUB_PATH + "testby/politik/"


def test_url_filter_in_the_preview_serves_at_the_root_with_plain_asset_names(tmp_path):
    env = _environment(tmp_path, base_url=SUB_PATH, preview=True)
    assert env.from_string("{{ '/soeg/'|url }} {{ '/assets/site.css'|url }}").render() \
        == "/soeg/ /assets/site.css"
