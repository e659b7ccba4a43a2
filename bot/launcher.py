"""Start every process the bot needs (`make run` / `hrbot serve`), print where they are, stop them on Ctrl-C.

Tests and benchmarks use the same functions to run the bot on their own ports.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
import yaml
from sqlalchemy.engine import make_url

from bot.config import (
    PROJECT_ROOT,
    VAR_DIR,
    action_host,
    database_url,
    persistent_secret,
    private_dir,
    tracker_store_url,
)
from bot.scaling import Replicas, haproxy_config

ACTION_PORT = 5055
RASA_PORT = 5005
WIDGET_PORT = 8080
ADMIN_PORT = 8081
# Scaled mode on one machine: the replicas' own ports (HAProxy takes RASA_PORT and ACTION_PORT).
SCALED_RASA_PORT = 5011
SCALED_ACTION_PORT = 5061
STARTUP_TIMEOUT_S = 300


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def started(self) -> subprocess.Popen:
        """The running process (the service must have been started)."""
        if self.process is None:
            raise RuntimeError(f"{self.name} was not started")
        return self.process


def auth_token() -> str:
    """`RASA_AUTH_TOKEN`, else a random token kept in var/ (so the HTTP API is never open)."""
    return persistent_secret("RASA_AUTH_TOKEN", "rasa-auth-token")


def endpoints_file(action_port: int, scaled: bool = False) -> Path:
    """endpoints.yml itself for the standard port on one machine; a generated copy for any other port or scaled mode.

    Scaled mode keeps conversations in PostgreSQL and their locks in Redis (README, "Scaling out");
    the stores read their URLs from the environment, so no password is written here.
    """
    if action_port == ACTION_PORT and not scaled:
        return PROJECT_ROOT / "endpoints.yml"
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())
    endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{action_port}/webhook"
    if scaled:
        endpoints["tracker_store"] = {"type": "rasa_server.stores.sql_tracker_store.ExpiringSQLTrackerStore"}
        endpoints["lock_store"] = {"type": "rasa_server.stores.lock_store.AtomicRedisLockStore"}
    path = VAR_DIR / f"endpoints-{action_port}{'-scaled' if scaled else ''}.yml"
    private_dir(VAR_DIR)
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path


def action_service(port: int, env: dict[str, str] | None = None, name: str = "action server") -> Service:
    env = env or {}
    return Service(
        name,
        [str(Path(sys.executable).parent / "rasa"), "run", "actions", "--actions", "actions", "--port", str(port)],
        f"http://127.0.0.1:{port}/health",
        # rasa-sdk binds to SANIC_HOST, 0.0.0.0 unless told otherwise.
        {**env, "SANIC_HOST": env.get("HRBOT_ACTION_HOST") or action_host()},
    )


def rasa_service(
    port: int,
    action_port: int,
    host: str = "127.0.0.1",
    model_dir: Path | None = None,
    token: str | None = None,
    env: dict[str, str] | None = None,
    scaled: bool = False,
) -> Service:
    return Service(
        f"Rasa server {port}" if scaled else "Rasa server",
        [
            # The Rasa server starts through rasa_server, which installs the patches first.
            *(sys.executable, "-m", "rasa_server"),
            "run",
            "--model",
            str(model_dir or PROJECT_ROOT / "models"),
            "--enable-api",
            "--interface",
            host,
            "--port",
            str(port),
            "--endpoints",
            str(endpoints_file(action_port, scaled)),
            "--credentials",
            str(PROJECT_ROOT / "credentials.yml"),
        ],
        f"http://127.0.0.1:{port}/",
        # The API token goes by the environment, not the command line (which `ps` shows).
        {**(env or {}), "RASA_AUTH_TOKEN": token or auth_token()},
    )


def bot_services(
    host: str = "127.0.0.1",
    rasa_port: int = RASA_PORT,
    action_port: int = ACTION_PORT,
    model_dir: Path | None = None,
    token: str | None = None,
    env: dict[str, str] | None = None,
) -> list[Service]:
    """One action server and one Rasa server: the one-machine bot."""
    return [action_service(action_port, env), rasa_service(rasa_port, action_port, host, model_dir, token, env)]


def scaled_services(
    rasa_ports: list[int],
    action_ports: list[int],
    public_port: int = RASA_PORT,
    actions_port: int = ACTION_PORT,
    host: str = "127.0.0.1",
    model_dir: Path | None = None,
    token: str | None = None,
    env: dict[str, str] | None = None,
) -> list[Service]:
    """Action servers, Rasa replicas and HAProxy in front of both, on one machine (`hrbot serve --scaled`).

    The public side is `host:public_port`; the replicas and action servers listen on
    loopback, and the replicas reach the action servers through HAProxy's `actions_port`.
    """
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        raise RuntimeError("scaled mode needs HAProxy: run scripts/ensure-haproxy (or apt-get install haproxy)")
    config_path = VAR_DIR / f"haproxy-{public_port}.cfg"
    private_dir(VAR_DIR)
    config_path.write_text(
        haproxy_config(
            rasa=Replicas(tuple(f"127.0.0.1:{port}" for port in rasa_ports)),
            actions=Replicas(tuple(f"127.0.0.1:{port}" for port in action_ports)),
            public_bind=f"{host}:{public_port}",
            actions_bind=f"127.0.0.1:{actions_port}",
        )
    )
    return [
        *(action_service(port, env, f"action server {port}") for port in action_ports),
        *(rasa_service(port, actions_port, "127.0.0.1", model_dir, token, env, scaled=True) for port in rasa_ports),
        Service("load balancer", [haproxy, "-db", "-f", str(config_path)], f"http://127.0.0.1:{public_port}/"),
    ]


def staff_and_demo_services(host: str = "127.0.0.1") -> list[Service]:
    """The widget demo site (8080) and the staff admin (8081), for `make run`."""
    hrbot = str(Path(sys.executable).parent / "hrbot")
    return [
        Service(
            "widget demo",
            [
                hrbot,
                "widget",
                "serve",
                "--host",
                host,
                "--port",
                str(WIDGET_PORT),
                "--bot-url",
                f"http://localhost:{RASA_PORT}",
            ],
            f"http://127.0.0.1:{WIDGET_PORT}/",
        ),
        Service(
            "staff admin",
            [hrbot, "admin", "serve", "--host", host, "--port", str(ADMIN_PORT)],
            f"http://127.0.0.1:{ADMIN_PORT}/admin/login",
        ),
    ]


def first_reviewer_notice() -> str:
    """Create the first reviewer account when there is none, and say where its password is."""
    from bot.admin.accounts import first_reviewer_notice as notice
    from bot.db.engine import new_session

    with new_session() as session, session.begin():
        return notice(session)


def start(services: list[Service], log_dir: Path | None = None) -> None:
    """Start the services and wait until every one answers its health URL."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    for service in services:
        output = None
        if log_dir is not None:
            log_dir.mkdir(parents=True, exist_ok=True)
            output = open(log_dir / f"{service.name.replace(' ', '-')}.log", "wb")
        service.process = subprocess.Popen(
            service.command,
            cwd=PROJECT_ROOT,
            env={**os.environ, **service.env},
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
        )
    for service in services:
        _wait_healthy(service, deadline)


def _wait_healthy(service: Service, deadline: float) -> None:
    while time.monotonic() < deadline:
        if service.started.poll() is not None:
            raise RuntimeError(f"{service.name} exited with code {service.started.returncode}")
        try:
            if requests.get(service.health_url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{service.name} did not become ready in {STARTUP_TIMEOUT_S} s")


def stop(services: list[Service]) -> None:
    running = [service.process for service in services if service.process and service.process.poll() is None]
    for process in running:
        process.terminate()
    for process in running:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def scaled_mode_problem() -> str | None:
    """Why scaled mode cannot start with these settings, or None: every replica must share the databases."""
    for name, url in (("DATABASE_URL", database_url()), ("HRBOT_TRACKER_STORE_URL", tracker_store_url())):
        if make_url(url).get_backend_name() != "postgresql":
            return f"scaled mode keeps the resources and the conversations in PostgreSQL: set {name}=postgresql://..."
    return None


def serve(host: str = "127.0.0.1", scaled: bool = False, replicas: int = 2, action_replicas: int = 2) -> int:
    """The bot, the widget demo and the staff admin; scaled: several Rasa servers and action servers behind HAProxy."""
    if scaled:
        problem = scaled_mode_problem()
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 2
        rasa_ports = [SCALED_RASA_PORT + n for n in range(replicas)]
        try:
            bot = scaled_services(rasa_ports, [SCALED_ACTION_PORT + n for n in range(action_replicas)], host=host)
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        api = (
            f"each replica, http://localhost:{rasa_ports[0]}/ to :{rasa_ports[-1]}/ (HAProxy refuses it on {RASA_PORT})"
        )
    else:
        bot, api = bot_services(host), f"http://localhost:{RASA_PORT}/"
    services = bot + staff_and_demo_services(host)

    def request_stop(_signum, _frame) -> None:
        # A second Ctrl-C or SIGTERM (a supervisor's, a terminal's) must not cut the stopping short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    # Explicit handlers: Ctrl-C and a supervisor's SIGTERM both stop everything cleanly,
    # even from a shell that ignores SIGINT in background jobs, and even during start-up.
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        # Before start(): `hrbot admin serve` would otherwise create the account itself, unseen.
        notice = first_reviewer_notice()
        print("Starting the bot, the widget demo and the staff admin (loading the model takes a minute)...", flush=True)
        start(services)
        print(
            "\nThe bot is running.\n"
            f"  Web chat demo:       http://localhost:{WIDGET_PORT}/\n"
            f"  Staff admin:         http://localhost:{ADMIN_PORT}/admin/\n"
            + notice
            + f"  Chat (REST channel): POST http://localhost:{RASA_PORT}/webhooks/rest/webhook\n"
            f"    curl -s localhost:{RASA_PORT}/webhooks/rest/webhook -H 'Content-Type: application/json' \\\n"
            '         -d \'{"sender": "demo", "message": "hello"}\'\n'
            f"  SMS webhook:         POST http://localhost:{RASA_PORT}/webhooks/sms/webhook (needs TWILIO_AUTH_TOKEN)\n"
            f"  Rasa HTTP API:       {api} (token: $RASA_AUTH_TOKEN or var/rasa-auth-token)\n"
            f"  Action server:       http://localhost:{ACTION_PORT}/health{' (HAProxy, private)' if scaled else ''}\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )
        while all(service.started.poll() is None for service in services):
            time.sleep(1)
        failed = next(service for service in services if service.started.poll() is not None)
        print(f"{failed.name} stopped (exit code {failed.started.returncode}); stopping the others.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop(services)
