"""The docstring examples of the query layer run as doctests (``api`` is the fixture graph's)."""
from __future__ import annotations

import doctest
import importlib

import pytest

from innograph.queries.api import QueryAPI
from innograph.queries.embedded import EmbeddedBackend
from tests import query_fixtures as fx

MODULES = ["innograph.queries.api", "innograph.queries.models", "innograph.queries.backend",
           "innograph.queries.embedded", "innograph.queries.neo4j_backend", "innograph.queries.cookbook",
           "innograph.cli_query"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    api = QueryAPI(EmbeddedBackend(fx.fixture_graph()))
    result = doctest.testmod(module, extraglobs={"api": api}, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
