"""Server settings made with the site (issue 21): nginx, Apache and IIS snippets in a folder
beside the output, parsed here, and the nginx one run by Debian's nginx when it is installed
(`make test` installs it): 404 page, /was, security headers and caching over real HTTP."""
from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import SUB_PATH_URL
from helpers import ROOT, SITES, build, options_for, run_cli
from site_gen.pipeline import build_site
from site_gen.server_config import (SERVER_FOLDER, CONTENT_SECURITY_POLICY, LONG_CACHE, MARKER, SHORT_CACHE,
                                    ServerSettingsError, settings_folder)

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
SETTINGS = {"nginx.conf", ".htaccess", "web.config", "README.txt", MARKER}


def test_settings_are_written_beside_the_output_never_inside(published):
    for _, out, _, _ in published.values():
        folder = settings_folder(out)
        assert folder == out.parent / f"{out.name}-server"
        assert {p.name for p in folder.iterdir()} == SETTINGS
        for name in SETTINGS - {MARKER, "README.txt"}:
            assert not (out / name).exists(), f"{name} is inside the published folder"


def test_stylesheet_and_scripts_are_named_by_their_content(published):
    _, out, _, _ = published["root"]
    names = sorted(p.name for p in (out / "assets").iterdir() if p.is_file())
    assert len(names) == 2 and all(re.fullmatch(r"\w+\.[0-9a-f]{10}\.(css|js)", n) for n in names)
    for name in names:
        stem, digest, suffix = name.split(".")
        source = ROOT / "layouts" / "assets" / f"{stem}.{suffix}"
        assert digest == hashlib.sha256(source.read_bytes()).hexdigest()[:10]
    html = (out / "soeg" / "index.html").read_text(encoding="utf-8")
    assert all(f"/assets/{name}" in html for name in names), names


def test_apache_htaccess(published):
    for name, (_, out, prefix, _) in published.items():
        text = (settings_folder(out) / ".htaccess").read_text()
        lines = [line.strip() for line in text.splitlines()
                 if line.strip() and not line.lstrip().startswith("#")]
        sections = []                                # <IfModule>, <FilesMatch> nest
        for line in lines:
            if line.startswith("</"):
                assert sections.pop() == line[2:-1], text
            elif line.startswith("<"):
                sections.append(re.match(r"<(\w+)", line).group(1))
        assert not sections, text
        assert f"ErrorDocument 404 {prefix}404.html" in lines
        assert f'Header always set Content-Security-Policy "{CONTENT_SECURITY_POLICY}"' in lines
        assert 'Header always set X-Content-Type-Options "nosniff"' in lines
        assert any(l.startswith("Header always set Referrer-Policy") for l in lines)
        pattern = re.search(r'<FilesMatch "([^"]+)">', text).group(1)
        assert re.search(pattern, next((out / "assets").glob("site.*.css")).name)
        assert not re.search(pattern, "1F4A1.svg") and not re.search(pattern, "site.css")
        assert f'Header set Cache-Control "{LONG_CACHE}"' in lines
        redirect = [l for l in lines if l.startswith("RedirectMatch")]
        if name == "root":
            _, status, regex, target = redirect[0].split()
            assert (status, target) == ("301", "/tilgaengelighed/")
            assert all(re.search(regex, p) for p in ("/was", "/was/"))
            assert not re.search(regex, "/wasx") and not re.search(regex, "/a/was")
        else:
            assert not redirect, "a site under a path does not own /was"


def test_iis_web_config(published):
    for name, (_, out, prefix, _) in published.items():
        root = ET.parse(settings_folder(out) / "web.config").getroot()
        server = root.find("system.webServer")
        error = server.find("httpErrors/error[@statusCode='404']")
        assert error.get("path") == f"{prefix}404.html" and error.get("responseMode") == "ExecuteURL"
        headers = {h.get("name"): h.get("value")
                   for h in server.findall("httpProtocol/customHeaders/add")}
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert headers["X-Content-Type-Options"] == "nosniff" and "Referrer-Policy" in headers
        assert server.find("staticContent/clientCache").get("cacheControlMode") == "DisableCache"
        types = {m.get("fileExtension") for m in server.findall("staticContent/mimeMap")}
        served = {p.suffix for p in (out / "pagefind").rglob("*") if p.is_file()}
        assert served - {".js", ".css"} <= types, served - types
        long = {loc.get("path") for loc in root.findall("location")
                if loc.find("system.webServer/staticContent/clientCache") is not None}
        assert long == {p.relative_to(out).as_posix() for p in (out / "assets").glob("*.*.*")}
        redirect = root.find("location[@path='was']/system.webServer/httpRedirect")
        if name == "root":
            assert redirect.get("destination") == "/tilgaengelighed/"
            assert redirect.get("httpResponseStatus") == "Permanent"
        else:
            assert redirect is None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _nginx_config(folder: Path, snippet: Path, port: int, site: Path) -> Path:
    config = folder / "nginx-test.conf"
    # IT writes the folder the site was copied to in place of the placeholder (issue 30).
    (folder / "site.conf").write_text(snippet.read_text().replace(SERVER_FOLDER, str(site)))
    config.write_text(f"""daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{}}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {folder}/body;
  proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
  server {{
    listen 127.0.0.1:{port};
    include {folder}/site.conf;
  }}
}}
""")
    return config


def _fetch(url: str):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None
    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=10) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (make test installs it)")
@pytest.mark.parametrize("name", ["root", "sub-path"])
def test_nginx_serves_the_site_with_the_snippet(published, name, tmp_path):
    _, out, prefix, _ = published[name]
    port = _free_port()
    config = _nginx_config(tmp_path, settings_folder(out) / "nginx.conf", port, out)
    user = ["-g", "user root;"] if subprocess.run(["id", "-u"], capture_output=True,
                                                  text=True).stdout.strip() == "0" else []
    check = subprocess.run([NGINX, "-t", "-c", str(config), "-e", str(tmp_path / "error.log"),
                            *user], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    server = subprocess.Popen([NGINX, "-c", str(config), "-e", str(tmp_path / "error.log"),
                               *user], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _fetch(base + prefix)
                break
            except OSError:
                time.sleep(0.05)
        status, headers, body = _fetch(base + prefix)
        assert status == 200 and b"<h1>" in body
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Cache-Control"] == SHORT_CACHE
        css = next((out / "assets").glob("site.*.css")).name
        status, headers, _ = _fetch(f"{base}{prefix}assets/{css}")
        assert status == 200 and headers["Cache-Control"] == LONG_CACHE
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        status, headers, _ = _fetch(f"{base}{prefix}assets/pictograms/2757.svg")
        assert status == 200 and headers["Cache-Control"] == SHORT_CACHE
        status, headers, body = _fetch(f"{base}{prefix}findes/ikke/her/")
        assert status == 404 and "Siden findes ikke" in body.decode()
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        status, headers, _ = _fetch(base + "/was")
        if name == "root":
            assert status == 301 and headers["Location"].endswith("/tilgaengelighed/")
        else:
            assert status == 404                      # the main site's business
            status, headers, _ = _fetch(base + prefix.rstrip("/"))
            assert status == 301 and headers["Location"].endswith(prefix)
    finally:
        server.terminate()
        server.wait(10)


def test_settings_are_not_written_when_the_build_fails(tmp_path):
    out = tmp_path / "public"
    result = build(SITES / "front-matter-errors", out)
    assert not result.wrote
    assert not settings_folder(out).exists()


def test_a_folder_site_gen_did_not_make_is_left_alone(tmp_path):
    out = tmp_path / "public"
    foreign = settings_folder(out)
    foreign.mkdir()
    (foreign / "nginx.conf").write_text("the municipality's own\n")
    result = build(SITES / "easy-read-pair", out)
    # The site is published, and the build says so: the settings alone were not written
    # (issue 31: it said "nothing was published" and exited 2).
    assert result.wrote and (out / "index.html").is_file()
    said = [p for p in result.problems if p.code == "server-settings"]
    assert len(said) == 1 and said[0].severity.name == "WARNING", said
    assert "public/" in said[0].message and "site_gen" in said[0].message
    assert (foreign / "nginx.conf").read_text() == "the municipality's own\n"
    assert sorted(p.name for p in foreign.iterdir()) == ["nginx.conf"]
    cli = run_cli(cwd=_copy_with_foreign_settings(tmp_path))
    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert "[server-settings]" in cli.stdout and "Intet blev udgivet" not in cli.stderr


def _copy_with_foreign_settings(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SITES / "easy-read-pair", site, ignore=shutil.ignore_patterns("expected"))
    (site / "public-server").mkdir()
    (site / "public-server" / "nginx.conf").write_text("the municipality's own\n")
    return site


def test_rebuilding_keeps_other_files_in_the_settings_folder(tmp_path):
    out = tmp_path / "public"
    assert build(SITES / "easy-read-pair", out).wrote
    note = settings_folder(out) / "vores-noter.txt"
    note.write_text("kept\n")
    options = dataclasses.replace(options_for(SITES / "easy-read-pair", out),
                                  base_url=SUB_PATH_URL)
    assert build_site(options).wrote
    assert note.read_text() == "kept\n"
    assert "alias" in (settings_folder(out) / "nginx.conf").read_text()


@given(st.text(alphabet=st.sampled_from("ab'\"&<>\n\r\t æ;=") | st.characters(), max_size=40))
@settings(max_examples=300, deadline=None)
def test_attribute_quoting_is_saxutils_own(value):
    """server_config.quoteattr is kept so a build need not import xml.sax.saxutils (and
    urllib.request with it); its output is exactly saxutils'."""
    from xml.sax.saxutils import quoteattr as theirs
    from site_gen.server_config import quoteattr
    assert quoteattr(value) == theirs(value)


def test_the_settings_name_no_folder_of_the_build_machine(published):
    """IT fills in where the site lies on the server (issue 30): the settings never name the
    folder it was built in, often a temporary one."""
    for _, out, _, _ in published.values():
        for name in ("nginx.conf", "README.txt"):
            text = (settings_folder(out) / name).read_text()
            assert str(out) not in text and SERVER_FOLDER in text, name
