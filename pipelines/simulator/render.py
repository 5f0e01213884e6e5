"""The machinery that makes rendering cheap: random streams, a page of them at once, JSON templates.

A page of 1000 WMS orders needs ~20 random draws and ~30 formatted values per order. In Python a
function call or one splitmix64 step costs about as much as formatting a whole record, so the hot
path draws a whole page's streams at once (`columns`), fills bytes templates with `%` (literal runs
are copied with memchr/memcpy) and looks values up in self-filling tables (`Memo`) instead of
calling cached functions.
"""

from __future__ import annotations

import functools
import math
import sys
import time
import zlib
from array import array
from collections.abc import Callable, Sequence
from typing import Any

import orjson

M64 = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


@functools.lru_cache(maxsize=4096)
def strhash(text: str) -> int:
    return zlib.crc32(text.encode())


class Rng:
    """A small deterministic generator (splitmix64), cheap to seed from a few ints and strings.

    Rendering seeds one per record and salt, so seeding must cost far less than `random.Random`'s
    (a hash of ints is deterministic across processes; strings go through crc32).
    """

    __slots__ = ("s",)

    def __init__(self, *parts: int | str) -> None:
        self.s = hash(tuple(p if isinstance(p, int) else strhash(p) for p in parts)) & M64

    @classmethod
    def of(cls, *ints: int) -> Rng:
        """The fast path of the hot loops: parts already ints."""
        rng = cls.__new__(cls)
        rng.s = hash(ints) & M64
        return rng

    def next(self) -> int:
        self.s = z = (self.s + GAMMA) & M64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def random(self) -> float:
        return (self.next() >> 11) * (1.0 / (1 << 53))

    def chunks(self, count: int) -> list[int]:
        """`count` random 16-bit numbers from as few 64-bit draws as possible (the hot loops)."""
        out: list[int] = []
        while len(out) < count:
            z = self.next()
            out += (z & 0xFFFF, (z >> 16) & 0xFFFF, (z >> 32) & 0xFFFF, z >> 48)
        return out[:count]

    def randrange(self, n: int) -> int:
        return self.next() % n

    def randint(self, a: int, b: int) -> int:
        return a + self.next() % (b - a + 1)

    def choice(self, seq: Sequence[Any]) -> Any:
        return seq[self.next() % len(seq)]

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.random()


def below(p: float) -> int:
    """`Rng.random() < p` for a draw z is `z >> 11 < below(p)` (exact: no float per draw)."""
    return math.ceil(p * (1 << 53))


@functools.lru_cache(maxsize=64)
def _lanes(n: int, value: int) -> int:
    """`value` in each of n 128-bit lanes of one int."""
    return int.from_bytes((value.to_bytes(8, "little") + bytes(8)) * n, "little")


def columns(seeds: Sequence[tuple[int, ...]], count: int) -> list[array]:
    """The first `count` draws of `Rng.of(*seed)` for many seeds at once: `[draw][seed]`.

    Packed 128 bits apart in one big int, every stream advances with a few big-int operations
    (a 64x64-bit product still fits in its lane) instead of a Python loop per stream.
    """
    n = len(seeds)
    packed = array("Q", bytes(16 * n))
    packed[::2] = array("Q", [hash(seed) & M64 for seed in seeds])
    state = int.from_bytes(packed.tobytes(), sys.byteorder)
    mask, gamma = _lanes(n, M64), _lanes(n, GAMMA)
    out = []
    for _ in range(count):
        state = (state + gamma) & mask
        z = ((state ^ ((state >> 30) & mask)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ ((z >> 27) & mask)) * 0x94D049BB133111EB) & mask
        z ^= (z >> 31) & mask
        lanes = array("Q")
        lanes.frombytes(z.to_bytes(16 * n, sys.byteorder))
        out.append(lanes[::2])
    return out


class Memo(dict):
    """A dict that fills itself: hot loops subscript it instead of calling a cached function."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.make(key)
        return value


def json_bytes(value: Any) -> bytes:
    """For the parts serialized once and embedded in many records."""
    return orjson.dumps(value)


# Trackstar's date format, ISO 8601 UTC with a Z: an hour prefix (a few hundred distinct ones)
# and one of 3600 "MM:SSZ" suffixes, so a page's thousands of distinct timestamps cost lookups.
ISO_HOUR = Memo(lambda hour: time.strftime("%Y-%m-%dT%H:", time.gmtime(hour * 3600)))
ISO_REST = tuple(f"{m:02d}:{s:02d}Z" for m in range(60) for s in range(60))
ISO_HOUR_BYTES = Memo(lambda hour: ISO_HOUR[hour].encode())
ISO_REST_BYTES = tuple(rest.encode() for rest in ISO_REST)


def iso(ts: int | None) -> str | None:
    """Trackstar's date format: ISO 8601 UTC with a Z."""
    if ts is None:
        return None
    return ISO_HOUR[ts // 3600] + ISO_REST[ts % 3600]


HOLE = orjson.Fragment(b"%s")  # a template's raw hole for JSON bytes (a number, a list, ...)
INT = orjson.Fragment(b"%d")  # a raw hole for an int
DATE = orjson.Fragment(b'"%s%s"')  # a date's two holes: ISO_HOUR_BYTES[ts // 3600], ISO_REST_BYTES


def template(shape: dict[str, Any]) -> bytes:
    """A record's JSON as a bytes `%` template, from a dict written like the record: string values
    may hold `%s` (bytes) or `%d`; `HOLE`, `INT` and `DATE` values are raw holes."""
    return orjson.dumps(shape)
