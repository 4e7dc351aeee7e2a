"""Tagged PDFs (PDF/UA-1) of every document and easy-read page, made by WeasyPrint from the
same HTML (issue 6), in the staging folder before it is swapped in.

The page links to its PDF with format and size; the size is known only after the PDF is
made, so the layout writes SIZE_MARKER and this module replaces it.

Every page of a PDF carries the document's title and owner at the top, and its status, dates
and "Side N af M" at the bottom (issue 18): a printed policy must be citable page by page.
These are @page margin boxes in a stylesheet made here for each document, so the web pages
do not change; pdf_tags.py makes them artifacts, which WeasyPrint does not.
"""
from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .model import STATUSES, Page, Site, Variant
from . import outputs
from .outputs import SIZE_MARKER
from .text import danish_date, danish_partial_date


# Only for the PDF. The site's own header and footer name the website and its publisher,
# which a printed document does not need (and the footer could name site_gen itself); the
# running header and footer below say whose document it is instead.
PDF_CSS = """
.site-header, .site-footer { display: none !important; }
@page {
  font: 8.5pt/1.3 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #000;
  @top-left { content: %(title)s; vertical-align: bottom; padding-bottom: 6mm; width: 75%%; }
  @top-right { content: %(owner)s; vertical-align: bottom; padding-bottom: 6mm;
               text-align: right; width: 25%%; }
  @bottom-left { content: %(state)s; vertical-align: top; padding-top: 6mm; width: 75%%; }
  @bottom-right { content: "Side " counter(page) " af " counter(pages);
                  vertical-align: top; padding-top: 6mm; text-align: right; width: 25%%; }
}
"""


class PdfError(OSError):
    """WeasyPrint is missing or failed: an environment problem."""


def pdf_name(page: Page) -> str:
    """'handicappolitik.pdf' beside the page; 'handicappolitik-letlaest.pdf' for easy-read."""
    return outputs.pdf_name(page.key, page.variant is Variant.EASY_READ)


def human_size(size: int) -> str:
    """'245 kB' (Danish decimal comma for MB)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def warm_up() -> None:
    """Import WeasyPrint and let it load its fonts once, in the build's own process, before
    the PDF workers are forked: each worker then starts with them instead of spending the
    first second of its work on the same imports and font set-up."""
    try:
        import weasyprint

        from . import pdf_tags  # noqa: F401
    except ImportError:                   # pragma: no cover - make_pdf says so
        return
    weasyprint.HTML(string="<p lang='da'>Æ</p>").render().write_pdf()


def make_pdf(site: Site, root: Path, page: Page) -> dict[str, str]:
    """Make one page's PDF beside its HTML in `root` and write the PDF's size into the HTML;
    returns the digests of both files by output path."""
    try:                                  # imported here: most builds make no PDFs
        import weasyprint

        from .pdf_tags import finish_tags, scope_table_headers
    except ImportError as exc:            # pragma: no cover - installed with site_gen
        raise PdfError(f"WeasyPrint or pikepdf is not installed: {exc}") from None
    fetcher = _fetcher_for(root, weasyprint, site.config.base_path)
    html_path = root / page.source.output_path
    target = html_path.parent / pdf_name(page)
    try:
        # Presentational hints: without them WeasyPrint drops <ol start>, and a list
        # (or a date such as "26. september 2025") starts at 1 (Kozea/WeasyPrint#2003).
        # The page is read with a base URL of the site's own paths, not of the staging folder
        # (its name is random): WeasyPrint names images by the digest of their URL, and the
        # same page must give the same bytes in every build.
        document = weasyprint.HTML(string=html_path.read_text(encoding="utf-8"),
                                   base_url=f"file://{site.config.base_path}"
                                            f"{page.source.output_path}",
                                   url_fetcher=fetcher, media_type="print").render(
            stylesheets=[weasyprint.CSS(string=running_css(page, site))],
            presentational_hints=True)
        describe(document.metadata, page, site)
        pdf = finish_tags(document.write_pdf(pdf_variant="pdf/ua-1",
                                             finisher=scope_table_headers))
        target.write_bytes(pdf)
    except Exception as exc:          # WeasyPrint raises many kinds; none are the author's
        raise PdfError(f"the PDF of {page.path} could not be made: {exc}") from None
    html = html_path.read_text(encoding="utf-8")
    data = html.replace(SIZE_MARKER, human_size(len(pdf))).encode("utf-8")
    html_path.write_bytes(data)
    folder = page.source.output_path.rsplit("/", 1)[0]
    return {page.source.output_path: hashlib.sha256(data).hexdigest(),
            f"{folder}/{target.name}": hashlib.sha256(pdf).hexdigest()}


def running_css(page: Page, site: Site) -> str:
    """The PDF stylesheet with this document's running header and footer."""
    front = page.front
    owner = site.config.municipalities[front.municipality].name
    # The status a reader is shown, 'Udløbet' once the period has ended (issue 26).
    status = STATUSES.get(site.status_of(page), {}).get("label")
    state = " · ".join(([f"Status: {status}"] if status else []) + [document_dates(page)])
    return PDF_CSS % {"title": _css_string(front.title), "owner": _css_string(owner),
                      "state": _css_string(state)}


def document_dates(page: Page) -> str:
    """'Vedtaget 28. juni 2023 · Opdateret 15. januar 2024', as the front matter has them;
    the period when it gives no date, and 'Uden dato' when it has neither: never a date the
    author did not write (such as the build's)."""
    from .layout import format_period     # layout.py imports this module; Danish dates live there
    front = page.front
    parts = []
    if front.adopted:
        parts.append(f"Vedtaget {danish_date(front.adopted)}")
    if front.issued:
        parts.append(f"Udgivet {danish_partial_date(front.issued)}")
    if front.updated:
        parts.append(f"Opdateret {danish_date(front.updated)}")
    if not parts and front.period:
        parts.append(f"Periode {format_period(front.period)}")
    return " · ".join(parts) or "Uden dato"


def describe(metadata, page: Page, site: Site) -> None:
    """The PDF's Title, Author (the municipality that owns the document), Subject (the
    summary) and dates from the front matter, so that two builds give the same bytes.
    No Creator: WeasyPrint names itself as Producer, and nothing names site_gen."""
    front = page.front
    metadata.title = front.title
    metadata.authors = [site.config.municipalities[front.municipality].name]
    metadata.description = front.summary
    metadata.generator = None
    created = front.adopted.isoformat() if front.adopted else front.issued
    modified = front.updated.isoformat() if front.updated else created
    metadata.created, metadata.modified = created, modified


def _css_string(text: str) -> str:
    """`text` as a CSS string: quotes, backslashes and control characters escaped."""
    return '"' + "".join(f"\\{ord(c):x} " if c in '"\\' or not c.isprintable() else c
                         for c in text) + '"'


def _fetcher_for(root: Path, weasyprint, base_path: str = "/"):
    """The site's URLs (/assets/site.css, below the site's base path; a page is read with
    its address under that path) come from the staging folder, and nothing is read from
    outside it or from the network."""
    base = root.resolve()
    prefix = PurePosixPath(base_path).parts               # '/' and the base path's folders

    class SiteFetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if not path.is_relative_to(base):      # a root-relative URL of the site
                    asked = PurePosixPath(unquote(parts.path)).parts
                    if asked[:len(prefix)] != prefix:
                        raise ValueError(f"outside the site: {url}")
                    path = base.joinpath(*asked[len(prefix):]).resolve()
                if not path.is_relative_to(base):
                    raise ValueError(f"outside the site: {url}")
                url = path.as_uri()
            return super().fetch(url, headers)

    return SiteFetcher(allowed_protocols={"file", "data"}, fail_on_errors=False)
