"""Links and images as the site prints them: root-relative addresses get the site's base
path (issue 21), images their alt text, and `billede:` pictures the site's pictograms."""
from __future__ import annotations

import html

from ..pictograms import SCHEME
from .env import as_written


def render_image(self, tokens, idx, options, env) -> str:
    """An <img>, its description as alt text; a pictogram (`billede:<name>`) from the site's
    pictures at 96 px, or nothing when the name is unknown (checks/images.py reports it)."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = "".join(c.content for c in token.children or [])
    if src.startswith(SCHEME):
        picture = env.get("pictograms", {}).get(src[len(SCHEME):])
        if picture is None:
            return ""
        src = env.get("site_url", as_written)(picture.url)
        return (f'<img src="{html.escape(src)}" alt="{html.escape(alt)}" class="pictogram" '
                f'width="96" height="96">')
    token.attrSet("alt", alt)
    site_url = env.get("site_url", as_written)
    shown = dict(token.attrs, src=site_url(src)) if "src" in token.attrs else token.attrs
    attrs = "".join(f' {k}="{html.escape(str(v))}"' for k, v in shown.items())
    return f"<img{attrs}>"


def render_link_open(self, tokens, idx, options, env) -> str:
    """A root-relative link ('/glostrup/handicappolitik/') with the site's base path (issue
    21); the token keeps the address as written, which the link checks look up."""
    token = tokens[idx]
    written = token.attrGet("href")
    if written is None:
        return self.renderToken(tokens, idx, options, env)
    token.attrSet("href", env.get("site_url", as_written)(str(written)))
    try:
        return self.renderToken(tokens, idx, options, env)
    finally:
        token.attrSet("href", written)
