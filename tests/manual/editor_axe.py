"""Report-only (not in `make test`): axe over the browser editor's own screens (Decap CMS,
issue 27), and screenshots of them at 1280 CSS px, light and dark. What it finds is the
vendor's: site_gen does not change Decap's interface.

    .venv/bin/python tests/manual/editor_axe.py OUT_FOLDER
"""
from __future__ import annotations

import collections
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from axe_selenium_python import Axe  # noqa: E402
from browser import AXE_OPTIONS, emulate, set_viewport, start_chromium  # noqa: E402
from test_editor import _start_preview  # noqa: E402


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "content", work / "site" / "content")
    process, port, address = _start_preview(work / "site", work / "preview", work / "log")
    driver = start_chromium(work / "profile")
    screens = {"login": None, "collection": "#/collections/glostrup",
               "new-document": "#/collections/glostrup/new",
               "document": "#/collections/glostrup/entries/handicappolitik/index",
               "easy-read": "#/collections/glostrup-letlaest/entries/handicappolitik/index"}
    counts = collections.Counter()
    try:
        set_viewport(driver, 1280, 900)
        for name, route in screens.items():
            if route is None:
                driver.get(address)
            else:
                if name == "collection":
                    driver.find_element("tag name", "button").click()
                    time.sleep(2)
                driver.get(address.split("?")[0] + route)
                driver.refresh()                 # a new hash alone keeps the last form
            time.sleep(4)
            for scheme in ("light", "dark"):
                emulate(driver, prefers_color_scheme=scheme)
                driver.save_screenshot(str(out / f"editor-{name}-1280-{scheme}.png"))
            axe = Axe(driver)
            axe.inject()
            results = axe.run(options=AXE_OPTIONS)
            for violation in results["violations"]:
                counts[violation["id"]] += len(violation["nodes"])
                print(f"{name}: {violation['id']} ({violation['impact']}, "
                      f"{len(violation['nodes'])} elements): {violation['help']}")
    finally:
        driver.quit()
        process.terminate()
        process.wait(10)
    print("in all:", dict(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
