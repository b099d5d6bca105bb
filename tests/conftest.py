"""Shared fixtures. Neo4j: ``neo4j_settings`` / ``neo4j_driver`` for the running server.

The server is the one ``scripts/test.sh`` starts (or ``NEO4J_URI`` / ``NEO4J_PASSWORD`` name).
Unreachable: a test that needs it is skipped with the reason, except under ``CI=true``,
where it fails, so that CI never passes on silently skipped Neo4j tests.
"""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from innograph.config import Neo4jSettings


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def neo4j_settings() -> Neo4jSettings:
    """Settings of the test server, from the environment."""
    return Neo4jSettings.from_env()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings: Neo4jSettings) -> Iterator["neo4j.Driver"]:  # noqa: F821
    """A driver logged in to the test server (session-wide): skip, or under CI fail, if there is none."""
    from innograph.errors import Neo4jUnavailable
    from innograph.loaders.neo4j import Neo4jWriter

    if not neo4j_settings.password and not os.environ.get("NEO4J_URI"):
        reason = ("no Neo4j server for the tests: NEO4J_PASSWORD is unset; run the suite with 'make test' "
                  "(scripts/test.sh starts a local server) or set NEO4J_URI and NEO4J_PASSWORD")
    else:
        writer = Neo4jWriter(neo4j_settings)
        try:
            driver = writer.driver  # connects and logs in
        except Neo4jUnavailable as err:
            reason = f"no Neo4j server for the tests: {err}"
        else:
            try:
                yield driver
            finally:
                writer.close()
            return
    if _in_ci():
        pytest.fail(f"{reason} (CI=true: Neo4j tests must not be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def neo4j_writer(neo4j_settings: Neo4jSettings, neo4j_driver) -> Iterator["Neo4jWriter"]:  # noqa: F821
    """A writer on the session's driver, over an empty database whose schema exists."""
    from innograph.loaders.neo4j import Neo4jWriter

    writer = Neo4jWriter(neo4j_settings, driver=neo4j_driver)
    writer.clear()
    writer.init_schema()
    yield writer
    writer.clear()


@pytest.fixture(scope="module")
def load_into_neo4j(request):
    """``load_into_neo4j(graph) -> Neo4jBackend``: the graph in the test server for this module.

    The database is cleared before loading and again when the module is done.
    """
    from innograph.loaders.neo4j import Neo4jWriter
    from innograph.queries.neo4j_backend import Neo4jBackend

    settings = request.getfixturevalue("neo4j_settings")
    driver = request.getfixturevalue("neo4j_driver")
    writer = Neo4jWriter(settings, driver=driver)

    def load(graph) -> Neo4jBackend:
        writer.clear()
        writer.load(graph)
        return Neo4jBackend(driver, settings.database)

    yield load
    writer.clear()
