"""The browser editor in the preview (issue 27): its configuration comes from the one
declaration of the front matter; its backend reads and writes only the content folder, only
for the preview's own pages and the session's token; an author writes a document in the
editor's own screens in headless Chromium; drafts are not published by `build.py`."""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import fields
from pathlib import Path

import pytest

from helpers import ROOT, run_cli
from site_gen.editor.backend import Backend, Refused
from site_gen.editor.config import PLACED, components, editor_settings
from site_gen.markdown.blocks import BLOCKS
from site_gen.model import DOCUMENT_KINDS, RELATIONS, STATUSES, FrontMatter

SITES = ROOT / "tests" / "sites"


def _real_config():
    from site_gen.config import load_config
    from site_gen.problems import Problems
    from helpers import options_for
    return load_config(options_for(ROOT, Path(tempfile.mkdtemp()) / "out"), Problems())


def _fields_by_name(collection: dict) -> dict:
    return {f["name"]: f for f in collection["fields"]}


def test_every_key_block_status_and_kind_has_a_place_in_the_editor():
    settings = editor_settings(_real_config())
    collections = settings["decap"]["collections"]
    standard = _fields_by_name(collections[0])
    easy = _fields_by_name(collections[1])
    for declared in fields(FrontMatter):
        if "field" not in declared.metadata:
            continue
        name, meta = declared.name, declared.metadata
        placed = name in standard or name in easy or meta["editor"] in PLACED
        assert placed, f"the front matter key '{name}' has no place in the editor"
        assert meta["field"].label, f"'{name}' has no label for the editor"
        if name in standard:
            assert standard[name]["required"] == meta["field"].required
    assert [o["value"] for o in standard["status"]["options"]] == list(STATUSES)
    assert [o["label"] for o in standard["status"]["options"]] == \
        [s["label"] for s in STATUSES.values()]                # "Vedtaget", "Gældende", ...
    assert [o["value"] for o in standard["kind"]["options"]] == list(DOCUMENT_KINDS)
    relation = {f["name"]: f for f in standard["related"]["fields"]}["relation"]
    assert [o["value"] for o in relation["options"]] == list(RELATIONS)
    assert standard["adopted"]["widget"] == "string" and standard["updated"]["widget"] == \
        "datetime"
    assert {f["name"] for f in standard["period"]["fields"]} == {"from", "to"}
    assert {f["name"] for f in standard["history"]["fields"]} == {"date", "note"}
    blocks = {c.get("block") for c in components()}
    assert set(BLOCKS) <= blocks, f"blocks without an editor component: {set(BLOCKS) - blocks}"
    assert "tested_by" in easy and "tested_by" not in standard
    assert "status" not in easy                     # inherited from the standard page
    documents = [c for c in collections if "folder" in c]
    for collection in documents:                   # every municipality, both variants
        assert collection["fields"][-1]["name"] == "body"
    assert len(documents) == 2 * len(_real_config().municipalities)
    files = {f["name"]: f for c in collections if "files" in c for f in c["files"]}
    from site_gen.config import SETTINGS
    from site_gen.glossary import TERM
    assert [f["name"] for f in files["site"]["fields"]] == list(SETTINGS)
    assert [f["name"] for f in files["ordliste"]["fields"][0]["fields"]] == list(TERM)
    publisher = {f["name"]: f for f in files["site"]["fields"]}["publisher"]
    colours = {f["name"]: f for f in publisher["fields"]}["colours"]
    assert colours["fields"][0]["widget"] == "color" and not colours["fields"][0]["required"]


def test_a_component_pattern_reads_the_block_syntax_the_build_reads():
    for component in components():
        if "block" not in component:
            continue
        text = f"::: {component['block']} Mærkat\nLinje et\nLinje to\n:::\n\nMere"
        match = re.match(component["pattern"], text)
        assert match and match.group(1) == "Mærkat" and match.group(2) == "Linje et\nLinje to"


@pytest.fixture
def project(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "easy-read-pair" / "content", site / "content")
    return site


def test_the_backend_reads_and_writes_only_pages_and_pictures_of_the_content_folder(
        project, tmp_path):
    written = []
    backend = Backend(project / "content", written.extend)
    outside = tmp_path / "secret.md"
    outside.write_text("hemmelig")
    (project / "content" / "testby" / "link").symlink_to(tmp_path)
    refused = ["/etc/passwd", str(outside), "content/../secret.md", "../secret.md",
               "content/testby/../../../secret.md", "content/testby/link/secret.md",
               "content\\testby\\politik\\index.md", "content/testby/politik/index.md\0",
               "content/.site_gen-cache/x", "layouts/base.html", "~/x", "site.yaml"]
    for path in refused:
        with pytest.raises(Refused):
            backend.handle({"action": "getEntry", "params": {"path": path}})
        with pytest.raises(Refused):
            backend.handle({"action": "persistEntry", "params": {
                "dataFiles": [{"path": path, "raw": "x", "slug": "x"}], "assets": []}})
    for path in ("content/testby/politik/evil.js", "content/testby/politik/site.yaml",
                 "content/testby/index.md", "content/testby/politik/sub/index.md"):
        with pytest.raises(Refused):
            backend.handle({"action": "persistEntry", "params": {
                "dataFiles": [{"path": path, "raw": "x", "slug": "x"}], "assets": []}})
    with pytest.raises(Refused):              # a picture outside a document's folder
        backend.handle({"action": "persistMedia", "params": {"asset": {
            "path": "content/billede.png", "content": "aGVq", "encoding": "base64"}}})
    with pytest.raises(Refused):
        backend.handle({"action": "runShell", "params": {}})
    assert outside.read_text() == "hemmelig"
    assert written == []
    # What may be done: a page and a picture of a document's folder, atomically.
    backend.handle({"action": "persistEntry", "params": {
        "dataFiles": [{"path": "content/testby/ny/index.md", "raw": "---\ntitle: Ny\n---\n",
                       "slug": "ny"}],
        "assets": [{"path": "content/testby/ny/kort.png", "content": "iVBORw0KGgo=",
                    "encoding": "base64"}]}})
    assert (project / "content" / "testby" / "ny" / "index.md").read_text() == \
        "---\ntitle: Ny\n---\n"
    assert (project / "content" / "testby" / "ny" / "kort.png").read_bytes()[:4] == b"\x89PNG"
    assert not [p for p in (project / "content" / "testby" / "ny").iterdir()
                if p.name.startswith(".")]                         # no temporary file left
    listed = backend.handle({"action": "entriesByFolder", "params": {
        "folder": "content/testby", "extension": "md", "depth": 1}})
    assert {e["file"]["path"] for e in listed} == {"content/testby/politik/index.md",
                                                   "content/testby/ny/index.md"}
    easy = backend.handle({"action": "entriesByFolder", "params": {
        "folder": "content/testby", "extension": "easy-read.md", "depth": 1}})
    assert [e["file"]["path"] for e in easy] == ["content/testby/politik/index.easy-read.md"]
    # A deleted file is kept, never removed.
    backend.handle({"action": "deleteFile", "params": {"path": "content/testby/ny/index.md"}})
    kept = list((project / ".site_gen-slettet").rglob("index.md"))
    assert len(kept) == 1 and kept[0].read_text() == "---\ntitle: Ny\n---\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_preview(site: Path, out: Path, log: Path, *extra: str):
    port = _free_port()
    env = {**os.environ, "SITE_GEN_LANG": "da"}
    with open(log, "w") as output:
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--serve", "--port",
                                    str(port), "-o", str(out), *extra], cwd=site, env=env,
                                   stdout=output, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 90
    while "?adgang=" not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the preview did not start:\n" + log.read_text())
        time.sleep(0.2)
    address = re.search(r"(http://127\.0\.0\.1:\d+/admin/\?adgang=\S+)", log.read_text())[1]
    return process, port, address


def _call(url: str, data=None, headers=None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8"), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8"), error.headers


@pytest.fixture
def running(project, tmp_path):
    process, port, address = _start_preview(project, tmp_path / "preview",
                                            tmp_path / "server.log")
    yield project, port, address
    process.terminate()
    process.wait(10)
    assert "Traceback" not in (tmp_path / "server.log").read_text()


def test_the_backend_answers_only_its_own_origin_and_token(running):
    site, port, address = running
    base = f"http://127.0.0.1:{port}"
    token = address.split("adgang=")[1]
    status, text, _ = _call(address)      # urllib follows the 303 without keeping the cookie
    assert status == 401 and "terminalen" in text                   # the locked page
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(address, timeout=30) as response:
        assert "site-gen-editor.js" in response.read().decode()
    cookie = f"site_gen_editor={token}"
    body = json.dumps({"action": "getEntry", "params": {
        "path": "content/testby/politik/index.md"}}).encode()
    json_headers = {"Content-Type": "application/json", "Cookie": cookie}
    status, text, _ = _call(base + "/admin/api/v1", body, json_headers)
    assert status == 200 and "Kommunen" in json.loads(text)["data"]
    for headers, expected in (
            ({**json_headers, "Origin": "http://evil.example"}, 403),
            ({**json_headers, "Origin": "http://localhost:1"}, 403),
            ({**json_headers, "Sec-Fetch-Site": "cross-site"}, 403),
            ({"Content-Type": "application/json"}, 401),                    # no token
            ({"Content-Type": "application/json", "Cookie": "site_gen_editor=gæt"}, 401),
            ({"Content-Type": "text/plain", "Cookie": cookie}, 415),        # a form post
            ({**json_headers, "Host": f"evil.example:{port}"}, 421)):       # DNS rebinding
        status, text, _ = _call(base + "/admin/api/v1", body, headers)
        assert status == expected, (headers, status, text)
    outside = json.dumps({"action": "getEntry", "params": {"path": "content/../../etc/passwd"}})
    status, text, _ = _call(base + "/admin/api/v1", outside.encode(), json_headers)
    assert status == 403 and "indholdsmappen" in json.loads(text)["error"]
    write = json.dumps({"action": "persistEntry", "params": {"dataFiles": [
        {"path": "content/../layouts/base.html", "raw": "<script>", "slug": "x"}],
        "assets": []}})
    status, text, _ = _call(base + "/admin/api/v1", write.encode(), json_headers)
    assert status == 403
    status, text, _ = _call(base + "/admin/settings.json", headers={"Cookie": "x=y"})
    assert status == 401


def test_build_publishes_no_draft_unless_asked(project, tmp_path):
    for name in ("index.md", "index.easy-read.md"):
        document = project / "content" / "testby" / "politik" / name
        document.write_text(re.sub(r"(?m)^status: .*$", "status: draft",
                                   document.read_text(encoding="utf-8")), encoding="utf-8")
    assert "status: draft" in document.read_text(encoding="utf-8")
    result = run_cli("-o", str(tmp_path / "out"), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 udkast udeladt" in result.stdout
    out = tmp_path / "out"
    assert not (out / "testby" / "politik").exists()
    assert "testby/politik" not in (out / "sitemap.xml").read_text()
    again = run_cli("-o", str(tmp_path / "out"), cwd=project)     # nothing changed: said again
    assert "1 udkast udeladt" in again.stdout
    drafts = run_cli("--drafts", "-o", str(tmp_path / "with"), cwd=project)
    assert drafts.returncode == 0 and "udeladt" not in drafts.stdout
    assert (tmp_path / "with" / "testby" / "politik" / "index.html").is_file()
    assert (tmp_path / "with" / "testby" / "politik" / "letlaest" / "index.html").is_file()


# --- the editor's own screens, in Chromium ---------------------------------------------------

def _wait(condition, timeout: float = 30, what: str = ""):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
            if value:
                return value
        except Exception:                      # the page is still being drawn
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.mark.a11y
def test_an_author_writes_a_document_in_the_browser_editor(tmp_path):
    from browser import start_chromium
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    log = tmp_path / "server.log"
    process, port, address = _start_preview(site, tmp_path / "preview", log)
    driver = start_chromium(tmp_path / "profile")
    folder = site / "content" / "glostrup" / "trafikpolitik"
    try:
        driver.get(address)
        _wait(lambda: driver.find_element(By.TAG_NAME, "button"), what="the login")
        driver.find_element(By.TAG_NAME, "button").click()            # "Log ind" (no account)
        _wait(lambda: "Glostrup Kommune" in driver.find_element(By.TAG_NAME, "body").text)
        driver.get(address.split("?")[0] + "#/collections/glostrup/new")
        title = _wait(lambda: driver.find_element(By.CSS_SELECTOR, "[id^='title-field-']"))
        body_text = driver.find_element(By.TAG_NAME, "body").text
        for label in ("TITEL", "RESUMÉ", "DOKUMENTTYPE", "STATUS", "PERIODE", "TEKST"):
            assert label in body_text.upper(), label
        title.send_keys("Trafikpolitik")
        driver.find_element(By.CSS_SELECTOR, "[id^='summary-field-']").send_keys(
            "Sådan gør kommunen det let at komme rundt for alle.")
        for field, label in (("kind", "Politik"), ("status", "Gældende")):
            select = driver.find_element(By.CSS_SELECTOR, f"[id^='{field}-field-']")
            select.send_keys(label)
            select.send_keys(Keys.ENTER)
        # The body: a quotation from the block component, then a picture, typed as Markdown.
        switch = driver.find_element(By.CSS_SELECTOR, "button[role='switch']")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", switch)
        switch.click()                                              # "Formateret tekst"
        _wait(lambda: not driver.find_element(By.CSS_SELECTOR, "button[title='Tilføj komponent']")
              .get_attribute("disabled") and driver.find_elements(
                  By.CSS_SELECTOR, "[data-slate-editor='true']"), what="formatted text")
        driver.find_element(By.CSS_SELECTOR, "button[title='Tilføj komponent']").click()
        _wait(lambda: [e for e in driver.find_elements(By.CSS_SELECTOR, "[role='menuitem']")
                       if e.text.strip() == "Citat"], what="the component menu")[0].click()
        who = _wait(lambda: driver.find_element(By.CSS_SELECTOR, "[id^='label-field-']"))
        who.send_keys("Handicaprådet")
        driver.find_element(By.CSS_SELECTOR, "textarea[id^='text-field-']").send_keys(
            "Vi er glade for, at alle kan komme med bussen.")
        # A picture from the picture component, uploaded through the editor's media library,
        # its text left empty for now.
        picture = tmp_path / "kort.png"
        picture.write_bytes(_png())
        driver.find_element(By.CSS_SELECTOR, "button[title='Tilføj komponent']").click()
        _wait(lambda: [e for e in driver.find_elements(By.CSS_SELECTOR, "[role='menuitem']")
                       if e.text.strip() == "Billede"], what="the component menu")[0].click()
        _wait(lambda: [b for b in driver.find_elements(By.TAG_NAME, "button")
                       if b.text == "Vælg et billede"], what="the picture field")[0].click()
        _wait(lambda: driver.find_element(By.CSS_SELECTOR, "input[type=file]"),
              what="the media library").send_keys(str(picture))
        _wait(lambda: [b for b in driver.find_elements(By.TAG_NAME, "button")
                       if b.text == "Anvend valgte" and b.is_enabled()],
              what="the uploaded picture")[0].click()
        switch = driver.find_element(By.CSS_SELECTOR, "button[role='switch']")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", switch)
        switch.click()                                              # Markdown
        markdown = _wait(lambda: [t for t in driver.find_elements(
            By.CSS_SELECTOR, "[contenteditable='true']") if "::: citat" in t.text][0],
                         what="the Markdown of the body")
        assert "::: citat Handicaprådet\nVi er glade for" in markdown.text
        assert "![](kort.png)" in markdown.text, markdown.text

        def publish():
            driver.find_element(By.XPATH, "//*[normalize-space(text())='Publicer']").click()
            _wait(lambda: [e for e in driver.find_elements(By.XPATH,
                           "//*[normalize-space(text())='Publicer nu']")], what="Publicer nu"
                  )[0].click()

        publish()
        refusal = "Et billede mangler en tekst, der siger, hvad det viser"
        _wait(lambda: refusal.upper() in driver.find_element(By.TAG_NAME, "body").text.upper(),
              what="the Danish refusal of a picture without text")
        assert not (folder / "index.md").exists()                   # refused: nothing saved
        markdown.click()                  # the author writes the picture's text
        markdown.send_keys(Keys.CONTROL, Keys.END)
        while not markdown.text.rstrip().endswith("![](kort.png)"):   # a last empty line
            markdown.send_keys(Keys.BACKSPACE)
        markdown.send_keys(Keys.ARROW_LEFT * len("](kort.png)"))      # after '!['

        markdown.send_keys("Kort over busruterne i Glostrup")
        markdown.send_keys(Keys.CONTROL, Keys.END)
        markdown.send_keys("\n\n## Busser\n\nAlle busser skal have plads til kørestole.")
        assert "![Kort over busruterne i Glostrup](kort.png)" in markdown.text, markdown.text
        publish()

        def saved_or_said():
            said = [line for line in driver.find_element(By.TAG_NAME, "body").text.splitlines()
                    if "kunne ikke gemmes" in line.lower()]
            assert not said, said                    # the editor's own toast says why
            return (folder / "index.md").is_file()

        _wait(saved_or_said, what="the saved file")
        saved = (folder / "index.md").read_text(encoding="utf-8")
        assert re.search(r"^title: Trafikpolitik$", saved, re.M), saved
        assert re.search(r"^kind: policy$", saved, re.M) and \
            re.search(r"^status: in-force$", saved, re.M), saved
        assert "::: citat Handicaprådet\nVi er glade for, at alle kan komme med bussen.\n:::" \
            in saved
        assert "![Kort over busruterne i Glostrup](kort.png)" in saved
        assert (folder / "kort.png").read_bytes() == _png()        # saved by the editor
        page = f"http://127.0.0.1:{port}/glostrup/trafikpolitik/"
        served = _wait(lambda: (lambda r: r[0] == 200 and "Trafikpolitik" in r[1] and r)(
            _call(page)), what="the new page in the preview")
        assert "Handicaprådet" in served[1] and 'alt="Kort over busruterne i Glostrup"' in \
            served[1]
        # The preview pane: the page as built, what the build says, the easy-read button.
        def easy_read_button():                   # the pane is drawn again after a save
            driver.switch_to.default_content()
            driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, "iframe"))
            return [b for b in driver.find_elements(By.TAG_NAME, "button")
                    if b.text == "Lav den letlæste udgave"]

        button = _wait(easy_read_button, what="the easy-read button")[0]
        assert "Det siger byggeriet om siden" in driver.find_element(By.TAG_NAME, "body").text
        assert driver.find_elements(By.CSS_SELECTOR, "iframe[src^='/glostrup/trafikpolitik/']")
        button.click()
        driver.switch_to.default_content()
        _wait(lambda: "glostrup-letlaest/entries/trafikpolitik/index" in driver.current_url,
              what="the easy-read page in the editor")
        easy = folder / "index.easy-read.md"
        assert easy.is_file() and "## Det vigtigste" in easy.read_text(encoding="utf-8")
        summary = _wait(lambda: driver.find_element(By.CSS_SELECTOR, "[id^='summary-field-']"),
                        what="the easy-read page's form")
        summary.send_keys("Alle skal kunne komme med bussen.")
        publish()
        _wait(lambda: "Alle skal kunne komme med bussen." in easy.read_text(encoding="utf-8"),
              what="the saved easy-read page")
        assert "billede:vigtigt" in easy.read_text(encoding="utf-8")
        # While writing, before saving: the build's own easy-read checks and the LIX.
        text = _wait(lambda: [t for t in driver.find_elements(
            By.CSS_SELECTOR, "[contenteditable='true']") if "Det vigtigste" in t.text][0],
                     what="the easy-read text")
        text.click()
        text.send_keys(Keys.CONTROL, Keys.END)
        text.send_keys("\n\nKommunen vil sammen med borgerne og de frivillige foreninger og de "
                       "mange andre parter i byen arbejde målrettet for en bedre og langt mere "
                       "tilgængelig kollektiv trafik i hele kommunen i de kommende år.")

        def live_advice():
            driver.switch_to.default_content()
            driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, "iframe"))
            return [item.get_attribute("data-code") for item in
                    driver.find_elements(By.CSS_SELECTOR, ".site-gen-live li")]

        codes = _wait(live_advice, what="the checks while writing")
        assert "er-sentence" in codes, codes
        assert "Læsbarhed (LIX)" in driver.find_element(By.CSS_SELECTOR, ".site-gen-live-lix").text
        driver.switch_to.default_content()
        assert "kollektiv trafik" not in easy.read_text(encoding="utf-8")     # not saved
        _wait(lambda: 'href="/glostrup/trafikpolitik/letlaest/"' in _call(page)[1],
              what="the link to the easy-read page")
        driver.save_screenshot(str(tmp_path / "editor.png"))
    finally:
        if os.environ.get("SITE_GEN_EDITOR_SHOTS"):        # to look at: README, "Tests"
            driver.switch_to.default_content()
            driver.save_screenshot(os.path.join(os.environ["SITE_GEN_EDITOR_SHOTS"],
                                                "editor-last.png"))
            Path(os.environ["SITE_GEN_EDITOR_SHOTS"], "editor-last.txt").write_text(
                driver.find_element(By.TAG_NAME, "body").text + "\n=== console\n" +
                "\n".join(str(e) for e in driver.get_log("browser")))
        driver.quit()
        process.terminate()
        process.wait(10)
    assert "Traceback" not in log.read_text(), log.read_text()


def _png() -> bytes:
    import base64
    return base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
                            "DwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def test_a_save_keeps_the_authors_comments_order_and_folded_texts(project):
    """Decap sends the front matter written anew; what reaches the disk is the old file with
    only the changed values changed (editor/keep.py)."""
    page = project / "content" / "testby" / "politik" / "index.md"
    text = page.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    old = head + "\n# Mine egne noter: spørg Handicaprådet før høringen.\n---\n" + body
    page.write_text(old, encoding="utf-8")
    import yaml
    values = yaml.safe_load(head.removeprefix("---\n"))
    values["title"] = "Ny titel"
    sent = "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=True) + "---\n" + body
    Backend(project / "content").handle({"action": "persistEntry", "params": {
        "dataFiles": [{"path": "content/testby/politik/index.md", "raw": sent,
                       "slug": "politik"}], "assets": []}})
    saved = page.read_text(encoding="utf-8")
    assert "# Mine egne noter: spørg Handicaprådet før høringen." in saved
    assert saved.replace("title: Ny titel", "title: " + str(yaml.safe_load(
        head.removeprefix("---\n"))["title"])) == old


def test_the_settings_and_the_glossary_are_edited_with_their_comments_kept(tmp_path):
    made = run_cli("init", "viborg", "--municipality", "viborg", "--name", "Viborg Kommune",
                   cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    content = tmp_path / "viborg" / "content"
    backend = Backend(content)
    import yaml
    settings_text = (content / "site.yaml").read_text(encoding="utf-8")
    entry = backend.handle({"action": "getEntry", "params": {"path": "content/site.yaml"}})
    values = yaml.safe_load(entry["data"])
    values["publisher"]["phone"] = "87 87 50 50"
    backend.handle({"action": "persistEntry", "params": {"dataFiles": [
        {"path": "content/site.yaml", "raw": yaml.safe_dump(values, allow_unicode=True),
         "slug": "site"}], "assets": []}})
    saved = (content / "site.yaml").read_text(encoding="utf-8")
    assert [line for line in saved.splitlines() if line.lstrip().startswith("#")] == \
        [line for line in settings_text.splitlines() if line.lstrip().startswith("#")]
    assert yaml.safe_load(saved) == values
    glossary = backend.handle({"action": "getEntry", "params": {"path": "content/glossary.yaml"}})
    assert yaml.safe_load(glossary["data"]) == {"terms": []}       # a list, as Decap edits it
    sent = {"terms": [{"term": "BPA", "full": "borgerstyret personlig assistance"}]}
    backend.handle({"action": "persistEntry", "params": {"dataFiles": [
        {"path": "content/glossary.yaml", "raw": yaml.safe_dump(sent, allow_unicode=True),
         "slug": "ordliste"}], "assets": []}})
    written = (content / "glossary.yaml").read_text(encoding="utf-8")
    assert written.startswith("# Ordlisten")                       # its help stays
    assert yaml.safe_load(written) == sent["terms"]
    built = run_cli("--site", "viborg", "--drafts", cwd=tmp_path)
    assert built.returncode == 0 and "0 fejl" in built.stdout, built.stdout


@pytest.mark.a11y
def test_a_word_document_is_brought_in_from_the_editor_with_its_notes(project, tmp_path):
    from axe_selenium_python import Axe
    from browser import AXE_OPTIONS, start_chromium
    from selenium.webdriver.common.by import By
    from wordfiles import policy_docx

    docx = policy_docx(tmp_path / "politik.docx")
    log = tmp_path / "server.log"
    process, port, address = _start_preview(project, tmp_path / "preview", log)
    driver = start_chromium(tmp_path / "profile")
    try:
        driver.get(address)
        driver.get(f"http://127.0.0.1:{port}/admin/hent-word/")
        assert driver.find_element(By.TAG_NAME, "h1").text == "Hent et Word-dokument ind"
        axe = Axe(driver)
        axe.inject()
        assert axe.run(options=AXE_OPTIONS)["violations"] == []
        driver.find_element(By.ID, "mappe").send_keys("trafikpolitik")
        driver.find_element(By.ID, "fil").send_keys(str(docx))
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        _wait(lambda: "Word-dokumentet er hentet ind" in driver.title, what="the result")
        text = driver.find_element(By.TAG_NAME, "body").text
        folder = project / "content" / "testby" / "trafikpolitik"
        assert (folder / "index.md").is_file() and (folder / "import-noter.md").is_file()
        assert (folder / "import-noter.md").read_text(encoding="utf-8").splitlines()[0] in text
        link = driver.find_element(By.LINK_TEXT, "Åbn det i editoren")
        assert link.get_attribute("href").endswith(
            "/admin/#/collections/testby/entries/trafikpolitik/index")
        axe = Axe(driver)
        axe.inject()
        assert axe.run(options=AXE_OPTIONS)["violations"] == []
        driver.get(f"http://127.0.0.1:{port}/admin/hent-word/")      # never over a page
        driver.find_element(By.ID, "mappe").send_keys("trafikpolitik")
        driver.find_element(By.ID, "fil").send_keys(str(docx))
        before = (folder / "index.md").read_bytes()
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        _wait(lambda: driver.find_elements(By.CSS_SELECTOR, "[role=alert]"), what="refusal")
        assert (folder / "index.md").read_bytes() == before
    finally:
        driver.quit()
        process.terminate()
        process.wait(10)
    assert "Traceback" not in log.read_text(), log.read_text()
