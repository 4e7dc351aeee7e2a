"""The live preview (issue 7): incremental rebuilds change exactly the affected files and
equal a clean build; the server reloads the browser on every edit, also two edits a second
apart, shows an error page while the build fails and keeps the last good pages."""
from __future__ import annotations

import asyncio
import dataclasses
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from tornado.websocket import websocket_connect

from helpers import ROOT, SITES, options_for, tree_snapshot
from site_gen.pipeline import build_site
from site_gen.render import Cache

STATUS = "content/koebenhavn/status-handicappolitik-2023-2026/index.md"


def _preview_options(site: Path, out: Path):
    return dataclasses.replace(options_for(site, out), preview=True)


def _stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def real_copy(tmp_path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    return site


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edit_rewrites_exactly_the_affected_pages_and_equals_a_clean_build(real_copy, tmp_path):
    out, cache = tmp_path / "out", Cache()
    first = build_site(_preview_options(real_copy, out), cache)
    assert first.wrote, first.problems.sorted_lines()
    before, stamps = tree_snapshot(out), _stamps(out)
    time.sleep(0.01)
    document = real_copy / STATUS
    title = document.read_text(encoding="utf-8").split("\n")[1]
    _edit(document, title, title + " (rettet)")
    _edit(document, "\n## ", "\nEn ny sætning i statussen.\n\n## ")

    again = build_site(_preview_options(real_copy, out), cache)
    assert again.wrote, again.problems.sorted_lines()
    assert again.pages_written < first.pages_written       # not everything was laid out again
    clean = tmp_path / "clean"
    assert build_site(_preview_options(real_copy, clean)).wrote
    after = tree_snapshot(out)
    assert after == tree_snapshot(clean), "the incremental result differs from a clean build"

    rewritten = {path for path, stamp in _stamps(out).items() if stamps.get(path) != stamp}
    differ = {path for path in after if before.get(path) != after[path]}
    assert rewritten == differ
    status = "koebenhavn/status-handicappolitik-2023-2026/index.html"
    assert status in differ and "index.html" in differ and "koebenhavn/index.html" in differ
    # Documents related to the status report show its title; others do not change.
    assert "koebenhavn/hoeringssvar-handicapraadet-status-2025/index.html" in differ
    assert "glostrup/handicappolitik/index.html" not in differ
    assert "assets/site.css" not in differ


def test_no_change_rebuild_writes_nothing(real_copy, tmp_path):
    out, cache = tmp_path / "out", Cache()
    assert build_site(_preview_options(real_copy, out), cache).wrote
    stamps = _stamps(out)
    again = build_site(_preview_options(real_copy, out), cache)
    assert again.wrote and again.pages_written == 0
    assert _stamps(out) == stamps


def test_a_layout_change_lays_out_every_page_again(real_copy, tmp_path):
    layouts = real_copy / "layouts"
    shutil.copytree(ROOT / "layouts", layouts)
    options = dataclasses.replace(_preview_options(real_copy, tmp_path / "out"),
                                  layouts_dir=layouts.resolve())
    cache = Cache()
    first = build_site(options, cache)
    _edit(layouts / "base.html", "</footer>", "<p>Ny linje i sidefoden.</p>\n</footer>")
    again = build_site(options, cache)
    assert again.wrote and first.wrote
    pages = [p for p in (tmp_path / "out").rglob("*.html") if "was" not in p.parts]
    assert len(pages) == again.pages_written        # every page but the /was/ redirect
    assert all("Ny linje i sidefoden." in p.read_text(encoding="utf-8") for p in pages)
    clean = tmp_path / "clean"
    assert build_site(dataclasses.replace(options, output_dir=clean.resolve())).wrote
    assert tree_snapshot(tmp_path / "out") == tree_snapshot(clean)


# --- the server, driven over HTTP and the livereload protocol --------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


class ReloadClient:
    """A browser's side of the livereload protocol: handshake, then wait for 'reload'."""

    def __init__(self, port: int, page: str):
        self.loop = asyncio.new_event_loop()
        self.connection = self._run(lambda: websocket_connect(f"ws://127.0.0.1:{port}/livereload"))
        self._send({"command": "hello",
                    "protocols": ["http://livereload.com/protocols/official-7"]})
        assert json.loads(self._receive(10))["command"] == "hello"
        self._send({"command": "info", "url": page, "plugins": {}})

    def _run(self, make, timeout: float = 15):
        """Run `make()` (which starts tornado work) inside this client's own event loop."""
        async def wait():
            return await asyncio.wait_for(make(), timeout)
        return self.loop.run_until_complete(wait())

    def _send(self, message: dict) -> None:
        self._run(lambda: self.connection.write_message(json.dumps(message)))

    def _receive(self, timeout: float) -> str:
        message = self._run(self.connection.read_message, timeout)
        assert message is not None, "the server closed the connection"
        return message

    def wait_for_reload(self, timeout: float = 15) -> float:
        started = time.perf_counter()
        message = json.loads(self._receive(timeout))
        assert message["command"] == "reload", message
        return time.perf_counter() - started

    def close(self) -> None:
        self.connection.close()
        self.loop.close()


@pytest.fixture
def preview(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "easy-read-pair" / "content", site / "content")
    port = _free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--serve", "--port",
                                str(port), "-o", str(tmp_path / "preview")], cwd=site,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(base + "/")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the preview server did not start:\n" + process.stdout.read())
            time.sleep(0.2)
    yield site, base, port
    process.terminate()
    process.wait(10)


def test_preview_reloads_on_each_edit_and_shows_errors_until_fixed(preview):
    site, base, port = preview
    document = site / "content" / "testby" / "politik" / "index.md"
    page = base + "/testby/politik/"
    assert "livereload.js" in _get(page)          # the reload script exists only while serving
    client = ReloadClient(port, page)
    try:
        _edit(document, "Kommunen vil gøre", "Første ændring. Kommunen vil gøre")
        client.wait_for_reload()
        assert "Første ændring." in _get(page)
        time.sleep(1)                              # livereload would drop this one by default
        _edit(document, "Første ændring.", "Anden ændring.")
        client.wait_for_reload()
        assert "Anden ændring." in _get(page)

        report = _get(base + "/sprograpport/")        # made on request from the last build
        assert "content/testby/politik/index.md" in report
        assert json.loads(_get(base + "/sprograpport/rapport.json"))["pages"]

        good = document.read_text(encoding="utf-8")
        document.write_text(good.replace("title:", "titel:", 1), encoding="utf-8")
        client.wait_for_reload()
        shown = _get(page)
        assert "Siden kunne ikke bygges" in shown and 'lang="da"' in shown
        assert "content/testby/politik/index.md:2" in shown and "[unknown-key]" in shown
        last_good = _get(page + "?sidste-gode")
        assert "Anden ændring." in last_good and "Siden kunne ikke bygges" not in last_good

        document.write_text(good, encoding="utf-8")
        client.wait_for_reload()
        assert "Anden ændring." in _get(page)
        assert "Siden kunne ikke bygges" not in _get(page)
    finally:
        client.close()


def test_preview_serves_only_the_preview_folder(preview):
    site, base, _ = preview
    (site / "secret.txt").write_text("hemmeligt", encoding="utf-8")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/../../etc/passwd"):
        try:
            body = _get(base + path)
        except urllib.error.HTTPError as error:
            assert error.code == 404
        else:
            assert "hemmeligt" not in body and "root:" not in body


def test_report_of_the_last_good_build_after_a_failed_one(real_copy, tmp_path):
    """Pages of unchanged files are shared between preview builds; the report made on
    request from the last good build still shows that build's figures."""
    from site_gen.serve import Preview
    preview = Preview(_preview_options(real_copy, tmp_path / "out"))
    assert preview.rebuild().wrote
    words = lambda: {row["path"]: row["words"] for row in json.loads(
        preview.report_file("/sprograpport/rapport.json"))["pages"]}
    before = words()
    _edit(real_copy / STATUS, "\n## ", "\nTi nye ord i statussen, og et link til [en side, der "
          "ikke findes](/koebenhavn/findes-ikke/).\n\n## ")
    failed = preview.rebuild({str((real_copy / STATUS).resolve())})
    assert not failed.wrote and any(p.code == "link-broken" for p in failed.problems), \
        failed.problems.sorted_lines()
    assert words() == before


def test_an_inherited_field_follows_its_standard_page_edit_after_edit(real_copy, tmp_path):
    """An easy-read page inherits 'status' from its standard page; its page object is kept
    between preview builds (parse.py), so each build must give it the current value."""
    out, cache = tmp_path / "out", Cache()
    assert build_site(_preview_options(real_copy, out), cache).wrote
    standard = real_copy / "content/glostrup/handicappolitik/index.md"
    easy = "glostrup/handicappolitik/letlaest/index.html"
    for old, new in (("status: adopted", "status: draft"), ("status: draft", "status: adopted")):
        time.sleep(0.01)
        _edit(standard, old, new)
        result = build_site(_preview_options(real_copy, out), cache,
                            changed={str(standard.resolve())})
        assert result.wrote, result.problems.sorted_lines()
        clean = tmp_path / f"clean-{new.split()[1]}"
        assert build_site(_preview_options(real_copy, clean)).wrote
        assert tree_snapshot(out) == tree_snapshot(clean)
        shown = (out / easy).read_text(encoding="utf-8")
        assert ("Teksten er et forslag" in shown) == (new == "status: draft")   # easy words
