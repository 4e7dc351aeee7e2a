"""The write stage's promises (issue 14), tested the blunt way: real builds, real kills, a
real full disk. Nothing an author wrote is ever lost, and a failed or killed build leaves the
previous output exactly as it was."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_gen.write import LOCK_SUFFIX
from helpers import FIXED_TODAY_EPOCH, ROOT, SITES, build, run_cli, tree_snapshot

sys.path.insert(0, str(ROOT / "bench"))
from corpus import generate  # noqa: E402  (the benchmark's corpus, for a build with workers)


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SITES / "document-features", site, ignore=shutil.ignore_patterns("expected*"))
    return site


def _start(site: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(FIXED_TODAY_EPOCH))
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), *args], cwd=site,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _retitle(site: Path, title: str) -> None:
    page = site / "content/testby/politik/index.md"
    lines = page.read_text().splitlines(keepends=True)
    page.write_text("".join(f"title: {title}\n" if line.startswith("title:") else line
                            for line in lines))


@pytest.mark.parametrize("out", ["content", ".", "..", "content/testby", "content/testby/politik",
                                 "layouts", "notes.txt", "own-files"])
def test_output_folder_that_would_cost_author_files_is_refused(tmp_path, out):
    """Guarantee: no --out can delete or move an author's files (content, layouts, the
    project, a file, a folder site_gen did not make); exit 2 before anything is touched."""
    site = _site(tmp_path)
    (site / "layouts").mkdir()
    (site / "layouts/README.txt").write_text("mine")
    (site / "notes.txt").write_text("my notes")
    (site / "own-files").mkdir()
    (site / "own-files/letter.docx").write_text("a letter")
    before = tree_snapshot(tmp_path)
    result = run_cli("--out", out, cwd=site)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "build.py: fejl:" in result.stderr and "Traceback" not in result.stderr
    assert tree_snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_output_site_gen_made_or_empty_is_accepted(tmp_path):
    site = _site(tmp_path)
    (site / "empty").mkdir()
    assert run_cli("--out", "empty", cwd=site).returncode == 0
    assert (site / "empty/.site_gen").is_file()
    assert run_cli("--out", "empty", cwd=site).returncode == 0, "its own output is rebuilt"


@pytest.mark.english
def test_failed_build_leaves_previous_output_byte_for_byte(tmp_path):
    site = _site(tmp_path)
    assert run_cli(cwd=site).returncode == 0
    before = tree_snapshot(site / "public")
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text().replace("kind: policy", "kind: pollicy"))
    result = run_cli(cwd=site)
    assert result.returncode == 1
    assert "did you mean 'policy'?" in result.stdout
    assert tree_snapshot(site / "public") == before
    assert not list(site.glob(".public-*")), "no temporary folders may be left behind"


def test_successful_rebuild_removes_stale_pages(tmp_path):
    site = _site(tmp_path)
    out = tmp_path / "out"
    assert build(site, out).wrote
    (out / "stale.html").write_text("old")
    assert build(site, out).wrote
    assert not (out / "stale.html").exists()


def test_real_and_broken_builds_alternate_without_touching_the_published_site(tmp_path):
    """Publish the real site, then alternate a broken copy and the real content into the
    same folder: the failed builds never change a byte, and the good ones are identical."""
    out = tmp_path / "public"
    broken = tmp_path / "broken"
    shutil.copytree(ROOT / "content", broken)
    page = broken / "glostrup/handicappolitik/index.md"
    page.write_text(page.read_text().replace("status: adopted", "status: vedtaget"))
    real = ["--content", str(ROOT / "content"), "-o", str(out)]
    assert run_cli(*real, cwd=ROOT).returncode == 0
    published = tree_snapshot(out)
    for _ in range(2):
        failed = run_cli("--content", str(broken), "-o", str(out), cwd=ROOT)
        assert failed.returncode == 1 and "[bad-value]" in failed.stdout
        assert tree_snapshot(out) == published
        assert run_cli(*real, cwd=ROOT).returncode == 0
        assert tree_snapshot(out) == published


def test_killed_builds_leave_the_old_or_the_new_site_whole(tmp_path):
    """Guarantee: a build killed at any moment leaves a whole site (the old one or the new
    one), never a missing or mixed output folder; the next build removes its leftovers."""
    site = _site(tmp_path)
    versions = {}
    for title in ("Udgave A", "Udgave B"):
        _retitle(site, title)
        assert run_cli("--out", f"clean-{title[-1]}", cwd=site).returncode == 0
        versions[title] = tree_snapshot(site / f"clean-{title[-1]}")
    _retitle(site, "Udgave A")
    started = time.monotonic()
    assert run_cli("--no-cache", cwd=site).returncode == 0
    duration = time.monotonic() - started          # kill at moments spread over a build
    killed_in_time = 0
    for attempt, share in enumerate([0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95]):
        delay = duration * share
        _retitle(site, "Udgave B" if attempt % 2 == 0 else "Udgave A")
        build = _start(site, "--no-cache")     # a whole build, so the kills land in it
        time.sleep(delay)
        if build.poll() is None:
            build.send_signal(signal.SIGKILL)
            killed_in_time += 1
        build.wait(timeout=60)
        build.stdout.close()
        build.stderr.close()
        now = tree_snapshot(site / "public")
        assert now in versions.values(), f"killed after {delay} s: the output is not a whole site"
    assert killed_in_time >= 5, "the kills came too late to test anything"
    assert run_cli(cwd=site).returncode == 0
    assert not [p.name for p in site.iterdir() if p.name.startswith(".public-")]


def test_leftovers_are_removed_and_a_set_aside_site_is_put_back(tmp_path):
    """Guarantee: a crash between the two renames of the fallback switch leaves the old site
    set aside; the next build puts it back (and a killed build's staging folder goes)."""
    site = _site(tmp_path)
    assert run_cli(cwd=site).returncode == 0
    published = tree_snapshot(site / "public")
    os.rename(site / "public", site / ".public-old-x1")
    (site / ".public-new-x2").mkdir()
    (site / ".public-new-x2/half.html").write_text("<p>")
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text().replace("kind: policy", "kind: pollicy"))
    failed = run_cli(cwd=site)                 # even a build with errors repairs the folder
    assert failed.returncode == 1
    assert tree_snapshot(site / "public") == published
    assert not [p.name for p in site.iterdir() if p.name.startswith(".public-")]


def test_a_killed_worker_ends_the_build_within_seconds(tmp_path):
    """Guarantee: a worker process killed by the system (out of memory) ends the build with
    exit 2 and a message; it never hangs, and the previous output stays."""
    generate(400, tmp_path)
    (tmp_path / "public").mkdir()
    (tmp_path / "public/.site_gen").write_text("")
    (tmp_path / "public/index.html").write_text("the old site")
    before = tree_snapshot(tmp_path / "public")
    for _ in range(3):                  # a worker is killed mid-build (retry if it finished)
        build, victim = _start(tmp_path), None
        deadline = time.monotonic() + 60
        while build.poll() is None and victim is None and time.monotonic() < deadline:
            try:
                children = Path(f"/proc/{build.pid}/task/{build.pid}/children").read_text()
            except OSError:
                children = ""
            for child in children.split():
                try:
                    os.kill(int(child), signal.SIGKILL)
                    victim = time.monotonic()
                    break
                except ProcessLookupError:
                    continue
            time.sleep(0.005)
        stdout, stderr = build.communicate(timeout=60)
        if victim is not None and build.returncode != 0:
            break
    assert victim is not None, "no worker was seen"
    assert build.returncode == 2, stdout + stderr
    assert time.monotonic() - victim < 10
    # In Danish by default; what to do names SITE_GEN_JOBS in either language.
    assert "SITE_GEN_JOBS=1" in stderr and "Traceback" not in stderr
    assert tree_snapshot(tmp_path / "public") == before


def _mount_tmpfs(folder: Path, size_kb: int) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs",
                           str(folder)], capture_output=True)
    return done.returncode == 0


def _used_kb(folder: Path) -> int:
    return sum(p.stat().st_blocks for p in folder.rglob("*") if p.is_file()) // 2


def test_a_full_disk_never_publishes_a_broken_site(tmp_path):
    """Guarantee: a disk that fills while pages, assets or Pagefind's index are written
    gives exit 2, and the published site stays exactly as it was (Pagefind writes empty
    files without failing: the staging folder is verified before the switch)."""
    site = _site(tmp_path)
    assert run_cli("--out", "sample", cwd=site).returncode == 0
    whole, search = _used_kb(site / "sample"), _used_kb(site / "sample/pagefind")
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, whole * 3 + 256):
        pytest.skip("needs root to mount a small tmpfs")
    try:
        assert run_cli("--out", str(disk / "public"), cwd=site).returncode == 0
        published = tree_snapshot(disk / "public")
        failures = []
        for free_kb in (40, (whole - search) + search // 3, (whole - search) + 2 * search // 3):
            _retitle(site, f"Ny titel {free_kb}")
            stat = os.statvfs(disk)
            filler = disk / "filler"
            with open(filler, "wb") as stream:
                stream.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - free_kb * 1024))
            result = run_cli("--out", str(disk / "public"), cwd=site)
            filler.unlink()
            assert "Traceback" not in result.stderr, result.stderr
            if result.returncode == 0 and free_kb > 40:
                # It fitted: files that did not change are linked, not written again. Then
                # what is published must be the whole new site, as a clean build makes it.
                assert run_cli("--out", str(tmp_path / "clean"), cwd=site).returncode == 0
                assert tree_snapshot(disk / "public") == tree_snapshot(tmp_path / "clean")
                published = tree_snapshot(disk / "public")
                shutil.rmtree(tmp_path / "clean")
                continue
            assert result.returncode == 2, result.stdout + result.stderr
            assert "det tidligere resultat er uændret" in result.stderr
            assert tree_snapshot(disk / "public") == published
            # The server settings beside it are from the last good build (issue 21).
            # (and the lock that keeps a second build out while one runs, issue 31).
            assert sorted(p.name for p in disk.iterdir()) == [
                f".public{LOCK_SUFFIX}", "public", "public-server"]
            failures.append(result.stderr)
        assert any("search index" in f or "pagefind/" in f for f in failures), failures
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_an_output_folder_that_is_a_mount_point_is_published_file_by_file(tmp_path):
    """Guarantee: a mount point cannot be renamed, so the new site is synced into it; the
    result equals a clean build, and files the new site no longer has are removed."""
    site = _site(tmp_path)
    out = tmp_path / "mounted"
    if not _mount_tmpfs(out, 20_000):
        pytest.skip("needs root to mount a tmpfs")
    try:
        assert run_cli("--out", str(out), cwd=site).returncode == 0
        (out / "testby/gammel.html").write_text("a page the new site no longer has")
        _retitle(site, "En ny titel")
        assert run_cli("--out", str(out), cwd=site).returncode == 0, "never 'Device busy'"
        assert run_cli("--out", "clean", cwd=site).returncode == 0
        assert tree_snapshot(out) == tree_snapshot(site / "clean")
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".mounted-")]
    finally:
        subprocess.run(["umount", str(out)], check=False)


def test_a_large_old_output_is_removed_by_a_process_of_its_own(tmp_path):
    """`switch` puts the new output in place at once; an old output of thousands of files is
    removed by a detached process (the build does not wait for it), a small one before
    `switch` returns. Either way nothing is left beside the output."""
    from site_gen.write import BACKGROUND_REMOVAL, switch

    def tree(folder: Path, files: int, text: str) -> None:
        for number in range(files):
            (folder / f"d{number}").mkdir(parents=True)
            (folder / f"d{number}" / "index.html").write_text(text, encoding="utf-8")

    for files in (BACKGROUND_REMOVAL, 3):
        case = tmp_path / str(files)
        tree(case / "public", files, "gammel")
        tree(case / ".public-new-x", files, "ny")
        switch(case / ".public-new-x", case / "public", files)
        assert (case / "public" / "d0" / "index.html").read_text(encoding="utf-8") == "ny"
        deadline = time.monotonic() + 30
        while [p for p in case.iterdir() if p.name != "public"] and time.monotonic() < deadline:
            assert files == BACKGROUND_REMOVAL, "a small output is removed before switch returns"
            time.sleep(0.05)
        assert [p.name for p in case.iterdir()] == ["public"]
        assert len(list((case / "public").iterdir())) == files
