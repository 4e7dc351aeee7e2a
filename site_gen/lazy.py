"""Modules imported when first used (issue 15): a build where nothing changed needs only the
settings, discovery and the memo, and importing Jinja, markdown-it-py and every check was a
third of its time. `render = lazy("site_gen.render")` reads like an import; the module is
imported at the first attribute taken from it, and is then the real module in sys.modules
(pickle, tests and every other importer see the one module)."""
from __future__ import annotations

import importlib
import types


class _Lazy(types.ModuleType):
    def __getattr__(self, name: str):
        module = importlib.import_module(self.__name__)
        self.__dict__.update(module.__dict__)       # later lookups skip this method
        return getattr(module, name)


def lazy(name: str) -> types.ModuleType:
    """The module `name` (absolute: 'site_gen.render'), imported when first used."""
    return _Lazy(name)
