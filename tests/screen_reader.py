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
  const log = [await sr.spokenPhraseLog(), await sr.itemTextLog()];
  await sr.stop();
  return log;
})().then(done, e => done("ERROR " + e));
"""


# Inline elements that NVDA, JAWS and Orca do not announce by default: their text is read as
# part of the line around them. The simulator announces them ("time", "strong") and speaks
# each one's text as a phrase of its own; read_from_top joins them as a line is read.
UNANNOUNCED = ("time", "strong", "emphasis", "superscript", "subscript")


def read_from_top(driver, container: str = "") -> list[str]:
    """The phrases heard moving the reading cursor from the top to the end: the simulator's,
    with the text of a line read as one phrase (text inside a link is its name, said once)."""
    spoken, items = read_raw(driver, container)
    phrases: list[str] = []
    joining, link = False, ""
    for phrase, item in zip(spoken, items):
        if phrase in UNANNOUNCED or phrase in [f"end of {role}" for role in UNANNOUNCED]:
            continue
        is_text = bool(item) and phrase == item
        if link and (phrase == "end of " + link or is_text and phrase.strip() in link):
            continue                          # the link's own text: its name said it
        link = phrase if phrase.startswith("link, ") else ""
        if is_text and joining:
            phrases[-1] = _join(phrases[-1], phrase)
        else:
            phrases.append(phrase)
        joining = is_text
    return phrases


def _join(before: str, after: str) -> str:
    return before + after if after[:1] in ",.;:)" or before.endswith(("(", " ")) \
        else before + " " + after


def read_raw(driver, container: str = "", limit: int = 5000) -> tuple[list[str], list[str]]:
    """What the simulator says at each step of the reading cursor from the top to the end,
    and the text of the item it is on."""
    inject(driver)
    log = driver.execute_async_script(_READ_ALL, container, limit)
    assert not isinstance(log, str), log
    return log[0], log[1]


# --- Chromium's accessibility tree: what a screen reader's lists of landmarks, headings and
# links hold -------------------------------------------------------------------------------

LANDMARKS = ("banner", "navigation", "main", "contentinfo", "search", "complementary",
             "region", "form")


def _value(node: dict, key: str) -> str:
    return str(node.get(key, {}).get("value", ""))


def _properties(node: dict) -> dict:
    return {p["name"]: p["value"].get("value") for p in node.get("properties", [])}


def accessibility_tree(driver) -> list[dict]:
    """Chromium's accessibility tree of the page, in document order (the protocol lists it
    breadth first), without ignored nodes."""
    nodes = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
    by_id = {node["nodeId"]: node for node in nodes}
    ordered, stack = [], [n for n in nodes if n.get("parentId") not in by_id][::-1]
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(by_id[child] for child in reversed(node.get("childIds", []))
                     if child in by_id)
    return [n for n in ordered if not n.get("ignored")]


def landmarks(nodes: list[dict]) -> list[str]:
    """Each landmark as a screen reader lists it: its role and name. A region or form
    without a name is no landmark (ARIA), and is left out as screen readers leave it out."""
    found = []
    for node in nodes:
        role, name = _value(node, "role"), _value(node, "name")
        if role in LANDMARKS and (name or role not in ("region", "form")):
            found.append(f"{role}, {name}" if name else role)
    return found


def headings(nodes: list[dict]) -> list[str]:
    """'h2 Forord', indented by level, as a screen reader's list of headings."""
    return [f"{'  ' * (int(_properties(n).get('level', 1)) - 1)}"
            f"h{_properties(n).get('level', '?')} {_value(n, 'name')}"
            for n in nodes if _value(n, "role") == "heading"]


def links(nodes: list[dict]) -> list[str]:
    """Every link's name, in order, as a screen reader's list of links."""
    return [_value(n, "name") or "(no name)" for n in nodes if _value(n, "role") == "link"]


# --- a data table cell by cell ------------------------------------------------------------
# What NVDA, JAWS and Orca say moving through a table with their table keys: the cell's
# headers that changed (the row header on entering a row, the column header on entering a
# column), then its text. The headers come from the HTML table model (th scope, headers=);
# the position from Chromium's accessibility tree, as the screen reader gets it.

_CELLS = """
const table = document.querySelectorAll('main table')[arguments[0]];
if (!table) return null;
const text = e => e.textContent.replace(/\\s+/g, ' ').trim();
const rows = [...table.rows];
const columnHeaders = [];
const cells = [];
rows.forEach((row, r) => {
  let column = 0;
  [...row.cells].forEach(cell => {
    const span = cell.colSpan || 1;
    const isColumnHeader = cell.tagName === 'TH' && (cell.scope === 'col' ||
      (!cell.scope && row.parentElement.tagName === 'THEAD'));
    if (isColumnHeader) for (let i = 0; i < span; i++) columnHeaders[column + i] = text(cell);
    const rowHeader = [...row.cells].find(c => c.tagName === 'TH' && c.scope === 'row');
    cells.push({row: r + 1, column: column + 1, text: text(cell),
                kind: isColumnHeader ? 'column header' : cell.tagName === 'TH' ? 'row header' : 'cell',
                rowHeader: rowHeader && rowHeader !== cell ? text(rowHeader) : '',
                columnHeader: ''});
    column += span;
  });
});
for (const cell of cells) {
  if (cell.kind !== 'column header') cell.columnHeader = columnHeaders[cell.column - 1] || '';
}
const caption = table.caption ? text(table.caption) : '';
return {caption, rows: rows.length, columns: columnHeaders.length, cells};
"""


def table_cells(driver, index: int = 0) -> list[str] | None:
    """The phrases heard moving through the `index`th table of main cell by cell, row by row
    (Ctrl+Alt+Right and Down in NVDA); None when the page has no such table."""
    table = driver.execute_script(_CELLS, index)
    if table is None:
        return None
    spoken = [f"table, {table['caption']}, {table['rows']} rows, {table['columns']} columns"]
    row = None
    for cell in table["cells"]:
        parts = [f"row {cell['row']}"] if cell["row"] != row else []
        if cell["row"] != row and cell["rowHeader"]:
            parts.append(cell["rowHeader"])
        parts.append(f"column {cell['column']}")
        if cell["columnHeader"]:
            parts.append(cell["columnHeader"])
        parts.append(f"{cell['kind']}, {cell['text']}" if cell["kind"] != "cell"
                     else cell["text"])
        spoken.append(", ".join(parts))
        row = cell["row"]
    return spoken


def table_column(driver, column: int = 2, index: int = 0) -> list[str] | None:
    """The phrases heard moving down one column of the `index`th table of main
    (Ctrl+Alt+Down in NVDA): each new row's header, then the cell."""
    table = driver.execute_script(_CELLS, index)
    if table is None:
        return None
    cells = [c for c in table["cells"] if c["column"] == column]
    if not cells:
        return None
    spoken = []
    for cell in cells:
        parts = [f"row {cell['row']}"] + ([cell["rowHeader"]] if cell["rowHeader"] else [])
        parts.append(f"{cell['kind']}, {cell['text']}" if cell["kind"] != "cell" else cell["text"])
        spoken.append(", ".join(parts))
    return spoken


# --- the keyboard: every Tab stop from the top -------------------------------------------

_FOCUSED = """
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
el.scrollIntoView({block: 'nearest'});
const r = el.getBoundingClientRect();
const s = getComputedStyle(el);
const visible = r.width >= 1 && r.height >= 1 && r.bottom > 0 && r.right > 0 &&
  r.top < innerHeight && r.left < innerWidth && s.visibility !== 'hidden' &&
  parseFloat(s.opacity) > 0 && !(s.clipPath && s.clipPath.startsWith('inset(100%'));
// Focus is shown when focusing changes how the element looks: an outline, a shadow, the
// colours or the border (the size and contrast of the outline are test_a11y.py's).
const look = () => { const c = getComputedStyle(el);
  return [c.outlineStyle, c.outlineWidth, c.outlineColor, c.boxShadow, c.backgroundColor,
          c.color, c.borderColor, c.textDecorationLine].join('|'); };
const focusedLook = look();
el.blur();
const blurredLook = look();
el.focus({preventScroll: true});
const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
const changed = focusedLook !== blurredLook;
let path = el.tagName.toLowerCase();
if (el.id && !el.id.startsWith('pf')) path += '#' + el.id;  // Pagefind's ids are random
else if (el.className && typeof el.className === 'string')
  path += '.' + el.className.trim().split(/\\s+/)[0];
return {path, visible, focus: outline || changed};
"""


def focused_name(driver) -> tuple[str, str]:
    """The focused element's role and accessible name, from Chromium's accessibility tree."""
    result = driver.execute_cdp_cmd("Runtime.evaluate", {"expression": "document.activeElement"})
    object_id = result["result"]["objectId"]
    nodes = driver.execute_cdp_cmd("Accessibility.getPartialAXTree",
                                   {"objectId": object_id, "fetchRelatives": False})["nodes"]
    node = next((n for n in nodes if not n.get("ignored")), nodes[0] if nodes else {})
    return _value(node, "role"), _value(node, "name")


def tab_through(driver, limit: int = 600) -> list[dict]:
    """Every stop of Tab from the top of the page until focus leaves it or comes back to the
    first stop: path, role, accessible name, whether it is shown and shows focus."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    driver.execute_script("document.activeElement && document.activeElement.blur();"
                          "window.scrollTo(0, 0)")
    stops: list[dict] = []
    for _ in range(limit):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        state = driver.execute_script(_FOCUSED)
        if state is None or (stops and state["path"] == stops[0]["path"]):
            return stops
        state["role"], state["name"] = focused_name(driver)
        stops.append(state)
    stops.append({"path": "(trap)", "role": "", "name": f"no end after {limit} stops",
                  "visible": False, "focus": False})
    return stops
