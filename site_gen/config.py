"""Site settings: `content/site.yaml` read into a frozen `SiteConfig`.

Every bad or unknown key is reported at once (codes from `schema.read_fields`); the build
options from the command line are kept beside the settings so a stage needs one object.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from . import brand, schema
from .i18n import N_, _
from .outputs import ASSETS_FOLDER
from .problems import ContentError, Problems
from .schema import Field
from .textfile import read_text
from .yamlsafe import load_yaml

SETTINGS_FILE = "site.yaml"


@dataclass(frozen=True)
class Contact:
    name: str
    email: str | None = None
    phone: str | None = None         # '+4543591000' (schema.phone); layouts format it
    address: str | None = None
    url: str | None = None
    opening_hours: str | None = None


@dataclass(frozen=True)
class Logo:
    file: str                        # under layouts/assets/, published at /assets/<file>
    alt: str                         # what the logo says, e.g. "Glostrup Kommunes logo"


@dataclass(frozen=True)
class Colours:
    primary: str                     # '#rrggbb': links, focus ring, lines (brand.py)
    secondary: str | None = None     # '#rrggbb': lines and borders, when it differs


@dataclass(frozen=True)
class Owner:
    """Who is responsible for a page (issue 17): the site's owner (`publisher` in site.yaml)
    on listings and site pages, a document's municipality on its pages."""
    name: str
    website: str | None = None       # the owner's main website
    address: str | None = None
    phone: str | None = None         # '+4543591000' (schema.phone); layouts format it
    email: str | None = None
    opening_hours: str | None = None
    logo: Logo | None = None
    colours: Colours | None = None

    @property
    def has_contact(self) -> bool:
        return bool(self.address or self.phone or self.email or self.opening_hours)


@dataclass(frozen=True)
class Municipality:
    key: str
    name: str
    website: str
    contact: Contact | None = None
    line: int | None = None          # where site.yaml names it, for messages

    @property
    def owner(self) -> Owner:
        """The municipality as the owner of its documents."""
        contact = self.contact or Contact(name=self.name)
        return Owner(name=self.name, website=self.website, address=contact.address,
                     phone=contact.phone, email=contact.email,
                     opening_hours=contact.opening_hours)


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str


@dataclass(frozen=True)
class Statement:
    """The accessibility statement the Danish web accessibility law requires (publishing.md
    § 2.2): at was.digst.dk, or published by the site itself from these settings."""
    url: str | None = None           # the statement at was.digst.dk; None: publish our own
    reviewed: dt.date | None = None  # when it was last reviewed (at least once a year)
    phone: str | None = None         # the phone contact for feedback
    email: str | None = None         # the written contact for feedback ...
    form: str | None = None          # ... or a web form for it
    compliance: str | None = None    # own statement: fully, partially or not compliant
    known_issues: tuple[str, ...] = ()   # own statement: content that is not accessible

    @property
    def page_url(self) -> str:
        return self.url or "/tilgaengelighed/"


@dataclass(frozen=True)
class BuildOptions:
    """What the command line chose; paths are absolute."""
    root: Path                     # messages show paths relative to this
    content_dir: Path
    layouts_dir: Path
    output_dir: Path
    default_layouts_dir: Path | None = None   # layouts not in layouts_dir come from here
    base_url: str | None = None    # overrides the setting
    strict: bool = False
    today: dt.date = dt.date(2000, 1, 1)   # what has ended (model.timing); never printed as such
    preview: bool = False          # the live preview: no PDFs and no search index (slow)
    advice: bool = False           # keep the texts of plain-language advice (`--advice`)
    drafts: bool = False           # publish documents with status: draft (`--drafts`, the preview)


@dataclass(frozen=True)
class SiteConfig:
    options: BuildOptions
    title: str
    language: str
    base_url: str
    description: str
    publisher: Owner               # the site's owner (issue 17)
    statement: Statement
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    navigation: tuple[NavItem, ...] = ()
    allow_html: bool = False       # raw HTML in Markdown, sanitised to an allowlist (README)
    pdf: bool = False              # a tagged PDF of every document (WeasyPrint, slower)
    search: bool = True            # a Pagefind search index and /soeg/
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # key -> its line in site.yaml

    @property
    def layout_dirs(self) -> list[Path]:
        """Where layouts are looked up, first match wins: a site overrides single files."""
        dirs = [self.options.layouts_dir]
        default = self.options.default_layouts_dir
        if default is not None and default.resolve() != self.options.layouts_dir.resolve():
            dirs.append(default)
        return dirs

    @property
    def output_dir(self) -> Path:
        return self.options.output_dir

    @property
    def base_path(self) -> str:
        """The path the site is published under, '/' or e.g. '/politikker/handicap/' (issue
        21); the preview always serves at '/'."""
        return "/" if self.options.preview else urlsplit(self.base_url).path

    def site_url(self, url: str) -> str:
        """A URL as the site prints it: a root-relative one ('/glostrup/') gets the base
        path; others (https://..., #id, 'kort.png', mailto:) are returned as they are. The
        one place this is decided: layouts call it as `|url`, Markdown links and images
        through markdown/links_images.py."""
        if url.startswith("/") and not url.startswith("//"):
            return self.base_path + url[1:]
        return url

    @property
    def settings_path(self) -> str:
        """site.yaml as messages show it."""
        return self.display(self.options.content_dir / SETTINGS_FILE)

    def display(self, path: Path) -> str:
        """A path as messages show it: relative to the project root when inside it."""
        return display_path(self.options, path)


def _contact(line: int, **values) -> Contact:
    return Contact(**values)


CONTACT = {
    "name": Field(schema.text, required=True, label=N_("Name")),
    "email": Field(schema.email, label=N_("E-mail")),
    "phone": Field(schema.phone, label=N_("Phone"), hint=N_("Eight digits, e.g. 87 87 50 50.")),
    "address": Field(schema.text, label=N_("Address")),
    "url": Field(schema.url, label=N_("Web page")),
    "opening_hours": Field(schema.text, label=N_("Opening hours")),
}


def _colours(line: int, **values) -> Colours:
    """Brand colours, refused when a pair the layouts draw is under the WCAG minimum."""
    try:
        brand.check_colours(values["primary"], values.get("secondary"))
    except ValueError as exc:
        raise schema.FieldError(str(exc), "low-contrast", line) from None
    return Colours(**values)


# The site's owner: a contact's fields (its web address is 'website'), a logo and colours.
OWNER = {
    **{key: field for key, field in CONTACT.items() if key != "url"},
    "website": Field(schema.url, label=N_("Website")),
    "logo": Field(schema.mapping({"file": Field(schema.asset_name, required=True,
                                                label=N_("File")),
                                  "alt": Field(schema.text, required=True,
                                               label=N_("What the logo says"))},
                                 lambda line, **v: Logo(**v)), label=N_("Logo")),
    "colours": Field(schema.mapping({"primary": Field(schema.colour, required=True,
                                                      label=N_("Main colour"),
                                                      hint=N_("For links and lines.")),
                                     "secondary": Field(schema.colour,
                                                        label=N_("Second colour"))},
                                    _colours), label=N_("Colours"),
                     hint=N_("The build refuses colours too pale to read.")),
}


def _municipalities(value, line: int) -> dict[str, Municipality]:
    if not isinstance(value, dict):
        raise schema.FieldError(_("must list each municipality by its folder name, e.g. "
                                  "'glostrup:'"))
    fields = {"name": Field(schema.text, required=True), "website": Field(schema.url, required=True),
              "contact": Field(schema.mapping(CONTACT, _contact))}
    result = {}
    for key, data in value.items():
        schema.slug(key, value.lines[key])
        read = schema.mapping(fields, lambda line, **v: Municipality(
            key=key, line=value.lines[key], **v))
        try:
            result[key] = read(data, value.lines[key])
        except schema.FieldError as exc:
            raise schema.FieldError(f"'{key}': {exc}", exc.code, exc.line or value.lines[key])
    return result


def _statement(line: int, **values) -> Statement:
    values["known_issues"] = tuple(values.get("known_issues", ()))
    statement = Statement(**values)
    if statement.url is None and statement.compliance is None:
        raise schema.FieldError(_("give 'url' (the statement at was.digst.dk) or, to publish "
                                  "the statement on this site, 'compliance' (fully, partially "
                                  "or not)"), "missing-field", line)
    return statement


def _nav_url(value, line: int) -> str:
    raw = schema.text(value, line)
    if raw.startswith("/") and not raw.startswith("//"):
        return raw
    return schema.url(raw, line)


# The settings: what the browser editor shows (label, hint) and what it keeps as written
# ('hidden': the address, the municipalities' folders, the menu: IT's and the build's).
SETTINGS = {
    "title": Field(schema.text, required=True, label=N_("Name of the website"),
                   hint=N_("Shown at the top of every page and in the browser's tab.")),
    "language": Field(schema.language, required=True, editor="hidden"),
    "base_url": Field(schema.base_url, required=True, editor="hidden"),
    "description": Field(schema.text, required=True, label=N_("Description"), editor="text",
                         hint=N_("One or two sentences for search engines and sharing.")),
    "publisher": Field(schema.mapping(OWNER, lambda line, **v: Owner(**v)), required=True,
                       label=N_("Publisher"), hint=N_("Who is behind the website (the footer).")),
    "accessibility_statement": Field(schema.mapping(
        {"url": Field(schema.url, label=N_("Statement at was.digst.dk"),
                      hint=N_("Its address, when the municipality has one there.")),
         "reviewed": Field(schema.date, label=N_("Last reviewed")),
         "phone": Field(schema.phone, label=N_("Phone")),
         "email": Field(schema.email, label=N_("E-mail")),
         "form": Field(schema.url, label=N_("Web form")),
         "compliance": Field(schema.choice({"fully": N_("Fully"), "partially": N_("Partially"),
                                            "not": N_("Not")}),
                             label=N_("How far the website lives up to the rules")),
         "known_issues": Field(schema.list_of(schema.text), label=N_("Known problems"))},
        _statement), required=True, label=N_("Accessibility statement"),
        hint=N_("The law asks for it; readers reach it from every page.")),
    "pdf": Field(schema.boolean, editor="hidden"),
    "search": Field(schema.boolean, editor="hidden"),
    "municipalities": Field(_municipalities, required=True, editor="hidden"),
    "allow_html": Field(schema.boolean, editor="hidden"),
    "navigation": Field(schema.list_of(schema.mapping(
        {"title": Field(schema.text, required=True), "url": Field(_nav_url, required=True)},
        lambda line, **v: NavItem(**v))), editor="hidden"),
}


def load_config(options: BuildOptions, problems: Problems) -> SiteConfig | None:
    """Read the settings file; None when it is missing or has errors (all recorded).

    Problem codes: no-settings, those of `textfile.read_text`, `load_yaml` and `read_fields`."""
    path = options.content_dir / SETTINGS_FILE
    shown = display_path(options, path)
    if path.is_symlink():            # refused before it is read (issue 31), as discovery does
        problems.error(shown, None, "symlink", _("links are not allowed in content/; copy the "
                                                 "file into the folder instead"))
        return None
    try:
        read = read_text(path, shown, problems)
    except FileNotFoundError:
        problems.error(shown, None, "no-settings",
                       _("the settings file is missing; create {shown} (see README: Site settings)").format(shown=shown))
        return None
    if read is None:
        return None
    try:
        data = load_yaml(read.text, shown, 0, problems)
    except ContentError:
        return None
    values = schema.read_fields(data, SETTINGS, shown, problems, 1, "setting")
    if values is None:
        return None
    if not _logo_found(values["publisher"], options, shown, data.lines["publisher"], problems):
        return None
    base_url = options.base_url or values["base_url"]
    if options.base_url and options.base_url.rstrip("/") != values["base_url"].rstrip("/"):
        # The next `make site` reads site.yaml alone: say so, rather than forget (issue 30).
        problems.warning(shown, data.lines["base_url"], "base-url-differs", _(
            "--base-url {given} differs from 'base_url: {written}' here; this build uses "
            "{given}, the next one without --base-url uses {written}. Write the address the "
            "site is published at here").format(given=options.base_url,
                                                written=values["base_url"]))
    return SiteConfig(
        options=options, title=values["title"], language=values["language"],
        base_url=base_url.rstrip("/") + "/", description=values["description"],
        publisher=values["publisher"], statement=values["accessibility_statement"],
        municipalities=values["municipalities"],
        navigation=tuple(values.get("navigation", ())),
        allow_html=values.get("allow_html", False),
        pdf=values.get("pdf", False) and not options.preview,
        search=values.get("search", True) and not options.preview, lines=dict(data.lines))


def _logo_found(owner: Owner, options: BuildOptions, shown: str, line: int,
                problems: Problems) -> bool:
    """The owner's logo is a file in a layouts' assets folder. Problem code: logo-missing."""
    if owner.logo is None:
        return True
    folders = [options.layouts_dir] + ([options.default_layouts_dir]
                                       if options.default_layouts_dir else [])
    if any((folder / ASSETS_FOLDER / owner.logo.file).is_file() for folder in folders):
        return True
    problems.error(shown, line, "logo-missing", _(
        "the logo '{file}' is not in {folder}; put the file there or correct 'logo: file'"
    ).format(file=owner.logo.file, folder=display_path(options, options.layouts_dir / ASSETS_FOLDER)))
    return False


def display_path(options: BuildOptions, path: Path) -> str:
    return relative_display(options.root, path)


def relative_display(root: Path, path: Path) -> str:
    """A path as messages show it: relative to the project root when inside it. A symlink is
    named as itself, never as what it points to."""
    try:
        return Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()
