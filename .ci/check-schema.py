"""The JSON Schema works outside mfactl: check-jsonschema (a third-party validator) finds it a
valid JSON Schema, accepts every example and every valid test fixture, and treats each invalid fixture as
tests/invalid/schema-coverage.txt says. Run by .ci/run with the pinned tools on PATH.
Exit 0 when everything behaves as listed, 1 otherwise (each difference is printed)."""

import json
import subprocess
import sys
from pathlib import Path

SCHEMA = "schema/mfactl.schema.json"
VALID = sorted(Path("examples").glob("*.yaml")) + sorted(Path("tests/warnings").glob("*.yaml"))
INVALID_DIR = Path("tests/invalid")
COVERAGE = INVALID_DIR / "schema-coverage.txt"
KINDS = {"schema", "parse", "mfactl"}


def check(files):
    """check-jsonschema's verdict per file: 'ok', 'schema' (validation errors) or 'parse'."""
    run = subprocess.run(
        ["check-jsonschema", "--output-format", "json", "--schemafile", SCHEMA, *map(str, files)],
        capture_output=True,
        text=True,
    )
    if run.returncode not in (0, 1):
        sys.exit(f"check-jsonschema failed ({run.returncode}):\n{run.stdout}{run.stderr}")
    report = json.loads(run.stdout)
    verdict = {str(f): "ok" for f in files}
    for error in report.get("errors", []):
        verdict[error["filename"]] = "schema"
    for error in report.get("parse_errors", []):
        verdict[error["filename"]] = "parse"
    return verdict, report


def coverage():
    """The kind each invalid fixture is listed with."""
    kinds = {}
    for number, line in enumerate(COVERAGE.read_text().splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        name, kind, *_why = line.split()
        if kind not in KINDS or name in kinds:
            sys.exit(f"{COVERAGE}:{number}: bad or repeated line: {line}")
        kinds[name] = kind
    return kinds


def main():
    problems = []
    metaschema = subprocess.run(["check-jsonschema", "--check-metaschema", SCHEMA])
    if metaschema.returncode != 0:
        problems.append(f"{SCHEMA} is not a valid JSON Schema")
    verdict, report = check(VALID)
    for name, seen in verdict.items():
        if seen != "ok":
            details = [e for e in report["errors"] + report["parse_errors"] if e["filename"] == name]
            problems.append(f"{name} should be valid against the schema: {details}")

    kinds = coverage()
    invalid = sorted(INVALID_DIR.glob("*.yaml"))
    listed = {f.name for f in invalid}
    for name in sorted(listed ^ set(kinds)):
        problems.append(f"{name}: listed in {COVERAGE} or present in {INVALID_DIR}, not both")
    verdict, _ = check(invalid)
    expected = {"schema": "schema", "parse": "parse", "mfactl": "ok"}
    for path in invalid:
        kind = kinds.get(path.name)
        seen = verdict[str(path)]
        if kind is not None and seen != expected[kind]:
            problems.append(
                f"{path}: listed as `{kind}`, but check-jsonschema says `{seen}`; update {COVERAGE}"
            )

    for problem in problems:
        print(f"error: {problem}")
    counts = {k: sum(1 for v in kinds.values() if v == k) for k in sorted(KINDS)}
    print(
        f"check-jsonschema: {len(VALID)} valid files accepted; invalid fixtures: "
        f"{counts['schema']} rejected by the schema, {counts['parse']} not YAML, "
        f"{counts['mfactl']} beyond the schema (mfactl's own checks)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
