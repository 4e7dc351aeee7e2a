"""Server settings made with the site (issue 21): ready-to-use snippets for nginx, Apache
(`.htaccess`) and IIS (`web.config`) in a folder beside the output, `<output>-server/`.

They set what the output folder cannot set itself: the 404 page, `/was` as an HTTP redirect
to the accessibility statement (when the site is at the domain's root), the security headers
(a strict Content-Security-Policy the pages are built to work under, nosniff, a referrer
policy) and caching (stylesheet and scripts with hashed names for a year, everything else
checked on every visit). README, "Put the site on a server", explains them.

The folder is written only after a build has published the site, and only ever gets these
files: nothing in it is deleted, and a folder of that name that site_gen did not make is left
alone (the build says so).
"""
from __future__ import annotations

import errno
import os
import textwrap
from pathlib import Path

from .asset_names import HASH_LENGTH, HASHED_SUFFIXES, hashed_files, published_names
from .config import SiteConfig


def quoteattr(value: str) -> str:
    """An XML attribute value with its quotes, as xml.sax.saxutils.quoteattr makes it (a
    test holds the two equal); saxutils imports urllib.request, 40 ms of every build,
    one where nothing changed too."""
    value = value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    value = value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'")
# Pagefind's search runs WebAssembly ('wasm-unsafe-eval'); no page needs anything inline.
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),          # frame-ancestors 'none' for browsers without CSP 2
)
LONG_CACHE = "public, max-age=31536000, immutable"   # names that change with their content
SHORT_CACHE = "no-cache"                  # may be kept, but asked again on every visit
FOLDER_SUFFIX = "-server"
MARKER = ".site_gen-server-settings"      # says site_gen made the folder and may rewrite it
NOT_FOUND_PAGE = "404.html"
STATEMENT_REDIRECT = "was"                # Digitaliseringsstyrelsen: <domain>/was
# Where the site will lie on the web server: IT writes the real folder here (issue 30). Never
# this machine's own folder, which means nothing on the server (a temporary one, often).
SERVER_FOLDER = "/STI/TIL/WEBSTEDET"


class ServerSettingsError(OSError):
    """The folder for the server settings is taken by something site_gen did not make."""


def settings_folder(output_dir: Path) -> Path:
    """`public` -> `public-server`, beside it: never inside what is published."""
    return output_dir.parent / f"{output_dir.name}{FOLDER_SUFFIX}"


def write_server_settings(config: SiteConfig, output_dir: Path) -> Path:
    """Write the snippets for the site just published in `output_dir`; returns the folder.
    Raises ServerSettingsError when the folder exists, is not empty and is not site_gen's."""
    folder = settings_folder(output_dir)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()) or (
            folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file()):
        from .i18n import _
        raise ServerSettingsError(
            errno.EEXIST, _("{folder}/ exists and was not made by site_gen; move it away and "
                            "build again").format(folder=folder.name), str(folder))
    folder.mkdir(exist_ok=True)
    files = server_files(config, output_dir)
    for name, text in files.items():
        _replace(folder / name, text)
    return folder


def server_files(config: SiteConfig, output_dir: Path) -> dict[str, str]:
    """The files of the settings folder by name (the marker written first)."""
    hashed = hashed_files(published_names(config.layout_dirs, preview=False))
    return {MARKER: "site_gen writes the server settings of the site in this folder on "
                    "every build (README: Put the site on a server).\n",
            "nginx.conf": nginx_snippet(config, output_dir),
            ".htaccess": apache_htaccess(config),
            "web.config": iis_web_config(config, hashed),
            "README.txt": _readme(config, output_dir)}


def _replace(target: Path, text: str) -> None:
    """A reader sees the old file or the new one, never half of one."""
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8", newline="\n")
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)          # a full disk leaves no half file
        raise


def _redirect_target(config: SiteConfig) -> str | None:
    """Where /was goes, or None when the site is not at the domain's root (then /was belongs
    to the main site, README)."""
    if config.base_path != "/":
        return None
    return config.site_url(config.statement.page_url)


HASHED_PATTERN = rf"\.[0-9a-f]{{{HASH_LENGTH}}}\.({'|'.join(s[1:] for s in HASHED_SUFFIXES)})$"


def nginx_snippet(config: SiteConfig, output_dir: Path) -> str:
    base = config.base_path
    where = f"root {_nginx_quote(SERVER_FOLDER)};" if base == "/" else \
        f"alias {_nginx_quote(SERVER_FOLDER + '/')};"
    headers = "".join(f"    add_header {name} {_nginx_quote(value)} always;\n"
                      for name, value in SECURITY_HEADERS)
    lines = [
        f"# nginx settings for {config.title} at {config.base_url},",
        "# made by site_gen on every build. Include this file inside the server { } block of",
        "# the host, e.g.",
        "#     include /etc/nginx/snippets/site_gen.conf;",
        f"# and write the folder the site ({output_dir.name}/) is copied to instead of",
        f"# {SERVER_FOLDER} below (IT: docs/til-it.md).",
        "",
        "# Stylesheet and scripts have the hash of their content in their names: kept a year.",
        f"set $site_gen_cache {_nginx_quote(SHORT_CACHE)};",
        f'if ($uri ~ "^{base}assets/.+{HASHED_PATTERN}") {{',
        f"    set $site_gen_cache {_nginx_quote(LONG_CACHE)};",
        "}",
        "",
        *([f"location = {base[:-1]} {{ return 301 {base}; }}"] if base != "/" else []),
        f"location {base} {{",
        f"    {where}",
        "    index index.html;",
        f"    error_page 404 {base}{NOT_FOUND_PAGE};",
        "    add_header Cache-Control $site_gen_cache always;",
        headers.rstrip("\n"),
        "}",
    ]
    target = _redirect_target(config)
    if target:
        lines += ["", "# The accessibility statement at <domain>/was (Digitaliseringsstyrelsen).",
                  f"location = /{STATEMENT_REDIRECT} {{ return 301 {_nginx_quote(target)}; }}",
                  f"location = /{STATEMENT_REDIRECT}/ {{ return 301 {_nginx_quote(target)}; }}"]
    return "\n".join(lines) + "\n"


def _nginx_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def apache_htaccess(config: SiteConfig) -> str:
    """For the site's own folder on the server (AllowOverride FileInfo Indexes; mod_headers)."""
    base = config.base_path
    lines = [
        f"# Apache settings for {config.title} at {config.base_url},",
        "# made by site_gen on every build. Copy this file into the folder the site is",
        "# published from. It needs",
        "# AllowOverride FileInfo for that folder and the modules mod_headers and mod_alias.",
        "",
        f"ErrorDocument 404 {base}{NOT_FOUND_PAGE}",
        "DirectoryIndex index.html",
        "",
        "<IfModule mod_headers.c>",
        *(f'    Header always set {name} "{value}"' for name, value in SECURITY_HEADERS),
        f'    Header set Cache-Control "{SHORT_CACHE}"',
        "    # Stylesheet and scripts have the hash of their content in their names.",
        f'    <FilesMatch "{HASHED_PATTERN}">',
        f'        Header set Cache-Control "{LONG_CACHE}"',
        "    </FilesMatch>",
        "</IfModule>",
    ]
    target = _redirect_target(config)
    if target:
        lines += ["", "# The accessibility statement at <domain>/was (Digitaliseringsstyrelsen).",
                  "<IfModule mod_alias.c>",
                  f"    RedirectMatch 301 ^/{STATEMENT_REDIRECT}/?$ {target}",
                  "</IfModule>"]
    return "\n".join(lines) + "\n"


# Files IIS does not serve unless it knows their type (Pagefind's index and WebAssembly).
IIS_TYPES = {".pagefind": "application/octet-stream", ".pf_meta": "application/octet-stream",
             ".pf_fragment": "application/octet-stream", ".pf_index": "application/octet-stream",
             ".pf_filter": "application/octet-stream",      # search filters (issue 16)
             ".json": "application/json", ".svg": "image/svg+xml",
             ".xml": "application/xml"}


def iis_web_config(config: SiteConfig, hashed: list[str]) -> str:
    """For the site's own folder on the server (IIS 10; the /was redirect needs the
    "HTTP Redirection" feature)."""
    base = config.base_path
    headers = "".join(f"        <add name={quoteattr(name)} value={quoteattr(value)} />\n"
                      for name, value in SECURITY_HEADERS)
    types = "".join(f"      <remove fileExtension={quoteattr(ext)} />\n"
                    f"      <mimeMap fileExtension={quoteattr(ext)} mimeType={quoteattr(kind)} />\n"
                    for ext, kind in IIS_TYPES.items())
    long_cache = "".join(
        f"  <location path={quoteattr(path)}>\n    <system.webServer>\n      <staticContent>\n"
        '        <clientCache cacheControlMode="UseMaxAge" cacheControlMaxAge="365.00:00:00" '
        'cacheControlCustom="public, immutable" />\n'
        "      </staticContent>\n    </system.webServer>\n  </location>\n" for path in hashed)
    target = _redirect_target(config)
    redirect = "" if not target else (
        f"  <!-- The accessibility statement at <domain>/was (Digitaliseringsstyrelsen); this\n"
        f"       part belongs in the web.config of the domain's root. -->\n"
        f"  <location path={quoteattr(STATEMENT_REDIRECT)}>\n    <system.webServer>\n"
        f'      <httpRedirect enabled="true" destination={quoteattr(target)} '
        'exactDestination="true" httpResponseStatus="Permanent" />\n'
        "    </system.webServer>\n  </location>\n")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<!-- IIS settings for {_xml_comment(config.title)} at {_xml_comment(config.base_url)}, made by
     site_gen on every build. Copy this file into the folder the site is published from. -->
<configuration>
  <system.webServer>
    <defaultDocument enabled="true">
      <files>
        <clear />
        <add value="index.html" />
      </files>
    </defaultDocument>
    <httpErrors errorMode="Custom" existingResponse="Replace">
      <remove statusCode="404" />
      <error statusCode="404" path={quoteattr(base + NOT_FOUND_PAGE)} responseMode="ExecuteURL" />
    </httpErrors>
    <httpProtocol>
      <customHeaders>
{headers}      </customHeaders>
    </httpProtocol>
    <staticContent>
      <clientCache cacheControlMode="DisableCache" />
{types}    </staticContent>
  </system.webServer>
{long_cache}{redirect}</configuration>
"""


def _xml_comment(text: str) -> str:
    return text.replace("--", "- -")


def _readme(config: SiteConfig, output_dir: Path) -> str:
    """The folder's README, in the editors' language (issue 30): what to give IT."""
    from .i18n import _
    where = _("the domain's root") if config.base_path == "/" else \
        _("the path {path}").format(path=config.base_path)
    redirect = _redirect_target(config)
    was = (_("/was answers with a permanent redirect (301) to {url}.").format(url=redirect)
           if redirect else
           _("The site is not at the domain's root, so /was belongs to the main site: make "
             "<domain>/was redirect (301) to {url} there, and add the lines of {path}robots.txt "
             "to the main site's robots.txt.").format(
               url=config.site_url(config.statement.page_url), path=config.base_path))
    text = _("""Server settings for {title} ({url}), made by site_gen.

The site in {folder}/ is built for {where}. Copy the folder to the web server, and use the
file for the web server there; write the folder you copied it to instead of {placeholder}:

  nginx.conf   nginx: include it in the host's server {{ }} block.
  .htaccess    Apache: copy it into the folder the site is published from.
  web.config   IIS: copy it into the folder the site is published from.

Each sets the 404 page ({base}{not_found}), the security headers (a Content-Security-Policy
the pages are built to work under, X-Content-Type-Options, Referrer-Policy, X-Frame-Options),
and caching: the stylesheet and scripts, whose names change with their content, are kept for
a year; everything else is checked on every visit.
{was}

site_gen rewrites these files on every build; copy them, do not edit them here. A checklist
for IT, also for a site in a CMS (Umbraco, Sitecore, Drupal): docs/til-it.md.
""")
    return text.format(title=config.title, url=config.base_url, folder=output_dir.name,
                       where=where, placeholder=SERVER_FOLDER, base=config.base_path,
                       not_found=NOT_FOUND_PAGE, was=textwrap.fill(was, 90))
