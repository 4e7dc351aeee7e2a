"""Debian's Chromium driven by Selenium, and a static server on 127.0.0.1, for the
accessibility tests (recipe: shared/guides/accessibility-testing.md). No downloads."""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                  "--window-size=1280,1024", "--hide-scrollbars")

AXE_OPTIONS = json.dumps({
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                          "wcag22aa", "best-practice"]},
    "rules": {"td-has-header": {"enabled": True}},
    "resultTypes": ["violations"],
})


def start_chromium(profile: Path) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    # The console, for Content-Security-Policy violations (test_csp.py).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    for flag in CHROMIUM_FLAGS + (f"--user-data-dir={profile}",):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"),
                              options=options)
    driver.set_script_timeout(60)
    return driver


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _SiteHandler(_QuietHandler):
    """Answers only below `prefix`, as a server publishing the site under a path does, with
    the site's 404 page for a missing file and `headers` on every answer."""
    prefix = "/"
    extra_headers: tuple = ()

    def end_headers(self):
        for name, value in self.extra_headers:
            self.send_header(name, value)
        super().end_headers()

    def translate_path(self, path):
        path = unquote(urlsplit(path).path)
        if not path.startswith(self.prefix):
            return ""                                    # no file: 404
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        inside = unquote(urlsplit(self.path).path).startswith(self.prefix)
        if code != 404 or not inside or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class StaticServer:
    """Serves one folder on 127.0.0.1 at a free port until stopped: at `prefix` (the site's
    base path) and nowhere else, with `headers` on every answer."""

    def __init__(self, folder: Path, prefix: str = "/", headers: tuple = ()):
        handler_class = type("Handler", (_SiteHandler,), {"prefix": prefix, "extra_headers": headers})
        handler = functools.partial(handler_class, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def emulate(driver: webdriver.Chrome, **features: str) -> None:
    """Emulate media features, e.g. emulate(driver, prefers_color_scheme="dark")."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
        {"name": name.replace("_", "-"), "value": value} for name, value in features.items()]})


@contextlib.contextmanager
def viewport(driver: webdriver.Chrome, width: int, height: int = 900):
    """The page laid out at `width` x `height` CSS px inside the block, and as before after."""
    set_viewport(driver, width, height)
    try:
        yield
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def set_viewport(driver: webdriver.Chrome, width: int, height: int = 900) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1,
                            "mobile": False})


def search(chromium, base_url: str, term: str) -> list:
    """The results of a search once Pagefind has finished showing them. It shows them in
    steps (the first links, then each result filled in as its data loads) and replaces
    elements as it goes: an element read before it is done can be gone the next moment
    (CI once read a result Pagefind had just replaced)."""
    chromium.get(f"{base_url}/soeg/?q={term}")
    state = lambda d: d.execute_script(
        "const r = document.querySelector('pagefind-results');"
        "return r ? [r.querySelectorAll('.pf-result').length,"
        " r.querySelectorAll('.pf-result .status-line').length, r.innerHTML] : [0, 0, ''];")
    seen = {"last": None, "since": 0.0}

    def settled(d) -> bool:
        results, filled, markup = state(d)
        now = time.monotonic()
        if (results, filled, markup) != seen["last"]:
            seen["last"], seen["since"] = (results, filled, markup), now
            return False
        return results > 0 and filled == results and now - seen["since"] >= 0.5

    WebDriverWait(chromium, 30, poll_frequency=0.1).until(
        settled, "the results did not settle, or a result has no status line")
    return chromium.find_elements(By.CSS_SELECTOR, "pagefind-results .pf-result")
