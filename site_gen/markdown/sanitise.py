"""Raw HTML, when a site allows it (issue 8): the rendered fragment is reduced to a
documented allowlist by nh3 (the Rust ammonia sanitiser)."""
from __future__ import annotations

from .env import as_written

# What raw HTML may contain: structure and text, never script, style, event handlers or
# URLs other than http(s), mailto, tel and the site's own.
ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
                "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3",
                "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
                "pre", "q", "s", "section", "small", "span", "strong", "sub", "summary", "sup",
                "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul"}
ALLOWED_ATTRIBUTES = {"*": {"lang", "id", "class", "title", "dir"},
                      "a": {"href", "hreflang"}, "abbr": {"title"},
                      "img": {"src", "alt", "width", "height"},
                      "th": {"scope", "colspan", "rowspan", "data-label"},
                      "td": {"colspan", "rowspan", "data-label"}, "time": {"datetime"},
                      "table": set(), "div": {"role", "tabindex", "aria-labelledby"},
                      "figure": {"aria-labelledby"}, "section": {"aria-labelledby"}}


def sanitise(fragment: str, site_url=None) -> str:
    """`fragment` with only the allowlist above left; links and images in the raw HTML get
    the base path as Markdown ones do (`site_url`)."""
    import nh3
    site_url = site_url or as_written
    with_base = lambda tag, name, value: site_url(value) if name in ("href", "src") else value
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto", "tel"}, link_rel=None,
                     strip_comments=True, attribute_filter=with_base)
