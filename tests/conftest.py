"""Shared fixtures: a real simulator on 127.0.0.1, fresh for each test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from pipelines.simulator import Simulator, SimulatorServer


@dataclass
class RunningSimulator:
    sim: Simulator
    server: SimulatorServer

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def api_key(self) -> str:
        return self.sim.api_key


@pytest.fixture
def simulator() -> Iterator[RunningSimulator]:
    """The default organisation (seed 7), rate limit on, served over HTTP."""
    sim = Simulator(seed=7)
    with SimulatorServer(sim, port=0) as server:
        yield RunningSimulator(sim, server)


@pytest.fixture
def make_simulator() -> Iterator:
    """A factory for simulators with other seeds, sizes or rate-limit settings."""
    servers: list[SimulatorServer] = []

    def start(seed: int = 7, rate_limit: bool = True, **options) -> RunningSimulator:
        sim = Simulator(seed=seed, **options)
        server = SimulatorServer(sim, port=0, rate_limit=rate_limit).start()
        servers.append(server)
        return RunningSimulator(sim, server)

    yield start
    for server in servers:
        server.stop()
