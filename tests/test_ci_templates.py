"""The CI templates in docs/ci/ (issue 30): each is valid YAML in the shape its CI system
reads, installs site_gen from the pinned checkout it clones, builds with `--strict` and
keeps or publishes `public/`. The lines of their scripts that run build.py are then run
here, as written (only the interpreter and the path to build.py are this checkout's),
against a site made by `build.py init`: they must build it, and must refuse a site with a
warning, which shows that --strict reaches the command and its exit status the CI."""
from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, run_cli

CI = ROOT / "docs" / "ci"
TEMPLATES = ("gitlab-ci.yml", "github-actions.yml", "azure-pipelines.yml")
CONTACTS = ("--phone", "+45 87 87 50 50", "--email", "tilgaengelighed@viborg.dk")
BUILD_TIMEOUT = 300            # seconds: a cold build with PDFs on a loaded machine
SCRIPT_KEYS = {"script", "before_script", "after_script", "run", "bash", "pwsh", "powershell"}
# Anything after these would decide the step's exit status instead of build.py.
SHELL_OPERATORS = {"||", "&&", ";", "|", "&", ">", ">>", "<", "2>", "2>&1"}
PYTHON = re.compile(r"python(3(\.\d+)?)?")
GITLAB_KEYWORDS = {"default", "include", "stages", "variables", "workflow", "image",
                   "services", "cache", "before_script", "after_script"}


def load(name: str) -> dict:
    return yaml.safe_load((CI / name).read_text(encoding="utf-8"))


def shell_lines(script) -> list[str]:
    """The commands of a script value (a string or a list of them), one a line: comments
    and blank lines left out, lines ending in a backslash joined to the next."""
    text = "\n".join(script) if isinstance(script, list) else str(script)
    text = re.sub(r"\\\n\s*", " ", text)
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def scripts(node) -> list[tuple[dict, list[str]]]:
    """Every mapping in the template that holds a script (a GitLab job, a GitHub or Azure
    step), with its command lines."""
    found = []
    if isinstance(node, dict):
        lines = [line for key in SCRIPT_KEYS if node.get(key) is not None
                 for line in shell_lines(node[key])]
        if lines:
            found.append((node, lines))
        for value in node.values():
            found += scripts(value)
    elif isinstance(node, list):
        for value in node:
            found += scripts(value)
    return found


def build_command(line: str) -> tuple[str, list[str]] | None:
    """(path of build.py as the template writes it, its arguments), or None when the line
    does not run build.py."""
    words = shlex.split(line, comments=True)
    at = next((i for i, word in enumerate(words) if word.endswith("build.py")), None)
    if at is None:
        return None
    assert at == 1 and PYTHON.fullmatch(words[0]), \
        f"build.py must be run as 'python .../build.py ...', not: {line}"
    return words[at], words[at + 1:]


def build_lines(doc: dict) -> list[tuple[dict, str]]:
    return [(holder, line) for holder, lines in scripts(doc) for line in lines
            if build_command(line)]


def python_version_ok(value) -> bool:
    match = re.search(r"3\.(\d+)", str(value))
    return bool(match) and int(match.group(1)) >= 11


def check_common(doc: dict) -> list[tuple[dict, str]]:
    """What every template must do; returns its build lines with the mapping each is in."""
    builds = build_lines(doc)
    assert builds, "no script runs build.py"
    lines = [line for _, lines in scripts(doc) for line in lines]
    for _, line in builds:
        script, args = build_command(line)
        assert "--strict" in args, f"the build must be strict (warnings fail it): {line}"
        assert "--site" in args and args[args.index("--site") + 1] == ".", \
            f"the repository root is the site folder: build with --site . ({line})"
        assert not SHELL_OPERATORS & set(args), \
            f"nothing may follow the build and hide its exit status: {line}"
        assert not {"--serve", "--out", "-o", "--base-url"} & set(args), \
            f"the build publishes public/ at site.yaml's base_url: {line}"
        checkout = Path(script).parent.as_posix()
        assert any(line.startswith("git clone") and line.split()[-1].rstrip("/") == checkout
                   for line in lines), f"no 'git clone ... {checkout}' for {script}"
        assert any("pip install" in line and checkout in line for line in lines), \
            f"site_gen's dependencies are not installed from {checkout}"
    return builds


def check_gitlab(doc: dict) -> None:
    builds = check_common(doc)
    jobs = {name: job for name, job in doc.items()
            if name not in GITLAB_KEYWORDS and not str(name).startswith(".")}
    for name, job in jobs.items():
        assert isinstance(job, dict) and "script" in job, f"job {name!r} has no script"
    build_jobs = [name for name, job in jobs.items() if any(job is holder for holder, _ in builds)]
    assert build_jobs, "build.py must run in a job's script"
    for name in build_jobs:
        job = jobs[name]
        assert any(build_command(line) for line in shell_lines(job["script"])), \
            f"job {name!r} runs build.py outside its script"
        assert not job.get("allow_failure"), f"a failed build must fail the pipeline ({name})"
        assert any(path.rstrip("/") == "public" for path in job["artifacts"]["paths"])
        assert "rules" not in job and "only" not in job, "the build must run on every branch"
    image = doc.get("default", {}).get("image") or doc.get("image")
    assert python_version_ok(image), f"Python 3.11 or newer, not {image}"
    stages = doc["stages"]
    publishers = {name: job for name, job in jobs.items() if name not in build_jobs}
    assert "pages" in publishers and publishers["pages"]["artifacts"]["paths"] == ["public"]
    assert any(line.startswith("rsync") and "--delete" in line
               for job in publishers.values() for line in shell_lines(job["script"]))
    for name, job in publishers.items():
        assert set(job["needs"]) <= set(build_jobs) and job["needs"], name
        assert stages.index(job["stage"]) > stages.index(jobs[build_jobs[0]]["stage"]), name


def check_github(doc: dict) -> None:
    builds = check_common(doc)
    triggers = doc.get("on", doc.get(True))      # PyYAML (YAML 1.1) reads a bare `on` as True
    assert isinstance(triggers, dict) and "push" in triggers and "pull_request" in triggers
    jobs = doc["jobs"]
    for name, job in jobs.items():
        assert "runs-on" in job and job["steps"], f"job {name!r} needs runs-on and steps"
        for step in job["steps"]:
            assert "uses" in step or "run" in step, f"a step of {name!r} does nothing"
    build_jobs = {name for name, job in jobs.items()
                  if any(step is holder for step in job["steps"] for holder, _ in builds)}
    assert build_jobs, "build.py must run in a step's run"
    for name in build_jobs:
        job = jobs[name]
        assert not job.get("continue-on-error") and "if" not in job, name
        steps = job["steps"]
        at = next(i for i, step in enumerate(steps) if any(step is h for h, _ in builds))
        assert not steps[at].get("continue-on-error"), "a failed build must fail the workflow"
        assert steps[0].get("uses", "").startswith("actions/checkout@")
        python = [step for step in steps[:at] if step.get("uses", "").startswith("actions/setup-python@")]
        assert python and python_version_ok(python[0]["with"]["python-version"])
        pages = [step for step in steps[at:]
                 if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
        assert pages and pages[0]["with"]["path"].rstrip("/") == "public"
    deploy = [job for job in jobs.values()
              if any(step.get("uses", "").startswith("actions/deploy-pages@") for step in job["steps"])]
    assert deploy and deploy[0]["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(line.startswith("rsync") and "--delete" in line
               for job in jobs.values() for step in job["steps"] for line in shell_lines(step.get("run", "")))
    for name, job in jobs.items():
        if name not in build_jobs:
            needs = job["needs"] if isinstance(job["needs"], list) else [job["needs"]]
            assert set(needs) <= build_jobs, name


def azure_jobs(doc: dict) -> list[dict]:
    if "stages" in doc:
        return [job for stage in doc["stages"] for job in stage["jobs"]]
    if "jobs" in doc:
        return doc["jobs"]
    return [doc]


def check_azure(doc: dict) -> None:
    assert "steps" in doc or "stages" in doc or "jobs" in doc
    builds = check_common(doc)
    steps = [step for job in azure_jobs(doc) for step in job["steps"]]
    build_steps = [step for step in steps if any(step is holder for holder, _ in builds)]
    assert build_steps, "build.py must run in a script step"
    for step in build_steps:
        assert not step.get("continueOnError") and "condition" not in step, \
            "a failed build must fail the pipeline"
    python = [step for step in steps if step.get("task", "").startswith("UsePythonVersion@")]
    assert python and python_version_ok(python[0]["inputs"]["versionSpec"])
    assert any(step.get("task", "").startswith("PublishPipelineArtifact@")
               and step["inputs"]["targetPath"].rstrip("/") == "public" for step in steps)
    assert any(line.startswith("rsync") and "--delete" in line
               for step in steps for line in shell_lines(step.get("script", "")))
    assert any(step.get("task", "").startswith("AzureStaticWebApp@") for step in steps)
    if "stages" in doc:
        first = doc["stages"][0]
        assert any(step is holder for job in first["jobs"] for step in job["steps"]
                   for holder, _ in builds), "the first stage builds"
        for stage in doc["stages"][1:]:
            assert stage["dependsOn"] == first["stage"], stage["stage"]


CHECKS = {"gitlab-ci.yml": check_gitlab, "github-actions.yml": check_github,
          "azure-pipelines.yml": check_azure}


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_has_the_shape_its_ci_reads_and_a_strict_build(name):
    CHECKS[name](load(name))


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("change", [
    ("lost --strict", lambda text: text.replace(" --strict", "")),
    ("lost the build", lambda text: re.sub(r"^.*build\.py --site.*$", "", text, flags=re.M)),
    ("hid the exit status", lambda text: text.replace("--site . --strict", "--site . --strict || true")),
    ("lost the checkout", lambda text: text.replace("git clone", "git-clone")),
], ids=lambda change: change[0] if isinstance(change, tuple) else change)
def test_the_checks_fail_on_a_broken_template(name, change):
    """The checks above are not vacuous: each of these edits makes them fail."""
    _, edit = change
    text = (CI / name).read_text(encoding="utf-8")
    broken = edit(text)
    assert broken != text
    with pytest.raises(AssertionError):
        CHECKS[name](yaml.safe_load(broken))


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """Two sites from `build.py init`: one with the accessibility contacts (it builds with
    no warnings) and one without (one warning, [statement-contact])."""
    base = tmp_path_factory.mktemp("ci-sites")
    made = {}
    for kind, extra in (("clean", CONTACTS), ("warned", ())):
        result = run_cli("init", kind, "--municipality", "viborg", "--name", "Viborg Kommune",
                         *extra, cwd=base)
        assert result.returncode == 0, result.stdout + result.stderr
        # The editor has finished the starter policy: no longer a draft, which a published
        # build leaves out (issue 27).
        policy = base / kind / "content" / "viborg" / "handicappolitik" / "index.md"
        policy.write_text(policy.read_text(encoding="utf-8").replace(
            "status: draft", "status: in-force"), encoding="utf-8")
        made[kind] = base / kind
    return made


def repository(site: Path, tmp_path: Path) -> Path:
    """A fresh copy of the site, as the CI checks out the repository."""
    copy = tmp_path / "repository"
    shutil.copytree(site, copy)
    return copy


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_templates_build_commands_build_a_new_site_and_refuse_a_warning(name, sites, tmp_path):
    lines = [line for _, line in build_lines(load(name))]
    assert lines
    for number, line in enumerate(lines):
        _, args = build_command(line)
        clean = repository(sites["clean"], tmp_path / f"clean-{number}")
        built = run_cli(*args, cwd=clean, timeout=BUILD_TIMEOUT)
        assert built.returncode == 0, f"{line}\n{built.stdout}{built.stderr}"
        assert (clean / "public" / "index.html").is_file()
        assert (clean / "public" / "viborg" / "handicappolitik" / "letlaest" / "index.html").is_file()
        assert (clean / "public-server" / "nginx.conf").is_file()

        warned = repository(sites["warned"], tmp_path / f"warned-{number}")
        refused = run_cli(*args, cwd=warned, timeout=BUILD_TIMEOUT)
        assert refused.returncode == 1, f"{line}\n{refused.stdout}{refused.stderr}"
        assert "[statement-contact]" in refused.stdout, refused.stdout
        assert not (warned / "public" / "index.html").exists()
