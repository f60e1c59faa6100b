"""The hosted CI workflow runs what .ci/run runs (the README's `make test`) on Python 3.11, and checks the Docker
files where a Docker engine exists."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _runs(job: dict) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def test_triggers_on_pushes_to_main_and_pull_requests(workflow):
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as True
    assert on["push"]["branches"] == ["main"] and "pull_request" in on


def test_test_job_runs_the_same_entry_point_as_local_ci(workflow):
    job = workflow["jobs"]["test"]
    assert "bash .ci/run" in _runs(job)
    assert "make test" in (ROOT / ".ci" / "run").read_text()  # .ci/run is the README's test command
    assert "make test" in (ROOT / "README.md").read_text()
    python = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11"
    assert job["timeout-minutes"] <= 90  # the same budget local CI has


def test_actions_are_pinned_and_permissions_read_only(workflow):
    uses = [s["uses"] for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s]
    assert uses and all("@" in u and not u.endswith(("@main", "@master")) for u in uses)
    assert workflow["permissions"] == {"contents": "read"}


def test_docker_job_checks_compose_and_the_image_health(workflow):
    job = workflow["jobs"]["docker"]
    script = "\n".join(_runs(job))
    assert "docker compose config --quiet" in script and "docker build" in script
    assert "/_stcore/health" in script
    assert "QDRANT_API_KEY" in job["env"]  # compose.yaml requires it
