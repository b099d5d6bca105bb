"""All Cypher of the project.

Labels and relationship types are interpolated into query text only from the ontology enums
(:mod:`innograph.ontology`), through :func:`label` and :func:`rel_type`, which refuse anything
else; every value is a query parameter.
"""
from __future__ import annotations

from enum import Enum
from functools import lru_cache

from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType


# typed=True: a plain "Lab" must not hit the cache entry of EntityLabel.Lab (equal and with the
# same hash), or the enum check of a cached query builder would be skipped.
_cached = lru_cache(maxsize=None, typed=True)


class CommonLabel(str, Enum):
    """The one label that is not the ontology's: every entity node also carries ``:Entity``."""

    Entity = "Entity"

    def __str__(self) -> str:
        return self.value


ENTITY = CommonLabel.Entity

AnyLabel = EntityLabel | ProvenanceLabel | CommonLabel
EndLabel = ProvenanceLabel | CommonLabel
"""How a relationship end is matched: ``:Entity`` for any entity, else Article or Issue."""


def label(value: AnyLabel) -> str:
    """A node label as Cypher text, from the enums only.

    >>> label(EntityLabel.Lab)
    '`Lab`'
    >>> label("Lab) DETACH DELETE (n")
    Traceback (most recent call last):
    ...
    TypeError: node labels come from the ontology enums, not 'Lab) DETACH DELETE (n'
    """
    if not isinstance(value, (EntityLabel, ProvenanceLabel, CommonLabel)):
        raise TypeError(f"node labels come from the ontology enums, not {value!r}")
    return f"`{value.value}`"


def rel_type(value: RelType | GraphRelType) -> str:
    """A relationship type as Cypher text, from the enums only.

    >>> rel_type(GraphRelType.MENTIONED_IN)
    '`MENTIONED_IN`'
    """
    if not isinstance(value, (RelType, GraphRelType)):
        raise TypeError(f"relationship types come from the ontology enums, not {value!r}")
    return f"`{value.value}`"


# --- schema and load ---
#
# Storage model (the Neo4j mirror of the embedded store's NodeRecord / EdgeRecord):
#
# * A node carries the label of its record and the properties ``key``, ``name``, ``aliases``
#   (list), ``mention_count``, ``first_issue``, ``last_issue``, and each entry of the record's
#   ``properties`` map (Article / Issue metadata) as a property of its own. ``alias_counts``
#   (a map) becomes two parallel lists, ``alias_count_names`` and ``alias_count_values``, and
#   ``alias_reasons`` (why each alias was merged) ``alias_reason_names`` and ``alias_reason_values``.
#   An entity also carries the derived ``search_key`` (:data:`SEARCH_KEY`), which its text index
#   answers name lookups and searches from.
# * A relationship carries ``count``, the entries of its ``properties`` map, and its evidence
#   as parallel lists: ``evidence_doc_ids``, ``evidence_sentences``, ``evidence_starts``,
#   ``evidence_ends`` (item i of each list is one Evidence). Neo4j properties cannot hold maps;
#   parallel lists, unlike a JSON string, stay queryable in plain Cypher
#   (``WHERE $doc IN r.evidence_doc_ids``, ``r.evidence_sentences[0]``) without APOC.
# * Loading SETs ``n = row.props``: a node or relationship holds exactly what its record holds,
#   so loading the same graph twice changes nothing, and loading a later (merged) embedded
#   graph replaces aliases, counts and first/last issue with the merged values.
#
# Relationships: both ends are matched by ``key`` in a uniqueness constraint's index. Every
# entity node carries, besides its ontology label, the common label ``:Entity`` (constraint
# ``entity_key``), so a relationship end is matched as ``:Entity``, ``:Article`` or ``:Issue``
# (:func:`end_label`) and rows are grouped by (type, head end, tail end): about one query per
# type. The alternative, grouping by (head label, type, tail label), matched under the
# per-label constraints too, but made up to |labels|^2 distinct queries per type (81 for
# COLLABORATES_WITH alone); Neo4j plans each distinct query text once, ~50 ms apiece here,
# which cost a first load of a 5,000-entity graph 8 of its 12 seconds. The price of
# ``:Entity``: a second key index over the entities. It also lets read queries look an entity
# up by key or name without knowing its label.

NODE_LABELS: tuple[EntityLabel | ProvenanceLabel, ...] = (*EntityLabel, *ProvenanceLabel)
EDGE_TYPES: tuple[RelType | GraphRelType, ...] = (*RelType, *GraphRelType)

FULLTEXT_INDEX = "entity_names"
"""The full-text index over every entity label's ``name`` and ``aliases`` (CJK analyzer)."""
SEARCH_KEY = "search_key"
"""An entity's name key and alias keys, each between spaces, name first (innograph.graph.rows.search_key)."""
TEXT_INDEX = "entity_search_key"
"""The text index over ``:Entity(search_key)``: name lookups (``CONTAINS ' key '``) and searches
(``CONTAINS $needle``, one character included) read it instead of scanning every name. Neo4j 5
range indexes do not index list elements, so the keys are one string, not a list."""

# What the questions rank and diff by, stored once where the store is written
# (innograph.graph.analysis.annotate): on every entity DEGREE and BETWEENNESS, and per ranked
# score its rank (1 = best: score descending, then name, then key; only where the score is > 0);
# on every extracted relationship FIRST_ISSUE (entities carry first_issue as a field of their
# own). ``top`` is then one ``ORDER BY rank LIMIT`` read of the rank's range index, ties
# included, and ``issue-diff`` seeks of the first_issue indexes.
DEGREE = "degree"
BETWEENNESS = "betweenness"
FIRST_ISSUE = "first_issue"
RANKED_PROPERTIES: dict[str, str] = {"mentions": "mention_count", "degree": DEGREE, "betweenness": BETWEENNESS}
"""``top --by`` -> the entity property it ranks by."""
RANK_PROPERTIES: dict[str, str] = {by: f"{by}_rank" for by in RANKED_PROPERTIES}
"""``top --by`` -> the stored rank of that score (``mentions_rank`` ...)."""

# Per-label properties worth a range index besides ``name`` (filters the read queries use).
FILTER_PROPERTIES: dict[AnyLabel, tuple[str, ...]] = {
    ENTITY: ("name", *RANK_PROPERTIES.values(), FIRST_ISSUE),
    ProvenanceLabel.Article: ("name", "issue_key", "title"),
    ProvenanceLabel.Issue: ("name", "year", "journal"),
    **{lab: ("name", "mention_count") for lab in EntityLabel},
}
#: relationship types with a range index on FIRST_ISSUE (issue-diff)
FIRST_ISSUE_TYPES: tuple[RelType, ...] = tuple(RelType)
KEY_LABELS: tuple[AnyLabel, ...] = (*NODE_LABELS, ENTITY)
"""Labels with a uniqueness constraint on ``key``."""


def _snake(value: AnyLabel) -> str:
    return value.value.lower()


def constraint_name(node: AnyLabel) -> str:
    """
    >>> constraint_name(EntityLabel.Lab)
    'lab_key'
    """
    return f"{_snake(node)}_key"


def index_name(node: AnyLabel, prop: str) -> str:
    """
    >>> index_name(ProvenanceLabel.Issue, "year")
    'issue_year'
    """
    return f"{_snake(node)}_{prop}"


def create_key_constraint(node: AnyLabel) -> str:
    return (
        f"CREATE CONSTRAINT {constraint_name(node)} IF NOT EXISTS "
        f"FOR (n:{label(node)}) REQUIRE n.key IS UNIQUE"
    )


def create_property_index(node: AnyLabel, prop: str) -> str:
    if not prop.isidentifier():
        raise ValueError(f"not a property name: {prop!r}")
    return f"CREATE INDEX {index_name(node, prop)} IF NOT EXISTS FOR (n:{label(node)}) ON (n.`{prop}`)"


def relationship_index_name(type_: RelType, prop: str) -> str:
    """
    >>> relationship_index_name(RelType.PART_OF, "first_issue")
    'rel_part_of_first_issue'
    """
    return f"rel_{type_.value.lower()}_{prop}"


def create_relationship_index(type_: RelType, prop: str) -> str:
    """A range index on one property of one relationship type (``WHERE r.prop = $value`` seeks it)."""
    if not prop.isidentifier():
        raise ValueError(f"not a property name: {prop!r}")
    return (f"CREATE INDEX {relationship_index_name(type_, prop)} IF NOT EXISTS "
            f"FOR ()-[r:{rel_type(type_)}]-() ON (r.`{prop}`)")


def create_text_index() -> str:
    return f"CREATE TEXT INDEX {TEXT_INDEX} IF NOT EXISTS FOR (n:{label(ENTITY)}) ON (n.`{SEARCH_KEY}`)"


def create_fulltext_index() -> str:
    labels = "|".join(label(lab) for lab in EntityLabel)
    return (
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{labels}) "
        "ON EACH [n.name, n.aliases] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: false}}"
    )


def schema_statements() -> list[str]:
    """Every schema statement, idempotent (``IF NOT EXISTS``), constraints first."""
    statements = [create_key_constraint(node) for node in KEY_LABELS]
    statements += [create_property_index(node, prop) for node, props in FILTER_PROPERTIES.items() for prop in props]
    statements += [create_relationship_index(t, FIRST_ISSUE) for t in FIRST_ISSUE_TYPES]
    statements.append(create_text_index())
    statements.append(create_fulltext_index())
    return statements


def expected_schema() -> dict[str, str]:
    """Name -> kind ('constraint', 'range index', 'text index', 'fulltext index') of what init_schema creates."""
    names = {constraint_name(node): "constraint" for node in KEY_LABELS}
    names.update({index_name(node, prop): "range index" for node, props in FILTER_PROPERTIES.items() for prop in props})
    names.update({relationship_index_name(t, FIRST_ISSUE): "range index" for t in FIRST_ISSUE_TYPES})
    names[TEXT_INDEX] = "text index"
    names[FULLTEXT_INDEX] = "fulltext index"
    return names


def drop_schema_statements() -> list[str]:
    """Drop every constraint and index :func:`schema_statements` creates (tests of a fresh database)."""
    statements = [f"DROP CONSTRAINT {constraint_name(node)} IF EXISTS" for node in KEY_LABELS]
    statements += [f"DROP INDEX {name} IF EXISTS" for name, kind in expected_schema().items() if kind != "constraint"]
    return statements


AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"


def drop_secondary_index_statements() -> list[str]:
    """Drop the indexes besides the key constraints (a load into an empty database creates them
    after its writes: one population is faster than an update at every write)."""
    return [f"DROP INDEX {name} IF EXISTS" for name, kind in expected_schema().items() if kind != "constraint"]

SHOW_CONSTRAINTS = (
    "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
    "RETURN name, type, labelsOrTypes, properties ORDER BY name"
)
SHOW_INDEXES = (
    "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state, owningConstraint "
    "RETURN name, type, labelsOrTypes, properties, state, owningConstraint ORDER BY name"
)


@_cached
def merge_nodes(node: EntityLabel | ProvenanceLabel) -> str:
    """The batched load query of one label: ``$rows`` is a list of ``{key, props}``.

    >>> print(merge_nodes(EntityLabel.Lab))
    UNWIND $rows AS row MERGE (n:`Lab` {key: row.key}) SET n = row.props, n:`Entity`
    >>> print(merge_nodes(ProvenanceLabel.Issue))
    UNWIND $rows AS row MERGE (n:`Issue` {key: row.key}) SET n = row.props
    """
    common = f", n:{label(ENTITY)}" if isinstance(node, EntityLabel) else ""
    return f"UNWIND $rows AS row MERGE (n:{label(node)} {{key: row.key}}) SET n = row.props{common}"


@_cached
def create_nodes(node: EntityLabel | ProvenanceLabel) -> str:
    """The load query of one label's keys known to be new (``$rows`` of ``{key, props}``, ``key``
    in ``props``): CREATE with static labels, no lookup; the key constraint still refuses a key
    another client created meanwhile (the loader then MERGEs that batch).

    >>> print(create_nodes(EntityLabel.Lab))
    UNWIND $rows AS row CREATE (n:`Lab`:`Entity`) SET n = row.props
    """
    common = f":{label(ENTITY)}" if isinstance(node, EntityLabel) else ""
    return f"UNWIND $rows AS row CREATE (n:{label(node)}{common}) SET n = row.props"


@_cached
def existing_keys(node: EntityLabel | ProvenanceLabel) -> str:
    """Which of ``$keys`` a node of label ``node`` holds (one index seek each)."""
    return f"UNWIND $keys AS k MATCH (n:{label(node)} {{key: k}}) RETURN n.key AS key"


@_cached
def any_node(node: AnyLabel) -> str:
    """One row if any node carries ``node`` (from the label index: no scan)."""
    return f"MATCH (n:{label(node)}) RETURN 1 AS found LIMIT 1"


def end_label(node: EntityLabel | ProvenanceLabel) -> EndLabel:
    """The label a relationship end is matched under.

    >>> end_label(EntityLabel.Lab), end_label(ProvenanceLabel.Article)
    (<CommonLabel.Entity: 'Entity'>, <ProvenanceLabel.Article: 'Article'>)
    """
    if isinstance(node, EntityLabel):
        return ENTITY
    if isinstance(node, ProvenanceLabel):
        return node
    raise TypeError(f"node labels come from the ontology enums, not {node!r}")


@_cached
def merge_relationships(type_: RelType | GraphRelType, head: EndLabel, tail: EndLabel) -> str:
    """The batched load query of one (type, head end, tail end): ``$rows`` of ``{source, target, props}``.

    >>> print(merge_relationships(GraphRelType.MENTIONED_IN, ENTITY, ProvenanceLabel.Article))
    UNWIND $rows AS row MATCH (a:`Entity` {key: row.source}) MATCH (b:`Article` {key: row.target}) MERGE (a)-[r:`MENTIONED_IN`]->(b) SET r = row.props RETURN count(r) AS written
    """
    return (
        f"UNWIND $rows AS row MATCH (a:{label(head)} {{key: row.source}}) "
        f"MATCH (b:{label(tail)} {{key: row.target}}) "
        f"MERGE (a)-[r:{rel_type(type_)}]->(b) SET r = row.props RETURN count(r) AS written"
    )


def merge_node_one(node: EntityLabel | ProvenanceLabel) -> str:
    """The naive one-row load query that benchmarks/load.py compares against."""
    common = f", n:{label(ENTITY)}" if isinstance(node, EntityLabel) else ""
    return f"MERGE (n:{label(node)} {{key: $key}}) SET n = $props{common}"


def merge_relationship_one(type_: RelType | GraphRelType, head: EndLabel, tail: EndLabel) -> str:
    return (
        f"MATCH (a:{label(head)} {{key: $source}}) MATCH (b:{label(tail)} {{key: $target}}) "
        f"MERGE (a)-[r:{rel_type(type_)}]->(b) SET r = $props"
    )


def delete_node(node: EntityLabel | ProvenanceLabel) -> str:
    """Deletes one node and its relationships (benchmarks/load.py clears its naive slice with it)."""
    return f"MATCH (n:{label(node)} {{key: $key}}) DETACH DELETE n"


# Counting and verification.
@_cached
def count_nodes(node: AnyLabel) -> str:
    """Served from the count store: no scan."""
    return f"MATCH (n:{label(node)}) RETURN count(n) AS n"


@_cached
def count_relationships(type_: RelType | GraphRelType) -> str:
    return f"MATCH ()-[r:{rel_type(type_)}]->() RETURN count(r) AS n"


COUNT_ALL_NODES = "MATCH (n) RETURN count(n) AS n"
ANY_NODE_AT_ALL = "MATCH (n) RETURN 1 AS found LIMIT 1"
COUNT_ALL_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r) AS n"
NODE_DIGEST_ROWS = "MATCH (n) RETURN n.key AS key, labels(n) AS labels, properties(n) AS props"
RELATIONSHIP_DIGEST_ROWS = (
    "MATCH (a)-[r]->(b) RETURN a.key AS source, type(r) AS type, b.key AS target, properties(r) AS props"
)
NODE_IDENTS = "MATCH (n) RETURN elementId(n) AS id, n.key AS key, labels(n) AS labels"
RELATIONSHIP_ELEMENT_IDENTS = (
    "MATCH (a)-[r]->(b) RETURN elementId(r) AS id, a.key AS source, type(r) AS type, b.key AS target "
    "ORDER BY source, type, target, id"
)
DELETE_NODES_BY_ID = "UNWIND $ids AS id MATCH (n) WHERE elementId(n) = id DETACH DELETE n"
DELETE_RELATIONSHIPS_BY_ID = "UNWIND $ids AS id MATCH ()-[r]->() WHERE elementId(r) = id DELETE r"
DUPLICATE_KEYS = (
    "MATCH (n) WHERE n.key IS NOT NULL WITH n.key AS key, count(*) AS c WHERE c > 1 "
    "RETURN key, c ORDER BY key LIMIT $limit"
)
DELETE_ALL = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
"""Empties the database (tests and benchmarks); run in an auto-commit transaction."""


# --- query layer (read) ---
#
# The read queries of innograph.queries.neo4j_backend (one per GraphBackend primitive).
# Labels and types come from the enums via label() / rel_type(); values are parameters.
# An entity node is returned as the map projection ENTITY_FIELDS; an edge as the list EDGE_FIELDS
# (its evidence in the parallel lists the loader writes).

from collections.abc import Iterable  # noqa: E402

ENTITY_LABEL_EXPR = "|".join(label(lab) for lab in EntityLabel)
"""``Lab|University|...``: any entity node (label expression, Neo4j 5)."""

ENTITY_FIELDS = "{.key, .name, .aliases, .mention_count, .first_issue, .last_issue}"
#: what an edge carries besides its own properties: its count and evidence (the loader's parallel
#: lists) and the first issue the build derives
EDGE_STORED_FIELDS = ("count", "evidence_doc_ids", "evidence_sentences", "evidence_starts", "evidence_ends", FIRST_ISSUE)
EDGE_FIELDS = (
    "[a.key, a.name, b.key, b.name, type(r), r.evidence_doc_ids, r.evidence_sentences, r.evidence_starts, "
    "r.evidence_ends, r.count, [k IN keys(r) WHERE NOT k IN ["
    + ", ".join(f"'{f}'" for f in EDGE_STORED_FIELDS) + "] | [k, r[k]]]]"
)
"""An edge as one list (a map per edge costs its keys again on the wire and in the driver: an
issue-diff reads 3,400): head key and name, tail key and name, type, the evidence lists, count,
and its own properties as [name, value] pairs."""


def rel_types_expr(types: Iterable[RelType | GraphRelType]) -> str:
    """``T1|T2``: a relationship-type alternation, from the enums only.

    >>> rel_types_expr([RelType.PART_OF, GraphRelType.CO_MENTIONED])
    '`CO_MENTIONED`|`PART_OF`'
    """
    return "|".join(sorted(rel_type(t) for t in types))


@_cached
def q_lookup_by_key() -> str:
    """Entities whose key is ``<Label>:$name_key`` under any label (one index seek per label)."""
    parts = [f"MATCH (n:{label(lab)} {{key: '{lab.value}:' + $name_key}}) RETURN n {ENTITY_FIELDS} AS n"
             for lab in EntityLabel]
    return " UNION ALL ".join(parts)


Q_LOOKUP_BY_NAME = (
    f"MATCH (n:{label(ENTITY)}) WHERE n.`{SEARCH_KEY}` CONTAINS $exact RETURN collect(n {ENTITY_FIELDS}) AS found"
)
"""Entities whose name or an alias has the name key ``$exact`` (given as ``' key '``): the text index."""

Q_SEARCH_CANDIDATES = (
    f"MATCH (n:{label(ENTITY)}) WHERE n.`{SEARCH_KEY}` CONTAINS $needle RETURN collect(n {ENTITY_FIELDS}) AS found"
)
"""Entities whose name key or an alias key contains ``$needle`` (a name key): the text index."""

Q_HAS_SEARCH_KEYS = f"MATCH (n:{label(ENTITY)}) WHERE n.`{SEARCH_KEY}` IS NOT NULL RETURN 1 AS found LIMIT 1"
"""Whether the entities carry ``search_key`` (a database loaded before it was stored has none)."""


@_cached
def q_search_ranked(lab: EntityLabel | None) -> str:
    """The ``$limit`` best search hits for ``$needle`` (of ``lab``), in the order of the query API:
    exact name (``search_key`` starts with ``$exact`` = ``' needle '``), exact alias (contains
    it), prefix of a name or alias (contains ``$prefix`` = ``' needle'``), substring; then most
    mentioned, then name, then key. The candidates come from the text index, the cut is made by
    the server: a one-character search matches tens of thousands of names, too many to ship."""
    only = f" AND n:{label(lab)}" if lab is not None else ""
    return (
        f"MATCH (n:{label(ENTITY)}) WHERE n.`{SEARCH_KEY}` CONTAINS $needle{only} "
        f"WITH n, CASE WHEN n.`{SEARCH_KEY}` STARTS WITH $exact THEN 0 WHEN n.`{SEARCH_KEY}` CONTAINS $exact THEN 1 "
        f"WHEN n.`{SEARCH_KEY}` CONTAINS $prefix THEN 2 ELSE 3 END AS rank "
        "ORDER BY rank, n.mention_count DESC, n.name, n.key LIMIT $limit "
        f"RETURN collect(n {ENTITY_FIELDS}) AS found"
    )


Q_FULLTEXT_CANDIDATES = (
    f"CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $query) YIELD node AS n "
    f"RETURN n {ENTITY_FIELDS} AS n"
)
"""Candidates from the full-text index (``$query`` is a Lucene phrase)."""

Q_SCAN_CANDIDATES = (
    f"MATCH (n:{ENTITY_LABEL_EXPR}) "
    "WHERE replace(toLower(n.name), ' ', '') CONTAINS $needle "
    "OR any(a IN coalesce(n.aliases, []) WHERE replace(toLower(a), ' ', '') CONTAINS $needle) "
    f"RETURN n {ENTITY_FIELDS} AS n"
)
"""Candidates by scanning (queries the CJK analyzer cannot tokenise as a phrase of the name)."""

Q_ALL_NAMES = f"MATCH (n:{ENTITY_LABEL_EXPR}) RETURN n.name AS name, coalesce(n.aliases, []) AS aliases"


@_cached
def q_entities(lab: EntityLabel) -> str:
    return f"UNWIND $keys AS k MATCH (n:{label(lab)} {{key: k}}) RETURN n {ENTITY_FIELDS} AS n"


@_cached
def q_edges(lab: EntityLabel, direction: str, types: frozenset[RelType | GraphRelType]) -> str:
    """The edges of ``types`` at one entity; ``a`` is always the head, ``b`` the tail."""
    t = rel_types_expr(types)
    start = f"MATCH (n:{label(lab)} {{key: $key}})"
    out_q = f"{start}-[r:{t}]->(m:{ENTITY_LABEL_EXPR}) WITH n AS a, r, m AS b RETURN {EDGE_FIELDS} AS e"
    in_q = f"{start}<-[r:{t}]-(m:{ENTITY_LABEL_EXPR}) WITH m AS a, r, n AS b RETURN {EDGE_FIELDS} AS e"
    if direction == "out":
        return out_q
    if direction == "in":
        return in_q
    return f"{out_q} UNION ALL {in_q}"


@_cached
def q_edges_between(head: EntityLabel, tail: EntityLabel, types: frozenset[RelType | GraphRelType]) -> str:
    """Edges of ``types`` joining each ``$pairs`` [x, y] (x labelled ``head``, y ``tail``), either way."""
    return (
        f"UNWIND $pairs AS p MATCH (x:{label(head)} {{key: p[0]}})-[r:{rel_types_expr(types)}]-"
        f"(y:{label(tail)} {{key: p[1]}}) WITH startNode(r) AS a, r, endNode(r) AS b "
        f"RETURN DISTINCT {EDGE_FIELDS} AS e"
    )


@_cached
def q_shortest_paths(head: EntityLabel, tail: EntityLabel, types: frozenset[RelType | GraphRelType],
                     max_hops: int) -> str:
    """Node-key sequences of all shortest undirected paths of at most ``max_hops`` over ``types``."""
    if not isinstance(max_hops, int) or max_hops < 1:
        raise ValueError(f"max_hops must be a positive int, not {max_hops!r}")
    return (
        f"MATCH (a:{label(head)} {{key: $source}}) MATCH (b:{label(tail)} {{key: $target}}) "
        f"MATCH p = allShortestPaths((a)-[:{rel_types_expr(types)}*..{max_hops}]-(b)) "
        "RETURN DISTINCT [x IN nodes(p) | x.key] AS keys LIMIT $cap"
    )


Q_ARTICLES = (
    f"UNWIND $keys AS k MATCH (a:{label(ProvenanceLabel.Article)} {{key: k}}) "
    f"OPTIONAL MATCH (a)-[:{rel_type(GraphRelType.PUBLISHED_IN)}]->(i:{label(ProvenanceLabel.Issue)}) "
    "RETURN a.key AS key, coalesce(a.title, a.name) AS title, i.key AS issue"
)
Q_ISSUES = f"MATCH (i:{label(ProvenanceLabel.Issue)}) RETURN i.key AS key"
Q_ISSUE_ARTICLES = (
    f"MATCH (a:{label(ProvenanceLabel.Article)})-[:{rel_type(GraphRelType.PUBLISHED_IN)}]->"
    f"(i:{label(ProvenanceLabel.Issue)} {{key: $issue}}) RETURN a.key AS key"
)
Q_MENTION_COUNTS = (
    f"MATCH (n:{ENTITY_LABEL_EXPR}) WHERE n.mention_count > 0 RETURN n.key AS key, n.mention_count AS score"
)
Q_MENTIONS_IN_ARTICLES = (
    f"UNWIND $keys AS k MATCH (:{label(ProvenanceLabel.Article)} {{key: k}})"
    f"<-[r:{rel_type(GraphRelType.MENTIONED_IN)}]-(n:{label(ENTITY)}) "
    "WITH n.key AS key, sum(coalesce(r.count, 1)) AS score RETURN collect([key, score]) AS found"
)
"""(key, mentions) in the articles ``$keys``, as one list of pairs (an issue's are thousands)."""


@_cached
def q_mentions_in_articles_at_cut(lab: EntityLabel | None) -> str:
    """(key, mentions) in the articles ``$keys`` of the entities (of ``lab``) whose mentions there
    reach the ``$limit``-th best score: every entity ``top`` may list, each tie at the cut
    included, the rest left on the server (an issue's mention sums are thousands, a top ten's
    ties a few dozen). The API ranks and cuts what comes back, as it ranks the whole list."""
    node = label(lab) if lab is not None else label(ENTITY)
    return (
        f"UNWIND $keys AS k MATCH (:{label(ProvenanceLabel.Article)} {{key: k}})"
        f"<-[r:{rel_type(GraphRelType.MENTIONED_IN)}]-(n:{node}) "
        "WITH n.key AS key, sum(coalesce(r.count, 1)) AS score WHERE score > 0 "
        "WITH collect([key, score]) AS scored "
        "WITH scored, coalesce(head(COLLECT { UNWIND scored AS x WITH x[1] AS s ORDER BY s DESC "
        "SKIP $limit - 1 LIMIT 1 RETURN s }), 0) AS cut "
        "RETURN [x IN scored WHERE x[1] >= cut] AS found"
    )
_EXTRACTED_EXPR = rel_types_expr(RelType)
Q_RELATIONSHIP_PAIRS = f"MATCH (a)-[r:{_EXTRACTED_EXPR}]->(b) RETURN a.key AS source, b.key AS target"
Q_RELATIONSHIP_PAIRS_IN = (
    f"MATCH (a)-[r:{_EXTRACTED_EXPR}]->(b) WHERE any(d IN r.evidence_doc_ids WHERE d IN $docs) "
    "RETURN a.key AS source, b.key AS target"
)
Q_FIRST_SEEN = (
    f"MATCH (n:{label(ENTITY)}) WHERE n.first_issue = $issue RETURN collect(n {ENTITY_FIELDS}) AS found"
)
"""Entities first seen in ``$issue`` (a seek of the ``entity_first_issue`` index), as one list:
thousands of records cost the driver ~50 µs each, one row of a list a fraction of that."""


@_cached
def q_first_seen_relationships() -> str:
    """Extracted relationships whose ``first_issue`` is ``$issue``: one index seek per type (the
    type named in each MATCH, or the planner cannot use a relationship index), as one list."""
    parts = [f"MATCH (a)-[r:{rel_type(t)}]->(b) WHERE r.{FIRST_ISSUE} = $issue RETURN {EDGE_FIELDS} AS e"
             for t in FIRST_ISSUE_TYPES]
    return "CALL () { " + " UNION ALL ".join(parts) + " } RETURN collect(e) AS found"


@_cached
def q_has_first_issues() -> str:
    """Whether any extracted relationship carries ``first_issue`` (a database loaded before it was stored has none)."""
    parts = [f"MATCH ()-[r:{rel_type(t)}]->() WHERE r.{FIRST_ISSUE} IS NOT NULL RETURN 1 AS found LIMIT 1"
             for t in FIRST_ISSUE_TYPES]
    return "CALL () { " + " UNION ALL ".join(parts) + " } RETURN count(*) > 0 AS found"


Q_EDGES_WITH_EVIDENCE_IN = (
    f"MATCH (a)-[r:{_EXTRACTED_EXPR}]->(b) WHERE any(d IN r.evidence_doc_ids WHERE d IN $docs) "
    f"RETURN collect({EDGE_FIELDS}) AS found"
)


def _rank_property(by: str) -> str:
    prop = RANK_PROPERTIES.get(by)
    if prop is None:
        raise ValueError(f"no ranked score {by!r}")
    return prop


@_cached
def q_ranked_scores(by: str, lab: EntityLabel | None) -> str:
    """(key, score) of the ``$limit`` best-ranked entities (of ``lab``), best first, ``by`` a key
    of :data:`RANK_PROPERTIES`: the stored rank's range index read in order, no sort, no scan
    of a label (a label is a filter on the index's entries, read until ``$limit`` pass)."""
    rank = _rank_property(by)
    only = f" AND n:{label(lab)}" if lab is not None else ""
    return (
        f"MATCH (n:{label(ENTITY)}) WHERE n.`{rank}` > 0{only} "
        f"RETURN n.key AS key, n.`{RANKED_PROPERTIES[by]}` AS score ORDER BY n.`{rank}` LIMIT $limit"
    )


@_cached
def q_has_ranked_property(by: str) -> str:
    """Whether any entity carries the rank ``by`` orders by (stored when the store was written)."""
    rank = _rank_property(by)
    return f"MATCH (n:{label(ENTITY)}) WHERE n.`{rank}` IS NOT NULL RETURN n.key AS key LIMIT 1"
