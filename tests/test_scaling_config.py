"""The load balancer's configuration: one renderer for `hrbot serve --scaled` and deploy/, valid for HAProxy."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from bot.launcher import endpoints_file
from bot.scaling import Replicas, deployment_config, haproxy_config
from tests.conftest import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
LOOPBACK = haproxy_config(
    Replicas(("127.0.0.1:6001", "127.0.0.1:6002")), Replicas(("127.0.0.1:6051",)), "127.0.0.1:6000", "127.0.0.1:6050"
)


def test_deploy_haproxy_cfg_is_what_bot_scaling_renders():
    assert (
        DEPLOY / "haproxy.cfg"
    ).read_text() == deployment_config(), "run: python -m bot.scaling > deploy/haproxy.cfg"


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="HAProxy not installed: scripts/ensure-haproxy installs it")
@pytest.mark.parametrize("text", [LOOPBACK, deployment_config()], ids=["loopback", "deploy"])
def test_haproxy_accepts_the_configuration(tmp_path, text):
    path = tmp_path / "haproxy.cfg"
    path.write_text(text)
    result = subprocess.run(["haproxy", "-c", "-f", str(path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_replica_is_listed_in_every_rasa_backend_and_the_api_is_refused():
    assert LOOPBACK.count("server rasa2 127.0.0.1:6002 check") == 3
    assert "http-request deny deny_status 403 unless webhook || webchat || health" in LOOPBACK


def test_the_deployment_endpoints_use_the_stores_of_scaled_mode():
    deployed = yaml.safe_load((DEPLOY / "endpoints.yml").read_text())
    generated = yaml.safe_load(endpoints_file(5055, scaled=True).read_text())
    for store in ("tracker_store", "lock_store"):
        assert deployed[store] == generated[store]


def test_scaled_mode_refuses_sqlite(monkeypatch):
    from bot.launcher import scaled_mode_problem

    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/hrbot.db")
    monkeypatch.delenv("HRBOT_TRACKER_STORE_URL", raising=False)
    assert "DATABASE_URL=postgresql://" in scaled_mode_problem()
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1/hrbot")
    assert scaled_mode_problem() is None
    monkeypatch.setenv("HRBOT_TRACKER_STORE_URL", "sqlite:////tmp/conversations.db")
    assert "HRBOT_TRACKER_STORE_URL=postgresql://" in scaled_mode_problem()


def _deploy_commands() -> list[list[str]]:
    """Every command the Compose file and the Kubernetes manifests run in the hrbot image."""
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    commands = [
        service["command"]
        for service in compose["services"].values()
        if service.get("image", "hrbot") == "hrbot" and "command" in service
    ]
    for document in yaml.safe_load_all((DEPLOY / "kubernetes" / "hrbot.yaml").read_text()):
        spec = document["spec"].get("template", {}).get("spec", {})
        commands += [container["command"] for container in spec.get("containers", []) if container["image"] == "hrbot"]
    return commands


def test_every_deployed_hrbot_command_exists():
    """The commands the deployment files run are this project's own: a renamed option would break a deploy."""
    from bot.cli import build_parser

    commands = _deploy_commands()
    assert len(commands) >= 8
    for command in commands:
        steps = command[2].split(" && ") if command[:2] == ["sh", "-c"] else [" ".join(command)]
        for step in steps:
            words = step.split()
            if words[0] == "hrbot":
                build_parser().parse_args(words[1:])  # exits (fails the test) on an unknown command or option
            else:
                assert words[:3] in (["python", "-m", "rasa_server"], ["rasa", "run", "actions"]), step
