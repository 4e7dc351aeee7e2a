"""`make editor`: copy Decap CMS's built files from its npm package into
site_gen/editor/decap/ (issue 27). Only what the browser loads is kept: the bundle, the
chunks it loads on demand and its WebAssembly files, with the licence; source maps and the
package's second copy of every file under the old name `cms.js` are left out.

    python -m site_gen.editor.vendor decap-cms-3.16.3.tgz site_gen/editor/decap
"""
from __future__ import annotations

import json
import re
import sys
import tarfile
from pathlib import Path

KEEP = re.compile(r"package/dist/((?:\d+\.)?decap-cms\.js|[0-9a-f]+\.wasm)")


def vendor(package: Path, target: Path) -> list[str]:
    written = []
    with tarfile.open(package) as archive:
        members = {m.name: m for m in archive.getmembers() if m.isfile()}
        meta = json.loads(archive.extractfile(members["package/package.json"]).read())
        wanted = [name for name in members if KEEP.fullmatch(name)]
        if "package/dist/decap-cms.js" not in wanted:
            raise SystemExit(f"{package}: no dist/decap-cms.js: not a Decap CMS package")
        target.mkdir(parents=True, exist_ok=True)
        for old in target.iterdir():
            if old.is_file():
                old.unlink()
        for name in sorted(wanted):
            data = archive.extractfile(members[name]).read()
            (target / Path(name).name).write_bytes(data)
            written.append(Path(name).name)
    (target / "VERSION").write_text(
        f"{meta['name']} {meta['version']} ({meta.get('license', '?')}), from the npm "
        f"registry by `make editor`; see https://github.com/decaporg/decap-cms\n",
        encoding="utf-8")
    return written


if __name__ == "__main__":
    files = vendor(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{len(files)} files in {sys.argv[2]}")
