"""Every SQL statement of the SQLite store, in one place (as :mod:`innograph.cypher` holds the Cypher).

Values are always parameters; a list of values (keys, types, doc ids) is one JSON array parameter
read with ``json_each``, so no statement is assembled from values. Column names come from the
constants below (the ranked scores of :data:`innograph.cypher.RANKED_PROPERTIES`).

The schema (one file, written whole by :mod:`innograph.graph.sqlite_store`):

* ``meta``: ``format`` and ``version``, what tells a store from another SQLite file;
* ``nodes``: one row per node, the record's fields (lists and maps as JSON text), and the columns
  the questions read by index: ``entity`` (1 for an entity label), ``forms`` (the normalised name
  and aliases joined by U+001F, for substring search), the scores ``degree`` and ``betweenness``,
  the ranks ``mentions_rank``, ``degree_rank``, ``betweenness_rank`` (1 = best, NULL at score 0);
* ``names``: normalised name or alias -> node key (exact lookup);
* ``edges``: one row per (source, target, type), evidence and properties as JSON, and the
  relationship's ``first_issue`` (earliest issue of its evidence, extracted types only);
* ``edge_docs``: (doc id, edge) for every evidence sentence of an extracted relationship.
"""
from __future__ import annotations

from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType

#: the stored annotations, by the name ``top --by`` uses
SCORE_COLUMNS: dict[str, str] = {"mentions": "mention_count", "degree": "degree", "betweenness": "betweenness"}
RANK_COLUMNS: dict[str, str] = {"mentions": "mentions_rank", "degree": "degree_rank", "betweenness": "betweenness_rank"}

_LABELS = ", ".join(f"'{m.value}'" for m in (*EntityLabel, *ProvenanceLabel))
_TYPES = ", ".join(f"'{m.value}'" for m in (*RelType, *GraphRelType))
#: STRICT tables and CHECKs: a record of the wrong type or kind cannot be written, by innograph or by hand
SCHEMA = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value ANY) STRICT, WITHOUT ROWID",
    "CREATE TABLE nodes (key TEXT PRIMARY KEY, "
    f"label TEXT NOT NULL CHECK (label IN ({_LABELS})), name TEXT NOT NULL, "
    "aliases TEXT NOT NULL CHECK (json_type(aliases) = 'array'), "
    "alias_counts TEXT NOT NULL CHECK (json_type(alias_counts) = 'object'), "
    "alias_reasons TEXT NOT NULL CHECK (json_type(alias_reasons) = 'object'), mention_count INTEGER NOT NULL, "
    "first_issue TEXT, last_issue TEXT, properties TEXT NOT NULL CHECK (json_type(properties) = 'object'), "
    "entity INTEGER NOT NULL CHECK (entity IN (0, 1)), forms TEXT NOT NULL, degree REAL, betweenness REAL, "
    "mentions_rank INTEGER, degree_rank INTEGER, betweenness_rank INTEGER) STRICT",
    "CREATE TABLE names (name_key TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (name_key, key)) STRICT, WITHOUT ROWID",
    "CREATE TABLE edges (id INTEGER PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL, "
    f"type TEXT NOT NULL CHECK (type IN ({_TYPES})), evidence TEXT NOT NULL CHECK (json_type(evidence) = 'array'), "
    "count INTEGER NOT NULL, properties TEXT NOT NULL CHECK (json_type(properties) = 'object'), first_issue TEXT) STRICT",
    "CREATE TABLE edge_docs (doc_id TEXT NOT NULL, edge INTEGER NOT NULL, PRIMARY KEY (doc_id, edge)) STRICT, WITHOUT ROWID",
)
#: built after the rows are in (faster than maintaining them row by row)
INDEXES = (
    "CREATE UNIQUE INDEX edges_out ON edges (source, type, target)",
    "CREATE INDEX edges_in ON edges (target, type, source)",
    "CREATE INDEX edges_first_issue ON edges (first_issue) WHERE first_issue IS NOT NULL",
    "CREATE INDEX nodes_label ON nodes (label)",
    # an edge list joins both ends for their label and name: read from this index alone, without
    # the second lookup into the table the key's own index needs (an issue-diff's 3,400 edges
    # over the 100k benchmark graph: 20 against 38 ms)
    "CREATE INDEX nodes_ends ON nodes (key, label, name)",
    "CREATE INDEX nodes_first_issue ON nodes (first_issue) WHERE entity = 1",
    *(f"CREATE INDEX nodes_{rank} ON nodes ({rank}) WHERE {rank} IS NOT NULL" for rank in RANK_COLUMNS.values()),
    *(f"CREATE INDEX nodes_label_{rank} ON nodes (label, {rank}) WHERE {rank} IS NOT NULL"
      for rank in RANK_COLUMNS.values()),
)
#: the temporary file is written once and renamed: no journal, no sync per page (one fsync at the end)
WRITE_PRAGMAS = ("PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA page_size = 4096")
#: a reading connection maps the file into memory (a page is read without a system call and a copy)
#: and keeps up to 64 MiB of pages: an issue-diff's 3,400 edges over the 100k benchmark graph
#: read in 20 ms against 34 with the defaults (no map, 2 MiB of pages)
READ_PRAGMAS = ("PRAGMA mmap_size = 4294967296", "PRAGMA cache_size = -65536")

INSERT_META = "INSERT INTO meta (name, value) VALUES (?, ?)"
INSERT_NODE = ("INSERT INTO nodes (key, label, name, aliases, alias_counts, alias_reasons, mention_count, first_issue, "
               "last_issue, properties, entity, forms, degree, betweenness, mentions_rank, degree_rank, "
               "betweenness_rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
INSERT_NAME = "INSERT OR IGNORE INTO names (name_key, key) VALUES (?, ?)"
INSERT_EDGE = ("INSERT INTO edges (id, source, target, type, evidence, count, properties, first_issue) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
INSERT_EDGE_DOC = "INSERT OR IGNORE INTO edge_docs (doc_id, edge) VALUES (?, ?)"

# -- reading the whole store (store.load) -------------------------------------------------------
META = "SELECT name, value FROM meta"
ALL_NODES = ("SELECT key, label, name, aliases, alias_counts, alias_reasons, mention_count, first_issue, last_issue, "
             "properties FROM nodes ORDER BY key")
ALL_EDGES = "SELECT source, target, type, evidence, count, properties FROM edges ORDER BY id"
TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'"

# -- the query backend's primitives -------------------------------------------------------------
_SUMMARY = "n.key, n.label, n.name, n.aliases, n.mention_count, n.first_issue, n.last_issue"
_EDGE = ("e.source, s.label, s.name, e.target, t.label, t.name, e.type, e.evidence, e.count, e.properties")
_EDGE_JOIN = "FROM edges e JOIN nodes s ON s.key = e.source JOIN nodes t ON t.key = e.target"
_IN_TYPES = "e.type IN (SELECT value FROM json_each(?))"

LOOKUP = f"SELECT {_SUMMARY} FROM names m JOIN nodes n ON n.key = m.key WHERE m.name_key = ? AND n.entity = 1 ORDER BY n.key"
ENTITIES = f"SELECT {_SUMMARY} FROM nodes n WHERE n.key IN (SELECT value FROM json_each(?)) AND n.entity = 1"
#: a full scan of one column with instr (no pattern characters to escape; one character is as fast as many)
SEARCH = f"SELECT {_SUMMARY} FROM nodes n WHERE n.entity = 1 AND instr(n.forms, ?) > 0 ORDER BY n.rowid"
#: the ``?3`` best hits for the name key ``?1`` (of label ``?4``), in the query API's order: match rank
#: (exact name, exact alias, prefix of a name or alias, substring: the forms are the name key then the
#: alias keys, joined by the separator ``?2``), most mentioned, name, key (BINARY collation compares
#: UTF-8 bytes, the order of code points, as Python compares strings)
_SEARCH_RANK = (
    "CASE WHEN n.forms = ?1 OR substr(n.forms, 1, length(?1) + 1) = ?1 || ?2 THEN 0 "
    "WHEN instr(n.forms || ?2, ?2 || ?1 || ?2) > 0 THEN 1 "
    "WHEN substr(n.forms, 1, length(?1)) = ?1 OR instr(n.forms, ?2 || ?1) > 0 THEN 2 ELSE 3 END"
)
SEARCH_RANKED = (f"SELECT {_SUMMARY} FROM nodes n WHERE n.entity = 1 AND instr(n.forms, ?1) > 0 "
                 f"ORDER BY {_SEARCH_RANK}, n.mention_count DESC, n.name, n.key LIMIT ?3")
SEARCH_RANKED_LABEL = (f"SELECT {_SUMMARY} FROM nodes n WHERE n.entity = 1 AND n.label = ?4 AND instr(n.forms, ?1) > 0 "
                       f"ORDER BY {_SEARCH_RANK}, n.mention_count DESC, n.name, n.key LIMIT ?3")
ALL_NAMES = "SELECT name, aliases FROM nodes WHERE entity = 1 ORDER BY rowid"
IS_ENTITY = "SELECT 1 FROM nodes WHERE key = ? AND entity = 1"
EDGES_OUT = f"SELECT {_EDGE} {_EDGE_JOIN} WHERE e.source = ? AND {_IN_TYPES} AND t.entity = 1 ORDER BY e.id"
EDGES_IN = f"SELECT {_EDGE} {_EDGE_JOIN} WHERE e.target = ? AND {_IN_TYPES} AND s.entity = 1 ORDER BY e.id"
EDGES_FROM_TO = f"SELECT {_EDGE} {_EDGE_JOIN} WHERE e.source = ? AND e.target = ? AND {_IN_TYPES} ORDER BY e.id"
#: one breadth-first step: (node of the frontier, entity neighbour) over the types, either direction
NEIGHBOURS = (
    "SELECT e.source, e.target FROM edges e JOIN nodes n ON n.key = e.target "
    "WHERE e.source IN (SELECT value FROM json_each(?1)) AND e.type IN (SELECT value FROM json_each(?2)) "
    "AND n.entity = 1 AND e.target <> e.source "
    "UNION SELECT e.target, e.source FROM edges e JOIN nodes n ON n.key = e.source "
    "WHERE e.target IN (SELECT value FROM json_each(?1)) AND e.type IN (SELECT value FROM json_each(?2)) "
    "AND n.entity = 1 AND e.target <> e.source"
)
ARTICLES = ("SELECT a.key, a.name, a.properties, (SELECT p.target FROM edges p WHERE p.source = a.key AND p.type = ? "
            "ORDER BY p.id DESC LIMIT 1) FROM nodes a WHERE a.key IN (SELECT value FROM json_each(?))")
ISSUES = "SELECT key FROM nodes WHERE label = ?"
ISSUE_ARTICLES = "SELECT source FROM edges WHERE target = ? AND type = ?"
MENTIONS_ALL = "SELECT key, mention_count FROM nodes WHERE entity = 1 ORDER BY rowid"
MENTIONS_IN = ("SELECT e.source, sum(e.count) FROM edges e JOIN nodes n ON n.key = e.source "
               "WHERE e.target IN (SELECT value FROM json_each(?)) AND e.type = ? AND n.entity = 1 GROUP BY e.source")
_EXTRACTED = f"{_IN_TYPES} AND s.entity = 1 AND t.entity = 1"
PAIRS_ALL = f"SELECT e.source, e.target {_EDGE_JOIN} WHERE {_EXTRACTED} ORDER BY e.id"
_WITH_DOCS = "e.id IN (SELECT d.edge FROM edge_docs d WHERE d.doc_id IN (SELECT value FROM json_each(?)))"
PAIRS_IN = f"SELECT e.source, e.target {_EDGE_JOIN} WHERE {_WITH_DOCS} AND {_EXTRACTED} ORDER BY e.id"
EDGES_WITH_EVIDENCE_IN = f"SELECT {_EDGE} {_EDGE_JOIN} WHERE {_WITH_DOCS} AND {_EXTRACTED} ORDER BY e.id"
FIRST_SEEN_ENTITIES = f"SELECT {_SUMMARY} FROM nodes n WHERE n.entity = 1 AND n.first_issue = ? ORDER BY n.rowid"
FIRST_SEEN_EDGES = f"SELECT {_EDGE} {_EDGE_JOIN} WHERE e.first_issue = ? ORDER BY e.id"


def ranked(by: str, with_label: bool) -> str:
    """(key, score) of the ``?`` best-ranked entities by ``by`` (of the label given first if
    ``with_label``): the rank's partial index read in order."""
    rank, score = RANK_COLUMNS[by], SCORE_COLUMNS[by]
    only = "label = ? AND " if with_label else ""
    return f"SELECT key, {score} FROM nodes WHERE {only}{rank} IS NOT NULL ORDER BY {rank} LIMIT ?"
