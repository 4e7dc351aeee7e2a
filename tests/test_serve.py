"""The live preview (issue 7): incremental rebuilds change exactly the affected files and
equal a clean build; the server reloads the browser on every edit, also two edits a second
apart, shows an error page while the build fails and keeps the last good pages."""
from __future__ import annotations

import asyncio
import http.client
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
from site_gen.memo import Memo

STATUS = "content/koebenhavn/status-handicappolitik-2023-2026/index.md"


def _preview_options(site: Path, out: Path):
    return dataclasses.replace(options_for(site, out), preview=True, drafts=True, advice=True)


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
    out, cache = tmp_path / "out", Memo()
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
    out, cache = tmp_path / "out", Memo()
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
    cache = Memo()
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


def test_the_watch_starts_when_made_so_an_edit_before_the_server_answers_is_seen(real_copy,
                                                                               tmp_path):
    """The preview makes its watcher before the first build: a file saved while that build
    runs, or before the first request, is rebuilt (CI once saved it before watchfiles had
    started watching in its thread, and the reload never came)."""
    import threading
    from site_gen.serve import Changes
    options = _preview_options(real_copy, tmp_path / "out")
    changes = Changes(options)
    _edit(real_copy / STATUS, "\n## ", "\nEn ændring.\n\n## ")        # no wait, no sleep
    seen: list[set[str]] = []
    reader = threading.Thread(target=lambda: seen.append(next(changes.batches())), daemon=True)
    reader.start()
    reader.join(15)
    assert seen == [{str(real_copy / STATUS)}]


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
    log = tmp_path / "server.log"               # what the server printed: no tracebacks
    with open(log, "w") as output:
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--serve", "--port",
                                    str(port), "-o", str(tmp_path / "preview")], cwd=site,
                                   stdout=output, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(base + "/")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the preview server did not start:\n" + log.read_text())
            time.sleep(0.2)
    yield site, base, port
    process.terminate()
    process.wait(10)
    assert "Traceback" not in log.read_text(), log.read_text()


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
        assert ">testby/politik/index.md<" in report     # relative to content/
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
    out, cache = tmp_path / "out", Memo()
    assert build_site(_preview_options(real_copy, out), cache).wrote
    standard = real_copy / "content/glostrup/handicappolitik/index.md"
    easy = "glostrup/handicappolitik/letlaest/index.html"
    for old, new in (("status: adopted", "status: draft"), ("status: draft", "status: adopted")):
        time.sleep(0.01)
        _edit(standard, old, new)
        result = build_site(_preview_options(real_copy, out), cache)
        assert result.wrote, result.problems.sorted_lines()
        clean = tmp_path / f"clean-{new.split()[1]}"
        assert build_site(_preview_options(real_copy, clean)).wrote
        assert tree_snapshot(out) == tree_snapshot(clean)
        shown = (out / easy).read_text(encoding="utf-8")
        assert ("Teksten er et forslag" in shown) == (new == "status: draft")   # easy words


# --- the preview answers only this machine (issue 14) -----------------------------------------

def _request(port: int, method: str, path: str, headers: dict | None = None):
    """One raw HTTP request, Host and all headers as given: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in ({"Host": f"127.0.0.1:{port}"} | (headers or {})).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_preview_refuses_requests_for_another_host(preview):
    _, _, port = preview
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1", f"127.0.0.2:{port}",
                 f"localhost.evil.example:{port}"):
        for path in ("/", "/testby/politik/", "/livereload.js", "/livereload"):
            status, headers, body = _request(port, "GET", path, {"Host": host})
            assert status == 421, (host, path, status)
            assert "Forhåndsvisningen svarer kun" in body.decode("utf-8")
            assert "Kommunen" not in body.decode("utf-8")
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        status, _, body = _request(port, "GET", "/testby/politik/", {"Host": host})
        assert status == 200 and b"Kommunen" in body


def _websocket_status(port: int, origin: str | None, host: str | None = None) -> int:
    """The status of a websocket handshake with this Origin: 101 when it is accepted."""
    headers = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    if origin:
        headers["Origin"] = origin
    if host:
        headers["Host"] = host
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", "/livereload", skip_host=True)
        for name, value in ({"Host": f"127.0.0.1:{port}"} | headers).items():
            connection.putheader(name, value)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_reload_websocket_only_from_the_preview_itself(preview):
    _, _, port = preview
    for origin in ("http://evil.example", f"http://evil.example:{port}", "null",
                   f"http://127.0.0.1:{port + 1}", f"http://localhost:{port + 1}",
                   f"http://localhost.evil.example:{port}"):
        assert _websocket_status(port, origin) == 403, origin
    assert _websocket_status(port, f"http://127.0.0.1:{port}", f"evil.example:{port}") == 421
    for origin in (f"http://127.0.0.1:{port}", f"http://localhost:{port}"):
        assert _websocket_status(port, origin) == 101, origin


def test_reload_message_names_the_file_by_a_relative_path(preview):
    site, base, port = preview
    client = ReloadClient(port, base + "/testby/politik/")
    try:
        _edit(site / "content/testby/politik/index.md", "Kommunen vil gøre", "Kommunen gør")
        message = json.loads(client._receive(15))
    finally:
        client.close()
    assert message["command"] == "reload"
    assert message["path"] == "content/testby/politik/index.md"
    assert str(site) not in json.dumps(message)


def test_head_and_other_methods(preview):
    _, base, port = preview
    page = _get(base + "/testby/politik/").encode("utf-8")
    status, headers, body = _request(port, "HEAD", "/testby/politik/")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) == len(page)
    assert headers["Content-Type"].startswith("text/html")
    status, headers, body = _request(port, "HEAD", "/livereload.js")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "TRACE"):
        for path in ("/", "/testby/politik/", "/livereload.js"):
            status, headers, _ = _request(port, method, path, {"Content-Length": "0"})
            assert status == 405, (method, path, status)
            assert headers.get("Allow") == "GET, HEAD", (method, path, headers)
    status, _, _ = _request(port, "GET", "/forcereload")
    assert status == 404                      # livereload's reload-by-GET is not offered


@pytest.mark.parametrize("path", ["/%00", "/testby/%00/index.html", "/" + "a" * 300,
                                  "/testby/" + "%C3%A6" * 200 + "/", "/%ff%fe",
                                  "/" + "a/" * 3000])
def test_odd_paths_are_not_found_never_an_error(preview, path):
    _, _, port = preview
    status, headers, body = _request(port, "GET", path)
    assert status == 404, (path, status)
    assert b"Traceback" not in body


def test_error_page_names_files_from_the_content_folder_on(tmp_path):
    """Content outside the folder build.py runs in: the error page still shows no path on
    disk, only content/..."""
    from site_gen.serve import Preview, error_page
    site = tmp_path / "site"
    shutil.copytree(SITES / "easy-read-pair" / "content", site / "content")
    document = site / "content/testby/politik/index.md"
    document.write_text(document.read_text(encoding="utf-8").replace("title:", "titel:", 1),
                        encoding="utf-8")
    options = dataclasses.replace(_preview_options(site, tmp_path / "out"),
                                  root=(tmp_path / "elsewhere").resolve())
    preview = Preview(options)
    assert not preview.rebuild().wrote
    lines = preview.problem_lines()
    assert lines and all(line.startswith("content/") for line in lines), lines
    assert str(tmp_path) not in error_page(lines, "/testby/politik/")


def test_a_real_browser_still_reloads_through_the_checked_websocket(preview, tmp_path):
    """Chromium sends its real Origin and Host: both accepted, and a save reloads the page
    (at localhost as well as 127.0.0.1)."""
    from selenium.webdriver.support.ui import WebDriverWait
    from browser import start_chromium
    site, _, port = preview
    driver = start_chromium(tmp_path / "profile")
    try:
        for number, host in enumerate(("127.0.0.1", "localhost")):
            driver.get(f"http://{host}:{port}/testby/politik/")
            WebDriverWait(driver, 20).until(lambda d: d.execute_script(
                "return !!(window.LiveReload && window.LiveReload.connector"
                " && window.LiveReload.connector._connectionDesired"
                " && window.LiveReload.connector.socket"
                " && window.LiveReload.connector.socket.readyState === 1)"))
            marker = f"Gemt i browseren {number}."
            _edit(site / "content/testby/politik/index.md", "Kommunen vil gøre",
                  f"{marker} Kommunen vil gøre")
            WebDriverWait(driver, 20).until(lambda d: marker in d.page_source)
    finally:
        driver.quit()


def test_a_busy_port_stops_the_preview_before_it_builds_or_writes(tmp_path):
    """Issue 31: on a port that is taken the preview built into --out, said where it was,
    and only then failed. Now it says the port is in use and touches nothing."""
    from helpers import run_cli
    site = tmp_path / "site"
    shutil.copytree(SITES / "easy-read-pair", site, ignore=shutil.ignore_patterns("expected"))
    assert run_cli("--out", "kladde", cwd=site).returncode == 0
    before = tree_snapshot(site / "kladde")
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        result = run_cli("--serve", "--port", str(port), "--out", "kladde", cwd=site,
                         timeout=30)
    finally:
        taken.close()
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"porten {port} er optaget" in result.stderr, result.stderr
    assert "Forhåndsvisning på" not in result.stdout and "Traceback" not in result.stderr
    assert tree_snapshot(site / "kladde") == before
