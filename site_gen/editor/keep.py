"""What the browser editor saves keeps what the author wrote around it (issue 27).

Decap CMS writes a file's YAML anew from its values: the comments (the optional keys that
`build.py new` and `init` list as Danish comments, an author's own notes), the key order and
the way a long text is folded would be gone after the first save. Here the values Decap sent
are written into the file as it was, with ruamel.yaml's round trip: a value that did not
change keeps its node, comments and style; a changed one is replaced; a key Decap left out
is removed; a new one is added at the end. A file whose YAML cannot be read is written as
Decap sent it (the build names its problems).
"""
from __future__ import annotations

import io
import re

FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.S | re.M)


def _yaml():
    from ruamel.yaml import YAML
    yaml = YAML(typ="rt")
    yaml.width = 4096                  # a changed text is one line; unchanged ones keep theirs
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _plain(value):
    """A value as plain Python, to compare what Decap sent with what the file held."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if type(value).__name__ == "date" else value.isoformat()
    return value if value is None or isinstance(value, (bool, int, float)) else str(value)


def _merge(old, new):
    """`old` (ruamel's node) updated to hold `new`'s values, in place where it can be."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            if key in old:
                if _plain(old[key]) != _plain(value):
                    old[key] = _merge(old[key], value)
            else:
                old[key] = value
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        for index, value in enumerate(new[:len(old)]):
            if _plain(old[index]) != _plain(value):
                old[index] = _merge(old[index], value)
        del old[len(new):]
        old.extend(new[len(old):])
        return old
    return new


def keep_yaml(old_text: str, new_text: str) -> str:
    yaml = _yaml()
    try:
        old = yaml.load(old_text)
        new = yaml.load(new_text)
    except Exception:                  # ruamel raises many kinds; the build names the problem
        return new_text
    if old is None or new is None or not isinstance(new, (dict, list)):
        return new_text
    merged = _merge(old, new)
    if isinstance(merged, list):       # a list at the top (the glossary): '- term:' at column 0
        yaml.indent(mapping=2, sequence=2, offset=0)
        merged.fa.set_block_style()
    out = io.StringIO()
    yaml.dump(merged, out)
    return out.getvalue()


def keep_front_matter(old_text: str, new_text: str) -> str:
    """A page: the front matter merged into the old one, the body as Decap sent it."""
    old, new = FRONT.match(old_text), FRONT.match(new_text)
    if old is None or new is None:
        return new_text
    front = keep_yaml(old.group(1), new.group(1))
    return f"---\n{front}---\n{new_text[new.end():]}"


def as_mapping(text: str, key: str) -> str:
    """A file whose YAML is a list (the glossary), as Decap can edit it: {key: [...]}."""
    import yaml as pyyaml
    try:
        items = pyyaml.safe_load(text) or []
    except pyyaml.YAMLError:
        items = []
    if not isinstance(items, list):
        items = []
    return pyyaml.safe_dump({key: items}, allow_unicode=True, sort_keys=False)


def from_mapping(old_text: str, sent: str, key: str) -> str:
    """What Decap sent for such a file, as the list it is, merged into the file as it was."""
    import yaml as pyyaml
    items = (pyyaml.safe_load(sent) or {}).get(key) or []
    new_text = pyyaml.safe_dump(items, allow_unicode=True, sort_keys=False)
    return keep_yaml(old_text, new_text) if old_text.strip() else new_text
