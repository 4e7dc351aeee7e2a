"""Tagged PDFs (PDF/UA-1) of every document and easy-read page, made by WeasyPrint from the
same HTML (issue 6), in the staging folder before it is swapped in.

The page links to its PDF with format and size; the size is known only after the PDF is
made, so the layout writes SIZE_MARKER and this module replaces it. Page margins stay
empty: WeasyPrint does not tag running headers (publishing.md § 4.7).
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .model import Page, Site, Variant

SIZE_MARKER = "@@PDF-SIZE@@"
SIZE_WORDS_MARKER = "@@PDF-SIZE-WORDS@@"     # easy-read pages: the size without 'kB' (issue 19)


class PdfError(OSError):
    """WeasyPrint is missing or failed: an environment problem."""


def pdf_name(page: Page) -> str:
    """'handicappolitik.pdf' beside the page; 'handicappolitik-letlaest.pdf' for easy-read."""
    slug = page.key.split("/")[1]
    return f"{slug}-letlaest.pdf" if page.variant is Variant.EASY_READ else f"{slug}.pdf"


def human_size(size: int) -> str:
    """'245 kB' (Danish decimal comma for MB)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def size_in_words(size: int) -> str:
    """'245 kilobyte': easy-read pages write no abbreviations."""
    return human_size(size).replace(" kB", " kilobyte").replace(" MB", " megabyte")


def write_pdfs(site: Site, root: Path) -> None:
    try:
        import weasyprint
    except ImportError as exc:            # pragma: no cover - installed with site_gen
        raise PdfError(f"WeasyPrint is not installed: {exc}") from None
    fetcher = _fetcher_for(root, weasyprint)
    for page in site.pages.values():
        html_path = root / page.source.output_path
        target = html_path.parent / pdf_name(page)
        try:
            document = weasyprint.HTML(filename=str(html_path), url_fetcher=fetcher,
                                       media_type="print")
            document.write_pdf(str(target), pdf_variant="pdf/ua-1")
        except Exception as exc:          # WeasyPrint raises many kinds; none are the author's
            raise PdfError(f"the PDF of {page.path} could not be made: {exc}") from None
        html = html_path.read_text(encoding="utf-8")
        size = target.stat().st_size
        html = html.replace(SIZE_MARKER, human_size(size))
        html_path.write_text(html.replace(SIZE_WORDS_MARKER, size_in_words(size)),
                             encoding="utf-8", newline="\n")


def _fetcher_for(root: Path, weasyprint):
    """Root-relative URLs (/assets/site.css) come from the staging folder, and nothing is
    read from outside it or from the network."""
    base = root.resolve()

    class SiteFetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if not path.is_relative_to(base):      # a root-relative URL of the site
                    path = base.joinpath(*PurePosixPath(unquote(parts.path)).parts[1:]).resolve()
                if not path.is_relative_to(base):
                    raise ValueError(f"outside the site: {url}")
                url = path.as_uri()
            return super().fetch(url, headers)

    return SiteFetcher(allowed_protocols={"file", "data"}, fail_on_errors=False)
