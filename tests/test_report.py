"""The readability report holds no path of the machine it was built on (issue 14): the same
content in two other places, under other folder names, builds the same bytes."""
from __future__ import annotations

import json
import shutil

from helpers import SITES, run_cli, tree_snapshot


def test_the_same_content_elsewhere_builds_the_same_bytes(tmp_path):
    outputs = []
    for place in ("a/content", "b/somewhere/else/tekster"):
        content = tmp_path / place
        shutil.copytree(SITES / "easy-read-pair/content", content)
        out = tmp_path / f"out-{len(outputs)}"
        # Run from a third folder, so the content is outside the project root and its path
        # would be shown in full if the report used the paths problems are printed with.
        (tmp_path / "cwd").mkdir(exist_ok=True)
        result = run_cli("--content", str(content), "--out", str(out), cwd=tmp_path / "cwd")
        assert result.returncode == 0, result.stdout + result.stderr
        outputs.append(tree_snapshot(out))
    assert outputs[0] == outputs[1]
    report = outputs[0]["sprograpport/rapport.json"].decode()
    assert str(tmp_path) not in report and "tekster" not in report
    assert {page["path"] for page in json.loads(report)["pages"]} == {
        "testby/politik/index.md", "testby/politik/index.easy-read.md"}
