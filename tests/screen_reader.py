"""What a screen reader announces, recorded in Debian's Chromium (issue 29).

The speech comes from Guidepup's Virtual Screen Reader (MIT, npm
`@guidepup/virtual-screen-reader`, vendored in tests/vendor/ by `make screen-reader`): it walks
the page as a screen reader's reading cursor does and says what NVDA- and VoiceOver-like
readers say, in its own English words ("heading, ..., level 2"; "link"). The landmarks,
headings and links lists, and each table cell's headers, come from Chromium's own
accessibility tree (DevTools protocol), which is what Orca, NVDA and JAWS read in Chromium.
No network and no npm at test time."""
from __future__ import annotations

import re
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor" / "virtual-screen-reader.js"


def _classic_script() -> str:
    """The vendored ES module as a classic script: its one `export{...}` becomes a global."""
    source = VENDOR.read_text(encoding="utf-8")
    exports = re.search(r"export\s*\{([^}]*)\};?", source)
    assert exports, f"{VENDOR}: no export statement; refresh with `make screen-reader`"
    names = dict(reversed(part.strip().split(" as ")) for part in exports.group(1).split(","))
    return (source[:exports.start()] + f"window.__virtualScreenReader = {names['virtual']};"
            + source[exports.end():])


_SCRIPT: list[str] = []


def inject(driver) -> None:
    if not _SCRIPT:
        _SCRIPT.append(_classic_script())
    if not driver.execute_script("return !!window.__virtualScreenReader"):
        driver.execute_script(_SCRIPT[0])


_READ_ALL = """
const done = arguments[arguments.length - 1];
const container = arguments[0] ? document.querySelector(arguments[0]) : document.body;
const limit = arguments[1];
const sr = window.__virtualScreenReader;
(async () => {
  await sr.start({container});
  for (let i = 0; i < limit && (await sr.lastSpokenPhrase()) !== "end of document"; i++) {
    await sr.next();
  }
  const log = await sr.spokenPhraseLog();
  await sr.stop();
  return log;
})().then(done, e => done("ERROR " + e));
"""


def read_from_top(driver, container: str = "", limit: int = 5000) -> list[str]:
    """The phrases spoken while moving the reading cursor from the top to the end."""
    inject(driver)
    log = driver.execute_async_script(_READ_ALL, container, limit)
    assert not isinstance(log, str), log
    return log
