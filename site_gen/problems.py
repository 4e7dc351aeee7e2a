"""Problems found in content: the one way every stage reports what an author must fix.

A problem is a value, never an exception; `Problems` collects them for the whole build
and formats them as `path:line: severity: message [code]` (STYLE.md, "Reporting problems").
"""
from __future__ import annotations

import enum
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from .i18n import _


class Severity(enum.IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        """The word a problem line shows: 'fejl', 'advarsel', 'råd' (English: error, warning,
        advice)."""
        return {Severity.ERROR: _("error"), Severity.WARNING: _("warning"),
                Severity.INFO: _("advice")}[self]


@dataclass(frozen=True, order=True, slots=True)     # a big site has 100,000s (advice)
class Problem:
    path: str              # relative to the project root, forward slashes
    line: int | None       # 1-based; None when no line applies
    severity: Severity
    code: str              # short kebab-case, never reused for another meaning
    message: str

    def format(self, words: dict | None = None) -> str:
        """The one place a problem becomes a line: control characters in the path or the
        message (a file named with a newline) are shown escaped, so they cannot forge lines.
        `words`: the severities' words, looked up once for many lines (sorted_lines)."""
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        severity = words[self.severity] if words else self.severity
        return visible(f"{where}: {severity}: {self.message} [{self.code}]")


# C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidi controls
# that can make a terminal show text in another order ("Trojan Source", CVE-2021-42574).
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ESCAPES = {"\n": r"\n", "\r": r"\r", "\t": r"\t"}


def _escape(match: re.Match) -> str:
    char = match.group()
    return _ESCAPES.get(char) or (rf"\x{ord(char):02x}" if ord(char) < 0x100
                                  else rf"\u{ord(char):04x}")


def visible(text: str) -> str:
    """`text` with every control character written as an escape (newline as \\n)."""
    return _INVISIBLE.sub(_escape, text)


class ContentError(Exception):
    """Raised inside a stage to abandon one file after its problem was recorded."""


class Problems:
    """Collects problems; reports them sorted by path and line, repeats folded with a count.

    Plain-language advice (severity info) is printed only with `--advice`; otherwise it is
    only counted, per page, for the summary and the readability report: a site of 4,000
    documents has over 100,000 pieces of advice, and their texts are most of a build's memory."""

    def __init__(self, keep_advice: bool = True) -> None:
        self._items: list[Problem] = []
        self._worst = Severity.INFO
        self._seen = 0                  # items already looked at for _worst
        self.keep_advice = keep_advice
        self._advice: Counter = Counter()   # path -> advice counted, not kept

    def _counts_only(self, severity: Severity, code: str) -> bool:
        """Advice is only counted without --advice; easy-read advice ('er-' codes, a few a
        page) is kept, so the readability report can name it (issue 19)."""
        return severity is Severity.INFO and not self.keep_advice and not code.startswith("er-")

    def add(self, path: str, line: int | None, severity: Severity, code: str, message: str) -> None:
        if self._counts_only(severity, code):
            self._advice[path] += 1
        else:
            self._items.append(Problem(path, line, severity, code, message))

    def error(self, path: str, line: int | None, code: str, message: str) -> None:
        self.add(path, line, Severity.ERROR, code, message)

    def warning(self, path: str, line: int | None, code: str, message: str) -> None:
        self.add(path, line, Severity.WARNING, code, message)

    def info(self, path: str, line: int | None, code: str, message: str) -> None:
        self.add(path, line, Severity.INFO, code, message)

    def extend(self, problems: Iterable[Problem], worst: Severity | None = None) -> None:
        """Add problems; `worst`, when the caller knows it, spares has_errors a look at them."""
        if not isinstance(problems, list):
            problems = list(problems)
        if not problems:
            return                                  # the common case in the preview
        if not self.keep_advice:                    # _counts_only, in one pass
            kept, advice = [], self._advice
            for problem in problems:
                if problem.severity is Severity.INFO and not problem.code.startswith("er-"):
                    advice[problem.path] += 1
                else:
                    kept.append(problem)
            problems = kept
        caught_up = self._seen == len(self._items)
        self._items.extend(problems)
        if worst is not None and caught_up:
            self._worst = max(self._worst, worst)
            self._seen = len(self._items)

    def count_advice(self, path: str, number: int) -> None:
        """Advice counted elsewhere (a render worker) without its texts."""
        if number:
            self._advice[path] += number

    def advice_by_path(self) -> dict[str, int]:
        """The advice counted but not kept, by path (to say it again: pipeline.LastBuild)."""
        return dict(self._advice)

    def advice_counted(self) -> int:
        """The advice counted but not kept (in a render worker: its page's)."""
        return sum(self._advice.values())

    def by_page(self) -> Counter:
        """(path, severity) -> number of problems, advice that was only counted included."""
        counts = Counter((p.path, p.severity) for p in self._items)
        for path, number in self._advice.items():
            counts[(path, Severity.INFO)] += number
        return counts

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def count(self, severity: Severity) -> int:
        counted = self.advice_counted() if severity is Severity.INFO else 0
        return counted + sum(1 for p in self._items if p.severity == severity)

    def has_errors(self, strict: bool = False) -> bool:
        for problem in self._items[self._seen:]:       # only what was added since last time
            if problem.severity > self._worst:
                self._worst = problem.severity
        self._seen = len(self._items)
        return self._worst >= (Severity.WARNING if strict else Severity.ERROR)

    def sorted_lines(self, min_severity: Severity = Severity.WARNING,
                     first: Iterable[str] = ()) -> list[str]:
        """The report: one line per distinct problem, a repeat with its count once; errors
        first, then warnings, then advice, each in path and line order (issue 30). The
        problems of the files in `first` (the preview: the page being edited) come before
        all others."""
        wanted = [p for p in self._items if p.severity >= min_severity]
        counts = Counter(wanted)
        first = frozenset(first)
        key = lambda p: (p.path not in first, -int(p.severity), p.path, p.line or 0, p.code,
                         p.message)
        lines, words = [], {severity: str(severity) for severity in Severity}
        for problem in sorted(counts, key=key):
            text = problem.format(words)
            if counts[problem] > 1:
                text += f" (x{counts[problem]})"
            lines.append(text)
        return lines
