"""Site search: Pagefind (from PyPI) indexes the written pages in the staging folder, before
it is swapped in, so search and pages always match (issue 6). Pagefind stems Danish and
ships the accessible Component UI that layouts/search.html uses."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .workers import die_with_parent


class SearchError(OSError):
    """Pagefind is missing or failed: an environment problem, not the author's."""


def index_site(folder: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600,
                                preexec_fn=die_with_parent)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchError(f"the search index could not be built: {exc}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise SearchError("the search index could not be built (pagefind): "
                          + (detail[-1] if detail else f"exit status {result.returncode}"))
