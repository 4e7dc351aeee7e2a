"""The site's owner (issue 17): name, logo, brand colours checked for contrast, Danish phone
numbers; each document's municipality as its owner; no visible 'site_gen' anywhere."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from helpers import ROOT, SITES, build
from site_gen import brand, schema

LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<rect width="10" height="10" fill="#005a5a"/></svg>')


def _site(tmp_path: Path, publisher: str) -> Path:
    """easy-read-pair with its publisher replaced by `publisher` (YAML lines)."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "easy-read-pair", site)
    settings = site / "content" / "site.yaml"
    text = settings.read_text()
    start = text.index("publisher:")
    end = text.index("\n", text.index("\n", start) + 1)
    while text[end + 1:end + 3] == "  ":                # the rest of the publisher block
        end = text.index("\n", end + 1)
    settings.write_text(text[:start] + publisher.rstrip("\n") + text[end:])
    return site


OWNER = """publisher:
  name: Testkommunen
  website: https://testkommunen.example/
  address: Rådhusvej 1, 9999 Testby
  phone: "11223344"
  email: post@testkommunen.example
  opening_hours: Mandag-fredag 10-15
  logo:
    file: logo.svg
    alt: Testkommunens logo
  colours:
    primary: "#0b5e3b"
"""


@pytest.mark.parametrize("written", ["43 59 10 00", "43591000", "+45 43 59 10 00",
                                     "+4543591000", "0045 43 59 10 00", "43-59-10-00"])
def test_danish_phone_numbers_are_read_in_every_usual_form(written):
    assert schema.phone(written, 1) == "+4543591000"


@pytest.mark.parametrize("written", ["4359100", "43 59 10 00 1", "+46 43 59 10 00", "ring",
                                     "+45 43 59 10 0x"])
def test_a_number_that_is_not_danish_is_refused(written):
    with pytest.raises(schema.FieldError) as caught:
        schema.phone(written, 1)
    assert caught.value.code == "bad-phone"


def test_the_owner_is_shown_with_logo_contact_and_formatted_phone(tmp_path):
    site = _site(tmp_path, OWNER)
    (site / "layouts" / "assets").mkdir(parents=True)
    (site / "layouts" / "assets" / "logo.svg").write_text(LOGO)
    result = build(site, tmp_path / "out")
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    listing = LexborHTMLParser((tmp_path / "out" / "index.html").read_text())
    logo = listing.css_first("header img.site-logo")
    assert logo.attributes["src"] == "/assets/logo.svg"
    assert logo.attributes["alt"] == "Testkommunens logo"
    assert (tmp_path / "out" / "assets" / "logo.svg").read_text() == LOGO
    assert listing.css_first(".site-owner").text() == "Ansvarlig: Testkommunen"
    footer = listing.css_first("footer")
    assert footer.css_first(".footer-owner").text() == "Ansvarlig: Testkommunen"
    phone = footer.css_first('a[href^="tel:"]')
    assert (phone.text(), phone.attributes["href"]) == ("+45 11 22 33 44", "tel:+4511223344")
    assert "Åbningstider: Mandag-fredag 10-15" in footer.text()
    # A document's owner is its municipality; the site's owner is named below it.
    document = LexborHTMLParser((tmp_path / "out/testby/politik/index.html").read_text())
    assert document.css_first(".site-owner").text() == "Ansvarlig: Testby Kommune"
    assert "udgives af Testkommunen" in document.css_first(".footer-site-owner").text()
    easy = LexborHTMLParser((tmp_path / "out/testby/politik/letlaest/index.html").read_text())
    assert easy.css_first("#hvem-kan-jeg-spoerge") is not None


def test_no_visible_text_names_site_gen(tmp_path):
    result = build(ROOT, tmp_path / "out")
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    for page in sorted((tmp_path / "out").rglob("*.html")):
        tree = LexborHTMLParser(page.read_text())
        generator = tree.css_first('meta[name="generator"]')
        for node in tree.css('meta[name="generator"]'):
            node.decompose()
        assert "site_gen" not in tree.html, page
        if page.parts[-2:] != ("was", "index.html"):
            assert generator is not None and generator.attributes["content"] == "site_gen", page


def test_a_missing_logo_is_an_error(tmp_path):
    result = build(_site(tmp_path, OWNER), tmp_path / "out")
    lines = result.problems.sorted_lines()
    assert not result.wrote
    assert any("[logo-missing]" in line and "logo.svg" in line for line in lines), lines


def test_a_low_contrast_brand_colour_is_refused_with_a_suggestion(tmp_path):
    site = _site(tmp_path, OWNER.replace("#0b5e3b", "#7fb2e5"))
    (site / "layouts" / "assets").mkdir(parents=True)
    (site / "layouts" / "assets" / "logo.svg").write_text(LOGO)
    result = build(site, tmp_path / "out")
    assert not result.wrote
    found = [p for p in result.problems if p.code == "low-contrast"]
    assert len(found) == 1 and found[0].line == 16, result.problems.sorted_lines()
    message = found[0].message
    assert "#7fb2e5" in message and "#ffffff" in message and "4.5:1" in message, message
    suggestion = re.search(r"(#[0-9a-f]{6})$", message).group(1)
    # The suggestion passes every pair, and is nearer than black.
    assert min(brand.contrast(suggestion, bg) for bg in brand.BACKGROUNDS["light"].values()) >= 4.5
    assert suggestion != "#000000"
    settings = site / "content" / "site.yaml"
    settings.write_text(settings.read_text().replace("#7fb2e5", suggestion))
    assert build(site, tmp_path / "out").wrote


def test_brand_css_sets_colours_that_pass_in_light_and_dark(tmp_path):
    site = _site(tmp_path, OWNER + '    secondary: "#6b4c9a"\n')
    (site / "layouts" / "assets").mkdir(parents=True)
    (site / "layouts" / "assets" / "logo.svg").write_text(LOGO)
    result = build(site, tmp_path / "out")
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    css = (tmp_path / "out" / "assets" / "brand.css").read_text()
    light, dark = css.split("@media (prefers-color-scheme: dark)")
    measured = 0
    for scheme, block in (("light", light), ("dark", dark)):
        props = dict(re.findall(r"(--[a-z-]+): (#[0-9a-f]{6});", block))
        assert set(props) == {"--link", "--focus-ring", "--accent"}
        for role in brand.roles():
            for background in role.on:
                ratio = brand.contrast(props[role.prop], brand.BACKGROUNDS[scheme][background])
                assert ratio >= role.ratio, (scheme, role.prop, background, ratio)
                measured += 1
    assert measured == 14
    assert "#6b4c9a" in light
    html = (tmp_path / "out" / "index.html").read_text()
    assert '<link rel="stylesheet" href="/assets/brand.css">' in html
    assert "style=" not in html and "<style" not in html


def test_backgrounds_match_the_stylesheet():
    """brand.py measures against site.css's own backgrounds; they must not drift apart."""
    css = (ROOT / "layouts" / "assets" / "site.css").read_text()
    light, dark = css.split("@media (prefers-color-scheme: dark)", 1)
    for scheme, block in (("light", light), ("dark", dark)):
        for name, colour in brand.BACKGROUNDS[scheme].items():
            assert re.search(rf"--{name}: {colour};", block), (scheme, name)
