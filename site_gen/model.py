"""The data model of one build: Site, Page, FrontMatter, Variant, Asset.

Plain dataclasses: no file access, no rendering (STYLE.md, "Data model"). `FrontMatter` also
names each key's `schema` reader, so that the keys are declared once (issue 15).
"""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field, fields
from typing import Any, Callable

from . import schema
from .i18n import N_, _
from .schema import Field


class Variant(enum.Enum):
    """Which reading version a page is, taken from its file name."""
    STANDARD = "standard"      # index.md
    EASY_READ = "easy-read"    # index.easy-read.md, published at <url>letlaest/

    @property
    def suffix(self) -> str:
        return "" if self is Variant.STANDARD else "." + self.value


@dataclass(frozen=True)
class Period:
    """A validity period; either end may be open. Each end is a year, year-month or full date."""
    start: str | None
    end: str | None


@dataclass(frozen=True)
class Relation:
    """A link from this page to another document, with the kind of relation."""
    target: str          # the other page's key: "<municipality>/<slug>"
    kind: str            # a key of RELATIONS
    line: int | None     # where the author wrote it


@dataclass(frozen=True)
class HistoryEntry:
    date: dt.date
    note: str


@dataclass(frozen=True)
class Asset:
    """A file in a page bundle (an image beside index.md), copied next to the page's output."""
    source_path: str     # relative to content/, forward slashes
    output_path: str     # relative to the output folder


@dataclass
class Heading:
    level: int
    text: str
    id: str
    line: int | None


@dataclass
class SourceFile:
    """What discovery found: one Markdown file of a page bundle."""
    source_path: str     # relative to content/, forward slashes
    display_path: str    # as shown in messages (relative to the project root)
    key: str             # "<municipality>/<slug>", shared by all variants
    variant: Variant
    url: str             # starts and ends with "/"
    output_path: str     # relative to the output folder
    assets: list[Asset] = field(default_factory=list)


@dataclass
class Page:
    source: SourceFile
    front: FrontMatter
    body: str | None                 # None: a full build reads it again to render (parse.py)
    body_line: int                   # file line where the body starts (1-based)
    tokens: list = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    terms: list = field(default_factory=list)       # glossary terms used, in order of first use
    fragment: str = ""               # rendered body HTML
    analysis: Any = None             # checks.language.Reading, computed once per render
    links: list = field(default_factory=list)   # (line, href) of its links, kept without tokens
    link_targets: frozenset = frozenset()       # the addresses of `links`, without #parts
    html: str = ""                   # the complete document
    front_digest: str = ""           # of its front matter as written: pages that show it depend on it
    checksum: int = 0                # CRC-32 of the file's bytes when it was parsed
    unread: frozenset = frozenset()  # front matter keys with errors: stand-ins (parse.py)

    @property
    def key(self) -> str:
        return self.source.key

    @property
    def url(self) -> str:
        return self.source.url

    @property
    def variant(self) -> Variant:
        return self.source.variant

    @property
    def path(self) -> str:
        return self.source.display_path


@dataclass
class Site:
    config: Any                                   # SiteConfig
    pages: dict[str, Page] = field(default_factory=dict)        # by source path, discovery order
    by_url: dict[str, Page] = field(default_factory=dict)
    extra_pages: list[tuple[str, str]] = field(default_factory=list)   # (output_path, html)
    glossary: Any = None                                          # Glossary
    pictograms: dict = field(default_factory=dict)                # name -> Pictogram
    layout_ids: frozenset = frozenset()                           # ids the layouts write
    phrases: tuple = ()                 # checks.easy_read.Phrase: idioms easy-read avoids
    _by_key: dict | None = field(default=None, repr=False)        # indexes built on first use
    _by_key_pages: int = field(default=-1, repr=False)            # len(pages) when built
    _inbound: dict | None = field(default=None, repr=False)
    _timings: dict = field(default_factory=dict, repr=False, compare=False)  # key -> (front, timing)

    def page_for(self, key: str, variant: Variant = Variant.STANDARD) -> Page | None:
        if self._by_key_pages != len(self.pages):
            self._by_key_pages = len(self.pages)
            self._by_key = {(p.key, p.variant): p for p in self.pages.values()}
        return self._by_key.get((key, variant))

    @property
    def today(self) -> dt.date:
        """The build's date (SOURCE_DATE_EPOCH or the calendar): what has ended by now."""
        return self.config.options.today

    def document_front(self, page: Page) -> "FrontMatter":
        """The front matter of the document `page` belongs to (its standard page's)."""
        return (self.page_for(page.key) or page).front

    def timing_of(self, page: Page) -> str:
        """'current', 'ending' or 'ended' for the document `page` belongs to, today. Worked
        out once a build for each front matter (validate, the listings' key and the layouts
        each ask for every page: issue 28); a front matter replaced since is asked anew."""
        front = self.document_front(page)
        known = self._timings.get(page.key)
        if known is not None and known[0] is front:
            return known[1]
        found = timing(front, self.today)
        self._timings[page.key] = (front, found)
        return found

    def status_of(self, page: Page) -> str:
        """The status readers are shown for the document `page` belongs to, today."""
        return shown_status(self.document_front(page), self.today, self.timing_of(page))

    def age_of(self, page: Page) -> str:
        """'old' when the document `page` belongs to is dated more than a year ago."""
        return "old" if is_old(self.document_front(page), self.today) else "recent"

    def documents(self) -> list[Page]:
        """Standard pages, sorted for listings."""
        today = self.today
        return sorted((p for p in self.pages.values() if p.variant is Variant.STANDARD),
                      key=lambda page: _listing_order(page, today))

    def inbound(self, key: str) -> list[tuple[Page, Relation]]:
        """Documents that name `key` in their `related`, in listing order."""
        if self._inbound is None:
            self._inbound = {}
            for other in self.pages.values():
                if other.variant is Variant.STANDARD:
                    for relation in other.front.related:
                        self._inbound.setdefault(relation.target, []).append((other, relation))
            for found in self._inbound.values():
                found.sort(key=lambda pair: _listing_order(pair[0], self.today))
        return self._inbound.get(key, [])


def _listing_order(page: Page, today: dt.date) -> tuple:
    """By municipality; documents that still apply before ended ones, whether the author or
    the calendar ended them (issues 16, 26); then by kind and title."""
    return (page.front.municipality, timing(page.front, today) == "ended",
            _KIND_ORDER[page.front.kind], page.front.title)


# The document kinds an author may choose, with their Danish labels.
DOCUMENT_KINDS = {
    "policy": "Politik",
    "action-plan": "Handlingsplan",
    "status-report": "Statusrapport",
    "hearing-response": "Høringssvar",
    "cover-note": "Notat",
    "strategy": "Strategi",
}
_KIND_ORDER = {kind: index for index, kind in enumerate(DOCUMENT_KINDS)}

# "Læs hele ..." needs the definite form of each kind.
DOCUMENT_KINDS_DEFINITE = {
    "policy": "politikken",
    "action-plan": "handlingsplanen",
    "status-report": "statusrapporten",
    "hearing-response": "høringssvaret",
    "cover-note": "notatet",
    "strategy": "strategien",
}

# Statuses with Danish labels; "banner" marks those readers must be warned about.
STATUSES = {
    "draft": {"label": "Udkast", "banner": "Dette er et udkast. Teksten er ikke vedtaget."},
    "in-hearing": {"label": "I høring", "banner": "Dette dokument er i høring og kan blive ændret."},
    "in-force": {"label": "Gældende", "banner": None},
    "adopted": {"label": "Vedtaget", "banner": None},
    "published": {"label": "Offentliggjort", "banner": None},
    "expired": {"label": "Udløbet", "banner": "Dette dokument gælder ikke længere. Det vises som arkiv."},
    "replaced": {"label": "Erstattet", "banner": "Dette dokument er erstattet af et nyere."},
}

# Statuses of documents that no longer apply: listed after the others (issue 16).
ENDED_STATUSES = frozenset({"expired", "replaced"})

# Kinds of document that apply for their period, so that its end ends them (issue 26). The
# period of a status report, a hearing response or a note is what it is about, not how long
# it applies. Drafts and documents in hearing have not started to apply.
APPLYING_KINDS = frozenset({"policy", "action-plan", "strategy"})
_APPLYING_STATUSES = frozenset({"in-force", "adopted", "published"})

# How long before its end a document says that it ends soon ("ending").
ENDING_DAYS = 92


def first_day(partial: str) -> dt.date:
    """The first day a partial date names: '2023' -> 1 January 2023, '2023-06' -> 1 June."""
    parts = [int(part) for part in partial.split("-")] + [1, 1]
    return dt.date(*parts[:3])


def last_day(partial: str) -> dt.date:
    """The last day a partial date names: '2026' -> 31 December 2026, '2026-02' -> 28
    February 2026, a full date -> itself."""
    parts = [int(part) for part in partial.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    year, month = parts
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def period_end(front: "FrontMatter") -> dt.date | None:
    """The last day of the period in which the document applies, when it has one that the
    calendar can end (APPLYING_KINDS, a status that applies)."""
    period = front.period
    if period is None or not period.end or front.kind not in APPLYING_KINDS \
            or front.status not in _APPLYING_STATUSES:
        return None
    return last_day(period.end)


def timing(front: "FrontMatter", today: dt.date) -> str:
    """'ended' when the author says so (ENDED_STATUSES) or the period ended before `today`;
    'ending' in its last ENDING_DAYS days; else 'current'. A date never makes an error: an
    ended period changes what the site shows, and validate.py warns the editor."""
    if front.status in ENDED_STATUSES:
        return "ended"
    end = period_end(front)
    if end is None or (end - today).days >= ENDING_DAYS:
        return "current"
    return "ended" if end < today else "ending"


def dated(front: "FrontMatter") -> dt.date | None:
    """The first day the document is dated from: adopted, else issued, else its period's
    start."""
    if front.adopted:
        return front.adopted
    first = front.issued or (front.period.start if front.period else None)
    return first_day(first) if first else None


def is_old(front: "FrontMatter", today: dt.date) -> bool:
    """Dated more than a year before `today`: no longer 'ny' (issue 26)."""
    date = dated(front)
    return date is not None and (today - date).days > 365


def shown_status(front: "FrontMatter", today: dt.date, timed: str | None = None) -> str:
    """The status a reader is shown: the author's, or 'expired' once its period has ended.
    `timed`: timing(front, today), when the caller has it."""
    timed = timing(front, today) if timed is None else timed
    return "expired" if timed == "ended" and front.status not in ENDED_STATUSES \
        else front.status

# Relation kinds: the label on the page that names the relation, and on the page it points to.
RELATIONS = {
    "action-plan-for": ("Handlingsplan for", "Handlingsplan"),
    "reports-on": ("Status på", "Statusrapport"),
    "responds-to": ("Høringssvar til", "Høringssvar"),
    "cover-note-for": ("Notat om", "Notat til udvalg"),
    "supplements": ("Supplerer", "Suppleres af"),
    "replaces": ("Erstatter", "Erstattet af"),
    "see-also": ("Se også", "Se også"),
}


def _page_key(value: Any, line: int) -> str:
    """A document named by its key: 'glostrup/handicappolitik'."""
    raw = schema.text(value, line).strip("/")
    parts = raw.split("/")
    if len(parts) != 2 or not all(schema.SLUG.fullmatch(p) for p in parts):
        raise schema.FieldError(_("'{raw}' must name a document as <municipality>/<slug>, "
                                  "e.g. glostrup/handicappolitik").format(raw=raw),
                                "bad-page-ref")
    return raw


def _relation(line: int, **values) -> Relation:
    return Relation(target=values["page"], kind=values["relation"], line=line)


def _key(read: Callable[[Any, int], Any], *, required: bool = False, shared: bool = False,
        names: tuple[str, ...] = (), label: str = "", hint: str = "", editor: str = "",
        only: str = "", **default) -> Any:
    """A front matter key, declared once on `FrontMatter`: `read` is the `schema` reader
    parse.py turns the author's value with; a standard page must write a `required` key; an
    easy-read page may leave a `shared` key out and inherits it from its standard page, and
    what it writes must agree (validate.py). `names`: what a Danish author may write instead
    of the key ('vedtaget'), suggested back. `label` and `hint` (N_) are what the browser
    editor shows (issue 27); `editor` names its widget where the reader alone does not say
    ('text': several lines, 'hidden': kept as written, 'folder': given by the folder);
    `only`: the one variant ('easy-read') that may write the key. `default` is the
    dataclass field's default."""
    return field(metadata={"field": Field(read, required, names, label, hint),
                           "shared": shared, "editor": editor, "only": only}, **default)


@dataclass
class FrontMatter:
    """A page's front matter: each key's type, default and reader are declared here once (as
    Zola's front matter struct); parse.py reads exactly these keys. `lines` is not a key."""
    # the page's h1 and the first part of <title>
    title: str = _key(schema.text, required=True, names=('titel', 'overskrift'),
        label=N_("Title"), hint=N_("The heading of the page, as the document calls itself."))
    # plain-language summary shown under the title
    summary: str = _key(schema.text, required=True,
        names=('resume', 'resumé', 'sammendrag', 'sammenfatning', 'beskrivelse'),
        label=N_("Summary"), editor="text",
        hint=N_("1-3 short sentences in plain language: what the document is about."))
    # a key of DOCUMENT_KINDS
    kind: str | None = _key(schema.choice(DOCUMENT_KINDS), required=True, shared=True,
        names=('type', 'art', 'dokumenttype', 'slags'), label=N_("Kind of document"),
        hint=N_("What the document is: a policy, an action plan, a status report ..."))
    # a key of STATUSES
    status: str | None = _key(schema.choice(STATUSES), required=True, shared=True,
        names=('tilstand',), label=N_("Status"),
        hint=N_("Adopted or in force once the council has adopted it; published when the "
                "source does not say whether it applies now; draft is not published."))
    # a key of SiteConfig.municipalities; parse.py takes it from the folder when left out
    municipality: str = _key(schema.slug, shared=True, names=('kommune',), editor="folder",
        label=N_("Municipality"))
    # when the council adopted it: a date, or a month ('2023-06') when the source has no day
    adopted: dt.date | None = _key(schema.date_or_month, shared=True, default=None,
        names=('vedtaget', 'vedtagelse', 'vedtaget_den'), label=N_("Adopted"),
        hint=N_("When the council adopted it: YYYY-MM-DD, or YYYY-MM when the source "
                "gives only the month."))
    # when it was published: 2023, 2023-06 or a date
    issued: str | None = _key(schema.partial_date, shared=True, default=None,
        names=('udgivet', 'offentliggjort', 'udgivelse'), label=N_("Published"),
        hint=N_("When it was published: a year (2024), a month (2024-06) or a date."))
    # last real change to the text
    updated: dt.date | None = _key(schema.date, default=None,
        names=('opdateret', 'ændret', 'aendret', 'revideret'), label=N_("Updated"),
        hint=N_("When the text was last really changed."))
    # when the owner must look at it again
    review_by: dt.date | None = _key(schema.date, default=None,
        names=('gennemgås', 'gennemgaas', 'gennemgang', 'revision', 'revideres'),
        label=N_("Review by"), hint=N_("When the owner must look at the document again."))
    # the years the document applies to
    period: Period | None = _key(schema.mapping(
        {"from": Field(schema.partial_date, label=N_("From"), hint=N_("A year, a month or a date.")),
         "to": Field(schema.partial_date, label=N_("To"), hint=N_("A year, a month or a date."))},
        lambda line, **v: Period(start=v.get("from"), end=v.get("to"))),
        shared=True, default=None, names=('periode', 'gyldighed', 'gælder', 'gaelder'),
        label=N_("Period"), hint=N_("The years the document applies to."))
    # other documents and how they relate
    related: list[Relation] = _key(schema.list_of(schema.mapping(
        {"page": Field(_page_key, required=True, label=N_("Document"),
                       hint=N_("The other document as municipality/folder, e.g. "
                               "glostrup/handicappolitik.")),
         "relation": Field(schema.choice(RELATIONS), required=True, label=N_("Relation"),
                           hint=N_("How this document relates to the other."))}, _relation)),
        default_factory=list, names=('relateret', 'relaterede', 'se_også', 'se_ogsaa'),
        label=N_("Related documents"), hint=N_("Other documents this one belongs with."))
    # change history, newest first
    history: list[HistoryEntry] = _key(schema.list_of(schema.mapping(
        {"date": Field(schema.date, required=True, label=N_("Date")),
         "note": Field(schema.text, required=True, label=N_("What changed"))},
        lambda line, **v: HistoryEntry(**v))), default_factory=list,
        names=('historik', 'ændringer', 'aendringer'), label=N_("History"),
        hint=N_("Changes readers must know of, newest first."))
    # a layout name; default by variant
    layout: str | None = _key(schema.slug, default=None, names=('skabelon',), label=N_("Layout"),
        hint=N_("Leave empty: the site's own layout is used."))
    # language of the page; parse.py takes the site's when left out
    lang: str = _key(schema.language, default="da", names=('sprog',), label=N_("Language"),
        hint=N_("Leave empty for Danish; e.g. en for a page in English."))
    # easy-read only: who tested the text with readers
    tested_by: str | None = _key(schema.text, default=None, names=('testet_af',), only="easy-read",
        label=N_("Tested by"), hint=N_("Who tested the text with readers."))
    # easy-read only: when it was tested
    tested_on: dt.date | None = _key(schema.date, default=None, names=('testet', 'testet_den'),
        only="easy-read", label=N_("Tested on"), hint=N_("When it was tested."))
    # easy-read only: who wrote the easy-read text; the site's publisher when left out
    written_by: str | None = _key(schema.text, default=None, names=('skrevet_af', 'forfatter'),
        only="easy-read", label=N_("Written by"),
        hint=N_("Who wrote the easy-read text; the site's publisher when left empty."))
    # free-form data for custom layouts
    extra: dict[str, Any] = _key(schema.free, default_factory=dict, editor="hidden",
        label=N_("Data for custom layouts"))
    # file line of each key, for messages (not a key: parse.py records it)
    lines: dict[str, int] = field(default_factory=dict)


# What a page whose front matter has errors is rendered with, so that its text, its
# pictures and its layout are still checked in the same build (issue 30); its errors stop
# the build, so a stand-in is never published. The title's stand-in is the folder's name.
STAND_INS = {"title": None, "summary": "-", "kind": "policy", "status": "draft"}


def front_matter_keys() -> dict[str, Field]:
    """The keys an author may write, in declaration order, with their readers."""
    return {f.name: f.metadata["field"] for f in fields(FrontMatter) if "field" in f.metadata}


# Front matter an easy-read page shares with its standard page: it may leave them out and
# then inherits them (validate.py); what it writes must agree. Declared by `shared` above.
SHARED_FIELDS = tuple(f.name for f in fields(FrontMatter) if f.metadata.get("shared"))
