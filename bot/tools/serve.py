"""Run the whole bot with one command: action server, Rasa server and the web page, stopped together.

`make serve` and the live test fixture both use `Stack`, so what the tests talk to is what people run.
Ctrl-C or SIGTERM stops every child; each child also gets SIGTERM from the kernel if this supervisor dies
without cleaning up (PR_SET_PDEATHSIG), so nothing is left behind either way.

    python -m bot.tools.serve            # serve and print the URL to open
    python -m bot.tools.serve --shell    # action server in the background, `rasa shell` in this terminal
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Dict, List

from bot.paths import ROOT

PYTHON = sys.executable
RASA_READY = b"Rasa server is up and running."  # each Sanic worker logs it once its model is loaded
_PR_SET_PDEATHSIG = 1


_handed_out: set[int] = set()


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it), for stacks started by tests and benchmarks,
    and never one this process has handed out before: the OS can give a port it just gave out again, and
    once gave the Rasa server and the action server of one stack the same port."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port


def wait_for_http(url: str, timeout: float, process: subprocess.Popen | None = None,
                  name: str = "the server") -> None:
    """Poll `url` until it answers 200; fail at once if `process` (the server behind it) exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{name} exited while starting; see its log")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{name} did not answer at {url} within {timeout:.0f} s")


def _env_int(name: str, default: int) -> int:
    """Read a port or a count from the environment, failing loudly on a typo rather than using a surprise
    value."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"{name} must be a whole number above 0, got {raw!r}")
    return int(raw)


@dataclass(frozen=True)
class Settings:
    """Everything a stack needs; read from the environment so ports and files are configurable."""

    host: str = "127.0.0.1"
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8080
    # Sanic workers of the Rasa server. Each loads its own copy of the model (about 530 MB beyond the code
    # they share); two keep both cores of a 2-core machine busy under load: in the soak, 37% more messages
    # per second and a third off p95 (README, "Measurements"). They share ticket locks through the
    # tracker's SQLite file (endpoints.yml).
    rasa_workers: int = 2
    model: Path = ROOT / "models" / "bot.tar.gz"
    tracker_db: Path = ROOT / "var" / "tracker.db"
    # None: children write to this terminal; a folder: one log file per service (used by the tests).
    log_dir: Path | None = None
    # Origins allowed to call the Rasa server from a browser; by default only the widget's own page.
    cors_origins: tuple[str, ...] = ()
    # The Rasa HTTP API stays off unless a token is given (RASA_AUTH_TOKEN).
    auth_token: str | None = None
    extra_env: Dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from BOT_HOST, RASA_PORT, ACTION_PORT, WEB_PORT, RASA_WORKERS, MODEL, TRACKER_DB,
        CORS_ORIGINS, RASA_AUTH_TOKEN."""
        env = os.environ
        cors = tuple(o.strip() for o in env.get("CORS_ORIGINS", "").split(",") if o.strip())
        return cls(
            host=env.get("BOT_HOST", cls.host),
            rasa_port=_env_int("RASA_PORT", cls.rasa_port),
            action_port=_env_int("ACTION_PORT", cls.action_port),
            web_port=_env_int("WEB_PORT", cls.web_port),
            rasa_workers=_env_int("RASA_WORKERS", cls.rasa_workers),
            model=Path(env.get("MODEL", cls.model)),
            tracker_db=Path(env.get("TRACKER_DB", cls.tracker_db)),
            cors_origins=cors,
            auth_token=env.get("RASA_AUTH_TOKEN") or None,
        )

    @classmethod
    def isolated(cls, folder: Path, **overrides: Any) -> Settings:
        """A stack of its own beside any other: free ports, its own SQLite file and a log folder under
        `folder` (tests, `make bench`, `make soak`)."""
        values: Dict[str, Any] = dict(rasa_port=free_port(), action_port=free_port(), web_port=free_port(),
                                      tracker_db=folder / "tracker.db", log_dir=folder / "logs")
        return cls(**{**values, **overrides})

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def allowed_origins(self) -> tuple[str, ...]:
        """The widget's page is always allowed; more origins only when configured."""
        own = (self.web_url, f"http://localhost:{self.web_port}")
        return tuple(dict.fromkeys(own + self.cors_origins))


def _die_with_parent() -> None:
    """Runs in each child before exec: ask the kernel to SIGTERM it when the supervisor goes away."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Service:
    """One child process and how to tell that it is ready."""

    name: str
    argv: List[str]
    ready_url: str
    env: Dict[str, str] = field(default_factory=dict)  # this service's own, on top of the stack's
    # Processes that each say `ready_line` in the log when ready (Rasa's Sanic workers); the first one
    # answers `ready_url`. Counted only when logging to a file, and only lines written since the start.
    workers: int = 1
    ready_line: bytes = b""
    process: subprocess.Popen | None = None
    log: IO[bytes] | None = None
    log_start: int = 0

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Stack:
    """The action server, the Rasa server and the web page server as one unit."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.services: Dict[str, Service] = {s.name: s for s in self._services()}

    def _services(self) -> List[Service]:
        s = self.settings
        rasa_argv = [
            PYTHON, "-m", "bot.runtime.rasa_server", "run",
            "--model", str(s.model),
            "--port", str(s.rasa_port),
            "--interface", s.host,
            "--endpoints", str(ROOT / "endpoints.yml"),
            "--credentials", str(ROOT / "credentials.yml"),
            "--cors", *s.allowed_origins,
        ]
        if s.auth_token:
            rasa_argv += ["--enable-api", "--auth-token", s.auth_token]
        return [
            Service(
                "actions",
                [PYTHON, "-m", "bot.runtime.action_server", "--port", str(s.action_port)],
                f"http://{s.host}:{s.action_port}/health",
            ),
            Service("rasa", rasa_argv, f"{s.rasa_url}/", env={"SANIC_WORKERS": str(s.rasa_workers)},
                    workers=s.rasa_workers, ready_line=RASA_READY),
            Service(
                "web",
                [PYTHON, "-m", "bot.web", "--host", s.host, "--port", str(s.web_port),
                 "--rasa-url", s.rasa_url],
                f"{s.web_url}/health",
            ),
        ]

    def child_env(self) -> Dict[str, str]:
        env = dict(os.environ)
        # Libraries' deprecation notices would bury the lines that matter; PYTHONWARNINGS can re-enable them.
        env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning,ignore::PendingDeprecationWarning")
        # The models are tiny: TensorFlow's thread pools cost more than they give, and one thread leaves the
        # other core to the action server (+20% messages per second measured; README, "Measurements").
        env.setdefault("TF_INTER_OP_PARALLELISM_THREADS", "1")
        env.setdefault("TF_INTRA_OP_PARALLELISM_THREADS", "1")
        env.update(
            RASA_TELEMETRY_ENABLED="false",
            TF_CPP_MIN_LOG_LEVEL="2",
            ACTION_PORT=str(self.settings.action_port),
            TRACKER_DB=str(self.settings.tracker_db),
            PYTHONPATH=str(ROOT),
        )
        env.update(self.settings.extra_env)
        return env

    def start(self, timeout: float = 240.0) -> None:
        """Start every service and wait until all answer; on failure stop what started and raise."""
        self.settings.tracker_db.parent.mkdir(parents=True, exist_ok=True)
        if not self.settings.model.exists():
            raise RuntimeError(f"No trained model at {self.settings.model}: run `make train`.")
        try:
            for name in self.services:
                self.start_service(name, wait=False)
            for name in self.services:
                self.wait_ready(name, timeout)
        except BaseException:
            self.stop()
            raise

    def start_service(self, name: str, wait: bool = True, timeout: float = 240.0) -> None:
        service = self.services[name]
        if service.running():
            return
        log_dir = self.settings.log_dir
        if log_dir is not None:
            log_dir.mkdir(parents=True, exist_ok=True)
            service.log = open(log_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop_service
            service.log_start = service.log.tell()
        service.process = subprocess.Popen(
            service.argv,
            cwd=ROOT,
            env={**self.child_env(), **service.env},
            stdout=service.log,
            stderr=subprocess.STDOUT if service.log else None,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        if wait:
            self.wait_ready(name, timeout)

    def wait_ready(self, name: str, timeout: float) -> None:
        """Until the service answers and, when its log is a file, every one of its workers said it is
        ready: a benchmark's warm-up must reach them all."""
        service = self.services[name]
        deadline = time.monotonic() + timeout
        wait_for_http(service.ready_url, timeout, service.process, name)
        if service.log is None or service.workers == 1:
            return
        log_path = Path(service.log.name)
        while self._ready_workers(service, log_path) < service.workers:
            if service.process is None or service.process.poll() is not None:
                raise RuntimeError(f"{name} exited while starting; see its log")
            if time.monotonic() > deadline:
                raise TimeoutError(f"not all {service.workers} workers of {name} started within {timeout:.0f} s")
            time.sleep(0.5)

    @staticmethod
    def _ready_workers(service: Service, log_path: Path) -> int:
        with log_path.open("rb") as log:
            log.seek(service.log_start)
            return log.read().count(service.ready_line)

    def stop_service(self, name: str, grace: float = 15.0) -> None:
        """SIGTERM, then SIGKILL after `grace` seconds."""
        service = self.services[name]
        if service.process is not None:
            if service.process.poll() is None:
                service.process.terminate()
                try:
                    service.process.wait(grace)
                except subprocess.TimeoutExpired:
                    service.process.kill()
                    service.process.wait()
            service.process = None
        if service.log is not None:
            service.log.close()
            service.log = None

    def stop(self) -> None:
        """Stop in reverse order: nothing new reaches the Rasa server once the page is gone."""
        for name in reversed(list(self.services)):
            self.stop_service(name)

    def pids(self) -> Dict[str, int]:
        """Process ids of the Rasa server and the action server (for memory and CPU figures)."""
        return {name: self.services[name].process.pid for name in ("rasa", "actions")}  # type: ignore[union-attr]

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _serve(settings: Settings) -> int:
    stack = Stack(settings)
    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print("Starting the action server, the Rasa server and the web page (about 30-60 s)...", flush=True)
    try:
        stack.start()
    except (RuntimeError, TimeoutError) as error:
        print(f"Could not start: {error}", file=sys.stderr)
        return 1
    print(f"\n  Chat with the bot: {settings.web_url}\n"
          f"  REST: POST {settings.rasa_url}/webhooks/rest/webhook\n"
          "  Stop with Ctrl-C.\n", flush=True)
    try:
        while not stop.wait(1.0):
            for service in stack.services.values():
                if not service.running():
                    print(f"{service.name} stopped unexpectedly; restarting it.", file=sys.stderr)
                    stack.stop_service(service.name)
                    stack.start_service(service.name, wait=False)
    finally:
        print("Stopping...", flush=True)
        stack.stop()
    return 0


def _shell(settings: Settings) -> int:
    stack = Stack(settings)
    stack.start_service("actions")
    try:
        return subprocess.call(
            [PYTHON, "-m", "bot.runtime.rasa_server", "shell", "--model", str(settings.model),
             "--endpoints", str(ROOT / "endpoints.yml")],
            cwd=ROOT, env=stack.child_env(),
        )
    finally:
        stack.stop()


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shell", action="store_true", help="talk to the bot in this terminal")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    return _shell(settings) if args.shell else _serve(settings)


if __name__ == "__main__":
    sys.exit(main())
