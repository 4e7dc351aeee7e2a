"""Brand colours: the owner's colours checked for contrast and turned into assets/brand.css.

The layouts take links, the focus ring and lines from the brand colour (issue 17). Every pair
the stylesheet draws is measured with the WCAG contrast ratio, in the light and the dark
scheme, when site.yaml is read: text under 4.5:1 (WCAG 1.4.3) or an interface part under
3:1 (WCAG 1.4.11) is refused, naming the pair and the nearest colour that passes (same hue
and saturation, the nearest HSL lightness). The dark scheme's colours are derived the same
way: the brand colour made light enough for the dark backgrounds. The result is a small CSS
file of custom properties, never an inline style (the site runs under a strict CSP).
"""
from __future__ import annotations

import colorsys
from dataclasses import dataclass

from .i18n import _

TEXT, UI = 4.5, 3.0          # WCAG 1.4.3 (text) and 1.4.11 (non-text) minimum ratios

# The backgrounds of layouts/assets/site.css, per scheme: what links, rings and lines sit on.
BACKGROUNDS = {
    "light": {"bg": "#ffffff", "surface": "#f3f2f1", "warn-bg": "#fff4cc"},
    "dark": {"bg": "#141414", "surface": "#242424", "warn-bg": "#3a2f00"},
}


@dataclass(frozen=True)
class Role:
    prop: str            # the CSS custom property it sets
    ratio: float
    label: str           # what it is, in a message
    on: tuple[str, ...]  # the backgrounds it is drawn on


def surfaces() -> dict[str, str]:
    """What each background is, in a message."""
    return {"bg": _("the page background"), "surface": _("the header and footer background"),
            "warn-bg": _("the status banner")}


def roles() -> tuple[Role, ...]:
    return (Role("--link", TEXT, _("links"), ("bg", "surface", "warn-bg")),
            Role("--focus-ring", UI, _("the focus ring"), ("bg", "surface")),
            Role("--accent", UI, _("lines and borders"), ("bg", "surface")))


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(min(max(c, 0), 1) * 255):02x}" for c in rgb)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(colour)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two '#rrggbb' colours, 1 to 21."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _passes(colour: str, role: Role, scheme: str) -> bool:
    return all(contrast(colour, BACKGROUNDS[scheme][b]) >= role.ratio for b in role.on)


def nearest_passing(colour: str, role: Role, scheme: str) -> str:
    """The colour of the same hue and saturation with the nearest HSL lightness that passes
    (white or black always do)."""
    h, l, s = colorsys.rgb_to_hls(*_rgb(colour))
    for step in range(1, 1001):
        for lightness in (l - step / 1000, l + step / 1000):
            if 0 <= lightness <= 1:
                candidate = _hex(colorsys.hls_to_rgb(h, lightness, s))
                if _passes(candidate, role, scheme):
                    return candidate
    return "#000000" if scheme == "light" else "#ffffff"


def check_colours(primary: str, secondary: str | None) -> None:
    """Raise ValueError naming the first pair under its minimum and the nearest colour that
    passes, for the light scheme (the colours as written)."""
    for role in roles():
        colour = secondary if role.prop == "--accent" and secondary else primary
        for background in role.on:
            shade = BACKGROUNDS["light"][background]
            ratio = contrast(colour, shade)
            if ratio < role.ratio:
                raise ValueError(_(
                    "{colour} gives {role} a contrast of {ratio}:1 on {surface} ({background}); "
                    "{role} need at least {minimum}:1 (WCAG {criterion}). The nearest colour "
                    "that passes is {suggestion}").format(
                    colour=colour, role=role.label, ratio=f"{int(ratio * 100) / 100:g}",
                    background=shade, surface=surfaces()[background], minimum=f"{role.ratio:g}",
                    criterion="1.4.3" if role.ratio == TEXT else "1.4.11",
                    suggestion=nearest_passing(colour, role, "light")))


def palette(primary: str, secondary: str | None) -> dict[str, dict[str, str]]:
    """scheme -> custom property -> colour. The light scheme uses the colours as written
    (check_colours passed); the dark one the nearest lightness that passes on dark."""
    result: dict[str, dict[str, str]] = {"light": {}, "dark": {}}
    for role in roles():
        colour = secondary if role.prop == "--accent" and secondary else primary
        result["light"][role.prop] = colour
        result["dark"][role.prop] = colour if _passes(colour, role, "dark") \
            else nearest_passing(colour, role, "dark")
    for scheme, props in result.items():             # measured again, as written
        for role in roles():
            assert _passes(props[role.prop], role, scheme), (scheme, role.prop)
    return result


def brand_css(primary: str, secondary: str | None) -> str:
    """assets/brand.css: custom properties that override site.css's colours."""
    colours = palette(primary, secondary)
    light = "".join(f"  {p}: {c};\n" for p, c in colours["light"].items())
    dark = "".join(f"    {p}: {c};\n" for p, c in colours["dark"].items())
    return ("/* Brand colours from site.yaml (publisher: colours), contrast-checked by the build.\n"
            "   Written by the build: edit site.yaml, not this file. */\n"
            f":root {{\n{light}}}\n\n@media (prefers-color-scheme: dark) {{\n  :root {{\n"
            f"{dark}  }}\n}}\n")
