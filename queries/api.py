"""The questions, asked by name: one :class:`QueryAPI` over any :class:`GraphBackend`.

Names are taken as users type them: canonical name, any alias or 简称, full- or half-width,
with or without 《》 (all compared by :func:`innograph.text.name_key`). A name that several
entities share resolves to the one whose canonical name it is, then to the most mentioned.
A name that matches nothing raises :class:`~innograph.errors.EntityNotFound` with the closest
names as suggestions.

The examples run over the test fixture graph (``tests/query_fixtures.py``), where ``api`` is
``QueryAPI(EmbeddedBackend(fixture_graph()))``:

>>> api.resolve("浙大").name
'浙江大学'
>>> api.resolve("ＺＪＬａｂ").name, api.resolve("《若干措施》").label.value
('之江实验室', 'Policy')
>>> api.resolve("之江研究")
Traceback (most recent call last):
...
innograph.errors.EntityNotFound: no entity named '之江研究'; did you mean 之江 or 之江实验室?
>>> profile = api.profile("市科技局")
>>> profile.entity.name, profile.mention_count, profile.first_issue
('杭州市科学技术局', 4, 'hzkj-2024-05')
>>> sorted(profile.incoming)
['ISSUED_BY', 'LEADS', 'ORGANIZED_BY']
>>> [(r.other.name, r.properties) for r in profile.incoming["LEADS"]]
[('楼秀华', {'role': '局长'})]
>>> [(hit.entity.name, hit.match) for hit in api.search("之江").hits]
[('之江实验室', 'alias'), ('之江成果转化基金', 'alias'), ('余杭区环之江实验室创新生态圈', 'substring')]
>>> result = api.path("海康威视", "浙大")
>>> result.length, [n.name for n in result.paths[0].nodes]
(3, ['杭州海康威视数字技术股份有限公司', '余杭区环之江实验室创新生态圈', '之江实验室', '浙江大学'])
>>> result.paths[0].hops[0].edges[0].evidence[0].title
'打造环之江实验室创新生态圈'
"""
from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from operator import itemgetter
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Literal

from innograph.collector import collector_paused
from innograph.errors import EntityNotFound, InputError, shown
from innograph.identity import not_found, parse_label, parse_rel_type, resolve, suggest
from innograph.ontology import EntityLabel, GraphRelType, RelType
from innograph.queries.backend import EXTRACTED, WITH_CO_MENTIONS, GraphBackend, key_label
from innograph.queries.models import (CypherResult, Direction, EntitySummary, EvidenceItem, Hop,
                                      IssueDiff, Member, Members, NewRelationship, Path, PathEdge, PathResult,
                                      Profile, RawEdge, Related, Relationship, SearchHit, SearchResult, TopResult,
                                      TopRow, trusted)
from innograph.text import name_key

if TYPE_CHECKING:
    from innograph.graph.aliases import AliasTable

TopBy = Literal["mentions", "degree", "betweenness"]
#: shortest paths enumerated before sorting and cutting to ``limit``
PATH_CAP = 1000

_MEMBER_ROLES: dict[tuple[str, str], Literal["anchor", "member", "part"]] = {
    (RelType.ANCHORED_BY.value, "out"): "anchor",
    (RelType.MEMBER_OF.value, "in"): "member",
    (RelType.PART_OF.value, "in"): "part",
}
_ROLE_ORDER = {"anchor": 0, "member": 1, "part": 2}
_MATCH_ORDER = {"name": 0, "alias": 1, "prefix": 2, "substring": 3}


_suggest = suggest
_not_found = not_found
_NO_ARTICLE: tuple[None, None] = (None, None)  # (title, issue) of evidence from an article not in the graph
_first = itemgetter(0)
_evidence_order = itemgetter(0, 1, 2, 3)  # issue, doc id, start, sentence


def _entity_order(e: EntitySummary) -> tuple[str, str, str]:
    return (e.label, e.name, e.key)


def _in_order(rows: list[tuple]) -> list[tuple]:
    """Evidence rows (issue or "", doc id, start, sentence, then the rest of the item) sorted by
    those four, stably, each distinct row once (rows hold every field of an evidence item, so
    equal rows are equal items)."""
    if len(rows) < 2:
        return rows
    rows.sort(key=_evidence_order)
    return list(dict.fromkeys(rows))


def match_kind(query_key: str, name: str, aliases: Iterable[str]) -> tuple[int, str] | None:
    """How ``name``/``aliases`` match a normalised query: (rank, matched form), or None.

    Rank 0 exact name, 1 exact alias, 2 prefix of name or alias, 3 substring.

    >>> match_kind("浙大", "浙江大学", ["浙大"])
    (1, '浙大')
    >>> match_kind("之江", "余杭区环之江实验室创新生态圈", [])
    (3, '余杭区环之江实验室创新生态圈')
    >>> match_kind("浙江", "浙江大学", ["浙大"])
    (2, '浙江大学')
    """
    forms = [(name, name_key(name))] + [(a, name_key(a)) for a in aliases]
    best: tuple[int, str] | None = None
    for i, (form, key) in enumerate(forms):
        if key == query_key:
            rank = 0 if i == 0 else 1
        elif key.startswith(query_key):
            rank = 2
        elif query_key in key:
            rank = 3
        else:
            continue
        if best is None or rank < best[0]:
            best = (rank, form)
    return best


class QueryAPI:
    """Every question of ``innograph`` as a method returning a frozen result model."""

    def __init__(self, backend: GraphBackend, aliases: AliasTable | None = None) -> None:
        self.backend = backend
        self._aliases = aliases

    def _short_forms(self):  # noqa: ANN202 - read only when a name is not in the graph
        if self._aliases is None:
            from innograph.graph.aliases import AliasTable

            self._aliases = AliasTable.load()
        return self._aliases.short_forms()

    # -- names -------------------------------------------------------------------------------
    def resolve(self, name: str, label: EntityLabel | None = None) -> EntitySummary:
        """The entity a user means by ``name`` (a name, alias, alias-table short form or key)."""
        return resolve(self.backend, name, label, short_forms=self._short_forms)

    def _issue(self, issue: str) -> str:
        key = issue.strip().removeprefix("Issue:")
        issues = self.backend.issues()
        if key not in issues:
            raise _not_found("issue", issue, _suggest(key, issues))
        return key

    # -- evidence ----------------------------------------------------------------------------
    # The evidence, edges and entities the backends hand over were validated when the store was
    # written (or loaded) and are read back typed, so the result models are built from them
    # without validating each again (:func:`~innograph.queries.models.trusted`): an issue-diff
    # of the 100k benchmark graph builds some 10,000 of them, and validating or model_construct
    # was most of its time.
    def _article_info(self, edges: Iterable[RawEdge]) -> dict[str, tuple[str | None, str | None]]:
        """(title, issue) of every article the evidence of ``edges`` cites."""
        docs = {ev.doc_id for e in edges for ev in e.evidence}
        return {d: (a.title, a.issue) for d, a in self.backend.articles(docs).items()} if docs else {}

    def _evidence(self, edges: Iterable[RawEdge]) -> dict[tuple[str, str, str], tuple[EvidenceItem, ...]]:
        edges = list(edges)
        info = self._article_info(edges)
        out = {}
        for e in edges:
            rows = []
            for ev in e.evidence:
                title, issue = info.get(ev.doc_id, _NO_ARTICLE)
                rows.append((issue or "", ev.doc_id, ev.start, ev.sentence, ev.end, title, issue))
            out[(e.source.key, e.target.key, e.type.value)] = tuple(
                trusted(EvidenceItem, sentence=sentence, doc_id=doc_id, title=title, issue=issue, start=start, end=end)
                for _, doc_id, start, sentence, end, title, issue in _in_order(rows))
        return out

    def _relationships(self, key: str, edges: list[RawEdge]) -> list[Relationship]:
        evidence = self._evidence(edges)
        rels = []
        for e in edges:
            out = e.source.key == key
            other = e.target if out else e.source
            direction = "out" if out else "in"
            rels.append(((e.type.value, direction, other.name, other.key), trusted(
                Relationship, type=e.type, direction=direction, other=other, properties=e.properties, count=e.count,
                evidence=evidence[(e.source.key, e.target.key, e.type.value)])))
        rels.sort(key=_first)
        return [r for _, r in rels]

    # -- 1. profile --------------------------------------------------------------------------
    @collector_paused()  # a result of thousands of models set off full collections of the whole graph
    def profile(self, name: str) -> Profile:
        """Who or what ``name`` is, and every extracted relationship in and out, by type."""
        entity = self.resolve(name)
        rels = self._relationships(entity.key, self.backend.edges(entity.key, "both", EXTRACTED))
        outgoing: dict[str, list[Relationship]] = defaultdict(list)
        incoming: dict[str, list[Relationship]] = defaultdict(list)
        for r in rels:
            (outgoing if r.direction == "out" else incoming)[r.type.value].append(r)
        return Profile(entity=entity.ref(), aliases=entity.aliases, mention_count=entity.mention_count,
                       first_issue=entity.first_issue, last_issue=entity.last_issue,
                       outgoing={t: tuple(v) for t, v in sorted(outgoing.items())},
                       incoming={t: tuple(v) for t, v in sorted(incoming.items())})

    # -- 2. related --------------------------------------------------------------------------
    @collector_paused()  # a result of thousands of models set off full collections of the whole graph
    def related(self, name: str, rel: RelType | GraphRelType | str | None = None,
                label: EntityLabel | str | None = None, direction: Direction = "both") -> Related:
        """The relationships of ``name``, optionally of one type, to one label, one direction.

        ``CO_MENTIONED`` edges appear only when asked for with ``rel``.
        """
        rel_t = parse_rel_type(rel) if rel is not None else None
        if rel_t in (GraphRelType.MENTIONED_IN, GraphRelType.PUBLISHED_IN):
            raise InputError(f"{rel_t.value} joins provenance nodes, not entities: choose an extracted type or CO_MENTIONED")
        label_t = parse_label(label) if label is not None else None
        if direction not in ("in", "out", "both"):
            raise InputError(f"a direction is in, out or both, not {shown(direction)}")
        entity = self.resolve(name)
        types = {rel_t.value} if rel_t is not None else EXTRACTED
        edges = self.backend.edges(entity.key, direction, types)
        if label_t is not None:
            edges = [e for e in edges if (e.target if e.source.key == entity.key else e.source).label == label_t]
        return Related(entity=entity.ref(), rel=rel_t, label=label_t, direction=direction,
                       relationships=tuple(self._relationships(entity.key, edges)))

    # -- 3. path -----------------------------------------------------------------------------
    @collector_paused()  # a result of thousands of models set off full collections of the whole graph
    def path(self, a: str, b: str, max_hops: int = 4, co_mentions: bool = False, limit: int = 10) -> PathResult:
        """Every shortest connection between two entities over extracted relationships.

        Edges are walked in either direction; ``co_mentions`` adds CO_MENTIONED edges. Articles
        and issues are never on a path. Paths are listed by their node names.
        """
        if max_hops < 1:
            raise InputError("a path has at least 1 hop")
        source, target = self.resolve(a), self.resolve(b)
        types = WITH_CO_MENTIONS if co_mentions else EXTRACTED
        found = self.backend.shortest_paths(source.key, target.key, max_hops, types, PATH_CAP)
        base = dict(source=source.ref(), target=target.ref(), max_hops=max_hops, co_mentions=co_mentions)
        if not found:
            return PathResult(**base)
        keys = {k for p in found for k in p}
        refs = {k: s.ref() for k, s in self.backend.entities(keys).items()}
        found = sorted(set(found), key=lambda p: ([refs[k].name for k in p], list(p)))
        shown = found[:limit]
        pairs = sorted({(p[i], p[i + 1]) for p in shown for i in range(len(p) - 1)})
        edges = self.backend.edges_between(pairs, types)
        evidence = self._evidence(edges)
        by_pair: dict[frozenset[str], list[PathEdge]] = defaultdict(list)
        for e in edges:
            by_pair[frozenset((e.source.key, e.target.key))].append(PathEdge(
                type=e.type, head=e.source.key, tail=e.target.key, count=e.count, properties=e.properties,
                evidence=evidence[(e.source.key, e.target.key, e.type.value)]))
        paths = []
        for p in shown:
            hops = []
            for u, v in zip(p, p[1:]):
                hop_edges = sorted(by_pair[frozenset((u, v))], key=lambda x: (x.type.value, x.head, x.tail))
                hops.append(Hop(source=refs[u], target=refs[v], edges=tuple(hop_edges)))
            paths.append(Path(nodes=tuple(refs[k] for k in p), hops=tuple(hops)))
        return PathResult(**base, length=len(found[0]) - 1, paths=tuple(paths), truncated=len(found) > limit)

    # -- 4. members --------------------------------------------------------------------------
    @collector_paused()  # a result of thousands of models set off full collections of the whole graph
    def members(self, ecosystem: str) -> Members:
        """The organisations an ecosystem is anchored by, has as members or parts, with evidence."""
        eco = self.resolve(ecosystem, label=EntityLabel.Ecosystem)
        if eco.label != EntityLabel.Ecosystem:
            raise EntityNotFound(f"{eco.name!r} is a {eco.label.value}, not an Ecosystem: "
                                 f"try 'innograph related {ecosystem}' or 'innograph search {ecosystem}'")
        types = {RelType.ANCHORED_BY.value, RelType.MEMBER_OF.value, RelType.PART_OF.value,
                 RelType.LOCATED_IN.value}
        edges = self.backend.edges(eco.key, "both", types)
        evidence = self._evidence(edges)
        members, regions = [], []
        for e in edges:
            direction = "out" if e.source.key == eco.key else "in"
            if e.type == RelType.LOCATED_IN and direction == "out":
                regions.append(e.target)
                continue
            role = _MEMBER_ROLES.get((e.type.value, direction))
            if role is None:
                continue
            other = e.target if direction == "out" else e.source
            members.append(Member(entity=other, role=role, type=e.type,
                                  evidence=evidence[(e.source.key, e.target.key, e.type.value)]))
        members.sort(key=lambda m: (_ROLE_ORDER[m.role], m.entity.name, m.entity.key))
        regions.sort(key=lambda r: (r.name, r.key))
        return Members(ecosystem=eco.ref(), regions=tuple(regions), members=tuple(members))

    # -- 5. search ---------------------------------------------------------------------------
    @collector_paused()  # a result of thousands of models set off full collections of the whole graph
    def search(self, text: str, limit: int = 20, label: EntityLabel | str | None = None) -> SearchResult:
        """Entities whose name or alias contains ``text``: exact name > exact alias > prefix >
        substring, then most mentioned, then name."""
        wanted = name_key(text)
        label_t = parse_label(label) if label is not None else None
        found = []
        # a backend that cuts to the limit itself (a negative limit is a slice of every candidate)
        ranked = getattr(self.backend, "ranked_search_candidates", None) if limit >= 0 else None
        candidates = (ranked(text, label_t, limit) if ranked is not None else self.backend.search_candidates(text)) \
            if wanted else []
        for c in candidates:
            if label_t is not None and c.label != label_t:
                continue
            match = match_kind(wanted, c.name, c.aliases)
            if match is not None:
                found.append((match[0], -c.mention_count, c.name, c.key, match[1], c))
        found.sort(key=lambda h: h[:4])
        kinds = {v: k for k, v in _MATCH_ORDER.items()}
        return SearchResult(query=text, hits=tuple(
            SearchHit(entity=c.ref(), match=kinds[rank], matched=form, aliases=c.aliases, mention_count=c.mention_count)
            for rank, _, _, _, form, c in found[:limit]))

    # -- 6. top ------------------------------------------------------------------------------
    @collector_paused()  # a result of thousands of models set off full collections of the whole graph
    def top(self, label: EntityLabel | str | None = None, by: TopBy = "mentions", issue: str | None = None,
            limit: int = 10) -> TopResult:
        """The most mentioned, most connected (degree) or most between entities.

        Degree counts extracted relationships (either direction); betweenness is over the
        undirected graph of extracted relationships. ``issue`` counts only mentions and
        relationships with evidence from that issue's articles.
        """
        if limit < 1:
            raise InputError(f"the number of entities to list must be at least 1, not {limit}")
        label_t = parse_label(label) if label is not None else None
        issue_key = self._issue(issue) if issue is not None else None
        docs = self.backend.issue_articles(issue_key) if issue_key is not None else None
        if by not in ("mentions", "degree", "betweenness"):
            raise InputError(f"entities are ranked by mentions, degree or betweenness, not {shown(by)}")
        # the whole graph: the backend reads the ``limit`` first by the stored ranks (the order
        # below); None when the graph does not carry them
        stored = self.backend.ranked_scores(by, label_t, limit) if docs is None else None
        if stored is not None:
            scores = dict(stored)
        elif by == "mentions":
            # a server cuts to the entities at or above the limit-th score itself (ties included);
            # the ranking below is the same over that part as over every score
            at_cut = getattr(self.backend, "mention_scores_at_cut", None) if docs is not None else None
            scores = dict(at_cut(docs, label_t, limit) if at_cut is not None else self.backend.mention_scores(docs))
        elif by == "degree":
            scores = dict(Counter(k for pair in self.backend.relationship_pairs(docs) for k in pair))
        else:
            scores = betweenness(self.backend.relationship_pairs(docs))
        ranked = sorted(((s, k) for k, s in scores.items()
                         if s > 0 and (label_t is None or key_label(k) == label_t)), key=lambda x: -x[0])
        if len(ranked) > limit:  # keep every tie at the cut, names break them below
            cut = ranked[limit - 1][0]
            ranked = [x for x in ranked if x[0] >= cut]
        info = self.backend.entities([k for _, k in ranked])
        rows = sorted(((s, info[k]) for s, k in ranked if k in info), key=lambda x: (-x[0], x[1].name, x[1].key))
        return TopResult(by=by, label=label_t, issue=issue_key, rows=tuple(
            TopRow(rank=i, entity=e.ref(), score=s, mention_count=e.mention_count)
            for i, (s, e) in enumerate(rows[:limit], start=1)))

    # -- 7. issue-diff -----------------------------------------------------------------------
    @collector_paused()  # a result of thousands of models set off full collections of the whole graph
    def issue_diff(self, issue: str) -> IssueDiff:
        """Entities whose first issue is ``issue`` and relationships whose earliest evidence is from it."""
        key = self._issue(issue)
        # str enums sort as their values: no ``.value`` per row (an enum property is a Python call)
        entities = sorted(self.backend.first_seen_entities(key), key=_entity_order)
        edges = self.backend.first_seen_relationships(key)
        if edges is None:  # not stored: every relationship with evidence from the issue, filtered below
            edges = self.backend.edges_with_evidence_in(self.backend.issue_articles(key))
        info = self._article_info(edges)
        rels = []
        for e in edges:  # one pass: the earliest issue of its evidence, and this issue's evidence
            earliest, rows = None, []
            for doc_id, sentence, start, end in e.evidence:
                title, seen_in = info.get(doc_id, _NO_ARTICLE)
                if seen_in is None:
                    continue
                if earliest is None or seen_in < earliest:
                    earliest = seen_in
                if seen_in == key:
                    rows.append((key, doc_id, start, sentence, end, title))
            if earliest != key:  # first seen earlier (or in no issue at all)
                continue
            evidence = tuple([trusted(EvidenceItem, sentence=sentence, doc_id=doc_id, title=title, issue=key,
                                      start=start, end=end)
                              for _, doc_id, start, sentence, end, title in _in_order(rows)])
            head, tail = e.source, e.target
            rels.append(((e.type, head.name, tail.name, head.key, tail.key), trusted(
                NewRelationship, type=e.type, head=head, tail=tail, properties=e.properties, evidence=evidence)))
        rels.sort(key=_first)
        return trusted(IssueDiff, issue=key, entities=tuple(entities), relationships=tuple([r for _, r in rels]))

    # -- 8. cypher ---------------------------------------------------------------------------
    def cypher(self, query: str, params: Mapping[str, object] | None = None) -> CypherResult:
        """A read-only ad-hoc Cypher query (Neo4j only); anything but a read of the graph raises QueryRefused."""
        return self.backend.cypher(query, dict(params or {}))

    def cypher_rows(self, query: str, params: Mapping[str, object] | None = None):  # noqa: ANN201
        """A context manager of (columns, rows as they stream) of a read-only query (Neo4j only)."""
        stream = getattr(self.backend, "cypher_rows", None)
        if stream is None:
            self.backend.cypher(query, dict(params or {}))  # the embedded backend says it needs Neo4j
        return stream(query, dict(params or {}))


def betweenness(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Betweenness over (head, tail) pairs: :func:`innograph.graph.analysis.relation_betweenness`
    (imported here: a question that reads stored scores needs no networkx)."""
    from innograph.graph.analysis import relation_betweenness

    return relation_betweenness(pairs)


# -- choosing a backend ------------------------------------------------------------------------
def default_backend_kind() -> str:
    """``neo4j`` when NEO4J_URI is set, else ``embedded``."""
    return "neo4j" if os.environ.get("NEO4J_URI") else "embedded"


def open_backend(kind: str | None = None, store: FilePath | None = None) -> GraphBackend:
    """The backend to ask: the embedded store (default; SQLite read by SQL, a JSON store loaded into
    memory) or Neo4j (NEO4J_URI or ``kind="neo4j"``)."""
    kind = kind or default_backend_kind()
    if kind == "embedded":
        from innograph.graph import paths, sqlite_store

        path = store or paths.default_store()
        if sqlite_store.is_sqlite(path):  # SQL per question over the store's indexes, nothing loaded
            from innograph.queries.sqlite_backend import SqliteBackend

            return SqliteBackend.from_store(path)
        from innograph.queries.embedded import EmbeddedBackend

        return EmbeddedBackend.from_store(path)  # a JSON store (or none: it says what is wrong)
    if kind == "neo4j":
        from innograph.queries.neo4j_backend import Neo4jBackend

        return Neo4jBackend.from_env()
    raise InputError(f"a backend is embedded or neo4j, not {shown(kind)}")
