"""Source coverage: how much of a source document's text appears on the built pages.

Used by test_content.py (issue 3) and runnable by hand:
    .venv/bin/python tests/coverage.py   # prints coverage per document and what is missing
"""
from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "data" / "sources"
MIN_WORDS = 6

# Which pages each source document became (page keys under content/).
DOCUMENTS = {
    "glostrup-handicappolitik.txt": ["glostrup/handicappolitik"],
    "albertslund-handicappolitik-handlingsplan-2012-2014.txt":
        ["albertslund/handicappolitik-handlingsplan-2012-2014"],
    "herlev-handicappolitik-2023.txt": ["herlev/handicappolitik"],
    "koebenhavn-status-handicappolitik-2023-2026.txt": [
        "koebenhavn/status-handicappolitik-notat-buu",
        "koebenhavn/status-handicappolitik-2023-2026",
        "koebenhavn/hoeringssvar-handicapraadet-status-2025",
        "koebenhavn/supplerende-bemaerkninger-handicapraadet-2025",
        "koebenhavn/handicappolitik-2023-2026",
    ],
}


# Repairs of PDF extraction damage applied to a source before measuring, each with its
# reason: furniture (running headers, page numbers, slide counters) removed, and font-encoding
# damage undone. Nothing else is excluded: every other sentence of six or more words must be
# on the site.
REPAIRS = {
    "glostrup-handicappolitik.txt": [
        (r"^\s*Glostrup Kommunes Handicappolitik\s*$", "", "running header on every page"),
    ],
    "herlev-handicappolitik-2023.txt": [
        (r"^Indhold$", "", "heading of the PDF's table of contents; the page builds its own"),
        (r"^.*\t\d+$", "", "an entry of the PDF's table of contents"),
        (r"^A handwritten signature.*$", "", "a description of the signature image; the page "
                                             "gives the signatory's name and title instead"),
        (r"^The signature is.*$", "", "the same description, continued"),
    ],
    "koebenhavn-status-handicappolitik-2023-2026.txt": [
        (r"^\s*Københavns Kommune\s*$", "", "running header on every slide"),
        (r"^\s*\d{1,2}\s*$", "", "page numbers"),
        (r"\s*\((?:\d/\d|fortsat)\)", "", "slide counters such as (1/2) and (fortsat)"),
        (r" \d/\d$", "", "slide counters without brackets"),
        (r"^ om budget 2026$", "", "the visible tail of a cut-off slide heading; the page's "
                                   "heading names the supplementary remarks in full"),
        ("ǃ", "–", "font-encoding damage: a dash"),
        ("ǋ", "”", "font-encoding damage: an opening quotation mark"),
        ("ǌ", "”", "font-encoding damage: a quotation mark"),
        ("Ǆ", "•", "font-encoding damage: a bullet"),
        ("ė", "0", "font-encoding damage: digits are the consecutive code points ė Ę ę Ě"),
        ("Ę", "1", "font-encoding damage: digit 1"),
        ("ę", "2", "font-encoding damage: digit 2"),
        ("Ě", "3", "font-encoding damage: digit 3"),
    ],
}


@dataclass
class Coverage:
    source: str
    total: int
    missing: list[str]

    @property
    def ratio(self) -> float:
        return 1.0 if not self.total else (self.total - len(self.missing)) / self.total


def join_hyphenation(text: str) -> str:
    """'handicappoli-\ntikken' -> 'handicappolitikken', but 'Sundheds- \nog' stays."""
    return re.sub(r"(\w)-[ \t]*\n\s*(?!(?:og|eller)\b)(\w)", r"\1\2", text)


def normalise(text: str) -> str:
    text = join_hyphenation(html.unescape(text))
    text = re.sub(r"[–—−]", "-", text)
    text = re.sub(r"(?:^|\s)(?:\d+\)|[-•→*»])(?=\s)", " ", text)   # list markers
    text = re.sub(r"[”“„\"«»’‘`´'()]", " ", text)          # quotes and brackets carry no words
    text = text.replace("-", "")          # 'e-\nlæring' and 'e-læring' alike
    text = re.sub(r"\*+", " ", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip().lower()


def sentences(source_text: str) -> list[str]:
    """Sentences of 6+ words: blocks split at blank lines and bullets, then at . ! ? :"""
    text = join_hyphenation(source_text)
    found = []
    for block in re.split(r"\n\s*\n|\n\s*[•→]|\n\s*- ", text):
        block = " ".join(block.split())
        for sentence in re.split(r"(?<=[.!?:])\s+(?=[\"”A-ZÆØÅ0-9])", block):
            words = sentence.split()
            if len(words) >= MIN_WORDS:
                found.append(sentence)
    return found


def page_text(html_text: str) -> str:
    main = html_text.split("<main", 1)[-1].split("</main>", 1)[0]
    # Navigation the layout puts between sections (issue 16) is not the policy's text.
    main = re.sub(r'<p class="to-toc"[^>]*>.*?</p>', " ", main)
    main = re.sub(r"<[^>]+>", " ", main)
    return normalise(main)


def measure(source: str, built: Path) -> Coverage:
    text = (SOURCES / source).read_text(encoding="utf-8")
    for pattern, replacement, _reason in REPAIRS.get(source, []):
        text = re.sub(pattern, replacement, text, flags=re.MULTILINE)
    site_text = " ".join(
        page_text((built / key / "index.html").read_text(encoding="utf-8"))
        for key in DOCUMENTS[source])
    squashed_site = site_text.replace(" ", "")
    wanted = sentences(text)
    missing = []
    for sentence in wanted:
        needle = normalise(sentence).rstrip(".:")
        # Spaces are not evidence either way: PDF extraction adds and drops them.
        if needle not in site_text and needle.replace(" ", "") not in squashed_site:
            missing.append(sentence)
    return Coverage(source, len(wanted), missing)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    import tempfile
    from helpers import ROOT, build
    out = Path(tempfile.mkdtemp()) / "public"
    build(ROOT, out)
    for name in DOCUMENTS:
        result = measure(name, out)
        print(f"{name}: {result.ratio:.1%} of {result.total} sentences")
        for sentence in result.missing:
            print(f"  missing: {sentence}")
