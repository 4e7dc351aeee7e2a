"""Parse: split each source file into typed `FrontMatter` and a Markdown body.

Our own splitter keeps line numbers and never drops front matter silently (the traps of
python-frontmatter are in shared/guides/publishing.md § 4.4); YAML is read by `yamlsafe`
without YAML 1.1 retyping; fields are typed by `schema`.
"""
from __future__ import annotations

import hashlib

from dataclasses import dataclass, field

from . import schema
from .config import SiteConfig
from .model import (DOCUMENT_KINDS, RELATIONS, STATUSES, FrontMatter, HistoryEntry, Page,
                    Period, Relation, Site, SourceFile, Variant)
from .problems import ContentError, Problems
from .schema import Field
from .glossary import GLOSSARY_FILE, load_glossary
from . import workers
from .textfile import read_text
from .yamlsafe import load_yaml

FENCE = "---"


@dataclass(frozen=True)
class Split:
    yaml: str          # the front matter text, without fences
    yaml_line: int     # file line before the first YAML line (the opening fence's line)
    body: str
    body_line: int     # file line where the body starts


def split_front_matter(text: str) -> Split | None:
    """Split `---` fenced front matter from the body; None when the file does not start with
    a fence or the fence is never closed. Never raises. Expects '\\n' line endings."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            return Split(yaml="\n".join(lines[1:index]), yaml_line=1,
                         body="\n".join(lines[index + 1:]), body_line=index + 2)
    return None


def _relation(line: int, **values) -> Relation:
    return Relation(target=values["page"], kind=values["relation"], line=line)


def _page_key(value, line: int) -> str:
    raw = schema.text(value, line).strip("/")
    parts = raw.split("/")
    if len(parts) != 2 or not all(schema.SLUG.fullmatch(p) for p in parts):
        raise schema.FieldError(f"'{raw}' must name a document as <municipality>/<slug>, "
                                "e.g. glostrup/handicappolitik", "bad-page-ref")
    return raw


FRONT_MATTER = {
    "title": Field(schema.text, required=True),
    "summary": Field(schema.text, required=True),
    "kind": Field(schema.choice(DOCUMENT_KINDS), required=True),
    "status": Field(schema.choice(STATUSES), required=True),
    "municipality": Field(schema.slug),
    "adopted": Field(schema.date),
    "issued": Field(schema.partial_date),
    "updated": Field(schema.date),
    "review_by": Field(schema.date),
    "period": Field(schema.mapping(
        {"from": Field(schema.partial_date), "to": Field(schema.partial_date)},
        lambda line, **v: Period(start=v.get("from"), end=v.get("to")))),
    "related": Field(schema.list_of(schema.mapping(
        {"page": Field(_page_key, required=True),
         "relation": Field(schema.choice(RELATIONS), required=True)}, _relation))),
    "history": Field(schema.list_of(schema.mapping(
        {"date": Field(schema.date, required=True), "note": Field(schema.text, required=True)},
        lambda line, **v: HistoryEntry(**v)))),
    "layout": Field(schema.slug),
    "lang": Field(schema.language),
    "tested_by": Field(schema.text),
    "tested_on": Field(schema.date),
    "extra": Field(schema.free),
}


# An easy-read page shares these with its standard page and may leave them out.
INHERITED = ("kind", "status")
EASY_READ_FRONT_MATTER = {name: Field(field.read, required=field.required and name not in INHERITED)
                          for name, field in FRONT_MATTER.items()}


@dataclass
class ParseCache:
    """The preview's memory of parsed files, by size and modification time."""
    entries: dict = field(default_factory=dict)  # source path -> (stamp, Page | None, problems,
                                                 #   repr of its front matter as parsed)
    only: set[str] | None = None     # the watcher's word: only these source paths changed
    fronts_changed: bool = True      # in the last read: a front matter or the set of files changed


def read_site(config: SiteConfig, sources: list[SourceFile], problems: Problems,
              cache: ParseCache | None = None) -> Site:
    """Parse every source into a Page; files with problems are left out (problems recorded).

    With a `cache` (the preview server) only files whose size or modification time changed
    are read again; it notes whether any front matter changed, which listings depend on."""
    site = Site(config=config)
    content = config.options.content_dir
    site.glossary = load_glossary(content, config.display(content / GLOSSARY_FILE), problems)
    if cache is not None:
        known, current = set(cache.entries), {s.source_path for s in sources}
        cache.fronts_changed = known != current
        for path in known - current:
            del cache.entries[path]
    if cache is None:       # a full build: parsed in worker processes, bodies left on disk
        parsed = workers.fork_map(_parse_front, config, sources)
    else:
        parsed = [(_parse_cached(config, source, problems, cache), []) for source in sources]
    for source, (page, found) in zip(sources, parsed):
        problems.extend(found)
        if page is not None:
            site.pages[source.source_path] = page
    return site


def _parse_front(config: SiteConfig, source: SourceFile) -> tuple[Page | None, list]:
    """Parse one file for a full build. The body is not kept: it is read again where the
    page is rendered (read_body), so a site's text is never all in memory at once."""
    mine = Problems()
    page = parse_page(config, source, mine)
    if page is not None:
        page.body = None
    return page, list(mine)


def read_body(config: SiteConfig, page: Page, problems: Problems) -> bool:
    """Give a page parsed by a full build its body again; False, with an error recorded, if
    the file changed since it was parsed (someone saved it during the build)."""
    try:
        read = _read_text(config, page.source, problems)
    except OSError:                          # deleted or renamed meanwhile
        read = None
    split = split_front_matter(read[0]) if read is not None else None
    if split is None or read[1] != page.checksum or split.body_line != page.body_line:
        problems.error(page.path, None, "changed-during-build",
                       "the file changed while the site was being built; build again")
        return False
    page.body = split.body
    return True


def _parse_cached(config: SiteConfig, source: SourceFile, problems: Problems,
                  cache: ParseCache) -> Page | None:
    """The page of an unchanged file is the same object as in the last build: every field a
    build sets on it is set again (render.run_markdown, validate.py), so nothing leaks from
    one build into the next, and a rebuild after one edit does not copy 4,000 pages. An
    edited file gets a new page, so the last good build (serve.py) keeps its own."""
    cached = cache.entries.get(source.source_path)
    if cached is None or cache.only is None or source.source_path in cache.only:
        stat = (config.options.content_dir / source.source_path).stat()
        stamp = (stat.st_mtime_ns, stat.st_size, source.display_path, config.language,
                 tuple(config.municipalities), config.lines.get("municipalities"))
        if cached is None or cached[0] != stamp:
            mine = Problems()
            page = parse_page(config, source, mine)
            front = repr(page.front) if page is not None else None
            if page is not None:
                page.revision = hashlib.sha256(
                    f"{front}\0{page.body_line}\0{page.body}".encode()).hexdigest()
            # As parsed, before validate.py gave an easy-read page its inherited fields.
            cache.fronts_changed |= cached is None or cached[3] != front
            cached = cache.entries[source.source_path] = (stamp, page, list(mine), front)
    _, page, found, _ = cached
    problems.extend(found)
    if page is not None:
        page.source = source             # discovery may have found new bundle files
    return page


def parse_page(config: SiteConfig, source: SourceFile, problems: Problems) -> Page | None:
    """Return the page, or None after recording why it cannot be read.

    Problem codes: those of textfile.read_text (not-a-file, too-large, bad-encoding),
    empty-file, no-front-matter, unclosed-front-matter,
    municipality-mismatch, unknown-municipality, and those of yamlsafe and schema."""
    path = source.display_path
    read = _read_text(config, source, problems)
    if read is None:
        return None
    text, checksum = read
    split = split_front_matter(text)
    if split is None:
        _report_bad_split(text, path, problems)
        return None
    try:
        data = load_yaml(split.yaml, path, split.yaml_line, problems)
    except ContentError:
        return None
    line = split.yaml_line + 1
    fields = FRONT_MATTER if source.variant is Variant.STANDARD else EASY_READ_FRONT_MATTER
    values = schema.read_fields(data, fields, path, problems, line)
    if values is None:
        return None
    for name in INHERITED:                  # filled from the standard page by validate.py
        values.setdefault(name, None)
    folder = source.key.split("/")[0]
    if values.setdefault("municipality", folder) != folder:
        problems.error(path, data.lines["municipality"], "municipality-mismatch",
                       f"'municipality: {values['municipality']}' differs from the folder "
                       f"'{folder}'; move the file or correct the field")
        return None
    if folder not in config.municipalities:
        # Reported where the fix usually is: the list of municipalities in site.yaml.
        problems.error(config.settings_path, config.lines.get("municipalities"),
                       "unknown-municipality",
                       f"the folder '{folder}' ({path}) is not among the municipalities; "
                       f"add '{folder}:' here with its name and website, or rename the folder"
                       f"{schema.suggest(folder, config.municipalities)}")
        return None
    values.setdefault("lang", config.language)
    front = FrontMatter(**values, lines=dict(data.lines))
    return Page(source=source, front=front, body=split.body, body_line=split.body_line,
                checksum=checksum)


def _read_text(config: SiteConfig, source: SourceFile,
               problems: Problems) -> tuple[str, int] | None:
    """The file's text with '\\n' line endings, and the CRC-32 of its bytes."""
    read = read_text(config.options.content_dir / source.source_path, source.display_path,
                     problems)
    if read is None:
        return None
    if not read.text.strip():
        problems.error(source.display_path, None, "empty-file",
                       "the file is empty; add front matter and text")
        return None
    return read.text, read.checksum


def _report_bad_split(text: str, path: str, problems: Problems) -> None:
    if text.split("\n", 1)[0].rstrip() == FENCE:
        problems.error(path, 1, "unclosed-front-matter",
                       "the front matter starts with '---' but is never closed; add a line "
                       "with '---' after the last field")
    else:
        problems.error(path, 1, "no-front-matter",
                       "the file must start with front matter: a line '---', the fields "
                       "(title, summary, kind, status), and another '---'")
