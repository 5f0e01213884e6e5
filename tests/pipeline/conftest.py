"""Fixtures of the pipeline tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from trackstar_fakes import Reply, ScriptedServer, Seen


@pytest.fixture
def scripted() -> Iterator[Callable[[Callable[[Seen], Reply]], ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(respond: Callable[[Seen], Reply]) -> ScriptedServer:
        server = ScriptedServer(respond).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__()
