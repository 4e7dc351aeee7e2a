"""Safe YAML loading for front matter and settings, with line numbers and no retyping.

PyYAML's YAML 1.1 resolver turns Danish data into other types (`no` → False, `12:30` → 750,
`0700` → 448) and silently keeps the last of two duplicate keys (shared/guides/publishing.md
§ 4.4). We compose the node tree and keep every scalar as the text the author wrote; the
typed field readers in `schema.py` decide what a value means. Used by `parse.py` and
`config.py`.
"""
from __future__ import annotations

import yaml

from .i18n import _
from .problems import ContentError, Problems

MAX_DEPTH = 12          # front matter is shallow; deeper is a mistake, not data
MAX_NODES = 20_000      # bounds alias expansion ("billion laughs")


class YDict(dict):
    """A mapping that remembers the file line of each key."""
    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}


class YList(list):
    """A sequence that remembers the file line of each item."""
    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.lines: list[int] = []


class _Walker:
    def __init__(self, path: str, offset: int, problems: Problems):
        self.path, self.offset, self.problems = path, offset, problems
        self.nodes = 0

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def fail(self, node: yaml.Node, code: str, message: str):
        self.problems.error(self.path, self.line(node), code, message)
        raise ContentError(message)

    def convert(self, node: yaml.Node, depth: int = 0):
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            self.fail(node, "yaml-too-deep",
                      f"the data is nested more than {MAX_DEPTH} levels deep or is too large; "
                      "simplify it")
        if isinstance(node, yaml.ScalarNode):
            if node.style is None and node.value in ("", "~", "null", "Null", "NULL"):
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            items = YList(self.line(node))
            for child in node.value:
                items.append(self.convert(child, depth + 1))
                items.lines.append(self.line(child))
            return items
        mapping = YDict(self.line(node))
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "yaml-key", "a key must be a plain word, not a list or mapping")
            key = key_node.value
            if key in mapping:
                self.fail(key_node, "duplicate-key",
                          f"the key '{key}' appears twice (first on line {mapping.lines[key]}); "
                          "keep one of them")
            mapping.lines[key] = self.line(key_node)
            mapping[key] = self.convert(value_node, depth + 1)
        return mapping


# libyaml (PyYAML's C loader) composes ten times faster; its error messages are terser, so a
# document it refuses is read again by the Python loader, whose messages authors see.
_FAST_LOADER = getattr(yaml, "CBaseLoader", None)


def _compose(text: str):
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except (yaml.YAMLError, RecursionError):
            pass
    return yaml.compose(text, Loader=yaml.BaseLoader)


def load_yaml(text: str, path: str, line_offset: int, problems: Problems):
    """Return the YAML document as YDict/YList/str/None; record a problem and raise
    ContentError when it cannot be read. `line_offset` is the file line before the YAML text.

    Problem codes: yaml-syntax, yaml-too-deep, yaml-key, duplicate-key.
    """
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        detail = (exc.problem or exc.context or "cannot read this").strip()
        if exc.context and exc.context_mark and exc.problem_mark \
                and exc.context_mark.line != exc.problem_mark.line:
            detail += f" ({exc.context} started on line {exc.context_mark.line + 1 + line_offset})"
        problems.error(path, line, "yaml-syntax",
                       _("the YAML cannot be read: {detail}; check indentation, colons and quotes").format(detail=detail))
        raise ContentError(detail) from None
    except yaml.YAMLError as exc:
        problems.error(path, line_offset + 1, "yaml-syntax", _("the YAML cannot be read: {exc}").format(exc=exc))
        raise ContentError(str(exc)) from None
    except RecursionError:
        problems.error(path, line_offset + 1, "yaml-too-deep",
                       _("the data is nested too deeply to read; simplify it"))
        raise ContentError(_("too deep")) from None
    if node is None:
        return None
    return _Walker(path, line_offset, problems).convert(node)
