"""Shared test set-up: the --update-golden option and building fixture sites."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# The memo's key (site_gen/memo.py, issue 31) of the test run is a new one, never the
# key of the person running the tests; builds the tests start inherit it.
os.environ.setdefault("SITE_GEN_KEY_DIR", str(Path(tempfile.mkdtemp(prefix="site-gen-key-"))
                                              / "site_gen"))

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite expected/ and expected-problems.txt of the fixture sites")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def previous_build(tmp_path_factory) -> Path:
    """document-features built once with build.py: each fixture site is built into a copy
    of its output, which a failed build must leave as it was (test_sites.py)."""
    import shutil
    from helpers import run_cli
    site = tmp_path_factory.mktemp("previous") / "site"
    shutil.copytree(SITES / "document-features", site)
    result = run_cli(cwd=site)
    assert result.returncode == 0, result.stdout
    return site


SUB_PATH_URL = "https://www.glostrup.dk/politikker/handicap/"    # a path of the main site
ROOT_URL = "https://handicappolitik.example.dk/"                 # content/site.yaml


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    """The real site built for the domain's root and for a sub-path (issue 21), each served
    as published: name -> (server, output folder, path served at, base URL)."""
    import dataclasses
    from browser import StaticServer
    from helpers import options_for
    from site_gen.pipeline import build_site
    folder = tmp_path_factory.mktemp("published")
    sites = {}
    for name, base_url in (("root", ROOT_URL), ("sub-path", SUB_PATH_URL)):
        options = dataclasses.replace(options_for(ROOT, folder / name), base_url=base_url)
        result = build_site(options)
        assert result.wrote, "\n".join(result.problems.sorted_lines())
        prefix = "/" if name == "root" else "/politikker/handicap/"
        sites[name] = (StaticServer(folder / name, prefix), folder / name, prefix, base_url)
    yield sites
    for server, *_ in sites.values():
        server.stop()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, one for the whole run."""
    import shutil
    import tempfile
    from browser import start_chromium
    profile = Path(tempfile.mkdtemp(prefix="site-gen-chromium-"))
    driver = start_chromium(profile)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def pytest_configure(config):
    config.addinivalue_line("markers", "english: the module asserts on English messages; "
                                       "they are printed in English (--lang en) for it")


@pytest.fixture(autouse=True)
def message_language(request, monkeypatch):
    """Danish messages (the default) unless the test is marked `english`; builds run in
    this process and the build.py it starts both follow SITE_GEN_LANG (site_gen/i18n.py)."""
    from site_gen import i18n
    if request.node.get_closest_marker("english"):
        monkeypatch.setenv(i18n.ENV, "en")
    else:
        monkeypatch.delenv(i18n.ENV, raising=False)
