"""Every recipe of queries/cookbook.cypher runs read-only on the bundled sample issue and returns
rows with its example parameters; ``innograph cookbook`` lists and runs them; style.grass parses
as Neo4j Browser parses GraSS."""
from __future__ import annotations

import re
from importlib import resources

import pytest

from innograph.cli import run
from innograph.queries.cookbook import load_cookbook

RECIPES = load_cookbook()


def test_cookbook_has_at_least_15_documented_parameterised_recipes():
    assert len(RECIPES) >= 15
    assert len({r.name for r in RECIPES}) == len(RECIPES)
    for r in RECIPES:
        assert r.doc, r.name
        for name in r.params:
            assert f"${name}" in r.query, (r.name, name)


def test_issue_has_one_meaning_an_issue_key():
    for r in RECIPES:
        if "issue" in r.params:
            assert r.params["issue"] == "hzkj-2024-06", r.name


@pytest.fixture(scope="module")
def sample_in_neo4j(load_into_neo4j, tmp_path_factory):
    from innograph import api
    from innograph.graph import store

    path = tmp_path_factory.mktemp("sample") / "graph.json"
    api.build([api.sample_path()], path)
    return load_into_neo4j(store.load(path))


@pytest.mark.neo4j
@pytest.mark.parametrize("recipe", RECIPES, ids=[r.name for r in RECIPES])
def test_recipe_is_read_only_and_returns_rows_on_the_sample(sample_in_neo4j, recipe):
    sample_in_neo4j.check_read_only(recipe.query, recipe.params)
    result = sample_in_neo4j.cypher(recipe.query, recipe.params)
    assert result.rows, recipe.name


@pytest.mark.neo4j
def test_the_cookbook_command_lists_and_runs_recipes(sample_in_neo4j, neo4j_settings, monkeypatch, capsys):
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    assert run(["cookbook"]) == 0
    listing = capsys.readouterr().out
    assert all(r.name in listing for r in RECIPES)
    assert run(["cookbook", "members", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("role,organisation,label,evidence\nanchor,之江实验室,Lab,")
    assert run(["cookbook", "related", "-p", "name=杭州医药港", "-p", "type=COLLABORATES_WITH", "-f", "csv"]) == 0
    assert [line.split(",")[0] for line in capsys.readouterr().out.splitlines()[1:]] == [
        "中国药科大学", "华中科技大学", "杭州职业技术学院", "浙江大学"]
    assert run(["cookbook", "membrs"]) == 2
    assert capsys.readouterr().err == (
        "innograph: error: no recipe named 'membrs' (did you mean members?): 'innograph cookbook' lists them\n")


def _browser_grass(text: str) -> dict[str, dict[str, str]]:
    """GraSS as Neo4j Browser's parser (graphStyle.ts ``parse``) reads it, character by character:
    braces outside quotes open and close a rule, everything else outside a rule that is not
    white space is the selector; it knows no comments, so a comment becomes part of a selector."""
    rules: dict[str, str] = {}
    in_string = in_props = False
    keyword = props = ""
    for ch in text:
        if ch == "{" and not in_string:
            in_props = True
            continue
        if ch == "}" and not in_string:
            in_props = False
            rules[keyword], keyword, props = props, "", ""
            continue
        if ch in "'\"":
            in_string = not in_string
        if in_props:
            props += ch
        elif not ch.isspace():
            keyword += ch
    parsed = {}
    for selector, body in rules.items():
        assert re.fullmatch(r"(node|relationship)(\.\w+)?", selector), f"Browser reads a selector {selector!r}"
        parsed[selector] = {name.strip(): value.strip() for name, _, value in
                            (d.partition(":") for d in body.split(";") if d.strip())}
    return parsed


def test_style_grass_parses_whole_in_browser_and_styles_every_label():
    from innograph.ontology import EntityLabel, ProvenanceLabel

    text = resources.files("innograph.queries").joinpath("style.grass").read_text(encoding="utf-8")
    rules = _browser_grass(text)
    assert rules["node"]["caption"] == '"{name}"'
    assert {f"node.{label.value}" for label in (*EntityLabel, *ProvenanceLabel)} <= set(rules)
