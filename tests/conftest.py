"""Shared test set-up: the --update-golden option and building fixture sites."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite expected/ and expected-problems.txt of the fixture sites")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")
