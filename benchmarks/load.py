"""Load throughput into Neo4j: the batched loader and neo4j-admin import against a naive
one-transaction-per-row loader, all measured in the same run.

    NEO4J_PASSWORD=... scripts/neo4j-local start
    NEO4J_PASSWORD=... .venv/bin/python benchmarks/load.py [--entities 100000] [--batch-size 5000 ...]
                                                           [--workers 2] [--relationship-workers 1 2] [--admin-import] [--clear]

Builds a synthetic graph (default 100,000 entities over every entity label, 2,000 articles in
20 issues, 302,000 relationships: two MENTIONED_IN with a Chinese evidence sentence per
entity, COLLABORATES_WITH, LOCATED_IN, PUBLISHED_IN) and, for each batch size, loads it with
``Neo4jWriter.load`` into an emptied database (wall clock of the whole load: rows built,
schema, writes, indexes online) and verifies it; then loads it once more (every key present:
the idempotent re-load, MERGE throughout). Then measures the naive loader on a slice of the
same data: 1,000 of the nodes are deleted and written back, with 1,000 of their
relationships, one row per managed transaction (every row a create, as in the first load).
With --admin-import it also writes the neo4j-admin CSV of the same graph and imports it with
``neo4j-admin database import full`` from the assembled jars into a fresh database in a
scratch directory (no server needed), and reports records/s. Prints rows/s of each and the
ratios to the naive loader. Refuses a database that holds nodes unless --clear is given (it
deletes them). Not a test: nothing asserts but the verify of each load; CI does not run it.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from innograph import cypher  # noqa: E402
from innograph.config import Neo4jSettings  # noqa: E402
from innograph.errors import InnographError  # noqa: E402
from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord  # noqa: E402
from innograph.graph.rows import admin_import_arguments, write_admin_csv  # noqa: E402
from innograph.loaders.neo4j import DEFAULT_RELATIONSHIP_WORKERS, DEFAULT_WORKERS, Neo4jWriter, edge_rows, node_rows  # noqa: E402
from innograph.models import Evidence  # noqa: E402
from innograph.ontology import ORGANISATIONS, EntityLabel, GraphRelType, ProvenanceLabel, RelType  # noqa: E402

SUFFIX = {
    EntityLabel.University: "大学", EntityLabel.Lab: "实验室", EntityLabel.Institute: "研究院",
    EntityLabel.Facility: "大科学装置", EntityLabel.Ecosystem: "创新联合体", EntityLabel.Company: "科技有限公司",
    EntityLabel.Policy: "若干措施", EntityLabel.Platform: "创新平台", EntityLabel.Fund: "产业基金",
    EntityLabel.Agency: "科技局", EntityLabel.Region: "区", EntityLabel.Person: "院士", EntityLabel.Event: "创新大会",
}
PLACES = "杭州宁波温州嘉兴湖州绍兴金华衢州舟山台州丽水"


def synthetic_graph(entities: int, articles: int = 2000, issues: int = 20, seed: int = 7) -> InnoGraph:
    rng = random.Random(seed)
    graph = InnoGraph()
    labels = list(EntityLabel)
    issue_keys = [f"bench-{i:02d}" for i in range(issues)]
    for key in issue_keys:
        graph.upsert_node(NodeRecord(key=f"Issue:{key}", label=ProvenanceLabel.Issue, name=f"杭州科技 {key}",
                                     properties={"journal": "杭州科技", "year": 2024}))
    for a in range(articles):
        issue = issue_keys[a % issues]
        doc = f"{issue}-{a:05d}"
        graph.upsert_node(NodeRecord(key=f"Article:{doc}", label=ProvenanceLabel.Article, name=f"文章{a}",
                                     properties={"doc_id": doc, "title": f"文章{a}", "issue_key": issue}))
        graph.upsert_edge(EdgeRecord(source=f"Article:{doc}", target=f"Issue:{issue}", type=GraphRelType.PUBLISHED_IN))
    keys_by_label: dict[EntityLabel, list[str]] = {label: [] for label in labels}
    for i in range(entities):
        label = labels[i % len(labels)]
        place = PLACES[2 * (i % 11): 2 * (i % 11) + 2]
        name = f"{place}第{i}{SUFFIX[label]}"
        key = f"{label.value}:{name}"
        keys_by_label[label].append(key)
        graph.upsert_node(NodeRecord(key=key, label=label, name=name, aliases=(f"{place}{i}",),
                                     alias_counts={f"{place}{i}": 1}, mention_count=2,
                                     first_issue=issue_keys[0], last_issue=issue_keys[-1]))
        for article in rng.sample(range(articles), 2):
            doc = f"{issue_keys[article % issues]}-{article:05d}"
            sentence = f"{name}与多家单位合作，推动关键核心技术攻关和成果转化。"
            graph.upsert_edge(EdgeRecord(source=key, target=f"Article:{doc}", type=GraphRelType.MENTIONED_IN,
                                         evidence=(Evidence(doc_id=doc, sentence=sentence, start=0, end=len(sentence)),)))
    orgs = [k for label in ORGANISATIONS for k in keys_by_label[label]]
    regions = keys_by_label[EntityLabel.Region]
    collaborations = 0
    while collaborations < int(entities * 0.6):
        a, b = rng.sample(orgs, 2)
        if graph.edge(a, b, RelType.COLLABORATES_WITH) is None:
            graph.upsert_edge(EdgeRecord(source=a, target=b, type=RelType.COLLABORATES_WITH))
            collaborations += 1
    for key in orgs[: int(entities * 0.4)]:
        graph.upsert_edge(EdgeRecord(source=key, target=rng.choice(regions), type=RelType.LOCATED_IN))
    return graph


def naive_slice(graph: InnoGraph, nodes: int, edges: int) -> tuple[list, list]:
    """(label, row) of ``nodes`` entity nodes spread over the graph, and ``edges`` (type, head end, tail end, row) of theirs."""
    node_groups = node_rows(graph)
    all_nodes = [(label, row) for label, rows in node_groups.items() if isinstance(label, EntityLabel) for row in rows]
    step = max(1, len(all_nodes) // nodes)
    chosen = all_nodes[::step][:nodes]
    chosen_keys = {row["key"] for _, row in chosen}
    rels = [(t, h, o, row) for (t, h, o), rows in edge_rows(graph).items() for row in rows
            if row["source"] in chosen_keys or row["target"] in chosen_keys]
    return chosen, rels[:edges]


def _java() -> str:
    for candidate in (os.path.join(os.environ.get("JAVA_HOME", ""), "bin", "java"), "/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
                      shutil.which("java") or ""):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise SystemExit("load.py: --admin-import needs Java 17 or 21 (JAVA_HOME)")


def admin_import(graph: InnoGraph) -> tuple[float, float, str]:
    """(seconds writing the CSV, seconds of neo4j-admin import into a fresh database, the tool's summary)."""
    lib = ROOT / ".neo4j" / "lib"
    if not lib.is_dir():
        raise SystemExit("load.py: --admin-import needs the jars: run 'scripts/neo4j-local assemble'")
    with tempfile.TemporaryDirectory(prefix="innograph-import-") as scratch:
        home = Path(scratch)
        started = time.perf_counter()
        write_admin_csv(graph, home / "csv")
        csv_seconds = time.perf_counter() - started
        (home / "conf").mkdir()
        (home / "conf" / "neo4j.conf").write_text(f"server.directories.data={home / 'data'}\n", encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run([_java(), f"-Xmx{os.environ.get('NEO4J_HEAP', '1g')}", "-cp", str(lib / "*"),
                               "org.neo4j.cli.AdminTool", *admin_import_arguments(home / "csv")],
                              env={**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")},
                              capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"load.py: neo4j-admin import failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        summary = next((line.strip() for line in done.stdout.splitlines() if line.startswith("IMPORT DONE")), "")
    return csv_seconds, seconds, summary


def _phases(seconds: dict[str, float]) -> str:
    """The load's phases: building rows, schema, node writes, relationship writes, indexes populated after."""
    return ", ".join(f"{name} {value:.1f}s" for name, value in seconds.items())


def _load_average() -> str:
    """The machine's load average (1, 5, 15 minutes): what the figures of a run were measured under."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, nargs="+", default=[5000], help="one load per batch size")
    parser.add_argument("--workers", type=int, nargs="+", default=[DEFAULT_WORKERS],
                        help="parallel transactions of node batches: one load per value")
    parser.add_argument("--relationship-workers", type=int, nargs="+", default=[DEFAULT_RELATIONSHIP_WORKERS],
                        help="parallel transactions of relationship batches sharing no end node: one load per value")
    parser.add_argument("--slice", type=int, default=2000, help="rows of the naive loader (half nodes, half relationships)")
    parser.add_argument("--admin-import", action="store_true", help="also measure neo4j-admin import of the same graph")
    parser.add_argument("--clear", action="store_true", help="delete what the database holds first")
    args = parser.parse_args(argv)

    settings = Neo4jSettings.from_env()
    with Neo4jWriter(settings) as writer:
        try:
            present = writer._read(cypher.COUNT_ALL_NODES)[0]["n"]
        except InnographError as err:
            print(f"load.py: {err}", file=sys.stderr)
            return 2
        if present and not args.clear:
            print(f"load.py: the database holds {present} nodes: pass --clear to delete them", file=sys.stderr)
            return 2
        t0 = time.perf_counter()
        graph = synthetic_graph(args.entities)
        n_nodes, n_edges = len(graph), graph.nx.number_of_edges()
        print(f"synthetic graph: {n_nodes:,} nodes ({args.entities:,} entities), {n_edges:,} relationships "
              f"(built in {time.perf_counter() - t0:.1f}s); {_load_average()}", flush=True)

        loads: dict[tuple[int, int, int], float] = {}
        for batch_size in args.batch_size:
            for workers, rel_workers in ((w, r) for w in args.workers for r in args.relationship_workers):
                writer.clear()
                report = writer.load(graph, batch_size=batch_size, workers=workers, relationship_workers=rel_workers)
                loads[(batch_size, workers, rel_workers)] = report.rows_per_second
                print(f"batched: {report.rows:,} rows in {report.seconds:.1f}s = {report.rows_per_second:,.0f} rows/s "
                      f"(empty database, batch size {batch_size}, {workers} node and {rel_workers} relationship "
                      "transactions at once)", flush=True)
                print(f"  phases: {_phases(writer.phase_seconds)}", flush=True)
                assert writer.verify(graph).ok
        report = writer.load(graph, batch_size=args.batch_size[-1], workers=args.workers[-1],
                             relationship_workers=args.relationship_workers[-1])
        reload = report.rows_per_second
        print(f"re-load: {report.rows:,} rows in {report.seconds:.1f}s = {reload:,.0f} rows/s "
              f"(every key present: MERGE, nothing changes)", flush=True)
        print(f"  phases: {_phases(writer.phase_seconds)}", flush=True)
        assert writer.verify(graph).ok

        nodes, rels = naive_slice(graph, args.slice // 2, args.slice - args.slice // 2)
        with writer.driver.session(database=settings.database) as session:
            for label, row in nodes:
                session.run(cypher.delete_node(label), key=row["key"]).consume()
            started = time.perf_counter()
            for label, row in nodes:
                session.execute_write(lambda tx, q, r: tx.run(q, key=r["key"], props=r["props"]).consume(),
                                      cypher.merge_node_one(label), row)
            for type_, head, tail, row in rels:
                session.execute_write(
                    lambda tx, q, r: tx.run(q, source=r["source"], target=r["target"], props=r["props"]).consume(),
                    cypher.merge_relationship_one(type_, head, tail), row)
            seconds = time.perf_counter() - started
        naive = (len(nodes) + len(rels)) / seconds
        print(f"naive:   {len(nodes) + len(rels):,} rows ({len(nodes):,} nodes, {len(rels):,} relationships) "
              f"in {seconds:.1f}s = {naive:,.0f} rows/s (one transaction per row)")
        for (batch_size, workers, rel_workers), rate in loads.items():
            print(f"ratio:   batched (batch size {batch_size}, {workers} + {rel_workers} at once) is "
                  f"{rate / naive:,.1f}x the naive loader")
        print(f"ratio:   re-load is {reload / naive:,.1f}x the naive loader")
        print(f"machine: {_load_average()} at the end ({os.cpu_count()} cores, shared by this client and the server)")
        writer.clear()
    if args.admin_import:
        csv_seconds, seconds, summary = admin_import(graph)
        records = n_nodes + n_edges
        print(f"admin:   CSV written in {csv_seconds:.1f}s; neo4j-admin import of {records:,} records into a fresh "
              f"database in {seconds:.1f}s = {records / seconds:,.0f} records/s ({summary}); "
              f"with the CSV {records / (seconds + csv_seconds):,.0f} records/s")
        print(f"ratio:   neo4j-admin import is {records / seconds / naive:,.1f}x the naive loader, "
              f"{records / seconds / max(loads.values()):,.1f}x the batched loader")
    return 0


if __name__ == "__main__":
    sys.exit(main())
