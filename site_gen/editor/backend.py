"""The browser editor's backend (issue 27): Decap CMS's proxy protocol (the actions of its
own `decap-server` in file-system mode), answered by the preview itself, so that nothing
runs beside `build.py --serve`.

It reads and writes only inside the content folder: a path that is absolute, climbs out
(`..`), holds a NUL or a backslash, passes through a symbolic link or names something other
than a document's page or a picture of its folder is refused with a Danish message. Every
write goes through the build's own atomic write (write.write_atomically), on the disk before
it replaces the old file; a deleted file is moved to the project's `.site_gen-slettet/`
folder, never removed. Who may call it (the preview's own origin and Host, the session's
token) is checked by serve.py before a request reaches `Backend.handle`.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import operator
import os
import stat
from pathlib import Path, PurePosixPath

from ..i18n import _
from ..config import SETTINGS_FILE
from ..schema import IMAGE_SUFFIXES, SLUG
from ..write import write_atomically
from ..glossary import GLOSSARY_FILE
from .keep import as_mapping, from_mapping, keep_front_matter, keep_yaml

PAGE_NAMES = ("index.md", "index.easy-read.md")
MEDIA_LIMIT = 20 * 1024 * 1024          # bytes of one picture
DELETED = ".site_gen-slettet"           # where a file deleted in the editor is kept
GLOSSARY_KEY = "terms"                  # the glossary's list, as the editor sees it


class Refused(Exception):
    """A request the backend will not carry out; the message says why, in Danish."""
    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status


class Backend:
    def __init__(self, content_dir: Path, saved=None):
        self.content = content_dir.resolve()
        self.project = self.content.parent
        self.prefix = self.content.name            # paths arrive as 'content/...'
        self.saved = saved or (lambda paths: None)   # told of every file written

    # --- paths ---------------------------------------------------------------------------
    def inside(self, raw, *, kind: str = "any") -> tuple[str, Path]:
        """The path below content/ that `raw` ('content/glostrup/x/index.md') names, and the
        file; refused unless it is inside the content folder without a link on the way.
        `kind`: 'page' (a document's index.md or index.easy-read.md), 'media' (a picture in a
        document's folder), 'folder' or 'any'."""
        if not isinstance(raw, str) or not raw or "\0" in raw or "\\" in raw:
            raise Refused(_("The editor sent a path site_gen cannot use."), 400)
        path = PurePosixPath(raw)
        if path.is_absolute() or raw.startswith("~"):
            raise Refused(_("The editor may only use files in the content folder, not '{path}'.")
                          .format(path=raw))
        parts = path.parts
        if ".." in parts or not parts or parts[0] != self.prefix:
            raise Refused(_("The editor may only use files in the content folder, not '{path}'.")
                          .format(path=raw))
        inner = parts[1:]
        if any(part.startswith(".") for part in inner):
            raise Refused(_("The editor may not use hidden files ('{path}').").format(path=raw))
        in_a_document = len(inner) == 3 and all(SLUG.fullmatch(p) for p in inner[:2])
        if kind == "page" and inner not in ((SETTINGS_FILE,), (GLOSSARY_FILE,)) and not (
                in_a_document and inner[2] in PAGE_NAMES):
            raise Refused(_("'{path}' is not a document's page: a page is "
                            "content/<municipality>/<folder>/index.md (or index.easy-read.md), "
                            "with a-z, 0-9 and hyphens in the folder names.").format(path=raw))
        if kind == "media" and not (in_a_document
                                    and inner[2].lower().endswith(IMAGE_SUFFIXES)):
            raise Refused(_("Put pictures in the document's own folder: open the document and "
                            "add the picture there ('{path}' is not a picture in a document's "
                            "folder; pictures are .svg, .png, .jpg or .webp).").format(path=raw))
        for current in itertools.accumulate(inner, operator.truediv,
                                            initial=self.project / self.prefix):
            try:
                mode = os.lstat(current).st_mode
            except FileNotFoundError:
                break                                  # the rest does not exist yet
            except OSError:
                raise Refused(_("'{path}' cannot be read.").format(path=raw))
            if stat.S_ISLNK(mode):
                raise Refused(_("'{path}' goes through a symbolic link; the editor uses only "
                                "the content folder's own files.").format(path=raw))
        target = self.content.joinpath(*inner)
        return "/".join(inner), target

    # --- the actions ---------------------------------------------------------------------
    def handle(self, body) -> dict | list | None:
        if not isinstance(body, dict) or not isinstance(body.get("params", {}), dict):
            raise Refused(_("The editor sent a request site_gen cannot read."), 400)
        action, params = body.get("action"), body.get("params") or {}
        method = getattr(self, f"_{action}", None) if isinstance(action, str) else None
        if method is None or action.startswith("_"):
            raise Refused(_("The editor asked for something site_gen does not do ('{action}')."
                            ).format(action=action), 422)
        return method(params)

    def _info(self, params):
        return {"repo": self.project.name, "publish_modes": ["simple"], "type": "local_fs"}

    def _entriesByFolder(self, params):
        relative, folder = self.inside(params.get("folder"), kind="folder")
        extension = params.get("extension") or "md"
        wanted = f"index.{extension}"
        if wanted not in PAGE_NAMES or not folder.is_dir():
            return []
        found = []
        for document in sorted(folder.iterdir()):
            page = document / wanted
            if document.name.startswith(".") or document.is_symlink() or \
                    not page.is_file() or page.is_symlink():
                continue
            found.append(self._entry(f"{self.prefix}/{relative}/{document.name}/{wanted}"))
        return found

    def _entriesByFiles(self, params):
        return [self._entry(item.get("path"), item.get("label"))
                for item in params.get("files") or [] if isinstance(item, dict)]

    def _getEntry(self, params):
        return self._entry(params.get("path"))

    def _entry(self, raw, label=None) -> dict:
        relative, target = self.inside(raw)
        try:
            data = target.read_bytes()
        except OSError:
            return {"data": None, "file": {"path": raw, "label": label, "id": None}}
        text = data.decode("utf-8", "replace")
        if relative == GLOSSARY_FILE:       # a list: Decap edits a mapping (keep.as_mapping)
            text = as_mapping(text, GLOSSARY_KEY)
        return {"data": text,
                "file": {"path": raw, "label": label, "id": hashlib.sha256(data).hexdigest()}}

    def _persistEntry(self, params):
        files = params.get("dataFiles") or ([params["entry"]] if params.get("entry") else [])
        writes = []
        for data_file in files:
            if not isinstance(data_file, dict) or not isinstance(data_file.get("raw"), str):
                raise Refused(_("The editor sent a document site_gen cannot read."), 400)
            if data_file.get("newPath"):
                raise Refused(_("Moving a document to another folder is not done in the "
                                "editor: its address would change. Make a new document "
                                "instead."), 422)
            relative, target = self.inside(data_file.get("path"), kind="page")
            text = data_file["raw"]
            try:
                old = target.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                old = None
            if old is not None:          # the author's comments and layout stay (keep.py)
                text = keep_yaml(old, text) if relative == SETTINGS_FILE \
                    else from_mapping(old, text, GLOSSARY_KEY) if relative == GLOSSARY_FILE \
                    else keep_front_matter(old, text)
            elif relative == GLOSSARY_FILE:
                text = from_mapping("", text, GLOSSARY_KEY)
            writes.append((relative, text.encode("utf-8")))
        for asset in params.get("assets") or []:
            writes.append(self._media(asset))
        for relative, data in writes:
            write_atomically(self.content, relative, data, durable=True)
        self.saved([self.content / relative for relative, _ in writes])
        return {"message": "entry persisted"}

    def _media(self, asset) -> tuple[str, bytes]:
        if not isinstance(asset, dict) or asset.get("encoding") != "base64":
            raise Refused(_("The editor sent a picture site_gen cannot read."), 400)
        relative, _target = self.inside(asset.get("path"), kind="media")
        try:
            data = base64.b64decode(asset.get("content") or "", validate=True)
        except ValueError:
            raise Refused(_("The editor sent a picture site_gen cannot read."), 400)
        if len(data) > MEDIA_LIMIT:
            raise Refused(_("The picture is larger than 20 MB; make it smaller first."), 413)
        return relative, data

    def _getMedia(self, params):
        relative, folder = self.inside(params.get("mediaFolder"), kind="folder")
        if not folder.is_dir():
            return []
        return [self._media_file(f"{self.prefix}/{relative}/{item.name}")
                for item in sorted(folder.iterdir())
                if item.is_file() and not item.is_symlink() and not item.name.startswith(".")
                and item.name.lower().endswith(IMAGE_SUFFIXES)]

    def _getMediaFile(self, params):
        return self._media_file(params.get("path"))

    def _media_file(self, raw) -> dict:
        _relative, target = self.inside(raw)
        try:
            data = target.read_bytes()
        except OSError:
            raise Refused(_("'{path}' cannot be read.").format(path=raw), 404)
        return {"id": hashlib.sha256(data).hexdigest(), "content": base64.b64encode(data).decode(),
                "encoding": "base64", "path": raw, "name": target.name}

    def _persistMedia(self, params):
        relative, data = self._media(params.get("asset"))
        write_atomically(self.content, relative, data, durable=True)
        self.saved([self.content / relative])
        return self._media_file(f"{self.prefix}/{relative}")

    def _deleteFile(self, params):
        self._delete([params.get("path")])
        return {"message": "deleted"}

    def _deleteFiles(self, params):
        self._delete(params.get("paths") or [])
        return {"message": "deleted"}

    def _delete(self, raws) -> None:
        """Move each file to .site_gen-slettet/<time>/, where the author can take it back."""
        moved, stamp = [], dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
        for raw in raws:
            relative, target = self.inside(raw)
            if not target.is_file():
                continue
            kept = self.project / DELETED / stamp / relative
            kept.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, kept)
            moved.append(target)
        self.saved(moved)

    def _getDeployPreview(self, params):
        return None
