"""The pictogram registry of easy-read pages (layouts/pictograms.yaml): one picture per idea.

`![](billede:bolig)` in Markdown becomes the registered picture. The files come from the
OpenMoji npm package (CC BY-SA 4.0) and are copied into layouts/assets/pictograms/ by
`python -m site_gen.pictograms openmoji-17.0.0.tgz` (the Makefile's `pictograms` target).
"""
from __future__ import annotations

import os
import shutil
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

from .i18n import _
from . import schema
from .problems import ContentError, Problems
from .schema import Field
from .textfile import read_text
from .yamlsafe import YDict, load_yaml

REGISTRY = "pictograms.yaml"
SCHEME = "billede:"
FOLDER = "assets/pictograms"


@dataclass(frozen=True)
class Pictogram:
    name: str
    openmoji: str       # the OpenMoji hexcode, the file's name
    alt: str
    idea: str = ""      # the one idea it stands for, in Danish (easy-read rule: one picture, one idea)

    @property
    def url(self) -> str:
        return f"/{FOLDER}/{self.openmoji}.svg"


FIELDS = {"openmoji": Field(schema.text, required=True), "alt": Field(schema.text, required=True),
          "idea": Field(schema.text, required=True)}


def load_pictograms(layout_dirs: list[Path], display, problems: Problems) -> dict[str, Pictogram]:
    """The registry from the first layouts folder that has one; {} when none has."""
    for folder in layout_dirs:
        path = folder / REGISTRY
        if os.path.lexists(path):
            return _read(path, display(path), problems)
    return {}


def _read(path: Path, shown: str, problems: Problems) -> dict[str, Pictogram]:
    """Problem codes: those of textfile, yamlsafe and schema, and not-a-mapping."""
    try:
        read = read_text(path, shown, problems)
    except FileNotFoundError:           # a link to nothing
        problems.error(shown, None, "not-a-file", _("this link leads nowhere; replace it with the pictogram registry itself"))
        return {}
    if read is None:
        return {}
    try:
        data = load_yaml(read.text, shown, 0, problems)
    except ContentError:
        return {}
    if not isinstance(data, YDict):
        problems.error(shown, 1, "not-a-mapping", _("the pictogram registry must map names to pictures"))
        return {}
    found = {}
    for name, value in data.items():
        read = schema.mapping(FIELDS, lambda line, **v: Pictogram(name=name, **v))
        try:
            found[name] = read(value, data.lines[name])
        except schema.FieldError as exc:
            problems.error(shown, exc.line or data.lines[name], exc.code, f"'{name}': {exc}")
    return found


def refresh(tarball: Path, layouts: Path) -> None:
    """Copy the registered pictures and the licence out of the npm package tarball."""
    problems = Problems()
    registry = _read(layouts / REGISTRY, REGISTRY, problems)
    if problems.has_errors():
        sys.exit("\n".join(problems.sorted_lines()))
    target = layouts / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball) as archive:
        for picture in registry.values():
            member = archive.extractfile(f"package/color/svg/{picture.openmoji}.svg")
            (target / f"{picture.openmoji}.svg").write_bytes(member.read())
        (target / "LICENSE.txt").write_bytes(archive.extractfile("package/LICENSE.txt").read())
    print(f"copied {len(registry)} pictograms and the licence into {target}")


if __name__ == "__main__":
    refresh(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else Path("layouts"))
