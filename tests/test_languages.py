"""Every line an editor reads is in their language (issue 30): each command, its --help,
the import, a new site, the preview's start, builds that fail and builds that pass, run
in Danish and in English. A Danish line with English words left in it (outside what the
author wrote, quoted) fails, and so does an English line with a Danish message in it."""
from __future__ import annotations

import functools
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from helpers import ROOT, SITES, run_cli
from site_gen import i18n
from wordfiles import municipal_docx

# Words no Danish message has outside a quotation; each is common in English messages.
ENGLISH = re.compile(r"\b(the|is|are|and|with|not|must|should|which|this|that|its|has|"
                     r"was|were|write|use|from|into|file|folder|page|pages|error|warning|"
                     r"usage|options|show|help|exit|message|it|of|or|an|on|in|by)\b")
# What an editor wrote or a command names is not a message: quoted text, paths, codes,
# options, addresses and the file names site_gen reads.
NOT_MESSAGE = re.compile(
    r"'[^']*'|\"[^\"]*\"|»[^«]*«|\([^()]*\.(?:md|yaml|docx|png|html)\)|\[[a-z0-9-]+\]|"
    r"`[^`]*`|--?[a-z][a-z-]*(?: [A-ZÆØÅ./_<>-]+)?|https?://\S+|\S+/\S*|\S+\.(?:md|yaml|docx|"
    r"py|png|html|txt|json|conf|config|htaccess)\b|\{[^}]*\}|<[^>]*>")
DANISH = re.compile(r"\b(ikke|skal|skriv|eller|og|den|det|til|fra|på|mangler|findes|filen|"
                    r"siden|fejl|advarsel|råd|sprogråd|mappen|gange)\b")


def _unquoted(line: str) -> str:
    """The line without what is not a message (an apostrophe of "Word's" is no quote)."""
    return NOT_MESSAGE.sub(" ", re.sub(r"(?<=\w)'s\b", "s", line))


def _english_left(line: str) -> list[str]:
    return ENGLISH.findall(_unquoted(line))


def _danish_left(line: str) -> list[str]:
    return DANISH.findall(_unquoted(line))


def _site(tmp_path):
    """A site with a page of many problems at once, and a Word document to import."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "every-problem-at-once", site)
    municipal_docx(site / "politik.docx")
    return site


@functools.lru_cache(maxsize=None)
def _commands() -> tuple[tuple[str, ...], ...]:
    return (
        ("--help",), ("init", "--help"), ("new", "--help"), ("import", "--help"),
        (),                                              # a build with errors
        ("--no-cache", "--advice", "--content", str(SITES / "easy-read-errors" / "content"),
         "--out", "easy-read-out"),                      # the easy-read rules and advice
        ("--port", "nul"),
        ("--content", "no-such-folder"),
        ("import", "no-such-file.docx", "--to", "content/testby/ny/"),
        ("import", "politik.docx", "--to", "content/testby/importeret/"),
        ("new", "testby/ny-politik", "--easy-read"),
        ("new", "Testby/Ny"),
        ("init", "viborg", "--municipality", "viborg", "--name", "Viborg Kommune"),
        ("init", "viborg", "--municipality", "viborg", "--name", "Viborg Kommune"),   # again
        ("--site", "viborg"),                            # a build that passes
        ("--site", "viborg", "--base-url", "https://www.viborg.dk/politik/"),
        ("--site", "no-such-folder"),
    )


def _lines(site, language: str) -> list[tuple[tuple[str, ...], str]]:
    printed = []
    for command in _commands():
        result = run_cli("--lang", language, *command, cwd=site)
        assert "Traceback" not in result.stdout + result.stderr, command
        printed += [(command, line) for line in (result.stdout + result.stderr).splitlines()
                    if line.strip()]
    printed += [(("--serve",), line) for line in _preview_lines(site, language)]
    return printed


def _preview_lines(site, language: str) -> list[str]:
    """What the preview prints when it starts, until it serves."""
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--lang", language,
                                "--site", "viborg", "--serve", "--port", "0" if False else
                                str(_free_port())], cwd=site, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if "127.0.0.1" in line:
                break
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    assert any("127.0.0.1" in line for line in lines), lines
    return [line for line in lines if line.strip()]


def _free_port() -> int:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Lines that hold no message words of either language: the readability table's rows.
TABLE_ROW = re.compile(r"^\S+\.md\s+(-|\d+)\s+")


def test_every_line_in_danish_mode_is_danish(tmp_path):
    left = [f"{' '.join(command) or 'build'}: {line}  <- {words}"
            for command, line in _lines(_site(tmp_path), "da")
            if not TABLE_ROW.match(line) and (words := _english_left(line))]
    assert not left, "English in Danish mode:\n" + "\n".join(left)


def test_every_line_in_english_mode_is_english(tmp_path):
    left = [f"{' '.join(command) or 'build'}: {line}  <- {words}"
            for command, line in _lines(_site(tmp_path), "en")
            if not TABLE_ROW.match(line) and (words := _danish_left(line))]
    assert not left, "Danish in English mode:\n" + "\n".join(left)
