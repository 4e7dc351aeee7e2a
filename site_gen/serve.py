"""Serve: the live preview (`python build.py --serve`, `make serve`).

Builds once, then watches `content/` and the layouts with watchfiles (inotify: a change is
seen in milliseconds, where livereload's own watcher polls every 800 ms) and rebuilds with the
same `build_site` as the command line and a memo kept in memory, so an edit re-renders only
the pages whose inputs it changed and rewrites only files whose bytes changed. Pages get
livereload's reload script, and livereload tells the browser to reload; its 3-second
throttle, which silently drops a second reload (publishing.md § 4.8), is switched off.

A rebuild with errors changes nothing in the preview folder. Every HTML page then shows an
accessible error page listing the problems (`path:line`, message, code) with a link to the
last good version of the page, which stays browsable; fixing the error reloads the browser
onto the page itself. The server binds 127.0.0.1 and serves only files inside the preview
folder (issue 8), only to requests for its own Host, and its reload websocket only to its
own origin (issue 14); the browser is told of changes by relative paths.
"""
from __future__ import annotations

import dataclasses
import gc
import html
import logging
import mimetypes
import os
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote

from .config import BuildOptions
from .pipeline import BuildResult, build_site
from .problems import Problems, Severity
from .memo import Memo
from .outputs import REPORT_DATA, REPORT_FOLDER, REPORT_PAGE
from .editor import web as editor_web
from .server_config import SECURITY_HEADERS

HOST = "127.0.0.1"
LAST_GOOD = "sidste-gode"          # ?sidste-gode: the last good page, past the error page
STEP_MS = 5                        # watchfiles: yield a batch after this long without changes
# The watcher's thread rebuilds and prints while the server's thread answers the browser:
# at Python's 5 ms switch interval the reload message and the page waited 5-7 ms each for
# the printing thread to let go (issue 28, measured at 4,000 documents).
SWITCH_INTERVAL = 0.0005
DEBOUNCE_MS = 1_600                # ... or after this long, if changes keep coming
ERROR_CSS = "/_forhaandsvisning.css"   # the error page's stylesheet; no page has a '_' address
# The published site's security headers, so that the preview shows what the strict policy
# would block (issue 21); but the browser editor shows a page beside its form (issue 27), so
# the preview's own origin, and no other, may frame it.
PREVIEW_HEADERS = tuple(
    (name, "SAMEORIGIN" if name == "X-Frame-Options"
     else value.replace("frame-ancestors 'none'", "frame-ancestors 'self'"))
    for name, value in SECURITY_HEADERS)


@dataclass
class Preview:
    """The state the server and the watcher share: one build's result at a time."""
    options: BuildOptions
    memo: Memo = field(default_factory=Memo)
    result: BuildResult | None = None
    good: BuildResult | None = None          # the last build without errors
    lock: threading.Lock = field(default_factory=threading.Lock)
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))   # the editor's

    def rebuild(self, changed: set[str] | None = None) -> BuildResult:
        """Build again; `changed`, the files the watcher saw change, are read again even if
        the file system's times did not move."""
        with self.lock:
            for path in changed or ():
                self.memo.reads.pop(path, None)
            self.memo.watched = changed
            gc.disable()               # no collection in the middle of an edit's rebuild
            try:
                self.result = build_site(self.options, self.memo)
            finally:
                gc.enable()
            if self.result.wrote:
                self.good = self.result
        return self.result

    @property
    def failed(self) -> bool:
        return self.result is not None and not self.result.wrote

    def report_file(self, url_path: str) -> bytes | None:
        """The readability report (/sprograpport/), made on request from the last good build:
        rendering it on every keystroke would cost more than the edited page itself."""
        from . import layout, report
        wanted = {f"/{REPORT_FOLDER}/": REPORT_PAGE.path, f"/{REPORT_PAGE.path}": REPORT_PAGE.path,
                  f"/{REPORT_DATA.path}": REPORT_DATA.path}
        if url_path not in wanted:
            return None
        with self.lock:
            good = self.good
            if good is None:
                return None
            site = good.site
            rows = report.make_rows(site, good.problems)
            env = layout.make_environment(site.config)
            files = dict(report.render_report(env, site, rows, Problems()))
        text = files.get(wanted[url_path])
        return text.encode("utf-8") if text is not None else None

    def problem_lines(self) -> list[str]:
        """The problems as the build printed them; a file outside the project is named from
        its watched folder on (content/..., layouts/...), never where it lies on disk."""
        if self.result is None:
            return []
        lines = self.result.problems.sorted_lines(Severity.WARNING, self.result.edited)
        for folder in watched_folders(self.options):
            prefix = f"{folder.parent.as_posix().rstrip('/')}/"
            lines = [line[len(prefix):] if line.startswith(prefix) else line for line in lines]
        return lines


def make_responder(preview: Preview):
    """`respond(url_path, query) -> (status, content type, body)` for the preview folder, or
    the error page while the build fails. `url_path` is as sent, %-escapes included."""
    root = preview.options.output_dir.resolve()

    def respond(url_path: str, query_string: str) -> tuple[int, str, bytes]:
        path = unquote(url_path or "/")
        query = parse_qs(query_string, keep_blank_values=True)
        if path == ERROR_CSS:
            return 200, "text/css; charset=utf-8", ERROR_STYLE
        report = preview.report_file(path)
        if report is not None:
            kind = "application/json" if path.endswith(".json") else "text/html"
            return 200, kind + "; charset=utf-8", report
        target = _resolve(root, path)
        is_page = target.suffix == ".html" if target else path.endswith(("/", ".html"))
        if is_page and preview.failed and LAST_GOOD not in query:
            return 200, "text/html; charset=utf-8", \
                error_page(preview.problem_lines(), path).encode("utf-8")
        try:
            body = target.read_bytes() if target is not None else None
        except OSError:                     # removed by a rebuild a moment ago
            body = None
        if body is None:
            return 404, "text/html; charset=utf-8", _not_found(root)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/json", "application/xml",
                                                 "application/javascript"):
            kind += "; charset=utf-8"
        return 200, kind, body

    return respond


def _resolve(root: Path, url_path: str) -> Path | None:
    """The file a URL names, only ever inside the preview folder; None for a name no file
    can have (a NUL byte, a name too long for the system)."""
    if "\0" in url_path:
        return None
    try:
        candidate = (root / url_path.lstrip("/")).resolve()
        if candidate != root and root not in candidate.parents:
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None
    except (OSError, ValueError):
        return None


def _not_found(root: Path) -> bytes:
    page = root / "404.html"
    try:
        return page.read_bytes()
    except OSError:
        return b"<!doctype html><title>404</title>"


def error_page(lines: list[str], path: str) -> str:
    """The page shown while the build fails: a real document, readable without scripts."""
    items = "\n".join(_problem_item(line) for line in lines)
    again = html.escape(f"{path}?{LAST_GOOD}", quote=True)
    return f"""<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Siden kunne ikke bygges – forhåndsvisning</title>
<link rel="stylesheet" href="{ERROR_CSS}">
</head>
<body>
<main>
<h1>Siden kunne ikke bygges</h1>
<p role="status">Ret fejlene herunder og gem filen. Siden genindlæses af sig selv.</p>
<h2>Fejl og advarsler</h2>
<ol>
{items}
</ol>
<p><a href="{again}">Se den sidste gode udgave af siden</a></p>
</main>
</body>
</html>
"""


# A file, not a <style> element: the preview sends the strict Content-Security-Policy.
ERROR_STYLE = b"""\
body { font: 1.125rem/1.5 system-ui, sans-serif; max-width: 65ch; margin: 2rem auto;
       padding: 0 1rem; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.6rem; }
li { margin-block: .75rem; }
code { font-size: 1rem; overflow-wrap: anywhere; }
a { color: #0b4ea2; }
a:focus-visible { outline: 3px solid #0b4ea2; outline-offset: 2px; }
@media (prefers-color-scheme: dark) { body { color: #f2f2f2; background: #121212; }
  a { color: #9ec5ff; } a:focus-visible { outline-color: #9ec5ff; } }
"""


def _problem_item(line: str) -> str:
    where, _, rest = line.partition(": ")
    message, _, code = rest.rpartition(" [")
    return (f"<li><code>{html.escape(where)}</code>: {html.escape(message)} "
            f"<span>[{html.escape(code.rstrip(']'))}]</span></li>")


def watched_folders(options: BuildOptions) -> list[Path]:
    folders = [options.content_dir, options.layouts_dir]
    if options.default_layouts_dir and options.default_layouts_dir != options.layouts_dir:
        folders.append(options.default_layouts_dir)
    return [f for f in dict.fromkeys(folders) if f.is_dir()]


def shown_path(options: BuildOptions, path: Path) -> str:
    """A watched file as the browser is told of it: relative, never where it is on disk
    ('content/glostrup/handicappolitik/index.md', 'layouts/base.html')."""
    for folder in watched_folders(options):
        if folder in path.parents:
            return f"{folder.name}/{path.relative_to(folder).as_posix()}"
    return path.name


def make_application(preview: Preview, port: int):
    """The preview's tornado application: its pages, livereload's script and its websocket.

    Only for this machine (issue 14): a request whose Host is not 127.0.0.1:PORT or
    localhost:PORT gets 421 (a DNS-rebinding page cannot read drafts), and the websocket is
    accepted only from the preview's own origin (another site cannot follow the saves).
    Pages answer GET and HEAD, anything else 405 with Allow. livereload's /forcereload is
    left out: any web page could reload the editor's browser with it."""
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
    from tornado import web

    hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
    origins = {f"http://{host}" for host in hosts}
    script = f'<script src="/livereload.js?port={port}"></script></head>'.encode()
    respond = make_responder(preview)

    class Local(web.RequestHandler):
        def prepare(self):
            if self.request.headers.get("Host", "").lower() not in hosts:
                self._refuse(421, "Forhåndsvisningen svarer kun på adressen "
                                  f"http://127.0.0.1:{port}/ eller http://localhost:{port}/.")
            elif self.request.method not in ("GET", "HEAD"):
                self._refuse(405, "Forhåndsvisningen kan kun vise sider (GET og HEAD).")

        def _refuse(self, status: int, text: str) -> None:
            self.clear()
            self.set_status(status)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            if status == 405:
                self.set_header("Allow", "GET, HEAD")
            self.finish(text + "\n")

        def write_error(self, status_code: int, **kwargs) -> None:
            """Tornado's own refusals (an unknown method, a bad request); never a traceback."""
            if status_code == 405:
                self.set_header("Allow", "GET, HEAD")
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(f"{status_code} {self._reason}\n")

    class Socket(Local, LiveReloadHandler):
        def check_origin(self, origin: str) -> bool:
            return origin.lower() in origins

    class Script(Local, LiveReloadJSHandler):
        head = LiveReloadJSHandler.get

    class Pages(Local):
        def get(self):
            status, kind, body = respond(self.request.path, self.request.query)
            if kind.startswith("text/html"):
                body = body.replace(b"</head>", script, 1)
            self.set_status(status)
            self.set_header("Content-Type", kind)
            self.set_header("Cache-Control", "no-store")
            for name, value in PREVIEW_HEADERS:      # the published site's, framed here
                self.set_header(name, value)
            self.write(body)

        head = get                     # tornado sends the headers of GET, without the body

    return web.Application([(r"/livereload", Socket), (r"/livereload\.js", Script),
                            *editor_web.handlers(preview, Local, hosts, origins),
                            (r".*", Pages)], debug=False)


class Changes:
    """The watched folders, watched from the moment this is made: watchfiles' Rust watcher
    registers its inotify watches before the constructor returns, so a file saved during the
    first build, or before the first request is answered, is seen (watchfiles' own `watch()`
    makes its watcher in the thread, some time after the server already answers)."""

    def __init__(self, options: BuildOptions):
        from watchfiles._rust_notify import RustNotify   # documented: watchfiles' Rust backend
        polling = os.environ.get("WATCHFILES_FORCE_POLLING", "").lower() not in {
            "", "false", "disable", "disabled"}             # as watchfiles reads it
        self.output = options.output_dir.resolve()
        self.notify = RustNotify([str(f) for f in watched_folders(options)], False, polling,
                                 300, True, False)

    def batches(self):
        """Each batch of changed files (absolute paths), ignoring the output and dotfiles."""
        while True:
            raw = self.notify.watch(DEBOUNCE_MS, STEP_MS, 5_000, None)
            if isinstance(raw, str):                 # 'timeout' (or a signal): watch on
                continue
            paths = {p for _, p in raw if self.output not in Path(p).parents
                     and not Path(p).name.startswith(".")}
            if paths:
                yield paths


def _make_watcher(preview: Preview, changes: Changes, report):
    """A livereload Watcher that is told of changes by watchfiles instead of polling."""
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class Told(Watcher):
        def start(self, callback) -> bool:
            loop = IOLoop.current()
            threading.Thread(target=self._run, args=(loop,), daemon=True).start()
            return True                      # no polling

        def _run(self, loop) -> None:
            for paths in changes.batches():
                started = time.perf_counter()
                result = preview.rebuild({str(Path(p).resolve()) for p in paths})
                seconds = time.perf_counter() - started
                # The browser is told first: printing the problems of 4,000 documents (some
                # 3,000 lines) took longer than the rest of the round trip (issue 28).
                path = shown_path(preview.options, Path(sorted(paths)[0]))
                loop.add_callback(LiveReloadHandler.reload_waiters, path)
                report(result, seconds)

    return Told()


def serve(options: BuildOptions, port: int, report) -> int:
    """Build, serve on 127.0.0.1:`port`, and rebuild on every change until interrupted.
    `report(result, seconds)` prints each build's problems and summary."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0     # never drop a reload (publishing.md § 4.8)
    # The port first (issue 31): on a busy port nothing is built or written, and the
    # preview never says where it is before it can be there.
    import socket
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as tornado binds
        probe.bind((HOST, port))
        probe.listen(1)
    except OSError:
        probe.close()
        raise
    # The preview shows drafts and keeps the texts of the plain-language advice: the browser
    # editor shows them beside the page (issue 27); the terminal still prints warnings up.
    preview = Preview(dataclasses.replace(options, preview=True, drafts=True, advice=True))
    changes = Changes(preview.options)            # before the first build: no edit is missed
    sys.setswitchinterval(SWITCH_INTERVAL)
    started = time.perf_counter()
    report(preview.rebuild(), time.perf_counter() - started)
    # The first build leaves millions of long-lived objects (the parsed site, the caches);
    # moving them out of the collector's view keeps a full collection from landing in the
    # middle of an edit's rebuild (measured: 1.6 s on 4000 documents).
    gc.collect()
    gc.freeze()

    class LocalServer(Server):
        def application(self, port, host, **_) -> None:
            """livereload's own application answers any Host and Origin; ours replaces it."""
            LiveReloadHandler.watcher, LiveReloadHandler.live_css = self.watcher, True
            make_application(preview, port).listen(port, address=host)

    server = LocalServer(watcher=_make_watcher(preview, changes, report))
    server._setup_logging = lambda: None          # its INFO lines would bury our own
    for name in ("livereload", "tornado.access"):
        logging.getLogger(name).setLevel(logging.WARNING)
    from .i18n import _
    probe.close()                                 # tornado binds it again at once
    print(_("Preview on http://{host}:{port}/ (Ctrl+C stops it)").format(host=HOST, port=port),
          flush=True)
    print(_("Write and check the pages in the browser: {url}").format(
        url=f"http://{HOST}:{port}{editor_web.entry_url(preview)}"), flush=True)
    server.serve(port=port, host=HOST, debug=False, restart_delay=0)
    return 0
