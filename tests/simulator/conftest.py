"""One shared simulator for the read-only tests of this package (building one takes ~1 s)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pipelines.simulator import Simulator, SimulatorServer
from tests.conftest import RunningSimulator


@pytest.fixture(scope="module")
def shared() -> Iterator[RunningSimulator]:
    """Seed 7, rate limit OFF: for tests that only read and never move the clock or set faults."""
    sim = Simulator(seed=7)
    with SimulatorServer(sim, port=0, rate_limit=False) as server:
        yield RunningSimulator(sim, server)


@pytest.fixture(scope="module")
def small() -> Iterator[RunningSimulator]:
    """A smaller organisation (seed 7, rate limit off) for tests that scan everything many times."""
    sim = Simulator(seed=7, wms_orders=300, cart_orders_per_connection=60)
    with SimulatorServer(sim, port=0, rate_limit=False) as server:
        yield RunningSimulator(sim, server)
