"""Messages in Danish by default and English with --lang en (issue 17, STYLE.md "Messages
speak the author's language"): both catalogs hold exactly the messages the code uses, every
Danish message is translated with the same placeholders, and every fixture site prints the
same problems (paths, lines, severities, codes) in both languages."""
from __future__ import annotations

import functools
import re
import string

import pytest

from site_gen import i18n
from helpers import CASES, expected_problems, exit_status, prepare_case, printed_problems, run_cli

_SKELETON = re.compile(r"^(.*?): (error|warning|fejl|advarsel): .* \[([a-z0-9-]+)\](?: \(x\d+\))?$")
# The severity words of the two languages, as one (a skeleton is the same in both).
_SEVERITY = {"fejl": "error", "advarsel": "warning"}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogs_hold_exactly_the_messages_the_code_uses():
    used = set(i18n.extract())
    assert len(used) > 40
    for lang in i18n.LANGUAGES:
        from babel.messages.pofile import read_po
        with open(i18n.LOCALE_DIR / f"{lang}.po", "rb") as file:
            held = {m.id for m in read_po(file) if m.id}
        assert sorted(used - held) == [], f"missing from {lang}.po (run python -m site_gen.i18n)"
        assert sorted(held - used) == [], f"unused in {lang}.po (run python -m site_gen.i18n)"


def test_the_compiled_catalogs_say_what_the_po_files_say():
    for lang in i18n.LANGUAGES:
        assert i18n.catalog.__wrapped__(lang) == i18n.po_catalog(lang), \
            f"site_gen/locale/{lang}.mo is not {lang}.po compiled (run python -m site_gen.i18n)"


def test_every_danish_message_is_translated_with_the_same_placeholders():
    danish = i18n.catalog("da")
    untranslated = sorted(set(i18n.extract()) - set(danish))
    assert untranslated == [], "no Danish translation in da.po:\n" + "\n".join(untranslated)
    for message, translation in danish.items():
        assert _placeholders(message) == _placeholders(translation), message


def _skeletons(lines):
    found = [_SKELETON.match(line).group(1, 2, 3) for line in lines]
    return [(where, _SEVERITY.get(severity, severity), code) for where, severity, code in found]


@pytest.mark.parametrize("case", CASES)
def test_fixture_site_in_english_names_the_same_problems(case, previous_build, tmp_path):
    danish = expected_problems(case)
    site = prepare_case(case, previous_build, tmp_path)
    result = run_cli("--lang", "en", cwd=site)
    english = printed_problems(result)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == exit_status(danish)
    assert _skeletons(english) == _skeletons(danish)
    for line in english:                       # nothing Danish from the catalog leaks in
        assert not any(t in line for t in _danish_only()), line


@functools.lru_cache(maxsize=1)
def _danish_only() -> tuple[str, ...]:
    """The longer Danish translations that differ from their English source."""
    used = i18n.extract()
    return tuple(t for m, t in i18n.catalog("da").items()
                 if m in used and t != m and len(t) > 20)
