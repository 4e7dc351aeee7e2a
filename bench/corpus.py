"""Generate N realistic policy documents in site_gen's own format (issue 7).

Each document has about 1,100 words of Danish policy prose drawn from the real sources,
6-12 headings, lists, a table on about a third, a quotation on about two fifths, front
matter as real documents have it, and some easy-read variants. Deterministic for a seed.

    .venv/bin/python bench/corpus.py 1000 /tmp/corpus
"""
from __future__ import annotations

import random
from datetime import date
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tests" / "data" / "sources"
KINDS = ["policy", "action-plan", "status-report", "hearing-response", "strategy"]
STATUSES = ["in-force", "adopted", "published", "draft", "expired"]
EASY = ["Kommunen vil hjælpe dig.", "Du skal kunne være med.", "Du kan få hjælp til at bo.",
        "Du skal have et godt liv.", "Kommunen lytter til dig.", "Planen gælder for alle.",
        "Du kan få et job.", "Børn skal trives i skolen."]


def sentences() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.txt"))
                    if "raw" not in p.name)
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    text = re.sub(r"[^\wæøåÆØÅ .,:;()%–-]", " ", text)
    # Every document of the corpus is its own municipality's: the sources' names of
    # municipalities ("Københavns Kommune") become "kommunen", as a real site's are its own
    # (the build names a document that names another municipality: other-municipality).
    text = re.sub(r"\b(?:Københavns|Albertslund|Glostrup|Herlev)s? Kommunes?\b", "kommunen", text)
    found = [" ".join(s.split()) for s in re.split(r"(?<=[.!?])\s+", text)]
    return [s for s in found if 8 <= len(s.split()) <= 35 and s[0].isupper()]


def document(rng: random.Random, pool: list[str], index: int) -> str:
    words, parts = 0, []
    headings = rng.randint(6, 12)
    per_section = 1100 // headings
    for h in range(headings):
        title = " ".join(rng.choice(pool).split()[:rng.randint(2, 6)]).rstrip(".,:;")
        parts.append(f"{'##' if h % 3 == 0 or h == 0 else '###'} {title}\n")
        count = 0
        while count < per_section:
            if rng.random() < 0.25:
                items = [rng.choice(pool) for _ in range(rng.randint(3, 5))]
                parts.append("\n".join(f"- {item}" for item in items) + "\n")
                count += sum(len(i.split()) for i in items)
            else:
                paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 4)))
                parts.append(paragraph + "\n")
                count += len(paragraph.split())
        words += count
        if h == 1 and index % 3 == 0:
            rows = "\n".join(f"| {h}.{r} | {rng.choice(pool)[:60]} | {2024 + r} |"
                             for r in range(1, rng.randint(3, 7)))
            parts.append(f"::: tabel Aktiviteter {index}\n| Nr. | Aktivitet | År |\n|---|---|---|\n{rows}\n:::\n")
        if h == 2 and index % 5 in (0, 2):
            parts.append(f"::: citat Borger i kommunen\n{rng.choice(pool)}\n:::\n")
    return "\n".join(parts)


def front_matter(rng: random.Random, index: int, municipality: str) -> str:
    year = rng.randint(2012, 2025)
    return (f"---\ntitle: Politik nummer {index} for {municipality.capitalize()}\n"
            f"summary: En politik om livet med handicap i kommune {municipality}, "
            f"dokument {index}.\nkind: {KINDS[index % len(KINDS)]}\n"
            f"status: {STATUSES[index % len(STATUSES)]}\nadopted: {year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n"
            f"period:\n  from: {year}\n  to: {year + 4}\n---\n\n")


def easy_read(index: int, ended: bool = False) -> str:
    lines = "\n".join(EASY[(index + i) % len(EASY)] for i in range(6))
    # An easy-read page says first when its document no longer applies (issue 19).
    first = "Planen gælder ikke længere.\n" if ended else ""
    return (f"---\ntitle: Politik {index} – let at læse\nsummary: Kort og let om politikken.\n---\n\n"
            f"## Det vigtigste\n\n![](billede:vigtigt)\n\n{first}{lines}\n")


def generate(n: int, target: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    pool = sentences()
    municipalities = [f"kommune{m}" for m in range(1, max(2, n // 100) + 1)]
    content = target / "content"
    content.mkdir(parents=True, exist_ok=True)
    settings = ["title: Benchmark", "language: da", "base_url: https://bench.example/",
                "description: Benchmark-site.", "publisher:", "  name: Benchmark",
                "accessibility_statement:", "  url: https://was.digst.dk/bench",
                "  reviewed: 2026-09-01", "  phone: 11 22 33 44", "  email: a@bench.example",
                "search: false", "municipalities:"]
    for m in municipalities:
        settings += [f"  {m}:", f"    name: {m.capitalize()} Kommune", f"    website: https://{m}.example/"]
    (content / "site.yaml").write_text("\n".join(settings) + "\n", encoding="utf-8")
    for index in range(n):
        municipality = municipalities[index % len(municipalities)]
        folder = content / municipality / f"politik-{index}"
        folder.mkdir(parents=True, exist_ok=True)
        front = front_matter(rng, index, municipality)
        (folder / "index.md").write_text(front + document(rng, pool, index), encoding="utf-8")
        if index % 10 == 0:
            ended = "status: expired" in front or int(re.search(r"to: (\d+)", front)[1]) < date.today().year
            (folder / "index.easy-read.md").write_text(easy_read(index, ended), encoding="utf-8")


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
