"""One build at a time per output folder (issue 31): two real builds into one folder, the
first slowed at each step of publishing while the second starts; the second says it waits,
and the folder always holds one whole site, never files of both."""
from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import FIXED_TODAY_EPOCH, ROOT, SITES, run_cli, tree_snapshot

# build.py, with one step of publishing made to announce itself and wait for a file.
SLOWED = """
import sys, time, pathlib
sys.path.insert(0, {root!r})
from site_gen import write
step, gate = sys.argv[1], pathlib.Path(sys.argv[2])
holder = write.StagingWriter if hasattr(write.StagingWriter, step) else write
original = getattr(holder, step)
def slowed(*args, **kwargs):
    print("PAUSED", flush=True)
    while not gate.exists():
        time.sleep(0.05)
    return original(*args, **kwargs)
setattr(holder, step, slowed)
from site_gen.cli import main
sys.argv = ["build.py"]
sys.exit(main())
"""


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SITES / "document-features", site, ignore=shutil.ignore_patterns("expected*"))
    return site


def _clean(site: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    copy = tmp_path / name
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(
        "public", "public-server", ".site_gen-cache", ".public*"))
    assert run_cli("--no-cache", cwd=copy).returncode == 0
    return tree_snapshot(copy / "public")


@pytest.mark.parametrize("step", ["link_reused", "publish", "switch"])
def test_a_second_build_waits_and_the_folder_holds_one_whole_site(tmp_path, step):
    site = _site(tmp_path)
    assert run_cli(cwd=site).returncode == 0                  # a site published before
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text() + "\nFørste udgave.\n")
    first_site = _clean(site, tmp_path, "first")
    gate = tmp_path / "go-on"
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(FIXED_TODAY_EPOCH))
    first = subprocess.Popen([sys.executable, "-c", SLOWED.format(root=str(ROOT)), step,
                              str(gate)], cwd=site, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    assert first.stdout.readline().strip() == "PAUSED"       # inside publishing now
    page.write_text(page.read_text() + "\nAnden udgave.\n")
    second_site = _clean(site, tmp_path, "second")
    second = subprocess.Popen([sys.executable, str(ROOT / "build.py")], cwd=site, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The second build says at once that it waits, and does: it has not ended 3 s later.
    ready, _, _ = select.select([second.stderr], [], [], 60)
    said = second.stderr.readline() if ready else ""
    assert "venter" in said, said
    time.sleep(3)
    assert second.poll() is None, "the second build did not wait"
    gate.touch()
    assert first.wait(timeout=120) == 0, first.stdout.read()
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, out + err
    published = tree_snapshot(site / "public")
    assert published == second_site, "the folder holds a mixed site"
    assert published != first_site
