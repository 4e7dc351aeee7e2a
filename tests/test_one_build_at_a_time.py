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

from helpers import FIXED_TODAY_EPOCH, ROOT, SITES, clean_build, run_cli, tree_snapshot

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


@pytest.mark.parametrize("step", ["link_reused", "publish", "switch"])
def test_a_second_build_waits_and_the_folder_holds_one_whole_site(tmp_path, step):
    site = _site(tmp_path)
    assert run_cli(cwd=site).returncode == 0                  # a site published before
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text() + "\nFørste udgave.\n")
    first_site = clean_build(site, tmp_path, "first")
    gate = tmp_path / "go-on"
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(FIXED_TODAY_EPOCH))
    first = subprocess.Popen([sys.executable, "-c", SLOWED.format(root=str(ROOT)), step,
                              str(gate)], cwd=site, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    assert first.stdout.readline().strip() == "PAUSED"       # inside publishing now
    page.write_text(page.read_text() + "\nAnden udgave.\n")
    second_site = clean_build(site, tmp_path, "second")
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


# build.py, held at the start of a function given as module:name until a file appears.
HELD = """
import importlib, sys, time, pathlib
sys.path.insert(0, {root!r})
module, name = sys.argv[1].split(":")
gate = pathlib.Path(sys.argv[2])
module = importlib.import_module(module)
original = getattr(module, name)
def held(*args, **kwargs):
    print("PAUSED", flush=True)
    while not gate.exists():
        time.sleep(0.05)
    return original(*args, **kwargs)
setattr(module, name, held)
from site_gen.cli import main
sys.argv = ["build.py"]
sys.exit(main())
"""


@pytest.mark.parametrize("where, removed", [
    ("site_gen.parse:read_site", "content/testby/politik/index.md"),
    ("site_gen.write:copy_assets", "content/testby/politik/kort.png"),
])
def test_a_file_deleted_during_the_build_is_named_and_nothing_is_published(tmp_path, where,
                                                                           removed):
    """Issue 31: a file removed while the site is built ended in exit 2 and "No such file or
    directory", as if the machine were broken; now the file is named (exit 1) and the
    published site stays as it was."""
    site = _site(tmp_path)
    assert run_cli(cwd=site).returncode == 0
    published = tree_snapshot(site / "public")
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text() + "\nEn ny sætning.\n")
    picture = site / "content/testby/politik/kort.png"
    picture.write_bytes(picture.read_bytes() + b"\0")   # new bytes: copied, not reused
    gate = tmp_path / "go-on"
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(FIXED_TODAY_EPOCH))
    build = subprocess.Popen([sys.executable, "-c", HELD.format(root=str(ROOT)), where,
                              str(gate)], cwd=site, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    assert build.stdout.readline().strip() == "PAUSED"
    (site / removed).unlink()
    gate.touch()
    out, err = build.communicate(timeout=120)
    assert build.returncode == 1, out + err
    assert f"{removed}: fejl: " in out and "[changed-during-build]" in out, out + err
    assert "Traceback" not in err
    assert tree_snapshot(site / "public") == published
