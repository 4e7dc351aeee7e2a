"""Discover: walk `content/` and list the page bundles, their variants and their assets.

A document is a bundle `content/<municipality>/<slug>/index.md`; its easy-read variant is
`index.easy-read.md` beside it; every other file in the folder is an asset copied next to
the page (as Zola and Hugo do). URLs and output paths are computed here, once.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from .config import SETTINGS_FILE, SiteConfig
from .model import Asset, SourceFile, Variant
from .problems import Problems
from .schema import SLUG
from .text import make_slug
from .textfile import MAX_TEXT_BYTES, report_not_a_file

MAX_FILE_BYTES = MAX_TEXT_BYTES     # a policy is ~100 KB; larger is a mistake (or an attack)
MAX_ASSET_BYTES = 20_000_000
EASY_READ_FOLDER = "letlaest"       # the easy-read page's URL segment
SITE_FILES = {SETTINGS_FILE, "glossary.yaml"}
# Top-level output names site_gen writes itself; a municipality folder may not take one.
RESERVED = {"assets", "sprograpport", "was", "soeg", "404.html", "index.html"}
ASSET_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".pdf"}
PAGE_NAME = re.compile(r"index(?:\.([a-z-]+))?\.md")


def find_sources(config: SiteConfig, problems: Problems) -> list[SourceFile]:
    """Return the Markdown files of all bundles in a stable order.

    Problem codes: stray-file, bad-folder-name, unknown-variant, symlink, not-a-file,
    too-large, unknown-asset, no-content."""
    root = config.options.content_dir
    sources: list[SourceFile] = []
    _scan(config, root, 0, sources, problems)
    if not sources and not problems.has_errors():
        problems.error(config.display(root), None, "no-content",
                       "there are no documents; add content/<municipality>/<slug>/index.md")
    return sources


def _scan(config: SiteConfig, folder: Path, depth: int, sources: list[SourceFile],
          problems: Problems) -> None:
    """One folder, then its subfolders, in name order; each entry is looked at once (a
    directory entry knows whether it is a link or a folder without asking the disk)."""
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    bundle: list[SourceFile] = []
    for entry in entries:
        ignored = entry.name.startswith(".") or entry.name.endswith("~")   # editors' files
        if entry.is_symlink():
            if not ignored or entry.is_dir():
                _link_problem(config, Path(entry.path), problems)
        elif entry.is_dir() or ignored:
            continue
        elif depth == 0 and entry.name in SITE_FILES:
            continue                         # read, and refused if need be, by their readers
        elif not entry.is_file():            # a pipe, socket or device: never read (issue 14)
            report_not_a_file(config.display(Path(entry.path)), problems)
        elif depth == 2 and PAGE_NAME.fullmatch(entry.name):
            source = _source_file(config, entry, problems)
            if source:
                bundle.append(source)
        elif depth != 2 or entry.name.endswith(".md"):
            problems.error(config.display(Path(entry.path)), None, "stray-file",
                           "a document must be content/<municipality>/<slug>/index.md; "
                           "move this file into such a folder or delete it")
    if bundle:
        _attach_assets(config, bundle, entries, problems)
        sources += bundle
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            _scan(config, Path(entry.path), depth + 1, sources, problems)


def _link_problem(config: SiteConfig, path: Path, problems: Problems) -> None:
    problems.error(config.display(path), None, "symlink",
                   "links are not allowed in content/; copy the file into the folder instead")


def _source_file(config: SiteConfig, entry: os.DirEntry,
                 problems: Problems) -> SourceFile | None:
    path = Path(entry.path)
    shown = config.display(path)
    municipality, slug = path.parent.parent.name, path.parent.name
    ok = True
    if municipality in RESERVED:
        problems.error(shown, None, "url-clash",
                       f"the folder name '{municipality}' is used by site_gen itself "
                       f"(/{municipality}/); choose another name")
        ok = False
    for name in (municipality, slug):
        if not SLUG.fullmatch(name):
            problems.error(shown, None, "bad-folder-name",
                           f"the folder name '{name}' becomes part of the address; use only "
                           f"a-z, 0-9 and hyphens, e.g. '{make_slug(name)}'")
            ok = False
    suffix = PAGE_NAME.fullmatch(path.name).group(1)
    variants = {v.value: v for v in Variant if v is not Variant.STANDARD}
    if suffix is not None and suffix not in variants:
        problems.error(shown, None, "unknown-variant",
                       f"'{path.name}' is not a known reading version; use index.md or "
                       "index.easy-read.md")
        ok = False
    if entry.stat().st_size > MAX_FILE_BYTES:
        problems.error(shown, None, "too-large",
                       f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB; split the document")
        ok = False
    if not ok:
        return None
    variant = variants[suffix] if suffix else Variant.STANDARD
    key = f"{municipality}/{slug}"
    url = f"/{key}/" + (f"{EASY_READ_FOLDER}/" if variant is Variant.EASY_READ else "")
    return SourceFile(source_path=path.relative_to(config.options.content_dir).as_posix(),
                      display_path=shown, key=key, variant=variant, url=url,
                      output_path=url.lstrip("/") + "index.html")


def _attach_assets(config: SiteConfig, bundle: list[SourceFile], entries: list[os.DirEntry],
                   problems: Problems) -> None:
    """Give the pages of one bundle the other files of its folder (its variants share them)."""
    assets, standard = [], any(s.variant is Variant.STANDARD for s in bundle)
    for entry in entries:
        if not entry.is_file(follow_symlinks=False) or PAGE_NAME.fullmatch(entry.name) \
                or entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if path.suffix.lower() not in ASSET_SUFFIXES:
            if standard:
                problems.warning(config.display(path), None, "unknown-asset",
                                 "this file type is not published; use an image "
                                 f"({', '.join(sorted(ASSET_SUFFIXES))})")
            continue
        if entry.stat().st_size > MAX_ASSET_BYTES:
            problems.error(config.display(path), None, "too-large",
                           f"the file is larger than {MAX_ASSET_BYTES // 1_000_000} MB")
            continue
        rel = path.relative_to(config.options.content_dir).as_posix()
        assets.append(Asset(source_path=rel, output_path=rel))
    for source in bundle:
        source.assets.extend(assets)
