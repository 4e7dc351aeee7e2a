"""Where the system cannot swap two folders in one call (no renameat2 RENAME_EXCHANGE: NFS,
CIFS, some overlay file systems), the output is site_gen's link to the site's current
version, replaced in one rename (issue 31). Builds are forced onto that path here, and a
real build is killed at each of its steps: the output is never missing (but for the one
moment the first such build turns a real folder into the link, which the next build
repairs), always one whole site, and the next build leaves nothing behind."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import FIXED_TODAY_EPOCH, ROOT, SITES, clean_build, run_cli, tree_snapshot
from site_gen import write

# build.py on a system without RENAME_EXCHANGE, held (until killed) at one step.
FORCED = """
import os, sys, time
sys.path.insert(0, {root!r})
from site_gen import write
write._exchange = lambda first, second: False
step, out = sys.argv[1], os.path.abspath(sys.argv[2])

def hold():
    print("PAUSED", flush=True)
    time.sleep(600)

def held(name, when):
    original = getattr(os, name)
    def call(*args, **kwargs):
        if when(*[os.fspath(a) if isinstance(a, os.PathLike) else a for a in args]):
            hold()
        return original(*args, **kwargs)
    setattr(os, name, call)

if step == "version-made":               # the new version is beside the output, no link yet
    held("symlink", lambda *a: True)
elif step == "link-made":                # the new link exists, not yet in place
    held("replace", lambda src, dst, *a: dst == out)
elif step == "old-aside":                # the first switch: the real folder set aside
    held("rename", lambda src, dst, *a: dst == out and "-link-" in src)
elif step == "switched":                 # the new version in place, the old not removed
    original = write._remove_old
    write._remove_old = lambda *a: (hold(), original(*a))
from site_gen.cli import main
sys.argv = ["build.py", "--out", out]
sys.exit(main())
"""


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SITES / "document-features", site, ignore=shutil.ignore_patterns("expected*"))
    return site


def _edit(site: Path, text: str) -> None:
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def _forced(site: Path, step: str = "none") -> subprocess.Popen:
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(FIXED_TODAY_EPOCH))
    return subprocess.Popen([sys.executable, "-c", FORCED.format(root=str(ROOT)), step,
                             str(site / "public")], cwd=site, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _beside(site: Path) -> list[str]:
    """What lies beside the output, versions named by their kind only."""
    names = []
    for path in sorted(site.iterdir()):
        if path.name.startswith(".public-site-"):
            names.append(".public-site-*")
        elif path.name.startswith(".public"):
            names.append(path.name)
    return names


def test_without_a_folder_swap_each_build_replaces_the_link_and_leaves_nothing(tmp_path):
    site = _site(tmp_path)
    for number in range(3):
        _edit(site, f"Udgave {number}.")
        built = _forced(site)
        out, err = built.communicate(timeout=120)
        assert built.returncode == 0, out + err
        assert tree_snapshot(site / "public") == clean_build(site, tmp_path, f"clean-{number}")
        if number:                     # the first build made a real folder; later: the link
            assert write.is_version_link(site / "public")
            assert _beside(site) == [".public-site-*", ".public.site_gen-lock"]
    # A normal build (with the swap) on a link keeps replacing the link.
    _edit(site, "Med ombytning.")
    assert run_cli(cwd=site).returncode == 0
    assert write.is_version_link(site / "public")
    assert tree_snapshot(site / "public") == clean_build(site, tmp_path, "clean-swap")
    assert _beside(site) == [".public-site-*", ".public.site_gen-lock"]


def _killed_at(site: Path, step: str) -> None:
    """A build that pauses at `step` of the switch, killed there."""
    build = _forced(site, step)
    assert build.stdout.readline().strip() == "PAUSED"
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=30)


@pytest.mark.parametrize("step", ["version-made", "link-made", "switched"])
def test_a_build_killed_at_any_step_of_the_link_switch_leaves_a_whole_site(tmp_path, step):
    site = _site(tmp_path)
    for number in range(2):            # a real folder, then the link
        _edit(site, f"Udgave {number}.")
        assert _forced(site).wait(timeout=120) == 0
    assert write.is_version_link(site / "public")
    before = tree_snapshot(site / "public")
    _edit(site, "Den nye udgave.")
    after = clean_build(site, tmp_path, "new")
    _killed_at(site, step)
    published = tree_snapshot(site / "public")
    assert published == (after if step == "switched" else before), "not one whole site"
    # The next build puts the new site in place and removes what the killed one left.
    again = _forced(site)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, out + err
    assert tree_snapshot(site / "public") == after
    assert _beside(site) == [".public-site-*", ".public.site_gen-lock"]


@pytest.mark.parametrize("step", ["version-made", "old-aside"])
def test_the_first_link_switch_killed_is_repaired_by_the_next_build(tmp_path, step):
    """The one moment without an output: the real folder set aside, the link not yet in
    its place. The next build puts the new site's link there (or, before it was made, the
    old folder back) before anything else."""
    site = _site(tmp_path)
    _edit(site, "Udgave 0.")
    assert _forced(site).wait(timeout=120) == 0
    assert not (site / "public").is_symlink()
    before = tree_snapshot(site / "public")
    _edit(site, "Den nye udgave.")
    after = clean_build(site, tmp_path, "new")
    _killed_at(site, step)
    if step == "version-made":
        assert tree_snapshot(site / "public") == before
    else:
        assert not os.path.lexists(site / "public")          # the moment the README names
    again = _forced(site)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, out + err
    assert tree_snapshot(site / "public") == after
    assert write.is_version_link(site / "public")
    assert _beside(site) == [".public-site-*", ".public.site_gen-lock"]
