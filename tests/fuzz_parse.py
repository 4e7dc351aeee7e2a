"""Fuzz the parse stage by hand, for longer than the test suite does (issue 8).

    .venv/bin/python tests/fuzz_parse.py --examples 200000

Random and mutated page files (front matter, Markdown, odd bytes) are parsed and rendered by
the real stages; anything but a recorded problem is a bug and is printed with its input.
Hypothesis shrinks a failing input to a small one and remembers it in .hypothesis/.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from site_gen.markdown import render_markdown                      # noqa: E402
from site_gen.model import FrontMatter, Page, SourceFile, Variant  # noqa: E402
from site_gen.parse import FRONT_MATTER, split_front_matter        # noqa: E402
from site_gen import schema                                        # noqa: E402
from site_gen.problems import ContentError, Problems               # noqa: E402
from site_gen.yamlsafe import load_yaml                            # noqa: E402

PIECES = ["---\n", "title: T\n", "summary: S\n", "kind: policy\n", "status: in-force\n",
          "related:\n  - page: a/b\n    relation: see-also\n", "period:\n  from: 2023\n",
          "::: tabel X\n", "::: citat Y\n", ":::\n", "| a | b |\n|---|---|\n| 1 | 2 |\n",
          "## H {#x}\n", "[^1]\n\n[^1]: n\n", "![a](b.png){.decorative}\n", "> " * 30,
          "- " * 30 + "x\n", "[x]{lang=en}", "\t", "\r\n", "\ufeff", "&", "<script>", "{", "}"]


def parse_and_render(text: str) -> None:
    problems = Problems()
    split = split_front_matter(text)
    if split is None:
        return
    try:
        data = load_yaml(split.yaml, "x.md", 1, problems)
    except ContentError:
        return
    schema.read_fields(data, FRONT_MATTER, "x.md", problems, 2)
    source = SourceFile("a/b/index.md", "x.md", "a/b", Variant.STANDARD, "/a/b/", "a/b/index.html")
    page = Page(source, FrontMatter("T", "S", "policy", "in-force", "a"), split.body,
                split.body_line)
    render_markdown(page, problems)
    for problem in problems:
        assert problem.line is None or 1 <= problem.line <= text.count("\n") + 2, problem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    args = parser.parse_args()
    texts = st.one_of(st.text(), st.lists(st.sampled_from(PIECES)).map("".join),
                      st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20))).map("".join))

    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(texts)
    def fuzz(text):
        parse_and_render(text)

    fuzz()
    print(f"{args.examples} examples: no failure")


if __name__ == "__main__":
    main()
