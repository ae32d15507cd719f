"""Kept-alive connections spread evenly over the Rasa server's Sanic workers (least connections).

Why: the workers share one listening socket, and a kept-alive connection stays with the worker that
accepted it. Clients open connections in bursts (the benchmark's 20 conversations start at once; the page
server's pool grows in a wave of messages), and the worker that wakes first accepts most of a burst.
Measured here: splits as uneven as 19 to 1, one worker saturated while the other idled.

How: each worker publishes how many connections it holds in its slot of a small table in shared memory,
made when this module is imported (by the channel, in the server's parent process, before Sanic forks the
workers). After each response, a worker holding more than `SLACK` connections above the least loaded
live worker answers with `Connection: close`. The client's next message opens a new connection, and a
worker waiting in accept takes it: usually the idle one, and if not, the check repeats on the next
response. A balanced worker keeps its connections alive, so the cost of reconnecting (about 2 ms of the
server's CPU, measured) is paid only while the split is uneven.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

SLOTS = 32  # far more workers than a machine running this bot has cores
SLACK = 1  # connections a worker may hold above the least loaded one before it hands one back


def _alive(pid: int) -> bool:
    """Whether `pid` runs: not gone and not a zombie. A worker that died stays a zombie until Sanic's
    parent reaps it, which it does only in turn, and `kill(pid, 0)` still succeeds on a zombie; its last
    count would make the others hand back connections for good. Without /proc (not Linux): not alive, so
    nothing is handed back."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            state = stat.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in (b"Z", b"X")


class WorkerConnections:
    """This process's connections, and the shared table of every worker's count (pid 0 = free slot)."""

    def __init__(self, slots: int = SLOTS) -> None:
        self._lock = multiprocessing.Lock()
        self._pids = multiprocessing.RawArray("i", slots)
        self._counts = multiprocessing.RawArray("i", slots)
        self.slot: int | None = None
        self._open: set[Any] = set()
        self._closing: set[Any] = set()  # told to close after their response, not closed yet

    def join(self) -> None:
        """Take a slot for this process (a worker starting); a dead worker's slot is free again."""
        pid = os.getpid()
        with self._lock:
            mine = [i for i, owner in enumerate(self._pids) if owner == pid]
            free = [i for i, owner in enumerate(self._pids) if owner == 0 or not _alive(owner)]
            slots = mine or free
            if not slots:
                logger.warning("No free slot for worker %d: its connections are not balanced.", pid)
                return
            self.slot = slots[0]
            self._pids[self.slot] = pid
        self._publish()

    def leave(self) -> None:
        """Give the slot back (a worker stopping)."""
        if self.slot is None:
            return
        with self._lock:
            self._pids[self.slot] = 0
            self._counts[self.slot] = 0
        self.slot = None

    def held(self) -> int:
        """Connections this worker holds and keeps."""
        return len(self._open) - len(self._closing)

    def _publish(self) -> None:
        if self.slot is not None:
            self._counts[self.slot] = self.held()

    def opened(self, connection: Any) -> None:
        self._open.add(connection)
        self._publish()

    def closed(self, connection: Any) -> None:
        self._open.discard(connection)
        self._closing.discard(connection)
        self._publish()

    def least_elsewhere(self) -> int | None:
        """The fewest connections any other live worker holds, or None when there is no other."""
        others = [self._counts[i] for i, pid in enumerate(self._pids) if pid and i != self.slot and _alive(pid)]
        return min(others, default=None)

    def hand_back(self, connection: Any) -> bool:
        """Whether `connection` should close after its response, so another worker can take the client's
        next one. At most one decision per connection; the count drops at once, so a burst of responses
        does not hand back more than the excess."""
        if self.slot is None or connection not in self._open or connection in self._closing:
            return False
        least = self.least_elsewhere()
        if least is None or self.held() <= least + SLACK:
            return False
        self._closing.add(connection)
        self._publish()
        return True


CONNECTIONS = WorkerConnections()


def balanced(blueprint: Blueprint) -> Blueprint:
    """Count the server's connections and hand back the excess after responses on `blueprint`'s routes."""

    @blueprint.listener("before_server_start")
    async def join(_app: Any, _loop: Any) -> None:
        CONNECTIONS.join()

    @blueprint.listener("after_server_stop")
    async def leave(_app: Any, _loop: Any) -> None:
        CONNECTIONS.leave()

    @blueprint.signal("http.lifecycle.begin")
    async def opened(conn_info: Any, **_: Any) -> None:
        CONNECTIONS.opened(conn_info)

    @blueprint.signal("http.lifecycle.complete")
    async def closed(conn_info: Any, **_: Any) -> None:
        CONNECTIONS.closed(conn_info)

    @blueprint.on_response
    async def hand_back(request: Request, _response: HTTPResponse) -> None:
        if request.stream is not None and CONNECTIONS.hand_back(request.conn_info):
            request.stream.keep_alive = False

    return blueprint
