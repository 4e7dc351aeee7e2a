"""Render layout: the Jinja2 environment, its filters, and every complete HTML document.

Autoescape is on and undefined names are errors (shared/guides/publishing.md § 4.3). A
broken layout is reported with the layout file and line, never as a traceback.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .i18n import _
from .asset_names import published_names
from .config import SiteConfig
from .model import (APPLYING_KINDS, DOCUMENT_KINDS, DOCUMENT_KINDS_DEFINITE, ENDED_STATUSES,
                    RELATIONS, STATUSES, Page, Site, Variant, last_day, period_end)
from .problems import Problems
from .outputs import (ASSETS_FOLDER, LISTING_PAGES, SIZE_MARKER, BRAND_CSS,
                      pdf_name)
from .brand import brand_css
from .text import danish_date, danish_partial_date, danish_phone, phone_link
from .textfile import read_text


@dataclass(frozen=True)
class When:
    """A date as a page prints it: Danish words, and the machine form for <time datetime>."""
    text: str           # "28. juni 2011", "juni 2023", "2026"
    iso: str            # "2011-06-28", "2023-06", "2026"


@dataclass(frozen=True)
class Fact:
    """One part of a document's status line (issue 16): 'Vedtaget 28. juni 2011',
    'Gælder 2023–2026' (two dates), 'Udløbet' (none)."""
    label: str
    dates: tuple[When, ...] = ()
    status: str | None = None   # set on the part that names the status itself


@dataclass(frozen=True)
class Status:
    """What a page and every list show about a document: its status and dates as the front
    matter has them (nothing invented), and the document replacing it, if one says so."""
    facts: tuple[Fact, ...]
    replaced_by: "Link | None" = None

    @property
    def text(self) -> str:
        """The line as plain text, for the search results' metadata: one phrase, as the
        layouts' status_line writes it ('Udløbet, gjaldt 2012 til juli 2014', issue 29)."""
        parts = []
        for fact in self.facts:
            dates = " til ".join(when.text for when in fact.dates)
            parts.append(f"{fact.label} {dates}" if dates else fact.label)
        if self.replaced_by:
            parts.append(f"{self.replaced_by.label} {self.replaced_by.title}")
        return ", ".join(parts[:1] + [part[:1].lower() + part[1:] for part in parts[1:]])

    @property
    def label(self) -> str:
        """The status alone ('Gældende', 'Udløbet'): the search filter's value."""
        return STATUSES[self.code]["label"]

    @property
    def code(self) -> str | None:
        """The status shown, as a key of STATUSES ('expired' once a period has ended); None
        on an easy-read line that says only when the document is from."""
        return next((fact.status for fact in self.facts if fact.status), None)


@dataclass(frozen=True)
class Link:
    """A link to another document as layouts show it."""
    label: str          # the relation, e.g. "Høringssvar til"
    title: str
    url: str
    kind: str
    easy_url: str | None = None     # its easy-read version
    status: Status | None = None


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates on disk, as a memory only: a folder that cannot be read or
    written (a full disk, another build removing it) costs a compile, never the build. A
    compiled template is Python code, so each file is sealed like the memo's own files
    (memo.Seal) and checked before Jinja loads it (issue 31): one anybody else wrote, or a
    disk damaged, is compiled anew, never run."""

    def __init__(self, directory: str, seal):
        super().__init__(directory)
        self.seal = seal

    def load_bytecode(self, bucket) -> None:
        try:
            handle = os.open(self._get_cache_filename(bucket), os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(handle, "rb") as stream:
                payload = self.seal.unseal(stream.read())
        except OSError:
            return
        if payload is None:
            return
        try:
            bucket.load_bytecode(io.BytesIO(payload))
        except Exception:                 # sealed by us yet unreadable: compile anew
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        written = io.BytesIO()
        bucket.write_bytecode(written)
        target = self._get_cache_filename(bucket)
        try:
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".jinja-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(self.seal.seal(written.getvalue()))
                os.replace(temporary, target)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            pass


def make_environment(config: SiteConfig, compiled: Path | None = None,
                     seal=None) -> jinja2.Environment:
    """The layouts' environment; `compiled`, a folder where Jinja keeps compiled templates
    between builds, for these inputs only (Jinja folds constant filter calls such as
    `{{ '/'|url }}` into what it compiles)."""
    env = jinja2.Environment(
        bytecode_cache=_CompiledTemplates(str(compiled), seal) if compiled and seal else None,
        loader=jinja2.FileSystemLoader([str(d) for d in config.layout_dirs]),
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        # No stat of every layout file for every page: a changed layout changes the inputs
        # digest, and the build makes a new environment (pipeline._environment).
        auto_reload=False)
    env.filters["dato"] = danish_date
    env.filters["dato_delvis"] = danish_partial_date
    env.filters["periode"] = format_period
    env.filters["phone"] = danish_phone          # every layout shows a phone number so
    env.filters["tel"] = phone_link              # and links it so (issue 17)
    env.filters["kind_label"] = DOCUMENT_KINDS.__getitem__
    env.filters["kind_definite"] = DOCUMENT_KINDS_DEFINITE.__getitem__
    env.filters["status_label"] = lambda s: STATUSES[s]["label"]
    env.filters["absolute"] = lambda url: env.globals["site"].base_url + url.lstrip("/")
    names = published_names(config.layout_dirs, config.options.preview)
    env.filters["url"] = lambda url: site_url(env.globals["site"], names, url)
    env.globals["site"] = config
    env.globals["STATUSES"] = STATUSES
    return env


def site_url(config: SiteConfig, names: dict[str, str], url: str) -> str:
    """`{{ url|url }}`, for every URL a layout prints (issue 21): a root-relative URL gets
    the site's base path, and a stylesheet or script its content-hashed name (asset_names.py)."""
    folder = f"/{ASSETS_FOLDER}/"
    if url.startswith(folder) and url[len(folder):] in names:
        url = folder + names[url[len(folder):]]
    return config.site_url(url)


LAYOUT_SUFFIXES = {".html", ".xml", ".txt"}     # what the layouts folder holds besides assets/
# A fixed id in a layout: id="historik" (not id="{{ term.anchor }}", which varies by page).
_LAYOUT_ID = re.compile(r"""\bid\s*=\s*(["'])([^"'{}<>\s]+)\1""")


def layout_ids(config: SiteConfig, problems: Problems) -> frozenset[str]:
    """The ids the layouts in use write themselves (`<h2 id="historik">`), read from the
    layout files: a heading in the text never takes one of them (issue 14). A file in the
    site's layouts folder hides site_gen's file of the same name, as when rendering. Every
    layout is read here first with the safe reader, so Jinja never opens a pipe or a device.

    Problem codes: those of textfile.read_text."""
    files: dict[str, Path] = {}
    for folder in config.layout_dirs:
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder)
            if name.parts[0] != "assets" and name.suffix in LAYOUT_SUFFIXES \
                    and not name.name.startswith("."):
                files.setdefault(name.as_posix(), path)
    found: set[str] = set()
    for path in files.values():
        read = read_text(path, config.display(path), problems)
        if read is not None:
            found.update(match.group(2) for match in _LAYOUT_ID.finditer(read.text))
    return frozenset(found)


def format_period(period) -> str:
    start = danish_partial_date(period.start) if period.start else ""
    end = danish_partial_date(period.end) if period.end else ""
    if start and end:
        return f"{start}–{end}" if len(start) == len(end) == 4 else f"{start} – {end}"
    return f"fra {start}" if start else f"til {end}"


def render_template(env: jinja2.Environment, name: str, context: dict, path: str,
                    problems: Problems) -> str | None:
    """Render one layout; None after recording a problem with the layout's file and line.

    Problem codes: layout-missing, layout-syntax, layout-error."""
    layouts = [Path(p) for p in env.loader.searchpath]
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateNotFound as exc:
        problems.error(path, None, "layout-missing",
                       _("the layout '{name}' does not exist in {name2}/").format(name=exc.name, name2=layouts[0].name))
    except jinja2.TemplateSyntaxError as exc:
        problems.error(_shown(env, exc.filename, exc.name or name), exc.lineno, "layout-syntax",
                       _("the layout cannot be read: {message}").format(message=exc.message))
    except jinja2.UndefinedError as exc:
        file, line = _template_frame(env, layouts, name)
        problems.error(file, line, "layout-error",
                       _("{message} (while rendering {path}); check the name in the layout").format(message=exc.message, path=path))
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        file, line = _template_frame(env, layouts, name)
        problems.error(file, line, "layout-error", _("{exc} (while rendering {path})").format(exc=exc, path=path))
    return None


def _shown(env: jinja2.Environment, filename: str | None, name: str) -> str:
    """A layout file as messages show it."""
    config: SiteConfig = env.globals["site"]
    return config.display(Path(filename) if filename else config.layout_dirs[0] / name)


def _template_frame(env: jinja2.Environment, layouts: list[Path],
                    name: str) -> tuple[str, int | None]:
    """The innermost layout file and line in the current exception's traceback."""
    found = (_shown(env, None, name), None)
    for frame in traceback.extract_tb(sys.exc_info()[2]):
        frame_path = Path(frame.filename)
        if any(folder in frame_path.parents for folder in layouts):
            found = (_shown(env, frame.filename, name), frame.lineno)
    return found


def _partial(value: str) -> When:
    return When(danish_partial_date(value), value)


def document_status(page: Page, site: Site) -> Status:
    """The status line of a document (or of the document an easy-read page belongs to):
    the status, then adoption, publication, period and last change, each only when the
    front matter gives it. A date that already says the status replaces the bare label
    ('Vedtaget 28. juni 2011', not 'Vedtaget · Vedtaget 28. juni 2011'). A period the
    calendar has ended shows as 'Udløbet' (Site.status_of, issue 26)."""
    front = site.document_front(page)
    status, facts = site.status_of(page), []
    ended = status in ENDED_STATUSES
    if front.adopted:
        facts.append(Fact("Vedtaget", (When(danish_date(front.adopted), front.adopted.isoformat()),),
                          "adopted" if status == "adopted" else None))
    if front.issued:
        label = "Offentliggjort" if status == "published" else "Udgivet"
        facts.append(Fact(label, (_partial(front.issued),),
                          "published" if status == "published" else None))
    if not any(fact.status == status for fact in facts):
        # Never a bare 'Offentliggjort' or 'Vedtaget': it says nothing a reader can use (issue 26).
        label = STATUSES[status]["label"] + (", uden dato" if status in ("published", "adopted")
                                             else "")
        facts.insert(0, Fact(label, (), status))
    if front.period:
        start, end = front.period.start, front.period.end
        # A report's period is what it covers, not how long it applies (model.APPLYING_KINDS).
        verb = "Dækker" if front.kind not in APPLYING_KINDS else "Gjaldt" if ended else "Gælder"
        if start and end:
            facts.append(Fact(verb, (_partial(start), _partial(end))))
        elif start:
            facts.append(Fact(f"{verb} fra", (_partial(start),)))
        else:
            facts.append(Fact(f"{verb} til", (_partial(end),)))
    if front.updated:
        facts.append(Fact("Opdateret", (When(danish_date(front.updated),
                                             front.updated.isoformat()),)))
    return Status(tuple(facts), _replaced_by(page, site))


def _replaced_by(page: Page, site: Site) -> "Link | None":
    for other, relation in site.inbound(page.key):
        if relation.kind == "replaces" and other.key != page.key:
            return Link(RELATIONS["replaces"][1], other.front.title, other.url, other.front.kind)
    return None


def easy_status(page: Page, site: Site, banner: "Banner | None" = None) -> Status:
    """The status line of an easy-read page, in plain words (issue 26): first whether the
    document applies ('Gælder til og med 2026', 'Gælder ikke mere', 'Har ingen slutdato'),
    then when it is from ('Vedtaget i juni 2011', 'Udgivet i juni 2023'). No dash to be read
    aloud, and nothing the front matter does not say. Where a `banner` says that it does not
    apply (ended, a draft, in hearing), the line says only when it is from: the reader is
    not told the same thing twice."""
    front, status = site.document_front(page), site.status_of(page)
    end = front.period.end if front.period else None
    if status in ENDED_STATUSES:
        applies = Fact("Gælder ikke mere", (), status)
    elif status in ("draft", "in-hearing"):
        applies = Fact("Er et forslag" if status == "draft" else "Er i høring", (), status)
    elif end:
        start = front.period.start
        applies = Fact(f"Gælder fra {danish_partial_date(start)} til og med" if start
                       else "Gælder til og med", (_partial(end),), status)
    elif status == "in-force":
        applies = Fact("Gælder nu", (), status)
    else:
        applies = Fact("Har ingen slutdato", (), status)
    facts = [] if banner is not None and banner.kind != "ending" else [applies]
    if front.adopted:
        facts.append(Fact("Vedtaget i", (When(danish_partial_date(front.adopted.isoformat()[:7]),
                                               front.adopted.isoformat()[:7]),)))
    elif front.issued:
        facts.append(Fact("Udgivet i", (_partial(front.issued[:7]),)))
    return Status(tuple(facts), _replaced_by(page, site))


# "Den gælder ikke mere" / "Det gælder ikke mere": the gender of each kind's noun.
_NEUTER_KINDS = frozenset({"hearing-response", "cover-note"})


@dataclass(frozen=True)
class Banner:
    """What a reader must know first, and its kind: a key of STATUSES, or 'ending'."""
    text: str
    kind: str


def status_banner(page: Page, site: Site) -> Banner | None:
    """The line a reader meets first when a document does not simply apply (issue 26):
    a draft, a hearing, an ended or replaced document, or one in its last months
    (model.timing 'ending'). Easy-read pages get easy words."""
    front, status, timing = site.document_front(page), site.status_of(page), site.timing_of(page)
    text = _banner_text(front, status, timing, page.variant is Variant.EASY_READ)
    return Banner(text, "ending" if timing == "ending" else status) if text else None


def _banner_text(front, status: str, timing: str, easy: bool) -> str | None:
    noun = DOCUMENT_KINDS_DEFINITE[front.kind].capitalize()
    it = "Det" if front.kind in _NEUTER_KINDS else "Den"
    period = front.period
    if status == "expired" and period and period.end and front.kind in APPLYING_KINDS:
        span = (f"fra {danish_partial_date(period.start)} til og med "
                if period.start else "til og med ") + danish_partial_date(period.end)
        return f"{noun} gjaldt {span}. {it} gælder ikke {'mere' if easy else 'længere'}."
    if timing == "ending":
        end = danish_date(last_day(period.end))
        return f"{noun} gælder {'kun ' if easy else ''}til og med {end}."
    if easy and status in EASY_BANNERS:
        return EASY_BANNERS[status]
    banner = STATUSES[status]["banner"]
    return f"{STATUSES[status]['label']}: {banner}" if banner else None


# Easy-read pages say the status in easy words, active and short (issue 19).
EASY_BANNERS = {
    "draft": "Teksten er et forslag. Politikerne har ikke sagt ja til den endnu.",
    "in-hearing": "Kommunen spørger om din mening. Teksten kan stadig ændre sig.",
    "expired": "Teksten gælder ikke længere. Du kan stadig læse den her.",
    "replaced": "Der er en ny tekst i stedet for denne.",
}


# The easy-read part "Hvad betyder det for dig?" (issue 26): the layout writes its general
# points; an author's own section of that name keeps its place and gets them at its end.
FOR_YOU_HEADING = "Hvad betyder det for dig?"
_NEXT_PART = re.compile(r'<div class="easy-section">|<hr class="footnotes-sep"|<section class="footnotes')


def split_for_you(page: Page) -> tuple[str, str, bool]:
    """The body HTML in two parts around the place where the general points of "Hvad
    betyder det for dig?" go: the end of the author's own section of that name, or the end
    of the text. The flag says whether the author wrote the section."""
    fragment = page.fragment
    heading = next((h for h in page.headings if h.level == 2 and h.text == FOR_YOU_HEADING), None)
    if heading is None:
        return fragment, "", False
    start = fragment.find(f'<h2 id="{heading.id}"')
    following = _NEXT_PART.search(fragment, start + 1) if start >= 0 else None
    stop = following.start() if following else len(fragment)
    close = fragment.rfind("</div>", start, stop)
    if start < 0 or close < 0:
        return fragment, "", False
    return fragment[:close], fragment[close:], True


def _link(label: str, other: Page, site: Site) -> Link:
    easy = site.page_for(other.key, Variant.EASY_READ)
    return Link(label, other.front.title, other.url, other.front.kind,
                easy.url if easy is not None else None, document_status(other, site))


def related_links(page: Page, site: Site) -> list[Link]:
    """Documents related to this one, both the ones it names and the ones naming it."""
    links = []
    for relation in page.front.related:
        other = site.page_for(relation.target)
        if other is not None:
            links.append(_link(RELATIONS[relation.kind][0], other, site))
    for other, relation in site.inbound(page.key):
        if other.key != page.key:
            links.append(_link(RELATIONS[relation.kind][1], other, site))
    return links


def page_context(page: Page, site: Site) -> dict:
    partner_variant = Variant.EASY_READ if page.variant is Variant.STANDARD else Variant.STANDARD
    standard = site.page_for(page.key)
    toc = table_of_contents(page)
    banner = status_banner(page, site)
    return {
        "page": page,
        "front": page.front,
        "content": page.fragment,
        "toc": toc,
        "toc_sections": _toc_sections(page.fragment) if len(toc) >= LONG_PAGE_SECTIONS else None,
        "status": easy_status(page, site, banner) if page.variant is Variant.EASY_READ
        else document_status(page, site),
        "banner": banner,
        "search_status": document_status(page, site),    # the same in every search result
        "municipality": site.config.municipalities[page.front.municipality],
        "owner": site.config.municipalities[page.front.municipality].owner,
        "partner": site.page_for(page.key, partner_variant),
        "standard": standard,
        "related": related_links(standard or page, site),
        "breadcrumbs": breadcrumbs(page, site),
        "pdf_name": pdf_name(page.key, page.variant is Variant.EASY_READ),
        "pdf_size": SIZE_MARKER,
        "contact_picture": site.pictograms.get("kontakt"),   # easy-read: "Hvem kan jeg spørge?"
        "for_you_picture": site.pictograms.get("dig"),   # easy-read: "Hvad betyder det for dig?"
        "content_date": content_date(page),
        "for_you": split_for_you(page) if page.variant is Variant.EASY_READ else None,
        "writer": page.front.written_by or site.config.publisher.name,
    }


# A page with this many `##` sections is long: each section ends with a link back to the
# table of contents (issue 16), so a reader deep in a 40,000 px page is one step from it.
LONG_PAGE_SECTIONS = 3
_H2 = re.compile(r"(?=<h2[\s>])")


def _toc_sections(fragment: str) -> list[str]:
    """The body split before each `<h2`: the layout puts a link back to the contents after
    every part but the first (the text before the first section)."""
    return _H2.split(fragment)


@dataclass
class TocEntry:
    heading: object
    children: list


def table_of_contents(page: Page) -> list[TocEntry]:
    """h2 sections with their h3 subsections, built at build time (no JavaScript)."""
    toc: list[TocEntry] = []
    for heading in page.headings:
        if heading.level == 2:
            toc.append(TocEntry(heading, []))
        elif heading.level == 3 and toc:
            toc[-1].children.append(heading)
    return toc


def breadcrumbs(page: Page, site: Site) -> list[tuple[str, str]]:
    municipality = site.config.municipalities[page.front.municipality]
    crumbs = [("Forside", "/"), (municipality.name, f"/{municipality.key}/")]
    if page.variant is Variant.EASY_READ:
        standard = site.page_for(page.key)
        if standard is not None:
            crumbs.append((standard.front.title, standard.url))
    return crumbs


def layout_name(page: Page) -> str:
    if page.front.layout:
        return f"{page.front.layout}.html"
    return "easy-read.html" if page.variant is Variant.EASY_READ else "document.html"


def render_page(env: jinja2.Environment, page: Page, site: Site, problems: Problems) -> None:
    page.html = render_template(env, layout_name(page), page_context(page, site), page.path,
                                problems) or ""


def render_listings(env: jinja2.Environment, site: Site, problems: Problems) -> None:
    """The front page, one page per municipality, and the 404 page."""
    config = site.config
    by_municipality: dict[str, list[Page]] = {key: [] for key in config.municipalities}
    for document in site.documents():
        by_municipality.setdefault(document.front.municipality, []).append(document)
    easy_read, groups = _easy_read_urls(site), []
    statuses = {page.key: document_status(page, site) for page in site.documents()}
    for key, municipality in config.municipalities.items():
        docs = by_municipality[key]
        groups.append((municipality, docs))
        html = render_template(env, "municipality.html",
                               {"municipality": municipality, "documents": docs,
                                "easy_read": easy_read, "statuses": statuses},
                               config.display(config.options.content_dir / "site.yaml"), problems)
        if html is not None:
            site.extra_pages.append((f"{key}/index.html", html))
    colours = config.publisher.colours
    if colours is not None:                       # checked for contrast in config.py
        site.extra_pages.append((BRAND_CSS, brand_css(colours.primary, colours.secondary)))
    context = {"groups": groups, "easy_read": easy_read, "statuses": statuses,
               "entries": sitemap_entries(site)}
    context.update(feed_context(site))
    for page in LISTING_PAGES:                    # declared once, in outputs.py
        if not page.made(config):
            continue
        html = render_template(env, page.layout, context,
                               config.display(config.layout_dirs[0] / page.layout), problems)
        if html is not None:
            site.extra_pages.append((page.path, html))


def content_date(page: Page) -> str | None:
    """The date the content last changed, as the author recorded it; never the build date
    (a build-date lastmod makes every page look new, publishing.md § 4.10)."""
    front = page.front
    if front.updated or front.adopted:
        return (front.updated or front.adopted).isoformat()
    return front.issued


def sitemap_entries(site: Site) -> list[tuple[str, str | None]]:
    entries = [("/", None)] + [(f"/{key}/", None) for key in site.config.municipalities]
    entries += sorted((page.url, content_date(page)) for page in site.pages.values())
    return entries


@dataclass(frozen=True)
class FeedEntry:
    page: Page
    updated: str        # RFC 3339
    change: str         # "Opdateret: " or ""


def _rfc3339(value: str) -> str:
    parts = (value.split("-") + ["01", "01"])[:3]
    return "-".join(parts) + "T00:00:00Z"


def feed_context(site: Site) -> dict:
    """New and changed documents, newest first; the feed's own date is the newest entry's,
    so the same content always gives the same feed."""
    entries = []
    for page in site.documents():
        date = content_date(page)
        change = "Opdateret: " if page.front.updated else ""
        if site.timing_of(page) == "ended":                # issue 26
            change = "Gælder ikke længere: "
            end = period_end(page.front)                   # the calendar ended it: news then
            if end is not None:
                date = max(filter(None, (date, (end + dt.timedelta(days=1)).isoformat())),
                           key=_rfc3339)
        if date:
            entries.append(FeedEntry(page, _rfc3339(date), change))
    entries.sort(key=lambda e: (e.updated, e.page.url), reverse=True)
    return {"entries_feed": entries,
            "updated": entries[0].updated if entries else "2000-01-01T00:00:00Z"}


def _easy_read_urls(site: Site) -> dict[str, str]:
    """Document key -> the URL of its easy-read version, for the lists' "Letlæst" links."""
    return {p.key: p.url for p in site.pages.values() if p.variant is Variant.EASY_READ}
