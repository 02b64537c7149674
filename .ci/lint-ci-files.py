"""Lints the CI files mfactl ships: every GitHub workflow (examples/ci/github-*.yml and
.github/workflows/*.yml), the composite action (action.yml), the GitLab template
(examples/ci/gitlab-ci.yml) and the pre-commit hooks (.pre-commit-hooks.yaml).

- actionlint checks every workflow, and shellcheck (on PATH) the scripts in them;
- actionlint checks action.yml the one way it can, through a workflow that uses it: the
  examples are copied into a scratch repository holding action.yml, with `uses: OWNER/mfactl@…`
  turned into `uses: ./`, so the inputs they pass are checked against the ones it declares;
- check-jsonschema checks action.yml, the workflows and the GitLab template against
  SchemaStore's schemas (vendored in check-jsonschema);
- shellcheck checks the scripts of action.yml's steps and of the GitLab jobs, which actionlint
  does not read;
- pre-commit validates .pre-commit-hooks.yaml.

Run by .ci/run with the pinned tools on PATH. Exit 0 when all pass, 1 otherwise."""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ACTION = Path("action.yml")
EXAMPLES = sorted(Path("examples/ci").glob("github-*.yml"))
WORKFLOWS = EXAMPLES + sorted(Path(".github/workflows").glob("*.yml"))
GITLAB = sorted(Path("examples/ci").glob("gitlab*.yml"))
HOOKS = Path(".pre-commit-hooks.yaml")
USES_MFACTL = re.compile(r"uses: OWNER/mfactl@\S+")

failures = []


def run(title, command, cwd=None):
    print(f"-- {title}", flush=True)
    if subprocess.run(command, cwd=cwd).returncode != 0:
        failures.append(title)


def action_through_examples():
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        shutil.copy(ACTION, root / "action.yml")
        workflows = root / ".github" / "workflows"
        workflows.mkdir(parents=True)
        for example in EXAMPLES:
            text, count = USES_MFACTL.subn("uses: ./", example.read_text())
            if count == 0:
                failures.append(f"{example} does not use OWNER/mfactl@…")
            (workflows / example.name).write_text(text)
        run("actionlint: action.yml as the examples use it", ["actionlint"], cwd=root)


def shellcheck(title, scripts, shell):
    """Runs shellcheck on each (name, script); a script may not expand ${{ }} itself."""
    with tempfile.TemporaryDirectory() as scratch:
        files = []
        for number, (name, script) in enumerate(scripts):
            if "${{" in script:
                failures.append(f"{name}: pass ${{{{ }}}} values through env:, not into the script")
            path = Path(scratch) / f"{number:02}-{re.sub(r'[^A-Za-z0-9]+', '-', name)}.sh"
            path.write_text(script)
            files.append(str(path))
        run(f"shellcheck: {title} ({len(files)} scripts)", ["shellcheck", f"--shell={shell}", *files])


def action_scripts():
    steps = yaml.safe_load(ACTION.read_text())["runs"]["steps"]
    return [(f"action.yml step {s.get('name', i)}", s["run"]) for i, s in enumerate(steps) if "run" in s]


def gitlab_scripts(path):
    jobs = yaml.safe_load(path.read_text())
    scripts = []
    for name, job in jobs.items():
        if not isinstance(job, dict):
            continue
        for key in ("before_script", "script"):
            lines = job.get(key)
            if lines:
                scripts.append((f"{path} {name} {key}", "\n".join(lines) + "\n"))
    return scripts


def main():
    run("actionlint: workflows", ["actionlint", *map(str, WORKFLOWS)])
    action_through_examples()
    run("check-jsonschema: action.yml", ["check-jsonschema", "--builtin-schema", "vendor.github-actions", str(ACTION)])
    run(
        "check-jsonschema: workflows",
        ["check-jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
    )
    run("check-jsonschema: GitLab template", ["check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", *map(str, GITLAB)])
    shellcheck("action.yml steps", action_scripts(), "bash")
    shellcheck("GitLab jobs", [s for path in GITLAB for s in gitlab_scripts(path)], "sh")
    run("pre-commit validate-manifest", ["pre-commit", "validate-manifest", str(HOOKS)])

    for failure in failures:
        print(f"error: {failure}")
    print(
        f"CI files: {len(WORKFLOWS)} workflows, action.yml, {len(GITLAB)} GitLab template, "
        f"{HOOKS}: {'FAILED' if failures else 'clean'}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
