"""The collector pause: questions and loads build thousands of objects with Python's cyclic
garbage collector paused, and leave it as they found it, however they end and however they overlap."""
from __future__ import annotations

import gc
import threading
from contextlib import nullcontext

import pytest

from innograph.collector import collector_paused
from innograph.config import Neo4jSettings
from innograph.graph.model import InnoGraph
from innograph.loaders.neo4j import Neo4jWriter
from innograph.queries.api import QueryAPI
from innograph.queries.embedded import EmbeddedBackend
from tests import query_fixtures as fx


@pytest.fixture
def collector_on():
    """The collector on for the test, and as it was afterwards."""
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


@pytest.mark.parametrize(("enabled_before", "body_fails"), [(True, False), (True, True), (False, False), (False, True)],
                         ids=["on", "on, the body fails", "off", "off, the body fails"])
def test_the_collector_is_paused_inside_and_left_as_it_was(enabled_before: bool, body_fails: bool, collector_on) -> None:
    (gc.enable if enabled_before else gc.disable)()
    seen: list[bool] = []
    with pytest.raises(RuntimeError) if body_fails else nullcontext():
        with collector_paused():
            seen.append(gc.isenabled())
            if body_fails:
                raise RuntimeError("a row builder failed")
    assert (seen, gc.isenabled()) == ([False], enabled_before)


def test_holders_that_overlap_leave_it_paused_until_the_last_ends(collector_on) -> None:
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    second.__enter__()  # a second load starts while the first runs
    first.__exit__(None, None, None)  # the first ends before the second
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_holders_in_threads_never_turn_it_on_while_one_still_holds_it(collector_on) -> None:
    holding = threading.Barrier(4)
    seen: list[bool] = []

    def hold() -> None:
        with collector_paused():
            holding.wait()  # all four inside at once
            seen.append(gc.isenabled())
            holding.wait()

    threads = [threading.Thread(target=hold) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [False] * 4 and gc.isenabled()


def test_a_question_builds_its_result_with_the_collector_paused(collector_on) -> None:
    backend = EmbeddedBackend(fx.fixture_graph())
    seen: list[bool] = []
    first_seen = backend.first_seen_entities

    def recorded(issue: str):  # noqa: ANN202
        seen.append(gc.isenabled())
        return first_seen(issue)

    backend.first_seen_entities = recorded  # type: ignore[method-assign]
    api = QueryAPI(backend)
    api.issue_diff(sorted(backend.issues())[0])
    assert seen == [False] and gc.isenabled()


def test_a_load_runs_with_the_collector_paused(collector_on, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(Neo4jWriter, "_load", lambda self, *args: seen.append(gc.isenabled()))
    Neo4jWriter(Neo4jSettings(password="x")).load(InnoGraph())  # no server needed: the writes are replaced
    assert seen == [False] and gc.isenabled()
