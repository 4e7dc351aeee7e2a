"""The one list of output paths (issue 14): every file a build writes is claimed here, by
whatever makes it, before anything is rendered; two claims on one path are an error that
names both sources, so nothing an author wrote is ever overwritten in silence.

The generated pages and folders are declared once, below; the layouts stage and the writer
take their names from here. A folder claim (a name ending in '/') covers everything below it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ASSETS_FOLDER = "assets"              # layouts/assets/ -> <output>/assets/
REPORT_FOLDER = "sprograpport"        # the editors' readability report
SEARCH_FOLDER = "pagefind"            # Pagefind's index and UI
EASY_READ_FOLDER = "letlaest"         # an easy-read page's URL segment below its document

# Generated pages: (layout, output path), in the order they are made.
LISTING_PAGES = (("index.html", "index.html"), ("404.html", "404.html"),
                 ("was.html", "was/index.html"), ("sitemap.xml", "sitemap.xml"),
                 ("feed.xml", "feed.xml"), ("robots.txt", "robots.txt"))
STATEMENT_PAGE = ("statement.html", "tilgaengelighed/index.html")   # own statement only
SEARCH_PAGE = ("search.html", "soeg/index.html")                   # when search is on
REPORT_FILES = (f"{REPORT_FOLDER}/index.html", f"{REPORT_FOLDER}/rapport.json")
STAMP = ".site_gen"                   # marks a folder as site_gen's output (write.py)


# The page links to its PDF with format and size; the size is known only after the PDF is
# made (write stage), so the layout writes this marker and pdf.py puts the size in.
SIZE_MARKER = "@@PDF-SIZE@@"
SIZE_WORDS_MARKER = "@@PDF-SIZE-WORDS@@"     # easy-read pages: the size without 'kB' (issue 19)


def pdf_path(key: str, easy_read: bool) -> str:
    """The PDF beside a page: 'glostrup/handicappolitik/handicappolitik.pdf', and
    '.../handicappolitik-letlaest.pdf' for the easy-read page."""
    slug = key.split("/")[1]
    return f"{key}/{slug}-letlaest.pdf" if easy_read else f"{key}/{slug}.pdf"


def pdf_name(key: str, easy_read: bool) -> str:
    """The PDF's file name beside its page."""
    return pdf_path(key, easy_read).rsplit("/", 1)[1]


def generated_paths() -> list[tuple[str, str]]:
    """(output path or folder/, what makes it) for everything site_gen writes itself. The
    names are reserved whether or not a site turns the page on, so turning on search or an
    own statement later never breaks a site that built before."""
    claims = [(output, f"site_gen's page from layouts/{layout}")
              for layout, output in LISTING_PAGES if "/" not in output]
    for folder, what in (("was/", "/was address of the accessibility statement"),
                         ("tilgaengelighed/", "accessibility statement"),
                         ("soeg/", "search page"), (f"{SEARCH_FOLDER}/", "search index"),
                         (f"{REPORT_FOLDER}/", "readability report"),
                         (f"{ASSETS_FOLDER}/", "files from layouts/assets/")):
        claims.append((folder, f"site_gen's {what}"))
    claims.append((STAMP, "site_gen's mark on its output folder"))
    return claims


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
