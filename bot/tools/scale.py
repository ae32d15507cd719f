"""The scale-out profile on one machine: PostgreSQL, Redis, the action server, two Rasa servers, nginx.

    python -m bot.tools.scale up      # start everything (make scale-up), print the URL, keep running until Ctrl-C
    python -m bot.tools.scale down    # stop a profile left running by an interrupted `up` (make scale-down)

What each part is for:
- PostgreSQL holds every conversation (the same PrivateSQLTrackerStore as SQLite, endpoints.scale.yml), so
  any Rasa server can continue any conversation.
- Redis is the lock store: two messages of one conversation never run at once, even on two servers.
- Two Rasa servers share the work; nginx is the single entry for the page, REST and socket.io.
- socket.io keeps per-connection state in the process that accepted it (and its polling transport makes
  several requests per connection), so it is served by the one page server (bot/web/gateway.py), which
  passes each message on over REST. REST requests carry their whole state in PostgreSQL, so they go
  round-robin, and a request refused by a stopped server is passed to the other one.
Everything lives under var/scale/ (git-ignored). For managed PostgreSQL or Redis, set POSTGRES_* and
REDIS_* (see endpoints.scale.yml) and start only the Rasa servers, actions and nginx: README, "Running at
scale".
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from bot.paths import ROOT
from bot.tools.serve import Service, Stack, free_port, wait_for_http

SCALE_DIR = ROOT / "var" / "scale"
PG_BIN = Path("/usr/lib/postgresql/15/bin")


@dataclass(frozen=True)
class ScaleSettings:
    folder: Path = SCALE_DIR
    host: str = "127.0.0.1"
    entry_port: int = 8090  # nginx: the one URL for the page, REST and socket.io
    rasa_ports: tuple[int, ...] = (5006, 5007)
    action_port: int = 5056
    web_port: int = 8091
    postgres_port: int = 5433
    redis_port: int = 6380
    model: Path = ROOT / "models" / "bot.tar.gz"

    @classmethod
    def free(cls, folder: Path) -> ScaleSettings:
        """Free ports everywhere: for tests next to a running `make serve`."""
        return cls(folder=folder, entry_port=free_port(), rasa_ports=(free_port(), free_port()),
                   action_port=free_port(), web_port=free_port(), postgres_port=free_port(),
                   redis_port=free_port())

    @property
    def entry_url(self) -> str:
        return f"http://{self.host}:{self.entry_port}"

    def rasa_url(self, index: int) -> str:
        return f"http://{self.host}:{self.rasa_ports[index]}"

    def env(self) -> dict[str, str]:
        """What endpoints.scale.yml reads."""
        return {"ACTION_PORT": str(self.action_port), "POSTGRES_HOST": self.host,
                "POSTGRES_PORT": str(self.postgres_port), "POSTGRES_DB": "rasa", "POSTGRES_USER": "postgres",
                "POSTGRES_PASSWORD": "", "REDIS_HOST": self.host, "REDIS_PORT": str(self.redis_port),
                "REDIS_PASSWORD": ""}


def _as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: drop to the `postgres` user the Debian package creates."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


NGINX_CONF = """\
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;  # request lines are harmless, but nothing about a conversation needs to be kept here
    client_body_temp_path {folder}/nginx-body;
    proxy_temp_path {folder}/nginx-proxy;
    fastcgi_temp_path {folder}/nginx-fastcgi;
    uwsgi_temp_path {folder}/nginx-uwsgi;
    scgi_temp_path {folder}/nginx-scgi;
    upstream rasa_any {{ {servers} }}
    upstream page {{ server {host}:{web_port}; }}
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    server {{
        listen {host}:{entry_port};
        client_max_body_size 64k;
        location /socket.io/ {{
            proxy_pass http://page;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 120s;
        }}
        location /webhooks/ {{
            proxy_pass http://rasa_any;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_read_timeout 60s;
        }}
        location / {{ proxy_pass http://page; }}
    }}
}}
"""


@dataclass
class ScaleStack:
    """Start and stop the whole profile; each Rasa server can be stopped alone (for the tests)."""

    settings: ScaleSettings
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def pg_data(self) -> Path:
        return self.settings.folder / "postgres"

    # --------------------------------------------------------------------------------- infrastructure
    def start_postgres(self) -> None:
        s = self.settings
        s.folder.mkdir(parents=True, exist_ok=True)
        if not (self.pg_data / "PG_VERSION").exists():
            self.pg_data.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.pg_data, "postgres", "postgres")
            subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(self.pg_data), "-U", "postgres",
                                         "-A", "trust", "--no-sync"]), check=True, stdout=subprocess.DEVNULL)
        options = f"-p {s.postgres_port} -c listen_addresses={s.host} -k {self.pg_data}"
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.pg_data), "-o", options, "-l",
                                     str(self.pg_data / "server.log"), "-w", "start"]),
                       check=True, stdout=subprocess.DEVNULL)
        exists = subprocess.run(["psql", "-h", s.host, "-p", str(s.postgres_port), "-U", "postgres", "-tAc",
                                 "SELECT 1 FROM pg_database WHERE datname = 'rasa'"],
                                capture_output=True, text=True, check=True).stdout.strip()
        if not exists:
            subprocess.run(["createdb", "-h", s.host, "-p", str(s.postgres_port), "-U", "postgres", "rasa"],
                           check=True)

    def stop_postgres(self) -> None:
        if (self.pg_data / "postmaster.pid").exists():
            subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.pg_data), "-m", "fast",
                                         "-w", "stop"]), check=False, stdout=subprocess.DEVNULL)

    def _spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
        log = open(self.settings.folder / f"{name}.log", "ab")  # noqa: SIM115 - owned by the process
        self.processes[name] = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log,
                                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def start_redis(self) -> None:
        s = self.settings
        self._spawn("redis", ["redis-server", "--port", str(s.redis_port), "--bind", s.host,
                              "--dir", str(s.folder), "--save", "", "--appendonly", "no"])

    def start_nginx(self) -> None:
        s = self.settings
        servers = " ".join(f"server {s.host}:{port} max_fails=1 fail_timeout=5s;" for port in s.rasa_ports)
        conf = s.folder / "nginx.conf"
        conf.write_text(NGINX_CONF.format(folder=s.folder, servers=servers, host=s.host, web_port=s.web_port,
                                          entry_port=s.entry_port))
        self._spawn("nginx", ["nginx", "-c", str(conf), "-p", str(s.folder), "-g", "daemon off;"])

    # ------------------------------------------------------------------------------------ the bot
    def _bot_stack(self) -> Stack:
        """The action server, Rasa servers and page, built like `make serve` builds them."""
        from bot.tools.serve import Settings

        s = self.settings
        return Stack(Settings(host=s.host, rasa_port=s.rasa_ports[0], action_port=s.action_port,
                              web_port=s.web_port, model=s.model, log_dir=s.folder / "logs",
                              cors_origins=(s.entry_url,), extra_env=s.env()))

    def _rasa_service(self, base: Service, index: int) -> Service:
        """Rasa server number `index`: `make serve`'s command with the scale endpoints and its own port."""
        s = self.settings
        argv = [arg if arg != str(ROOT / "endpoints.yml") else str(ROOT / "endpoints.scale.yml")
                for arg in base.argv]
        argv[argv.index("--port") + 1] = str(s.rasa_ports[index])
        return Service(f"rasa{index}", argv, f"{s.rasa_url(index)}/")

    def start(self, timeout: float = 300) -> None:
        s = self.settings
        s.folder.mkdir(parents=True, exist_ok=True)
        self.bot = self._bot_stack()
        web = self.bot.services["web"]
        web.argv[web.argv.index("--rasa-url") + 1] = s.entry_url  # the page talks to nginx
        base = self.bot.services.pop("rasa")
        for index in range(len(s.rasa_ports)):
            service = self._rasa_service(base, index)
            self.bot.services[service.name] = service
        try:
            self.start_postgres()
            self.start_redis()
            self.bot.start(timeout)
            self.start_nginx()
            wait_for_http(f"{s.entry_url}/health", 30, self.processes["nginx"], "nginx")
        except BaseException:
            self.stop()
            raise

    def stop_rasa(self, index: int) -> None:
        self.bot.stop_service(f"rasa{index}")

    def stop(self) -> None:
        bot = getattr(self, "bot", None)
        if bot is not None:
            bot.stop()
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                process.send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.processes.clear()
        self.stop_postgres()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["up", "down"])
    args = parser.parse_args(argv)
    stack = ScaleStack(ScaleSettings())
    if args.command == "down":
        stack.stop_postgres()
        for name in ("nginx", "redis-server"):
            subprocess.run(["pkill", "-f", f"{name}.*{SCALE_DIR}"], check=False)
        print("Scale profile stopped.")
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("Starting PostgreSQL, Redis, the action server, two Rasa servers and nginx...", flush=True)
    stack.start()
    print(f"\n  Chat with the bot: {stack.settings.entry_url}\n  Stop with Ctrl-C.\n", flush=True)
    try:
        stop.wait()
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

