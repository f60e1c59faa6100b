"""compose.yaml is a valid Compose file and wires the app to Qdrant, a data volume and secrets from the environment.

No Docker engine here: `docker compose config` is stood in for by the same two steps it takes — interpolate
${VAR} from the environment (failing on a missing required one), then parse against the Compose specification
(compose-spec, bindings of the Rust compose_spec parser, which rejects unknown keys and malformed values). The
hosted CI's docker job runs the real `docker compose config`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml
from compose_spec import PyCompose

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"
ENV = {"QDRANT_API_KEY": "test-key-not-a-secret"}
SECRETS = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD)", re.I)
VAR = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|\$\$")


class MissingVariable(ValueError):
    """A ${VAR:?message} whose variable is unset or empty."""


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """Compose's interpolation: ${V}, ${V:-default}, ${V-default}, ${V:?error}, ${V?error}, $$ for a literal $."""
    def one(m: re.Match[str]) -> str:
        if m.group(0) == "$$":
            return "$"
        name, op, arg = m.group("name"), m.group("op"), m.group("arg") or ""
        value = env.get(name)
        unset = value is None or (op is not None and op.startswith(":") and value == "")
        if op in (":?", "?") and unset:
            raise MissingVariable(f"{name}: {arg}")
        if op in (":-", "-") and unset:
            return arg
        return value or ""
    return VAR.sub(one, text)


def config(env: Mapping[str, str] = ENV) -> dict:
    """The resolved file as `docker compose config` would print it (as a dict), validated by the spec parser."""
    text = interpolate(COMPOSE.read_text(), env)
    spec = PyCompose.from_yaml(text)  # raises ValueError on anything the Compose specification does not allow
    spec.validate()
    return yaml.safe_load(text)


def test_interpolation_follows_compose_rules():
    env = {"A": "1", "EMPTY": ""}
    assert interpolate("${A} ${B:-d} ${EMPTY:-d} ${EMPTY-d} $$HOME", env) == "1 d d  $HOME"
    with pytest.raises(MissingVariable, match="B: say so"):
        interpolate("${B:?say so}", env)


def test_the_file_is_valid_compose():
    assert set(config()["services"]) == {"app", "qdrant"}


def test_the_spec_parser_rejects_what_docker_would(tmp_path):
    # Negative control: the validator is not a plain YAML load.
    with pytest.raises(ValueError, match="x-"):
        PyCompose.from_yaml("services:\n  app:\n    image: x\n    enviroment: {A: b}\n")


def test_qdrant_api_key_is_required_from_the_environment():
    with pytest.raises(MissingVariable, match="QDRANT_API_KEY"):
        config({})


def test_app_talks_to_the_qdrant_service_with_the_shared_key():
    c = config()
    app, qdrant = c["services"]["app"], c["services"]["qdrant"]
    url = re.fullmatch(r"http://(?P<host>[\w-]+):(?P<port>\d+)", app["environment"]["QDRANT_URL"])
    assert url and url["host"] == "qdrant" and url["port"] in qdrant["expose"]
    assert "qdrant" in app["depends_on"]
    assert app["environment"]["QDRANT_API_KEY"] == qdrant["environment"]["QDRANT__SERVICE__API_KEY"] == ENV[
        "QDRANT_API_KEY"]
    assert "ports" not in qdrant  # reachable from the app only, never published on the host


def test_data_and_qdrant_storage_live_on_named_volumes():
    c = config()
    app, qdrant = c["services"]["app"], c["services"]["qdrant"]
    mounts = {m.split(":")[1]: m.split(":")[0] for m in app["volumes"]}
    data_dir = app["environment"]["MIP_DATA_DIR"]
    assert data_dir in mounts and mounts[data_dir] in c["volumes"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"MIP_DATA_DIR={data_dir}" in dockerfile  # the image's default and the volume agree
    storage = {m.split(":")[1]: m.split(":")[0] for m in qdrant["volumes"]}
    assert storage.get("/qdrant/storage") in c["volumes"]


def test_app_is_built_here_and_published_on_loopback_only():
    app = config()["services"]["app"]
    assert app["build"] == {"context": ".", "dockerfile": "Dockerfile"} and (ROOT / "Dockerfile").is_file()
    assert app["ports"] == ["127.0.0.1:8501:8501"]


def test_secrets_come_only_from_the_environment():
    raw = yaml.safe_load(COMPOSE.read_text())  # before interpolation: what is written in the file
    for name, service in raw["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if SECRETS.search(key):
                assert value is None or re.fullmatch(r"\$\{\w+(:?[-?][^}]*)?\}", str(value)), (name, key, value)
                assert not re.search(r":-[^}]+\}", str(value or "")), "no default value for a secret"
    resolved = config({**ENV, "ANTHROPIC_API_KEY": "from-the-shell"})["services"]["app"]["environment"]
    assert resolved["ANTHROPIC_API_KEY"] is None  # passed through from the shell by docker, never stored here


def test_qdrant_image_is_pinned_and_compatible_with_the_client():
    image = config()["services"]["qdrant"]["image"]
    server = re.fullmatch(r"qdrant/qdrant:v(\d+)\.(\d+)\.(\d+)", image)
    client = re.search(r"^qdrant-client==(\d+)\.(\d+)\.", (ROOT / "requirements.txt").read_text(), re.M)
    assert server and client, (image, client)
    # qdrant-client's own rule: same major version, minor versions at most one apart.
    assert server[1] == client[1] and abs(int(server[2]) - int(client[2])) <= 1
