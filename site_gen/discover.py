"""Discover: walk `content/` and list the page bundles, their variants and their assets.

A document is a bundle `content/<municipality>/<slug>/index.md`; its easy-read variant is
`index.easy-read.md` beside it; every other file in the folder is an asset copied next to
the page (as Zola and Hugo do). URLs and output paths are computed here, once.
"""
from __future__ import annotations

import os
import re

from .i18n import _
from . import assets
from .config import SETTINGS_FILE, SiteConfig
from .memo import Memo
from .model import Asset, SourceFile, Variant
from .outputs import EASY_READ_FOLDER, NOTES_FILE, OutputPaths, generated_paths, pdf_path
from .problems import Problems
from .schema import SLUG
from .text import make_slug
from .textfile import MAX_TEXT_BYTES, report_not_a_file

MAX_FILE_BYTES = MAX_TEXT_BYTES     # a policy is ~100 KB; larger is a mistake (or an attack)
MAX_ASSET_BYTES = 20_000_000
SITE_FILES = {SETTINGS_FILE, "glossary.yaml"}
ASSET_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".pdf"}
PAGE_NAME = re.compile(r"index(?:\.([a-z-]+))?\.md")


def find_sources(config: SiteConfig, problems: Problems) -> list[SourceFile]:
    """Return the Markdown files of all bundles in a stable order.

    Every output path is claimed in one list (outputs.py) as it is found: a page, asset or
    municipality that would be written where something else is written is an error.

    Problem codes: stray-file, bad-folder-name, unknown-variant, symlink, not-a-file,
    too-large, unknown-asset, no-content, url-clash."""
    root = config.options.content_dir
    sources: list[SourceFile] = []
    _scan(_Walk(config, problems), str(root), "", 0, sources)
    sources = claim_outputs(config, sources, problems)
    if not sources and not problems.has_errors():
        problems.error(config.display(root), None, "no-content",
                       _("there are no documents; add content/<municipality>/<slug>/index.md"))
    return sources


def check_published_files(config: SiteConfig, sources: list[SourceFile], problems: Problems,
                          memo: Memo, files: dict[str, str]) -> None:
    """Every file published as it is (the bundles' and the layouts' SVGs and PDFs), checked
    before anything is written (issue 14); `files`: the digests of the bundles' files by
    path below content/. Problem codes: unsafe-svg, bad-svg, unsafe-pdf, bad-pdf
    (`assets.check_files`)."""
    root = config.options.content_dir
    bundled = {root / asset.source_path: files.get(asset.source_path, "")
               for s in sources for asset in s.assets}
    assets.check_files([*bundled, *assets.layout_assets(config.layout_dirs).values()],
                       config.display, problems, memo, bundled)


class _Walk:
    """What every folder of one walk needs: the settings, the problems, and how messages
    show a path below content/ (worked out once, not per file: 4,400 files are walked on
    every build, and a Path per file cost a quarter of a no-change build)."""

    def __init__(self, config: SiteConfig, problems: Problems):
        self.config, self.problems = config, problems
        shown = config.display(config.options.content_dir)
        self.prefix = "" if shown == "." else shown + "/"

    def display(self, relative: str) -> str:
        return self.prefix + relative


def _scan(walk: _Walk, folder: str, relative: str, depth: int,
          sources: list[SourceFile]) -> None:
    """One folder, then its subfolders, in name order; each entry is looked at once (a
    directory entry knows whether it is a link or a folder without asking the disk).
    `relative` is the folder below content/ ('' or ending in '/')."""
    problems = walk.problems
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    bundle: list[SourceFile] = []
    for entry in entries:
        name = entry.name
        ignored = _is_hidden(name)
        if entry.is_symlink():
            if not ignored or entry.is_dir():
                _link_problem(walk.display(relative + name), problems)
        elif entry.is_dir() or ignored:
            continue
        elif depth == 0 and name in SITE_FILES or depth == 2 and name == NOTES_FILE:
            continue                         # read by their readers; the import's notes: never
        elif not entry.is_file():            # a pipe, socket or device: never read (issue 14)
            report_not_a_file(walk.display(relative + name), problems)
        elif depth == 2 and PAGE_NAME.fullmatch(name):
            source = _source_file(walk, relative, entry)
            if source:
                bundle.append(source)
        elif depth != 2 or name.endswith(".md"):
            problems.error(walk.display(relative + name), None, "stray-file",
                           _("a document must be content/<municipality>/<slug>/index.md; move this "
                              "file into such a folder or delete it"))
    if bundle:
        _attach_assets(walk, relative, bundle, entries)
        sources += bundle
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            _scan(walk, entry.path, f"{relative}{entry.name}/", depth + 1, sources)


def _is_hidden(name: str) -> bool:
    """A dot file, or an editor's backup (index.md~): not the author's work, never published."""
    return name.startswith(".") or name.endswith("~")


def _link_problem(shown: str, problems: Problems) -> None:
    problems.error(shown, None, "symlink",
                   _("links are not allowed in content/; copy the file into the folder instead"))


_VARIANTS = {v.value: v for v in Variant if v is not Variant.STANDARD}


def _source_file(walk: _Walk, relative: str, entry: os.DirEntry) -> SourceFile | None:
    problems = walk.problems
    source_path = relative + entry.name
    shown = walk.display(source_path)
    municipality, slug = relative.split("/")[:2]
    ok = True
    for name in (municipality, slug):
        if not SLUG.fullmatch(name):
            problems.error(shown, None, "bad-folder-name",
                           _("the folder name '{name}' becomes part of the address; use only a-z, 0-9 "
                              "and hyphens, e.g. '{name2}'").format(name=name, name2=make_slug(name)))
            ok = False
    suffix = PAGE_NAME.fullmatch(entry.name).group(1)
    if suffix is not None and suffix not in _VARIANTS:
        problems.error(shown, None, "unknown-variant",
                       _("'{name}' is not a known reading version; use index.md or "
                          "index.easy-read.md").format(name=entry.name))
        ok = False
    if entry.stat().st_size > MAX_FILE_BYTES:
        problems.error(shown, None, "too-large",
                       _("the file is larger than {value} MB; split the document").format(value=MAX_FILE_BYTES // 1_000_000))
        ok = False
    if not ok:
        return None
    variant = _VARIANTS[suffix] if suffix else Variant.STANDARD
    key = f"{municipality}/{slug}"
    url = f"/{key}/" + (f"{EASY_READ_FOLDER}/" if variant is Variant.EASY_READ else "")
    return SourceFile(source_path=source_path, display_path=shown, key=key, variant=variant,
                      url=url, output_path=url.lstrip("/") + "index.html")


def _attach_assets(walk: _Walk, relative: str, bundle: list[SourceFile],
                   entries: list[os.DirEntry]) -> None:
    """Give the pages of one bundle the other files of its folder (its variants share them)."""
    problems = walk.problems
    assets, standard = [], any(s.variant is Variant.STANDARD for s in bundle)
    for entry in entries:
        if not entry.is_file(follow_symlinks=False) or PAGE_NAME.fullmatch(entry.name) \
                or _is_hidden(entry.name) or entry.name == NOTES_FILE:
            continue
        rel = relative + entry.name
        if os.path.splitext(entry.name)[1].lower() not in ASSET_SUFFIXES:
            if standard:
                problems.warning(walk.display(rel), None, "unknown-asset",
                                 _("this file type is not published; use an image ({value})").format(value=', '.join(sorted(ASSET_SUFFIXES))))
            continue
        if entry.stat().st_size > MAX_ASSET_BYTES:
            problems.error(walk.display(rel), None, "too-large",
                           _("the file is larger than {value} MB").format(value=MAX_ASSET_BYTES // 1_000_000))
            continue
        assets.append(Asset(source_path=rel, output_path=rel))
    for source in bundle:
        source.assets.extend(assets)


def claim_outputs(config: SiteConfig, sources: list[SourceFile],
                  problems: Problems) -> list[SourceFile]:
    """Claim every output path in one list: site_gen's own pages and folders, each
    municipality's page, each PDF, each document and each asset, in that order. A later
    claim on a path already taken is an error at the file (or settings line) that makes it,
    naming the other; a page that cannot be written is left out. Returns the pages kept."""
    paths = OutputPaths()
    for path, owner in generated_paths():
        paths.claim(path, owner)
    settings = config.display(config.options.content_dir / SETTINGS_FILE)
    for key, municipality in config.municipalities.items():
        clash = paths.claim(f"{key}/index.html",
                            f"the page of the municipality '{key}' ({settings})")
        if clash is not None:
            problems.error(settings, municipality.line, "url-clash",
                           _("the municipality '{key}' would get the address /{key}/, which is taken "
                              "by {owner}; choose another key (and rename the folder)").format(key=key, owner=clash.owner))
    if config.pdf:
        for source in sources:
            paths.claim(pdf_path(source.key, source.variant is Variant.EASY_READ),
                        f"the PDF that site_gen makes of {source.display_path}")
    kept, assets_seen = [], set()
    for source in sources:
        clash = paths.claim(source.output_path, source.display_path)
        if clash is not None:
            problems.error(source.display_path, None, "url-clash",
                           _("this page would be written to /{output_path}, which is taken by "
                              "{owner}; rename the folder").format(output_path=source.output_path, owner=clash.owner))
            continue
        kept.append(source)
        for asset in source.assets:
            if asset.output_path in assets_seen:
                continue                            # the variants of a bundle share assets
            assets_seen.add(asset.output_path)
            clash = paths.claim(asset.output_path, config.display(
                config.options.content_dir / asset.source_path))
            if clash is not None:
                problems.error(config.display(config.options.content_dir / asset.source_path),
                               None, "url-clash",
                               _("this file would be published as /{output_path}, which is taken by "
                                  "{owner}; rename the file").format(output_path=asset.output_path, owner=clash.owner))
    return kept
