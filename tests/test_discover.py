"""Discover (discover.py): which files under content/ are pages, which reading version
(variant) each is by its file name, and which files are the assets of a bundle; every path
comes from the file name and is never guessed (STYLE.md, "Data model")."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings, strategies as st

from helpers import SITES, options_for
from site_gen import discover
from site_gen.config import load_config
from site_gen.model import Variant
from site_gen.outputs import generated_paths
from site_gen.problems import Problems

POLICY = "content/testby/politik"


def _site(folder: Path, files: dict[str, str | bytes]) -> Path:
    """document-features' settings and the given files (relative to the site) in `folder`."""
    (folder / "content").mkdir(parents=True)
    shutil.copy(SITES / "document-features/content/site.yaml", folder / "content/site.yaml")
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return folder


def _discover(site: Path):
    problems = Problems()
    config = load_config(options_for(site, site / "public"), problems)
    assert config is not None, problems.sorted_lines()
    return discover.find_sources(config, problems), problems


def _found(problems: Problems) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in problems]


def test_index_md_is_the_standard_page_and_easy_read_its_variant(tmp_path):
    sources, problems = _discover(_site(tmp_path, {f"{POLICY}/index.md": "x",
                                                   f"{POLICY}/index.easy-read.md": "x"}))
    assert _found(problems) == []
    shown = [(s.source_path, s.key, s.variant, s.url, s.output_path) for s in sources]
    assert shown == [
        ("testby/politik/index.easy-read.md", "testby/politik", Variant.EASY_READ,
         "/testby/politik/letlaest/", "testby/politik/letlaest/index.html"),
        ("testby/politik/index.md", "testby/politik", Variant.STANDARD,
         "/testby/politik/", "testby/politik/index.html")]


def test_an_unknown_variant_suffix_is_an_error_and_no_page(tmp_path):
    sources, problems = _discover(_site(tmp_path, {f"{POLICY}/index.md": "x",
                                                   f"{POLICY}/index.en.md": "x"}))
    assert _found(problems) == [(f"{POLICY}/index.en.md", "unknown-variant")]
    assert [s.source_path for s in sources] == ["testby/politik/index.md"]


def test_the_files_of_a_bundle_are_the_assets_of_each_of_its_variants(tmp_path):
    png = (SITES / "document-features" / POLICY / "kort.png").read_bytes()
    sources, problems = _discover(_site(tmp_path, {
        f"{POLICY}/index.md": "x", f"{POLICY}/index.easy-read.md": "x",
        f"{POLICY}/kort.png": png, f"{POLICY}/Foto.JPG": png,
        f"{POLICY}/.DS_Store": "finder", f"{POLICY}/noter.docx": "word"}))
    assert _found(problems) == [(f"{POLICY}/noter.docx", "unknown-asset")]
    for source in sources:
        assert [(a.source_path, a.output_path) for a in source.assets] == [
            ("testby/politik/Foto.JPG", "testby/politik/Foto.JPG"),
            ("testby/politik/kort.png", "testby/politik/kort.png")]


def test_an_editors_backup_file_in_a_bundle_is_no_asset_and_no_warning(tmp_path):
    """Emacs leaves index.md~ beside every file it saves; discovery skips such files as it
    skips dot files (a bug found by this test: they were each warned as [unknown-asset])."""
    sources, problems = _discover(_site(tmp_path, {f"{POLICY}/index.md": "x",
                                                   f"{POLICY}/index.md~": "x",
                                                   f"{POLICY}/kort.png~": "x"}))
    assert _found(problems) == []
    assert [s.assets for s in sources] == [[]]


def test_a_markdown_file_outside_a_bundle_is_stray_and_no_page(tmp_path):
    sources, problems = _discover(_site(tmp_path, {f"{POLICY}/index.md": "x",
                                                   "content/testby/noter.md": "x",
                                                   f"{POLICY}/bilag/index.md": "x"}))
    assert _found(problems) == [("content/testby/noter.md", "stray-file"),
                                (f"{POLICY}/bilag/index.md", "stray-file")]
    assert [s.key for s in sources] == ["testby/politik"]


RESERVED = {path.split("/")[0] for path, _ in generated_paths()}
SLUGS = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)


@settings(max_examples=30, deadline=None)
@given(bundles=st.dictionaries(st.tuples(SLUGS.filter(lambda m: m not in RESERVED), SLUGS),
                               st.sets(st.sampled_from(list(Variant)), min_size=1),
                               min_size=1, max_size=4))
def test_suffix_parsing_inverts_path_building(bundles):
    """Any municipality, slug and variants, written as index<variant.suffix>.md, is found
    as that key and variant, at the URL the variant gives, and nothing is reported."""
    files = {f"content/{m}/{s}/index{v.suffix}.md": "x"
             for (m, s), variants in bundles.items() for v in variants}
    with tempfile.TemporaryDirectory() as folder:
        sources, problems = _discover(_site(Path(folder), files))
    assert _found(problems) == []
    built = {(f"{m}/{s}", v) for (m, s), variants in bundles.items() for v in variants}
    assert {(s.key, s.variant) for s in sources} == built
    for source in sources:
        assert f"content/{source.source_path}" == \
            f"content/{source.key}/index{source.variant.suffix}.md"
        assert source.url == f"/{source.key}/" + (
            "letlaest/" if source.variant is Variant.EASY_READ else "")
