"""The browser editor in the preview (issue 27): /admin/ serves Decap CMS (kept in
site_gen/editor/decap/, `make editor`) with site_gen's own script, its configuration made
from the front matter's declaration (config.py), and the backend (backend.py).

Who may use it: the preview answers only its own Host (serve.py); the editor's page and its
backend need the session's token, which the terminal prints as part of the editor's address
(/admin/?adgang=...). Opened so, the page sets it as a cookie that is HttpOnly and
SameSite=Strict, for /admin/ only, and takes the token out of the address. The backend also
refuses a request whose Origin is not the preview's own, or that a browser marks as sent
from another site (Sec-Fetch-Site), or that is not JSON: another web page open in the same
browser can neither read nor write an author's files.
"""
from __future__ import annotations

import hmac
import html
import json
import mimetypes
from pathlib import Path
from urllib.parse import quote

from ..i18n import _, language
from .backend import Backend, Refused

FILES = Path(__file__).resolve().parent
COOKIE = "site_gen_editor"
ENTRY = "adgang"                       # /admin/?adgang=TOKEN: the address the terminal prints
# Decap needs styles it writes itself (emotion), blob: pictures (shown, and read back to be
# saved), and eval: it checks its configuration with ajv, which compiles the schema to a
# function. Nothing from elsewhere; the published site's policy (server_config.py) allows
# none of these.
ADMIN_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-eval'; "
                "style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' blob:; "
                "frame-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; "
                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def entry_url(preview) -> str:
    return f"/admin/?{ENTRY}={quote(preview.token)}"


def page_status(preview, raw: str) -> dict:
    """What the last build said of the page `raw` ('content/glostrup/x/index.md'): its
    address, its problems (with the front matter key a line is on), its readability, and
    whether its easy-read page exists."""
    from ..config import display_path
    from ..model import Variant
    backend = Backend(preview.options.content_dir)
    relative, _target = backend.inside(raw, kind="page")
    result = preview.result
    site = result.site if result is not None else None
    page = site.pages.get(relative) if site is not None else None
    lines = {line: key for key, line in (page.front.lines.items() if page else ())}
    # Problems name a file as messages show it (config.display_path): one string to match.
    shown = page.path if page is not None else display_path(
        preview.options, preview.options.content_dir / relative)
    mine = [problem for problem in (result.problems if result is not None else ())
            if problem.path == shown]
    problems = _as_items(mine, lines)
    lix = None
    if page is not None and page.analysis is not None:
        figures = page.analysis.page if page.variant is Variant.EASY_READ else page.analysis.prose
        lix = {"lix": figures.rounded, "words": figures.words}
    folder = relative.rsplit("/", 1)[0]
    easy = backend.content / folder / "index.easy-read.md"
    return {"path": raw, "url": page.url if page is not None else None,
            "built": page is not None, "failed": bool(result is not None and not result.wrote),
            "problems": problems, "lix": lix, "easy_read": easy.is_file(),
            "collection": folder.split("/")[0], "slug": folder.split("/")[1]}


def check_text(preview, raw: str, body) -> dict:
    """What the build's checks say of the text being written, before it is saved: the same
    Markdown, token checks and reading figures as a build (render.markdown_and_checks), on
    a copy of the page as last built with `body` in place of its text. Lines are counted
    from where the saved file's text starts."""
    import dataclasses

    from ..model import Variant
    from ..problems import Problems
    from ..render import markdown_and_checks
    if not isinstance(body, str):
        raise Refused(_("The editor sent a request site_gen cannot read."), 400)
    relative, _target = Backend(preview.options.content_dir).inside(raw, kind="page")
    with preview.lock:
        result = preview.result
        site = result.site if result is not None else None
        saved = site.pages.get(relative) if site is not None else None
        if saved is None:
            return {"problems": [], "lix": None}
        page = dataclasses.replace(saved, body=body, tokens=[], headings=[], terms=[],
                                   fragment="", analysis=None, links=[], html="")
        found = Problems(keep_advice=True)
        reading = markdown_and_checks(page, site, found)
    figures = reading.page if page.variant is Variant.EASY_READ else reading.prose
    return {"problems": _as_items(found, {}),
            "lix": {"lix": figures.rounded, "words": figures.words}}


def _as_items(problems, lines: dict) -> list[dict]:
    from ..problems import Severity
    items = [{"severity": {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(
                  problem.severity, "advice"),
              "word": str(problem.severity), "line": problem.line, "code": problem.code,
              "message": problem.message, "field": lines.get(problem.line)}
             for problem in problems]
    order = {"error": 0, "warning": 1, "advice": 2}
    items.sort(key=lambda p: (order[p["severity"]], p["line"] or 0))
    return items


def make_easy_read(preview, raw: str) -> dict:
    """Start the easy-read page of the document `raw` from `build.py new`'s template; never
    over an existing one."""
    from ..new_page import easy_read_text
    from ..write import write_atomically
    backend = Backend(preview.options.content_dir)
    relative, target = backend.inside(raw, kind="page")
    if not relative.endswith("/index.md") or not target.is_file():
        raise Refused(_("Save the document first; its easy-read page is made beside it."), 409)
    folder = relative.rsplit("/", 1)[0]
    easy = backend.content / folder / "index.easy-read.md"
    if not easy.exists():
        write_atomically(backend.content, f"{folder}/index.easy-read.md",
                         easy_read_text(folder.split("/")[1]).encode("utf-8"), durable=True)
        preview.rebuild({str(easy)})
    return {"collection": folder.split("/")[0], "slug": folder.split("/")[1]}


IMPORT_PAGE = "/admin/hent-word/"
IMPORT_LIMIT = 50 * 1024 * 1024        # bytes of one Word file (the import has its own limits)
IMPORT_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
                 "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def _page(title: str, body: str, head: str = "", shown: str | None = None) -> bytes:
    """An editor page of site_gen's own, in the language its words are in. `shown`: what
    the page shows instead of a heading and `body` (the editor's own page, which Decap
    draws)."""
    inside = shown if shown is not None else f"<main><h1>{html.escape(title)}</h1>{body}</main>"
    return (f'<!doctype html><html lang="{language()}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="icon" href="data:,">{head}'
            f'<title>{html.escape(title)} – site_gen</title></head>'
            f'<body>{inside}</body></html>').encode("utf-8")


STYLE = '<link rel="stylesheet" href="/admin/files/hent-word.css">'
SCRIPTS = ('<script src="/admin/files/manual-init.js"></script>'
           '<script src="/admin/decap/decap-cms.js"></script>'
           '<script src="/admin/files/site-gen-editor.js"></script>')


def editor_page() -> bytes:
    """/admin/: Decap and site_gen's script; the words for when the script cannot start."""
    failed = html.escape(_("The editor could not fetch its settings. Open it from the address "
                           "the preview printed in the terminal."), quote=True)
    needs = html.escape(_("The editor needs JavaScript. The pages themselves can be read "
                          "without it."))
    return _page(_("Write and check the pages"), "", SCRIPTS,
                 f'<noscript><p>{needs}</p></noscript>'
                 f'<div id="site-gen-failed" hidden data-text="{failed}"></div>')


def import_form(config, message: str = "") -> bytes:
    """The page that brings a Word document in from the editor: the same import as
    `build.py import`, its notes shown when it is done. A plain form: no script."""
    options = "".join(f'<option value="{html.escape(key)}">{html.escape(m.name)}</option>'
                      for key, m in config.municipalities.items())
    said = f'<p role="alert" class="problem">{html.escape(message)}</p>' if message else ""
    words = {name: html.escape(text) for name, text in {
        "intro": _("The document becomes a page in the editor. What the import could not "
                   "bring over is listed when it is done, and in import-noter.md beside it."),
        "municipality": _("Municipality"),
        "folder": _("Folder name (part of the address)"),
        "folder_hint": _("a-z, 0-9 and hyphens, e.g. handicappolitik-2027"),
        "file": _("Word document (.docx)"), "submit": _("Bring it in"),
        "back": _("Back to the editor")}.items()}
    return _page(_("Bring in a Word document"), head=STYLE, body=f"""{said}
<p>{words["intro"]}</p>
<form method="post" enctype="multipart/form-data" action="{IMPORT_PAGE}">
<p><label for="kommune">{words["municipality"]}</label>
<select id="kommune" name="kommune" required>{options}</select></p>
<p><label for="mappe">{words["folder"]}</label>
<input id="mappe" name="mappe" required pattern="[a-z0-9]+(-[a-z0-9]+)*"
 aria-describedby="mappe-hjaelp" autocomplete="off">
<span id="mappe-hjaelp" class="hint">{words["folder_hint"]}</span></p>
<p><label for="fil">{words["file"]}</label>
<input id="fil" name="fil" type="file" required
 accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"></p>
<p><button type="submit">{words["submit"]}</button></p>
</form>
<p><a href="/admin/">{words["back"]}</a></p>""")


def run_import(preview, config, fields: dict, upload: bytes | None, name: str = ""
               ) -> tuple[int, bytes]:
    """Carry out the import the form asks for; (status, page)."""
    import tempfile

    from ..config import relative_display
    from ..docx_import import ImportError_, import_docx
    from ..outputs import NOTES_FILE
    from ..problems import Problems, Severity
    from ..schema import SLUG
    municipality, folder = fields.get("kommune", ""), fields.get("mappe", "").strip()
    if municipality not in config.municipalities:
        return 400, import_form(config, _("Choose one of the municipalities in the list."))
    if not SLUG.fullmatch(folder):
        return 400, import_form(config, _("The folder name may hold only a-z, 0-9 and hyphens, "
                                          "e.g. handicappolitik-2027."))
    if not upload:
        return 400, import_form(config, _("Choose the Word document to bring in."))
    if len(upload) > IMPORT_LIMIT:
        return 413, import_form(config, _("The Word document is larger than 50 MB."))
    content = preview.options.content_dir.resolve()
    backend = Backend(content)
    _relative, target = backend.inside(f"{content.name}/{municipality}/{folder}/index.md",
                                       kind="page")
    problems = Problems()
    with tempfile.TemporaryDirectory() as scratch:
        plain = Path(name.replace("\\", "/")).name
        source = Path(scratch) / (plain if plain.lower().endswith(".docx") and
                                  not plain.startswith(".") else "dokument.docx")
        source.write_bytes(upload)

        def display(path) -> str:      # the Word file by its own name; the rest from content/
            path = Path(path)
            return source.name if path == source else relative_display(content.parent, path)

        try:
            import_docx(source, target.parent, False, display, problems)
        except ImportError_ as exc:
            return 409, import_form(config, str(exc))
    preview.rebuild({str(target), str(target.parent / NOTES_FILE)})
    notes = (target.parent / NOTES_FILE)
    noted = notes.read_text(encoding="utf-8") if notes.is_file() else ""
    lines = "".join(f"<li>{html.escape(line)}</li>"
                    for line in problems.sorted_lines(Severity.WARNING))
    entry = f"/admin/#/collections/{municipality}/entries/{folder}/index"
    brought = _("The document is brought in as {path}.").format(
        path=f"content/{municipality}/{folder}/index.md")
    says, still = _("What the import says"), _("What a person must still look at")
    open_it = _("Open it in the editor")
    body = (f'<p role="status">{html.escape(brought)}</p>'
            f'<p><a href="{html.escape(entry)}">{html.escape(open_it)}</a></p>'
            + (f"<h2>{html.escape(says)}</h2><ul>{lines}</ul>" if lines else "")
            + f"<h2>{html.escape(still)}</h2>"
            f'<pre class="notes">{html.escape(noted)}</pre>')
    return 200, _page(_("Word document brought in"), body, STYLE)


def handlers(preview, Local, hosts: set[str], origins: set[str]) -> list:
    """The tornado handlers of /admin/, on serve.py's `Local` (its Host check)."""
    from tornado import web
    from tornado.ioloop import IOLoop

    from ..config import load_config
    from ..problems import Problems
    from .config import editor_settings

    def saved(paths):
        preview.rebuild({str(Path(p).resolve()) for p in paths})

    backend = Backend(preview.options.content_dir, saved)

    class Admin(Local):
        def prepare(self):
            if self.request.headers.get("Host", "").lower() not in hosts:
                return super().prepare()
            if self.request.method not in ("GET", "HEAD", "POST"):
                self._refuse(405, _("The editor answers GET and POST only."))

        def set_default_headers(self):
            self.set_header("Content-Security-Policy", ADMIN_POLICY)
            self.set_header("X-Content-Type-Options", "nosniff")
            # same-origin, not no-referrer: with no-referrer a form sends "Origin: null"
            self.set_header("Referrer-Policy", "same-origin")
            self.set_header("X-Frame-Options", "DENY")
            self.set_header("Cache-Control", "no-store")

        def allowed(self) -> bool:
            cookie = self.get_cookie(COOKIE) or ""
            return hmac.compare_digest(cookie.encode(), preview.token.encode())

        def from_here(self) -> bool:
            origin = self.request.headers.get("Origin")
            fetched = self.request.headers.get("Sec-Fetch-Site")
            return (origin is None or origin.lower() in origins) and \
                fetched in (None, "same-origin")

        def json(self, status: int, data) -> None:
            self.set_status(status)
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps(data, ensure_ascii=False, default=str))

        def refuse_json(self, status: int, message: str) -> None:
            self.json(status, {"error": message})

        def check_call(self) -> bool:
            """The backend's door: the token, the origin, and JSON."""
            if not self.allowed():
                self.refuse_json(401, _("Open the editor from the address the preview printed "
                                        "in the terminal (it ends in ?{entry}=...).").format(
                                            entry=ENTRY))
                return False
            if not self.from_here():
                self.refuse_json(403, _("The editor's backend answers only the preview's own "
                                        "pages."))
                return False
            if self.request.method == "POST" and not self.request.headers.get(
                    "Content-Type", "").startswith("application/json"):
                self.refuse_json(415, _("The editor's backend reads only JSON."))
                return False
            return True

        def body_json(self):
            try:
                return json.loads(self.request.body or b"{}")
            except ValueError:
                raise Refused(_("The editor sent a request site_gen cannot read."), 400)

    class Page(Admin):
        def get(self):
            given = self.get_query_argument(ENTRY, "")
            if given:
                if hmac.compare_digest(given.encode(), preview.token.encode()):
                    self.set_cookie(COOKIE, preview.token, path="/admin/", httponly=True,
                                    samesite="Strict")
                    self.redirect("/admin/", status=303)
                    return
            elif self.allowed():
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(editor_page())
                return
            self.set_status(401)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(_locked_page())

    class Static(Admin):
        def get(self, folder: str, name: str):
            path = FILES / folder / name
            if "/" in name or name.startswith(".") or not path.is_file():
                raise web.HTTPError(404)
            kind = "text/javascript" if name.endswith(".js") else \
                mimetypes.guess_type(name)[0] or "application/octet-stream"
            self.set_header("Content-Type", kind + "; charset=utf-8"
                            if kind.startswith("text/") else kind)
            self.set_header("Cache-Control", "no-cache")
            self.finish(path.read_bytes())

    def current_config():
        site = preview.result.site if preview.result is not None else None
        return site.config if site is not None else load_config(preview.options, Problems())

    class Settings(Admin):
        def get(self):
            if not self.check_call():
                return
            config = current_config()
            if config is None:
                self.refuse_json(409, _("site.yaml cannot be read; the terminal says why."))
                return
            self.json(200, editor_settings(config))

    class Api(Admin):
        async def post(self, what: str):
            if not self.check_call():
                return
            try:
                body = self.body_json()
                if what == "v1":
                    result = await IOLoop.current().run_in_executor(None, backend.handle, body)
                elif what == "page":
                    result = await IOLoop.current().run_in_executor(
                        None, page_status, preview, (body or {}).get("path"))
                elif what == "check":
                    result = await IOLoop.current().run_in_executor(
                        None, check_text, preview, (body or {}).get("path"),
                        (body or {}).get("body"))
                elif what == "easy-read":
                    result = await IOLoop.current().run_in_executor(
                        None, make_easy_read, preview, (body or {}).get("path"))
                else:
                    raise web.HTTPError(404)
            except Refused as exc:
                self.refuse_json(exc.status, str(exc))
                return
            except OSError as exc:
                from ..cli import _os_error
                self.refuse_json(500, _("The file could not be saved: {reason}.").format(
                    reason=_os_error(exc)))
                return
            self.json(200, result)

        def get(self, what: str):
            self.refuse_json(405, _("The editor's backend answers POST only."))

    class Import(Admin):
        def set_default_headers(self):
            super().set_default_headers()
            self.set_header("Content-Security-Policy", IMPORT_POLICY)

        def check_call(self) -> bool:
            if not self.allowed():
                self.set_status(401)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(_locked_page())
                return False
            # Showing the form changes nothing (an address typed in is Sec-Fetch-Site: none);
            # sending it must come from the preview's own page.
            if self.request.method == "POST" and not self.from_here():
                self.set_status(403)
                self.finish(_("The editor's backend answers only the preview's own pages."))
                return False
            return True

        def get(self):
            if self.check_call():
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(import_form(current_config()))

        async def post(self):
            if not self.check_call():
                return
            fields = {k: v[0].decode("utf-8", "replace")
                      for k, v in self.request.body_arguments.items()}
            files = self.request.files.get("fil") or []
            upload = files[0]["body"] if files else None
            name = files[0].get("filename", "") if files else ""
            try:
                status, page = await IOLoop.current().run_in_executor(
                    None, run_import, preview, current_config(), fields, upload, name)
            except Refused as exc:
                status, page = exc.status, import_form(current_config(), str(exc))
            self.set_status(status)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(page)

    return [(r"/admin/?", Page),
            (r"/admin/hent-word/?", Import),
            (r"/admin/(decap|files)/([^/]+)", Static),
            (r"/admin/settings\.json", Settings),
            (r"/admin/api/(v1|page|check|easy-read)", Api)]


def _locked_page() -> bytes:
    text = _("For safety the editor opens only from the address the preview printed in the "
             "terminal when it started. Copy that address (it ends in ?{entry}=...) into the "
             "browser.").format(entry=ENTRY)
    return _page(_("Open the editor from the terminal"), f"<p>{html.escape(text)}</p>", STYLE)
