"""The questions' fast paths answer as their plain definitions do, on every backend.

The backends cut a search to its ``limit`` best hits and Neo4j cuts a per-issue ``top`` to the
scores at the cut; issue-diff and the other questions build their result models from trusted
backend rows without validating them. ``tests/test_queries.py`` pins the answers on the small
hand-checked fixture; here a seeded, tangled graph (names and aliases from a few characters, so
searches match hundreds of entities at every rank, mention scores tie, an edge's evidence spans
issues, repeats a sentence and cites an article the graph does not hold) is asked every question
on each backend, and each answer is compared with the definition computed here by brute force
over the graph, with validated models: any shortcut that changed an answer (a hit, an order, a
tie at the cut, an evidence item, a type) fails.
"""
from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innograph.cypher import FIRST_ISSUE
from innograph.graph.analysis import annotate
from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord
from innograph.models import Evidence, entity_key
from innograph.ontology import SIGNATURES, EntityLabel, GraphRelType, ProvenanceLabel, RelType
from innograph.queries.api import QueryAPI, match_kind
from innograph.queries.backend import FORM_SEPARATOR, search_rank
from innograph.queries.embedded import EmbeddedBackend
from innograph.queries.models import EntityRef, EntitySummary, EvidenceItem, IssueDiff, NewRelationship
from innograph.text import name_key
from tests import query_fixtures

ISSUES = [f"tg-2025-{i:02d}" for i in range(1, 5)]
CHARS = "之江杭州湖大学Ａa "
LABELS = [EntityLabel.Company, EntityLabel.Lab, EntityLabel.University, EntityLabel.Person, EntityLabel.Region,
          EntityLabel.Ecosystem, EntityLabel.Agency, EntityLabel.Policy]
SENTENCES = ["甲与乙合作。", "乙隶属于甲。", "甲位于乙。"]
MISSING_DOC = "tg-2025-99-01"  # evidence from an article the graph does not hold: no title, no issue


def tangled_graph(seed: int = 11, n_entities: int = 160) -> InnoGraph:
    rng = random.Random(seed)
    g = InnoGraph()
    docs = []
    for issue in ISSUES:
        g.upsert_node(NodeRecord(key=f"Issue:{issue}", label=ProvenanceLabel.Issue, name=issue))
        for j in range(1, 4):
            doc = f"{issue}-{j:02d}"
            docs.append(doc)
            g.upsert_node(NodeRecord(key=f"Article:{doc}", label=ProvenanceLabel.Article, name=f"文章{doc}",
                                     properties={"title": f"标题{doc}"} if j != 3 else {}))
            g.upsert_edge(EdgeRecord(source=f"Article:{doc}", target=f"Issue:{issue}", type=GraphRelType.PUBLISHED_IN))
    issue_of = {d: d.rsplit("-", 1)[0] for d in docs}
    keys: dict[EntityLabel, list[str]] = {lab: [] for lab in LABELS}
    while sum(map(len, keys.values())) < n_entities:
        label = rng.choice(LABELS)
        name = "".join(rng.choice(CHARS) for _ in range(rng.randint(1, 4))).strip() or "之"
        key = entity_key(label, name)
        if g.has_node(key):
            continue
        aliases = tuple(dict.fromkeys("".join(rng.choice(CHARS) for _ in range(rng.randint(1, 3))).strip() or "江"
                                      for _ in range(rng.randint(0, 2))))
        mentioned = rng.sample(docs, rng.randint(1, 3))
        counts = {d: rng.randint(1, 2) for d in mentioned}
        g.upsert_node(NodeRecord(key=key, label=label, name=name, aliases=aliases, mention_count=sum(counts.values()),
                                 first_issue=min(issue_of[d] for d in mentioned),
                                 last_issue=max(issue_of[d] for d in mentioned)))
        for d, count in counts.items():
            g.upsert_edge(EdgeRecord(source=key, target=f"Article:{d}", type=GraphRelType.MENTIONED_IN, count=count,
                                     evidence=(Evidence(doc_id=d, sentence=f"{name}。", start=0, end=2),)))
        keys[label].append(key)
    for _ in range(3 * n_entities):
        rel = rng.choice(list(RelType))
        heads, tails = SIGNATURES[rel]
        head_l = [lab for lab in heads if keys.get(lab)]
        tail_l = [lab for lab in tails if keys.get(lab)]
        if not head_l or not tail_l:
            continue
        h, t = rng.choice(keys[rng.choice(head_l)]), rng.choice(keys[rng.choice(tail_l)])
        if h == t or g.edge(h, t, rel) is not None:
            continue
        evidence = []
        for _ in range(rng.randint(1, 4)):
            doc = MISSING_DOC if rng.random() < 0.1 else rng.choice(docs)
            sentence = rng.choice(SENTENCES)
            start = rng.choice((0, 4))
            evidence.append(Evidence(doc_id=doc, sentence=sentence, start=start, end=start + rng.choice((6, 7))))
        if rng.random() < 0.3:
            evidence.append(evidence[0])  # the same sentence twice
        props = {"role": rng.choice(("主任", "局长"))} if rel is RelType.LEADS else {}
        g.upsert_edge(EdgeRecord(source=h, target=t, type=rel, evidence=tuple(evidence), properties=props))
    for _ in range(n_entities):  # co-mentions: never a relationship of issue-diff
        a, b = rng.sample([k for ks in keys.values() for k in ks], 2)
        doc = rng.choice(docs)
        g.upsert_edge(EdgeRecord(source=a, target=b, type=GraphRelType.CO_MENTIONED,
                                 evidence=(Evidence(doc_id=doc, sentence="同句。", start=0, end=3),)))
    return g


GRAPH = tangled_graph()
STORED = annotate(tangled_graph())


# -- the definitions, by brute force over the graph ----------------------------------------------
def _entities(graph: InnoGraph) -> list[NodeRecord]:
    return [n for n in graph.nodes() if isinstance(n.label, EntityLabel)]


def _articles(graph: InnoGraph) -> dict[str, tuple[str | None, str | None]]:
    issue_of = {e.source.split(":", 1)[1]: e.target.split(":", 1)[1] for e in graph.edges(GraphRelType.PUBLISHED_IN)}
    return {n.key.split(":", 1)[1]: (n.properties.get("title") or n.name, issue_of.get(n.key.split(":", 1)[1]))
            for n in graph.nodes(ProvenanceLabel.Article)}


def expected_search(graph: InnoGraph, text: str, limit: int, label: EntityLabel | None) -> list[tuple]:
    """Every entity matched by match_kind, exact name > exact alias > prefix > substring, then
    most mentioned, name, key; the first ``limit``."""
    needle = name_key(text)
    hits = []
    for n in _entities(graph):
        match = match_kind(needle, n.name, n.aliases) if needle else None
        if match is not None and (label is None or n.label == label):
            hits.append((match[0], -n.mention_count, n.name, n.key, match[1]))
    kinds = ["name", "alias", "prefix", "substring"]
    return [(key, kinds[rank], form) for rank, _, _, key, form in sorted(hits)[:limit]]


def expected_top_mentions(graph: InnoGraph, issue: str, limit: int, label: EntityLabel | None) -> list[tuple]:
    """Mentions summed over the issue's articles, best first, then name, then key; the first ``limit``."""
    articles = {f"Article:{d}" for d, (_, i) in _articles(graph).items() if i == issue}
    entities = {n.key: n for n in _entities(graph) if label is None or n.label == label}
    scores: Counter[str] = Counter()
    for e in graph.edges(GraphRelType.MENTIONED_IN):
        if e.target in articles and e.source in entities:
            scores[e.source] += e.count
    ranked = sorted((s, k) for k, s in scores.items() if s > 0)
    ranked.sort(key=lambda x: (-x[0], entities[x[1]].name, x[1]))
    return [(rank, k, float(s)) for rank, (s, k) in enumerate(ranked[:limit], start=1)]


def expected_issue_diff(graph: InnoGraph, issue: str) -> IssueDiff:
    """Entities first seen in ``issue`` (by label, name, key); extracted relationships whose earliest
    evidence is from it, with that issue's evidence (by doc, offset, sentence, each item once),
    by type, head name, tail name, head key, tail key. Every model validated."""
    articles = _articles(graph)
    nodes = {n.key: n for n in _entities(graph)}
    entities = sorted((EntitySummary(key=n.key, label=n.label, name=n.name, aliases=n.aliases,
                                     mention_count=n.mention_count, first_issue=n.first_issue, last_issue=n.last_issue)
                       for n in nodes.values() if n.first_issue == issue), key=lambda e: (e.label.value, e.name, e.key))
    rels = []
    for e in graph.edges():
        if not isinstance(e.type, RelType):
            continue
        seen = [articles[ev.doc_id][1] for ev in e.evidence if ev.doc_id in articles]
        if not seen or min(seen) != issue:
            continue
        items = [EvidenceItem(sentence=ev.sentence, doc_id=ev.doc_id, title=articles[ev.doc_id][0], issue=issue,
                              start=ev.start, end=ev.end)
                 for ev in e.evidence if ev.doc_id in articles and articles[ev.doc_id][1] == issue]
        items = list(dict.fromkeys(sorted(items, key=lambda x: (x.doc_id, x.start, x.sentence))))
        head, tail = nodes[e.source], nodes[e.target]
        rels.append(NewRelationship(
            type=e.type, head=EntityRef(key=head.key, label=head.label, name=head.name),
            tail=EntityRef(key=tail.key, label=tail.label, name=tail.name), evidence=tuple(items),
            properties={k: str(v) for k, v in e.properties.items() if v is not None and k != FIRST_ISSUE}))
    rels.sort(key=lambda r: (r.type.value, r.head.name, r.tail.name, r.head.key, r.tail.key))
    return IssueDiff(issue=issue, entities=tuple(entities), relationships=tuple(rels))


# -- the backends ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def embedded_api() -> QueryAPI:
    return QueryAPI(EmbeddedBackend(GRAPH))


@pytest.fixture(scope="module")
def stored_api() -> QueryAPI:
    return QueryAPI(EmbeddedBackend(STORED))


@pytest.fixture(scope="module")
def sqlite_api(tmp_path_factory) -> QueryAPI:
    return QueryAPI(query_fixtures.sqlite_backend(GRAPH, tmp_path_factory.mktemp("fast") / "graph.db"))


@pytest.fixture(scope="module")
def sqlite_stored_api(tmp_path_factory) -> QueryAPI:
    return QueryAPI(query_fixtures.sqlite_backend(STORED, tmp_path_factory.mktemp("fast") / "graph.db"))


@pytest.fixture(scope="module")
def neo4j_api(load_into_neo4j) -> QueryAPI:
    return QueryAPI(load_into_neo4j(STORED))


@pytest.fixture(params=["embedded", "stored", "sqlite", "sqlite_stored", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def api(request) -> QueryAPI:
    return request.getfixturevalue(f"{request.param}_api")


def test_the_graph_is_tangled_enough():
    """What the comparisons below rely on: ties, duplicates and evidence across issues."""
    one_char = expected_search(GRAPH, "江", 10_000, None)
    assert len(one_char) > 60 and {kind for _, kind, _ in one_char} == {"name", "alias", "prefix", "substring"}
    tops = [expected_top_mentions(GRAPH, issue, 10_000, None) for issue in ISSUES]
    assert all(len({s for *_, s in rows}) < len(rows) for rows in tops)  # tied scores in every issue
    diffs = [expected_issue_diff(GRAPH, issue) for issue in ISSUES]
    assert all(d.entities and d.relationships for d in diffs[:2])
    edges = [e for e in GRAPH.edges() if isinstance(e.type, RelType)]
    assert any(len(set(e.evidence)) < len(e.evidence) for e in edges)  # a sentence repeated
    assert any(ev.doc_id == MISSING_DOC for e in edges for ev in e.evidence)
    issues_of = [{ev.doc_id[:10] for ev in e.evidence} for e in edges]
    assert any(len(i) > 1 for i in issues_of)  # evidence from several issues


@pytest.mark.parametrize("text", ["江", "之", "杭州", "湖大", "大学", "a", "ａ", "Ａ", "之江", "学 ", "州湖", "江大学"])
@pytest.mark.parametrize("limit", [1, 3, 20, 1000])
def test_search_cut_by_the_backend_is_the_search_of_every_entity(api, text, limit):
    hits = api.search(text, limit=limit).hits
    assert [(h.entity.key, h.match, h.matched) for h in hits] == expected_search(GRAPH, text, limit, None)


@pytest.mark.parametrize("text", ["江", "大学", "a"])
@pytest.mark.parametrize("label", [EntityLabel.Company, EntityLabel.Person])
@pytest.mark.parametrize("limit", [2, 20])
def test_search_of_one_label_cut_by_the_backend(api, text, label, limit):
    hits = api.search(text, limit=limit, label=label).hits
    assert [(h.entity.key, h.match, h.matched) for h in hits] == expected_search(GRAPH, text, limit, label)


@pytest.mark.parametrize("issue", ISSUES)
@pytest.mark.parametrize("limit", [1, 2, 3, 5, 10, 1000])
@pytest.mark.parametrize("label", [None, EntityLabel.Company])
def test_top_mentions_of_an_issue_keeps_the_ties_at_the_cut(api, issue, limit, label):
    rows = api.top(by="mentions", issue=issue, limit=limit, label=label).rows
    assert [(r.rank, r.entity.key, r.score) for r in rows] == expected_top_mentions(GRAPH, issue, limit, label)


@pytest.mark.parametrize("issue", ISSUES)
def test_issue_diff_is_its_definition(api, issue):
    assert api.issue_diff(issue) == expected_issue_diff(GRAPH, issue)


@pytest.mark.parametrize("question", [
    lambda api: api.issue_diff(ISSUES[0]), lambda api: api.issue_diff(ISSUES[1]),
    lambda api: api.search("江", limit=50), lambda api: api.top(by="mentions", issue=ISSUES[1]),
    lambda api: api.profile(max(_entities(GRAPH), key=lambda n: (GRAPH.nx.degree(n.key), n.key)).key),
])
def test_results_built_from_trusted_rows_validate_as_they_are(api, question):
    """A model built without validation holds exactly what validation would make of it: types
    included (tuples, enums, ints), or the validated copy would differ."""
    result = question(api)
    assert type(result).model_validate(result.model_dump()) == result
    assert type(result).model_validate_json(result.model_dump_json()) == result


_form = st.text(alphabet="之江大学ab", min_size=0, max_size=4)


@settings(max_examples=400, deadline=None)
@given(name=_form, aliases=st.lists(_form, max_size=3), needle=st.text(alphabet="之江大学ab", min_size=1, max_size=3))
def test_search_rank_over_the_stored_forms_is_match_kind(name, aliases, needle):
    forms = FORM_SEPARATOR.join(dict.fromkeys(name_key(f) for f in (name, *aliases)))
    match = match_kind(needle, name, aliases)
    assert search_rank(needle, forms) == (match[0] if match is not None else None)


def test_the_form_separator_is_the_stores():
    from innograph.graph.sqlite_store import FORM_SEPARATOR as STORED_SEPARATOR

    assert FORM_SEPARATOR == STORED_SEPARATOR
    assert name_key(f"之{FORM_SEPARATOR}江") == "之江"  # no typed text holds it


@pytest.mark.parametrize("key, expected", [
    ("Lab:之江实验室", EntityLabel.Lab), ("Person:a:b", EntityLabel.Person), ("Lab:", EntityLabel.Lab),
    ("Article:hzkj-2024-05-01", None), ("Issue:x", None), ("lab:x", None), ("Lab", None), ("", None), (":x", None),
    ("Unknown:x", None)])
def test_the_backends_key_label_is_the_identity_rule(key, expected):
    from innograph import identity
    from innograph.queries import backend

    assert backend.key_label(key) is identity.key_label(key) is expected


@pytest.mark.parametrize("value", [*(t.value for t in RelType), *(t.value for t in GraphRelType)])
def test_the_edge_type_lookup_is_the_enums(value):
    from innograph.ontology import edge_type

    assert edge_type(value) is (RelType(value) if value in RelType.__members__ else GraphRelType(value))


@pytest.mark.parametrize("parse, value", [("edge_type", "ANCHORED"), ("entity_label", "Article"), ("entity_label", "lab")])
def test_a_value_the_lookups_do_not_know_raises_as_the_enum_does(parse, value):
    from innograph import ontology

    with pytest.raises(ValueError, match=f"'{value}' is not a valid"):
        getattr(ontology, parse)(value)
