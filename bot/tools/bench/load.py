"""Concurrent REST conversations against a running bot: latency, throughput, failures, peak memory.

A small asyncio client (aiohttp is already a Rasa dependency): each conversation sends its messages one
after another, waiting for each answer, as a person would; the conversations run at the same time.
"""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Sequence

import aiohttp
import psutil
from tqdm import tqdm

# One realistic conversation: themes, strategy requests, an accusation, an I-statement attempt, help,
# thanks and goodbye (15 messages). People word things differently, so each step has variants and
# conversation i takes variant i of each (cycling): the short everyday replies recur across conversations
# as they do in life, the long personal ones mostly do not.
SCRIPT: tuple[tuple[str, ...], ...] = (
    ("hi", "hello", "hey there"),
    ("i checked his phone last night and saw messages from his ex",
     "she liked her ex's photos again and i feel so jealous",
     "he went out with his coworkers and i got so jealous i couldn't sleep",
     "my girlfriend keeps texting a guy from her gym and it makes me jealous",
     "i get really jealous when he talks about his ex"),
    ("another idea", "another idea please", "give me another idea"),
    ("what else can i do", "any other tips?", "what else could help"),
    ("i keep reading into every text she sends me",
     "i overanalyse every little thing he does",
     "if he takes long to reply i start wondering what it means",
     "i replay everything she said and look for hidden meanings"),
    ("you never listen to me", "you always ignore me", "you never have time for me",
     "you're always on your phone"),
    ("yes", "yes please", "sure"),
    ("I feel like you never listen to me", "I feel that you always ignore me",
     "I feel like you don't care about me", "I feel ignored because you're selfish"),
    ("I feel lonely when you look at your phone while I talk, because I need to feel heard. "
     "Could we put our phones away at dinner?",
     "I feel hurt when plans get cancelled at the last minute, because I need to know I matter. "
     "Could you tell me a day ahead next time?",
     "I feel anxious when I don't hear from you all evening, because I need some reassurance. "
     "Would you send me a quick text when you're running late?"),
    ("how am i doing?", "how am i doing", "how am i doing so far?"),
    ("should i see a therapist about this?", "would couples counselling help us?",
     "i think i might need to talk to a professional"),
    ("what is insecurity anyway", "what does insecurity even mean", "is it normal to feel insecure?"),
    ("i'm scared he's going to leave me", "i'm terrified she'll leave me one day",
     "i'm afraid she'll leave me for someone else"),
    ("thanks, that helps", "thank you", "thanks"),
    ("bye", "goodbye", "see you"),
)


# The same kinds of turns in other words, so each server process builds its TensorFlow graphs and meets
# each flow once before anything is measured, while no measured message is parsed before it is measured.
WARM_UP: tuple[tuple[str, ...], ...] = (
    ("good morning", "hiya"),
    ("my partner's ex keeps messaging him and i hate it", "i feel jealous of her best friend"),
    ("one more idea", "another one please"),
    ("anything else i could try?",),
    ("i analyse every emoji he sends me", "i keep wondering what her short replies mean"),
    ("you always forget what i tell you", "you never ask about my day"),
    ("ok", "yeah"),
    ("I feel like you don't respect me", "I feel that you never help"),
    ("I feel sad when we skip our evening walk, because I need time with you. Could we walk on Sunday?",
     "I feel tense when the dishes pile up, because I need us to share the work. Could we take turns?"),
    ("how's my progress?",),
    ("do you think therapy would help me?", "maybe i should see a counsellor"),
    ("what are signs of insecurity?", "why do people feel insecure?"),
    ("i worry he'll walk out on me", "what if she leaves me"),
    ("cheers", "thanks a lot"),
    ("bye for now", "talk later"),
)
WARM_UP_CONVERSATIONS = 6


def messages_for(conversation: int, script: Sequence[Sequence[str]] = SCRIPT) -> list[str]:
    """The messages of conversation number `conversation`: variant `conversation` of each step."""
    return [step[conversation % len(step)] for step in script]


@dataclass
class LoadResult:
    """What one load run measured."""

    latencies_ms: list[float] = field(default_factory=list)
    failures: int = 0
    silent: int = 0  # answered with no message at all: a failure a person would notice too
    seconds: float = 0.0
    senders: list[str] = field(default_factory=list)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    peak_pss_mb: dict[str, float] = field(default_factory=dict)
    round_p95_ms: list[float] = field(default_factory=list)  # each pooled round's own p95

    def add(self, other: LoadResult) -> None:
        """Pool another round into this result: its latencies, failures, time, senders and peaks."""
        self.latencies_ms += other.latencies_ms
        self.failures += other.failures
        self.silent += other.silent
        self.seconds += other.seconds
        self.senders += other.senders
        self.round_p95_ms += other.round_p95_ms or [other.percentile(95)]
        for mine, theirs in ((self.peak_rss_mb, other.peak_rss_mb), (self.peak_pss_mb, other.peak_pss_mb)):
            for name, mb in theirs.items():
                mine[name] = max(mine.get(name, 0.0), mb)

    @property
    def messages(self) -> int:
        return len(self.latencies_ms) + self.failures

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    def summary(self) -> dict[str, float | int]:
        return {
            "messages": self.messages, "failures": self.failures, "silent": self.silent,
            "p50_ms": round(self.percentile(50), 1), "p95_ms": round(self.percentile(95), 1),
            "max_ms": round(max(self.latencies_ms, default=float("nan")), 1),
            "mean_ms": round(statistics.fmean(self.latencies_ms), 1) if self.latencies_ms else float("nan"),
            "messages_per_s": round(self.throughput, 1), "seconds": round(self.seconds, 1),
            **{f"peak_rss_mb_{name}": round(mb) for name, mb in self.peak_rss_mb.items()},
            **{f"peak_pss_mb_{name}": round(mb) for name, mb in self.peak_pss_mb.items()},
        }


class MemorySampler:
    """Samples the resident memory of named processes (and their children) in a background thread.

    Two sums per process family: RSS, which counts a page once in every process that maps it, and PSS
    (proportional set size), which splits each shared page between the processes that share it, so PSS
    sums to the memory the processes really occupy. They differ by the shared libraries, and by much more
    when a server forks workers that share its loaded code (Sanic workers, `SANIC_WORKERS`).

    RSS is read every `interval`. PSS makes the kernel walk every page: about 40 ms of CPU per read of the
    Rasa server (measured here), so at the same rate the sampler took a tenth of the two cores from the
    servers it measured. It is read every `pss_interval`, sooner (but at most every `pss_gap`) when RSS
    has risen by `RSS_RISE_MB` since the last PSS read, and once more as sampling stops. Finding a server's
    child processes scans every process on the machine, so each family is found once, and again only when
    one of its processes is gone (a process started later in a family is not seen: the servers here start
    all of theirs before they answer)."""

    RSS_RISE_MB = 10.0

    def __init__(self, pids: dict[str, int], interval: float = 0.2, pss_interval: float = 5.0,
                 pss_gap: float = 1.0) -> None:
        self.pids, self.interval, self.pss_interval, self.pss_gap = pids, interval, pss_interval, pss_gap
        self.peak: dict[str, float] = {name: 0.0 for name in pids}
        self.peak_pss: dict[str, float] = {name: 0.0 for name in pids}
        self._families: dict[str, list[psutil.Process]] = {}
        self._rss: dict[str, float] = {}  # the latest RSS read
        self._rss_at_pss: dict[str, float] = {}  # RSS when PSS was last read
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _family(pid: int) -> list[psutil.Process]:
        process = psutil.Process(pid)
        return [process, *process.children(recursive=True)]

    @staticmethod
    def _read(family: list[psutil.Process], pss: bool) -> tuple[float, float]:
        usage = [p.memory_full_info() if pss else p.memory_info() for p in family]
        return sum(u.rss for u in usage) / 2**20, sum(getattr(u, "pss", 0) for u in usage) / 2**20

    @classmethod
    def rss_mb(cls, pid: int) -> float:
        """RSS of the process and its children, in MB (0.0 if gone or not ours to read)."""
        try:
            return cls._read(cls._family(pid), pss=False)[0]
        except psutil.Error:
            return 0.0

    def _family_mb(self, name: str, pss: bool) -> tuple[float, float]:
        family = self._families.get(name)
        if family is not None:
            try:
                return self._read(family, pss)
            except psutil.Error:  # a process of the family is gone: find the family again
                pass
        try:
            self._families[name] = self._family(self.pids[name])
            return self._read(self._families[name], pss)
        except psutil.Error:  # gone, or not ours to read: no figure (the report fails a target of 0)
            return 0.0, 0.0

    def _sample(self, pss: bool) -> None:
        for name in self.pids:
            rss, pss_mb = self._family_mb(name, pss)
            self._rss[name] = rss
            if pss:
                self._rss_at_pss[name] = rss
            self.peak[name] = max(self.peak[name], rss)
            self.peak_pss[name] = max(self.peak_pss[name], pss_mb)

    def _rss_rose(self) -> bool:
        return any(rss > self._rss_at_pss.get(name, 0.0) + self.RSS_RISE_MB for name, rss in self._rss.items())

    def _run(self) -> None:
        last_pss = -float("inf")
        while not self._stop.is_set():
            now = time.monotonic()
            pss = now - last_pss >= self.pss_interval or (now - last_pss >= self.pss_gap and self._rss_rose())
            self._sample(pss)
            last_pss = now if pss else last_pss
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample(pss=True)


async def _conversation(session: aiohttp.ClientSession, url: str, messages: Sequence[str],
                        result: LoadResult, progress: tqdm, sender: str) -> None:
    for text in messages:
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": text}) as response:
                body = await response.json()
                if response.status != 200:
                    raise RuntimeError(f"HTTP {response.status}")
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            result.silent += not body
        except Exception:  # noqa: BLE001 - every kind of failure counts the same here
            result.failures += 1
        progress.update()


async def _run(rasa_url: str, conversations: int, script: Sequence[Sequence[str]], label: str,
               quiet: bool, keep_alive: bool) -> LoadResult:
    result = LoadResult(senders=[f"bench-{uuid.uuid4().hex[:10]}" for _ in range(conversations)])
    url = f"{rasa_url}/webhooks/rest/webhook"
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=conversations, force_close=not keep_alive)
    with tqdm(total=conversations * len(script), desc=label, unit="msg", disable=quiet or None,
              leave=False, mininterval=1.0) as progress:
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
            started = time.perf_counter()
            await asyncio.gather(*(_conversation(session, url, messages_for(i, script), result, progress, sender)
                                   for i, sender in enumerate(result.senders)))
            result.seconds = time.perf_counter() - started
    return result


def run_load(rasa_url: str, conversations: int = 20, script: Sequence[Sequence[str]] = SCRIPT,
             pids: dict[str, int] | None = None, label: str = "load", quiet: bool = False,
             keep_alive: bool = True, rounds: int = 1) -> LoadResult:
    """Run `rounds` rounds, one after another, of `conversations` new concurrent conversations of `script`,
    sampling the memory of `pids` meanwhile; the rounds are pooled. Connections are reused, as a browser
    reuses them, unless `keep_alive` is false."""
    total = LoadResult()
    with MemorySampler(pids or {}) as sampler:
        for n in range(rounds):
            name = label if rounds == 1 else f"{label} {n + 1}/{rounds}"
            total.add(asyncio.run(_run(rasa_url, conversations, script, name, quiet, keep_alive)))
    total.peak_rss_mb, total.peak_pss_mb = dict(sampler.peak), dict(sampler.peak_pss)
    return total


def warm_up(rasa_url: str) -> None:
    """The warm-up conversations (not measured): every kind of turn of `SCRIPT` once in other words. Each
    message goes on a new connection, which whichever Sanic worker is free accepts, so every worker is
    warmed; a reused connection stays with one worker."""
    run_load(rasa_url, conversations=WARM_UP_CONVERSATIONS, script=WARM_UP, label="warm-up", quiet=True,
             keep_alive=False)
