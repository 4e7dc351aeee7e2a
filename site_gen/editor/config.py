"""The browser editor's configuration (issue 27), made from the one declaration of the front
matter (`model.FrontMatter`), the `:::` blocks (`markdown.blocks.BLOCKS`) and site.yaml's
municipalities; never written by hand, so the editor cannot drift from what the build reads.

`editor_settings(config)` returns what /admin/settings.json serves: Decap CMS's own
configuration (`decap`), the editor components for the blocks and for images (`components`)
and the words site_gen's own parts of the editor show (`words`), all in the editor's language
(Danish first). Each front matter key becomes a field with its label, its one line of help,
its widget and whether it is required; a key with no field says where it is instead
(`PLACED`), and tests/test_editor.py fails on a key, a block or a status without a place.
"""
from __future__ import annotations

from dataclasses import fields

from .. import schema
from ..i18n import N_, _, language
from ..markdown.blocks import BLOCKS
from ..model import DOCUMENT_KINDS, RELATIONS, STATUSES, FrontMatter

API = "/admin/api/v1"
LAST_GOOD = "sidste-gode"               # serve.py's ?sidste-gode: the last good page                   # the preview's backend for Decap's proxy backend
EASY_READ_SUFFIX = "-letlaest"          # collection name of a municipality's easy-read pages
# Where a key without a field of its own is in the editor.
PLACED = {"folder": "the collection: each municipality's documents are a collection of their own"}
# What the form says when a value does not have the shape its reader's pattern gives.
SHAPES = {schema.date_or_month: N_("YYYY-MM-DD, or YYYY-MM"),
          schema.partial_date: N_("a year, YYYY-MM or YYYY-MM-DD"),
          schema.slug: N_("only a-z, 0-9 and hyphens")}
# A picture whose text (alt) is empty and that is not marked {.decorative}: the build's
# image-alt error (checks/images.py), refused already where the editor writes. A pictogram
# (billede:navn) has its text from pictograms.yaml.
NO_ALT = r"^(?![\s\S]*!\[\s*\]\((?!billede:)[^)]*\)(?!\{[^}]*\.decorative))[\s\S]*$"
# The `:::` block syntax each editor component reads and writes (markdown/blocks.py).
BLOCK_PATTERN = r"^::: *{name}(?: +([^\n]*))?\n([\s\S]*?)\n:::(?=\n|$)"


def _choices(options: dict) -> list[dict]:
    return [{"label": _(schema.label_of(described) or value), "value": value}
            for value, described in options.items()]


def widget(spec: schema.Field, editor: str = "") -> dict:
    """The Decap field for a key read by `spec.read` (schema.py readers describe themselves:
    a choice its options, a mapping its fields, a list its items)."""
    read, editor = spec.read, editor or spec.editor
    if editor == "hidden":
        return {"widget": "hidden"}
    if editor == "text":
        return {"widget": "text"}
    if hasattr(read, "options"):
        return {"widget": "select", "options": _choices(read.options)}
    if hasattr(read, "fields"):
        # Decap checks an empty optional object's required keys too: they are required only
        # when the object is (the build still needs a logo's file once there is a logo).
        return {"widget": "object", "collapsed": False,
                "fields": [field_of(name, sub, required=sub.required and spec.required)
                           for name, sub in read.fields.items()]}
    if hasattr(read, "item"):
        item = read.item
        if hasattr(item, "fields"):
            return {"widget": "list", "collapsed": False,
                    "fields": [field_of(name, sub) for name, sub in item.fields.items()]}
        return {"widget": "list"}
    if read is schema.date:
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD",
                "time_format": False, "picker_utc": True}
    if read in SHAPES:
        return {"widget": "string", "pattern": [f"^(?:{read.pattern})$", _(SHAPES[read])]}
    if read is schema.colour:
        return {"widget": "color", "allowInput": True}
    return {"widget": "string"}


def field_of(name: str, spec: schema.Field, editor: str = "", required: bool | None = None
             ) -> dict:
    made = {"name": name, "label": _(spec.label) if spec.label else name,
            "required": spec.required if required is None else required}
    if spec.hint:
        made["hint"] = _(spec.hint)
    made.update(widget(spec, editor))
    return made


def front_matter_fields(variant: str) -> list[dict]:
    """The fields of a standard page ('standard') or an easy-read page ('easy-read'), in
    declaration order. An easy-read page writes only its own keys: the shared ones (kind,
    status, dates, period) it inherits from its standard page (validate.py)."""
    made = []
    for declared in fields(FrontMatter):
        meta = declared.metadata
        if "field" not in meta or meta["editor"] in PLACED:
            continue
        if variant == "standard" and meta["only"] == "easy-read":
            continue
        if variant == "easy-read" and (meta["shared"] or meta["only"] not in ("", "easy-read")):
            continue
        made.append(field_of(declared.name, meta["field"], meta["editor"]))
    return made


def body_field() -> dict:
    return {"name": "body", "label": _("Text"), "widget": "markdown",
            # Markdown first: "Formateret tekst" writes the whole text anew (measured on the
            # real documents: '-' lists become '*', a tight list a loose one), so a document
            # is changed only where its author changes it.
            "modes": ["raw", "rich_text"], "editor_components": ["billede", *_component_ids()],
            "buttons": ["bold", "italic", "link", "heading-two", "heading-three",
                        "heading-four", "bulleted-list", "numbered-list"],
            "hint": _("Headings start at level 2: the title is the page's level 1."),
            "pattern": [NO_ALT, _("A picture has no text saying what it shows: write it in "
                                  "the picture's 'Text for those who cannot see the picture', "
                                  "or tick 'Decoration only' if the text already says it.")]}


def _component_ids() -> list[str]:
    return [f"blok-{name}" for name in BLOCKS]


def components() -> list[dict]:
    """The editor components: one per `:::` block, so no one types their syntax, and a
    picture whose text is required unless it is marked decoration. `pattern`, `open` and
    `label_field` are read by site_gen's script (files/site-gen-editor.js)."""
    labels = {"pejlemærke": (_("Goal"), _("Label (optional)")),
              "citat": (_("Quotation"), _("Who said it")),
              "faktaboks": (_("Fact box"), _("Heading of the box")),
              "tabel": (_("Table with caption"), _("Caption: what the table shows"))}
    made = []
    for name in BLOCKS:
        title, label_label = labels[name]
        body = _("The table, one row a line: | Column | Column |") if name == "tabel" \
            else _("Text")
        made.append({"id": f"blok-{name}", "label": title, "block": name,
                     "pattern": BLOCK_PATTERN.format(name=name),
                     "fields": [{"name": "label", "label": label_label, "widget": "string",
                                 "required": name != "pejlemærke"},
                                {"name": "text", "label": body, "widget": "text"}]})
    made.append({"id": "billede", "label": _("Picture"), "picture": True,
                 "pattern": r"^!\[([^\]]*)\]\(([^)\s]+)\)(\{\.decorative\})?",
                 "fields": [{"name": "src", "label": _("Picture"), "widget": "image"},
                            {"name": "alt", "label": _("Text for those who cannot see the "
                                                       "picture"), "widget": "string",
                             "required": False,
                             "hint": _("Say what the picture shows that the text does not.")},
                            {"name": "decorative", "label": _("Decoration only"),
                             "widget": "boolean", "required": False,
                             "hint": _("Only when the text beside it already says it all.")}]})
    return made


def collections(config) -> list[dict]:
    """Two collections a municipality: its documents and their easy-read pages, both in
    content/<municipality>/<folder>/ (index.md, index.easy-read.md)."""
    made = []
    for key, municipality in config.municipalities.items():
        folder = f"content/{key}"
        common = {"folder": folder, "format": "frontmatter", "path": "{{slug}}/index",
                  "media_folder": "", "public_folder": "", "slug": "{{slug}}",
                  "sortable_fields": ["title"], "summary": "{{title}}"}
        made.append({**common, "name": key, "label": municipality.name,
                     "label_singular": _("document"), "extension": "md", "create": True,
                     "description": _("The documents of {name}. An easy-read page is made "
                                      "from its document's page.").format(
                                          name=municipality.name),
                     "fields": front_matter_fields("standard") + [body_field()]})
        made.append({**common, "name": key + EASY_READ_SUFFIX,
                     "label": _("{name}: easy-read").format(name=municipality.name),
                     "label_singular": _("easy-read page"), "extension": "easy-read.md",
                     "create": False,
                     "fields": front_matter_fields("easy-read") + [body_field()]})
    return made


def settings_collection() -> dict:
    """site.yaml: the site's name, its publisher (contact, logo, colours) and the
    accessibility statement; what IT and the build own is kept as written (hidden)."""
    from ..config import SETTINGS, SETTINGS_FILE
    from ..glossary import GLOSSARY_FILE, TERM
    from .backend import GLOSSARY_KEY
    return {"name": "indstillinger", "label": _("Settings and glossary"),
            "editor": {"preview": False},
            "files": [{"name": "site", "label": _("The website's settings"),
                       "file": f"content/{SETTINGS_FILE}", "format": "yml",
                       "fields": [field_of(name, spec) for name, spec in SETTINGS.items()]},
                      {"name": "ordliste", "label": _("Glossary"),
                       "file": f"content/{GLOSSARY_FILE}", "format": "yml",
                       "fields": [{"name": GLOSSARY_KEY, "label": _("Words and abbreviations"),
                                   "widget": "list", "required": False,
                                   "summary": "{{fields.term}}",
                                   "fields": [field_of(n, f) for n, f in TERM.items()]}]}]}


def decap_config(config) -> dict:
    return {"backend": {"name": "proxy", "proxy_url": API, "branch": "main"},
            "load_config_file": False, "locale": language(),
            "publish_mode": "simple", "media_folder": "content", "public_folder": "/",
            "site_url": "/", "display_url": "/", "logo_url": "",
            "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
            "collections": collections(config) + [settings_collection()]}


def words() -> dict:
    """The words site_gen's own parts of the editor show."""
    return {"save_to_see": _("Save to see the page as the site shows it."),
            "problems": _("What the build says about this page"),
            "none": _("The build found nothing to fix on this page."),
            "building": _("Building the page ..."),
            "go_to_field": _("Go to the field"),
            "make_easy_read": _("Make the easy-read page"),
            "open_easy_read": _("Open the easy-read page"),
            "open_page": _("Open the page in a new tab"),
            "bring_in_word": _("Bring in a Word document"),
            "while_writing": _("While you write (not saved yet)"),
            "none_yet": _("The checks of the text find nothing so far."),
            "last_saved": _("The page as last saved"),
            "readability": _("Readability (LIX)"),
            "words": _("words"), "line": _("line"), "last_good": LAST_GOOD,
            "page_frame": _("The page as the site shows it"),
            "error": _("error"), "warning": _("warning"), "advice": _("advice"),
            "statuses": {value: described["label"] for value, described in STATUSES.items()},
            "kinds": dict(DOCUMENT_KINDS), "relations": {k: v[0] for k, v in RELATIONS.items()}}


def editor_settings(config) -> dict:
    return {"decap": decap_config(config), "components": components(), "words": words()}
