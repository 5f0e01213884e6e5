"""A local Trackstar: the same HTTP contract as the real API, with realistic evolving data.

sim = Simulator(seed=7)
with SimulatorServer(sim) as server:      # real HTTP on 127.0.0.1, a free port
    server.base_url, sim.api_key, sim.connections
    sim.advance(hours=1)                  # the clock moves; records change
    sim.faults.update(error_rate=0.2)     # faults on demand
    sim.truth.shipment_costs()            # what a correct warehouse must contain
"""

from __future__ import annotations

from typing import Any

import pendulum

from pipelines.simulator.faults import Faults
from pipelines.simulator.server import SimulatorServer
from pipelines.simulator.world import START, Truth, World

__all__ = ["START", "Faults", "Simulator", "SimulatorServer"]


class Simulator:
    """The simulated organisation, its clock, its faults and its ground truth."""

    def __init__(self, seed: int = 7, wms_orders: int | None = None, **world_options: Any) -> None:
        self.seed = seed
        self.world = World(seed=seed, wms_orders=wms_orders, **world_options)
        self.faults = Faults(seed=seed)
        self.truth = Truth(self.world)

    @property
    def api_key(self) -> str:
        return self.world.api_key

    @property
    def now(self) -> pendulum.DateTime:
        return pendulum.from_timestamp(self.world.now)

    @property
    def connections(self) -> list[dict[str, Any]]:
        """The connections as `GET /connections` serves them, access tokens included (not the
        removed ones)."""
        with self.world.lock:
            return [self.world.connection_json(c) for c in self.world.listed_connections]

    def connection(self, integration_type: str, customer_id: str | None = None) -> dict[str, Any]:
        """The first connection of a type (and customer): a convenience for tests."""
        return next(
            c
            for c in self.connections
            if c["integration_type"] == integration_type
            and (customer_id is None or c["customer_id"] == customer_id)
        )

    def delete_record(self, connection_id: str, resource: str, record_id: str) -> None:
        """Trackstar no longer has the record (`resource` is the raw table name)."""
        self.world.delete_record(connection_id, resource, record_id)

    def restore_record(self, connection_id: str, resource: str, record_id: str) -> None:
        """A deleted record comes back (its trackstar_updated_date is now)."""
        self.world.restore_record(connection_id, resource, record_id)

    def remove_connection(self, connection_id: str) -> None:
        """The connection is deleted: `GET /connections` no longer lists it, its token fails."""
        self.world.remove_connection(connection_id)

    def restore_connection(self, connection_id: str) -> None:
        self.world.restore_connection(connection_id)

    def advance(self, hours: float = 0, minutes: float = 0) -> pendulum.DateTime:
        """Move the simulated clock forward; changes happen inside the interval."""
        self.world.advance(int(hours * 3600 + minutes * 60))
        return self.now
