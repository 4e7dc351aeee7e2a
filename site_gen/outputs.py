"""The one list of output paths (issue 14): every file a build writes is claimed here, by
whatever makes it, before anything is rendered; two claims on one path are an error that
names both sources, so nothing an author wrote is ever overwritten in silence.

The generated pages and folders are declared once, below (GENERATED): the code that makes
them and the names reserved from documents both come from that list (issue 15). A folder
claim (a name ending in '/') covers everything below it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

ASSETS_FOLDER = "assets"              # layouts/assets/ -> <output>/assets/
REPORT_FOLDER = "sprograpport"        # the editors' readability report
SEARCH_FOLDER = "pagefind"            # Pagefind's index and UI
EASY_READ_FOLDER = "letlaest"         # an easy-read page's URL segment below its document

BRAND_CSS = f"{ASSETS_FOLDER}/brand.css"   # the owner's colours (brand.py), when set
STAMP = ".site_gen"                   # marks a folder as site_gen's output (write.py)
# `build.py import`'s notes beside the document it wrote (issue 30): the editor's to-do list,
# never published and never a problem of its own.
NOTES_FILE = "import-noter.md"


def _always(config: Any) -> bool:
    return True


@dataclass(frozen=True)
class Generated:
    """A file or folder site_gen makes itself, not from a document."""
    path: str                          # output path; a folder ends in '/'
    what: str = ""                     # what it is, as a clash message names its maker
    layout: str | None = None          # the layout file it is rendered from, if any
    made: Callable[[Any], bool] = _always    # whether a site (SiteConfig) gets it

    @property
    def reserved(self) -> str:
        """The name it takes from documents: its first path segment ('soeg/', 'feed.xml')."""
        top, slash, _ = self.path.partition("/")
        return top + slash

    @property
    def owner(self) -> str:
        return f"site_gen's {self.what or f'page from layouts/{self.layout}'}"


# Everything site_gen makes itself, declared once: the code that makes each takes its
# path (and layout) from here, and generated_paths() reserves its name from documents.
# The listings and site pages, rendered from their layouts in this order (layout.py).
LISTING_PAGES = (
    Generated("index.html", layout="index.html"),
    Generated("404.html", layout="404.html"),
    Generated("was/index.html", "/was address of the accessibility statement", "was.html"),
    Generated("sitemap.xml", layout="sitemap.xml"),
    Generated("feed.xml", layout="feed.xml"),
    Generated("robots.txt", layout="robots.txt"),
    Generated("tilgaengelighed/index.html", "accessibility statement", "statement.html",
              made=lambda config: config.statement.url is None),        # own statement only
    Generated("soeg/index.html", "search page", "search.html",
              made=lambda config: config.search),
    Generated("om-webstedet/index.html", "page about the site and its pictures", "about.html"))
# The editors' readability report (report.py).
REPORT_PAGE = Generated(f"{REPORT_FOLDER}/index.html", "readability report", "report.html")
REPORT_DATA = Generated(f"{REPORT_FOLDER}/rapport.json", "readability report")
GENERATED = LISTING_PAGES + (
    REPORT_PAGE, REPORT_DATA,
    Generated(f"{SEARCH_FOLDER}/", "search index"),                      # write.py (Pagefind)
    Generated(f"{ASSETS_FOLDER}/", "files from layouts/assets/"),        # write.py, layout.py
    Generated(STAMP, "mark on its output folder"))                       # write.py


# The page links to its PDF with format and size; the size is known only after the PDF is
# made (write stage), so the layout writes this marker and pdf.py puts the size in.
SIZE_MARKER = "@@PDF-SIZE@@"


def pdf_path(key: str, easy_read: bool) -> str:
    """The PDF beside a page: 'glostrup/handicappolitik/handicappolitik.pdf', and
    '.../handicappolitik-letlaest.pdf' for the easy-read page."""
    slug = key.split("/")[1]
    return f"{key}/{slug}-letlaest.pdf" if easy_read else f"{key}/{slug}.pdf"


def pdf_name(key: str, easy_read: bool) -> str:
    """The PDF's file name beside its page."""
    return pdf_path(key, easy_read).rsplit("/", 1)[1]


def generated_paths() -> list[tuple[str, str]]:
    """(output path or folder/, what makes it) for everything site_gen writes itself
    (GENERATED), each name once. The names are reserved whether or not a site turns the page
    on, so turning on search or an own statement later never breaks a site that built before."""
    claims: dict[str, str] = {}
    for made in GENERATED:
        claims.setdefault(made.reserved, made.owner)
    return list(claims.items())


@dataclass(frozen=True)
class Claim:
    path: str            # output path, or a folder ending in '/'
    owner: str           # what makes it, as a message names it


@dataclass
class OutputPaths:
    """Claims on output paths. `claim` returns the earlier claim a new one clashes with (and
    does not record the new one), or None."""
    files: dict[str, Claim] = field(default_factory=dict)
    folders: dict[str, Claim] = field(default_factory=dict)

    def claim(self, path: str, owner: str) -> Claim | None:
        for folder, existing in self.folders.items():
            if path.startswith(folder) or (path.endswith("/") and folder.startswith(path)):
                return existing
        if path.endswith("/"):
            self.folders[path] = Claim(path, owner)
            return None
        if path in self.files:
            return self.files[path]
        self.files[path] = Claim(path, owner)
        return None
