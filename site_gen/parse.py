"""Parse: split each source file into typed `FrontMatter` and a Markdown body.

Our own splitter keeps line numbers and never drops front matter silently (the traps of
python-frontmatter are in shared/guides/publishing.md § 4.4); YAML is read by `yamlsafe`
without YAML 1.1 retyping; fields are typed by `schema`.
"""
from __future__ import annotations

import dataclasses
import zlib
from dataclasses import dataclass

from .i18n import _
from . import schema
from .config import SiteConfig
from .model import SHARED_FIELDS, STAND_INS, FrontMatter, Page, Site, SourceFile, Variant, front_matter_keys
from .problems import ContentError, Problems
from .schema import Field
from .glossary import GLOSSARY_FILE, load_glossary
from . import runner
from .memo import Memo, digest
from .textfile import read_text
from .yamlsafe import YDict, load_yaml

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


# The keys an author may write, as FrontMatter declares them; an easy-read page need not
# write the shared ones it inherits (validate.py fills them in from its standard page).
FRONT_MATTER = front_matter_keys()
INHERITED = tuple(name for name in SHARED_FIELDS if FRONT_MATTER[name].required)
EASY_READ_FRONT_MATTER = {
    name: dataclasses.replace(field, required=field.required and name not in INHERITED)
    for name, field in FRONT_MATTER.items()}


def read_site(config: SiteConfig, sources: list[SourceFile], problems: Problems, memo: Memo,
              keys: dict[str, str]) -> Site:
    """Parse every source into a Page; files with problems are left out (problems recorded).
    `keys`: source path -> the digest of the build's inputs and the file's bytes; a file
    whose key is in the memo is not read again. Bodies are not kept: each is read again
    where its page is rendered (read_body), so a site's text is never all in memory at once."""
    site = Site(config=config)
    content = config.options.content_dir
    site.glossary = load_glossary(content, config.display(content / GLOSSARY_FILE), problems)
    known = {source.source_path: memo.get(keys[source.source_path]) for source in sources}
    todo = [source for source in sources if known[source.source_path] is None]
    for source, parsed in zip(todo, runner.run_all(_parse_front, config, todo)):
        memo.put(keys[source.source_path], parsed)
        known[source.source_path] = parsed
    for source in sources:
        page, found = known[source.source_path]
        if found:
            problems.extend(found)
        if page is not None:
            # A copy: what later stages set on a page stays out of the memo (copy.copy,
            # by way of __reduce_ex__, took four times as long for the same shallow copy).
            copied = object.__new__(Page)
            copied.__dict__.update(page.__dict__)
            copied.source = source           # discovery may have found new bundle files
            site.pages[source.source_path] = copied
    return site


def _parse_front(config: SiteConfig, source: SourceFile) -> tuple[Page | None, list]:
    mine = Problems()
    page = parse_page(config, source, mine)
    if page is not None:
        page.body = None
    return page, list(mine)


def read_body(config: SiteConfig, page: Page, problems: Problems) -> bool:
    """Give a page parsed by a full build its body again; False, with an error recorded, if
    the file changed since it was parsed (someone saved it during the build)."""
    found = Problems()
    try:
        read = _read_text(config, page.source, found)
    except OSError:                          # unreadable meanwhile
        read = None
    if len(found):                           # deleted, emptied or unreadable: said so
        problems.extend(found)
        return False
    split = split_front_matter(read[0]) if read is not None else None
    if split is None or read[1] != page.checksum or split.body_line != page.body_line:
        problems.error(page.path, None, "changed-during-build",
                       _("the file changed while the site was being built; build again"))
        return False
    page.body = split.body
    return True


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
    line = split.yaml_line + 1
    fields = FRONT_MATTER if source.variant is Variant.STANDARD else EASY_READ_FRONT_MATTER
    try:
        data = load_yaml(split.yaml, path, split.yaml_line, problems)
        values, unread = schema.read_fields_partly(data, fields, path, problems, line)
    except ContentError:
        data, values = None, None
    if values is None:          # no key could be read: the text is still checked
        values, unread = {}, set(STAND_INS)
    data_lines = data.lines if isinstance(data, YDict) else {}
    for name in INHERITED:                  # filled from the standard page by validate.py
        values.setdefault(name, None)
    folder = source.key.split("/")[0]
    if values.setdefault("municipality", folder) != folder:
        problems.error(path, data_lines["municipality"], "municipality-mismatch",
                       _("'municipality: {values}' differs from the folder '{folder}'; move the "
                          "file or correct the field").format(values=values['municipality'], folder=folder))
        values["municipality"] = folder
        unread.add("municipality")
    if folder not in config.municipalities:
        # Reported where the fix usually is: the list of municipalities in site.yaml.
        problems.error(config.settings_path, config.lines.get("municipalities"),
                       "unknown-municipality",
                       _("the folder '{folder}' ({path}) is not among the municipalities; add "
                          "'{folder}:' here with its name and website, or rename the folder{value}").format(folder=folder, path=path, value=schema.suggest(folder, config.municipalities)))
        return None
    if unread:
        _stand_in(values, source, unread)
    values.setdefault("lang", config.language)
    lines = {key: number for key, number in data_lines.items() if key in values}
    front = FrontMatter(**values, lines=lines)
    return Page(source=source, front=front, body=split.body, body_line=split.body_line,
                checksum=checksum, front_digest=digest(split.yaml), unread=frozenset(unread))


def _stand_in(values: dict, source: SourceFile, unread: set[str]) -> None:
    for name in unread:
        if name in STAND_INS and values.get(name) is None and \
                (source.variant is Variant.STANDARD or name not in INHERITED):
            values[name] = STAND_INS[name] or source.key.rsplit("/", 1)[-1]


def _read_text(config: SiteConfig, source: SourceFile,
               problems: Problems) -> tuple[str, int] | None:
    """The file's text with '\\n' line endings, and the CRC-32 of its bytes."""
    try:
        read = read_text(config.options.content_dir / source.source_path, source.display_path,
                         problems)
    except FileNotFoundError:        # deleted or renamed since discovery (issue 31)
        report_vanished(source.display_path, problems)
        return None
    if read is None:
        return None
    if not read.text.strip():
        problems.error(source.display_path, None, "empty-file",
                       _("the file is empty; add front matter and text"))
        return None
    return read.text, read.checksum


def report_vanished(path: str, problems: Problems) -> None:
    """A content file deleted or renamed while the site was being built (read here, or
    copied by the write stage). Problem code: changed-during-build."""
    problems.error(path, None, "changed-during-build",
                   _("the file was deleted or renamed while the site was being built; "
                     "build again"))


def _report_bad_split(text: str, path: str, problems: Problems) -> None:
    if text.split("\n", 1)[0].rstrip() == FENCE:
        problems.error(path, 1, "unclosed-front-matter",
                       _("the front matter starts with '---' but is never closed; add a line with "
                          "'---' after the last field"))
    else:
        problems.error(path, 1, "no-front-matter",
                       _("the file must start with front matter: a line '---', the fields (title, "
                          "summary, kind, status), and another '---'"))
