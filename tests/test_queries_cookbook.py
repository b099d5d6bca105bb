"""Every recipe of queries/cookbook.cypher runs read-only against the fixture graph and returns rows."""
from __future__ import annotations

import pytest

from innograph.queries.cookbook import load_cookbook
from tests import query_fixtures as fx

RECIPES = load_cookbook()


def test_cookbook_has_at_least_15_documented_parameterised_recipes():
    assert len(RECIPES) >= 15
    assert len({r.name for r in RECIPES}) == len(RECIPES)
    for r in RECIPES:
        assert r.doc, r.name
        for name in r.params:
            assert f"${name}" in r.query, (r.name, name)


@pytest.fixture(scope="module")
def backend(load_into_neo4j):
    return load_into_neo4j(fx.fixture_graph())


@pytest.mark.neo4j
@pytest.mark.parametrize("recipe", RECIPES, ids=[r.name for r in RECIPES])
def test_recipe_is_read_only_and_returns_rows(backend, recipe):
    assert backend.query_type(recipe.query, recipe.params) == "r"
    result = backend.cypher(recipe.query, recipe.params)
    assert result.rows, recipe.name
