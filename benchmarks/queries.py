"""Latency of every question on every backend: median and p95 per question (not a test).

Backends: ``embedded`` (the graph in memory, as a JSON store is asked), ``sqlite`` (the graph
saved to a temporary SQLite store and asked by SQL, the default store's backend), and with
``--neo4j`` Neo4j.

    .venv/bin/python benchmarks/queries.py                      # fixture + 100,000-entity synthetic graph
    .venv/bin/python benchmarks/queries.py --entities 20000 --repeats 10
    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... .venv/bin/python benchmarks/queries.py --neo4j

With ``--neo4j`` the Neo4j database named by NEO4J_URI / NEO4J_DATABASE is CLEARED and loaded
with each graph in turn: point it at a scratch server (scripts/neo4j-local with its own
NEO4J_LOCAL_HOME and port), never at one holding data you want.
"""
from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from innograph.graph.analysis import annotate  # noqa: E402
from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord  # noqa: E402
from innograph.models import Evidence, entity_key  # noqa: E402
from innograph.ontology import SIGNATURES, EntityLabel, GraphRelType, ProvenanceLabel, RelType  # noqa: E402
from innograph.queries.api import QueryAPI  # noqa: E402
from innograph.queries.embedded import EmbeddedBackend  # noqa: E402
from innograph.queries.sqlite_backend import SqliteBackend  # noqa: E402


TEMPORARY: list[Path] = []  # the SQLite stores written, removed when the run ends


def sqlite_backend(graph: InnoGraph) -> SqliteBackend:
    """``graph`` saved to a temporary SQLite store, and the backend asking it."""
    import tempfile

    from innograph.graph import store

    TEMPORARY.append(Path(tempfile.mkdtemp(prefix="innograph-queries-")))
    path = TEMPORARY[-1] / "graph.db"
    t0 = time.perf_counter()
    store.save(graph, path)
    print(f"  SQLite store: {path.stat().st_size / 2**20:.1f} MiB written in {time.perf_counter() - t0:.1f}s",
          file=sys.stderr)
    return SqliteBackend(path)

CHARS = "杭州浙江之江西湖良渚未来科技城创新数字智能医疗生物材料能源光电芯片云计算网络信息技术工程研究中心实验室"
SUFFIX = {
    EntityLabel.University: "大学", EntityLabel.Lab: "实验室", EntityLabel.Institute: "研究院",
    EntityLabel.Facility: "大科学装置", EntityLabel.Ecosystem: "创新生态圈", EntityLabel.Company: "科技有限公司",
    EntityLabel.Policy: "若干措施", EntityLabel.Platform: "转化中心", EntityLabel.Fund: "投资基金",
    EntityLabel.Agency: "管理局", EntityLabel.Region: "区", EntityLabel.Person: "", EntityLabel.Event: "创新大赛",
}
WEIGHTS = {EntityLabel.Company: 40, EntityLabel.Person: 15, EntityLabel.University: 4, EntityLabel.Lab: 5,
           EntityLabel.Institute: 5, EntityLabel.Facility: 2, EntityLabel.Ecosystem: 3, EntityLabel.Policy: 6,
           EntityLabel.Platform: 5, EntityLabel.Fund: 3, EntityLabel.Agency: 5, EntityLabel.Region: 3,
           EntityLabel.Event: 4}


def synthetic_graph(n_entities: int, seed: int = 7) -> InnoGraph:
    """``n_entities`` entities, ~2 extracted relationships, ~2 mentions and ~1 co-mention each."""
    rng = random.Random(seed)
    g = InnoGraph()
    issues = [f"syn-{2000 + i // 6}-{i % 6 + 1:02d}" for i in range(60)]
    for key in issues:
        g.upsert_node(NodeRecord(key=f"Issue:{key}", label=ProvenanceLabel.Issue, name=key))
    articles = [f"{issues[i % len(issues)]}-{i:04d}" for i in range(max(100, n_entities // 50))]
    issue_of = {}
    for doc in articles:
        issue_of[doc] = doc.rsplit("-", 1)[0]
        g.upsert_node(NodeRecord(key=f"Article:{doc}", label=ProvenanceLabel.Article, name=f"文章{doc}",
                                 properties={"title": f"文章{doc}"}))
        g.upsert_edge(EdgeRecord(source=f"Article:{doc}", target=f"Issue:{issue_of[doc]}", type=GraphRelType.PUBLISHED_IN))
    labels = list(WEIGHTS)
    by_label: dict[EntityLabel, list[str]] = {lab: [] for lab in labels}
    keys: list[str] = []
    seen: set[str] = set()
    while len(keys) < n_entities:
        label = rng.choices(labels, weights=[WEIGHTS[lab] for lab in labels])[0]
        stem = "".join(rng.choice(CHARS) for _ in range(rng.randint(2, 5)))
        name = f"{stem}{SUFFIX[label]}{len(keys)}" if label is not EntityLabel.Person else f"{stem}{len(keys)}"
        key = entity_key(label, name)
        if key in seen:
            continue
        seen.add(key)
        docs = rng.sample(articles, rng.randint(1, 3))
        first, last = min(issue_of[d] for d in docs), max(issue_of[d] for d in docs)
        aliases = (stem + str(len(keys)),) if rng.random() < 0.3 else ()
        g.upsert_node(NodeRecord(key=key, label=label, name=name, aliases=aliases, mention_count=len(docs),
                                 first_issue=first, last_issue=last))
        for d in docs:
            g.upsert_edge(EdgeRecord(source=key, target=f"Article:{d}", type=GraphRelType.MENTIONED_IN,
                                     evidence=(Evidence(doc_id=d, sentence=f"{name}出现在文中。", start=0, end=10),)))
        keys.append(key)
        by_label[label].append(key)
    doc_of = lambda: rng.choice(articles)  # noqa: E731
    n_rel = 0
    while n_rel < 2 * n_entities:
        rel = rng.choice(list(RelType))
        heads, tails = SIGNATURES[rel]
        head_l = rng.choice([lab for lab in heads if by_label[lab]])
        tail_l = rng.choice([lab for lab in tails if by_label[lab]])
        h, t = rng.choice(by_label[head_l]), rng.choice(by_label[tail_l])
        if h == t:
            continue
        d = doc_of()
        g.upsert_edge(EdgeRecord(source=h, target=t, type=rel,
                                 evidence=(Evidence(doc_id=d, sentence=f"{h}与{t}的关系。", start=0, end=8),)))
        n_rel += 1
    for _ in range(n_entities):
        a, b = rng.sample(keys, 2)
        d = doc_of()
        g.upsert_edge(EdgeRecord(source=a, target=b, type=GraphRelType.CO_MENTIONED, count=1,
                                 evidence=(Evidence(doc_id=d, sentence="同句。", start=0, end=3),)))
    return g


def workload(graph: InnoGraph, rng: random.Random) -> dict[str, list]:
    """Per question, a list of argument sets drawn from the graph (the same for both backends)."""
    entities = [n for n in graph.nodes() if isinstance(n.label, EntityLabel) and n.mention_count > 0]
    ecosystems = [n for n in entities if n.label is EntityLabel.Ecosystem and graph.nx.in_degree(n.key) > 1]
    issues = sorted(n.key.split(":", 1)[1] for n in graph.nodes(ProvenanceLabel.Issue))
    pick = lambda: rng.choice(entities)  # noqa: E731
    return {
        "profile": [(lambda api, n=pick(): api.profile(n.name)) for _ in range(50)],
        "related": [(lambda api, n=pick(): api.related(n.name, direction="both")) for _ in range(50)],
        "path": [(lambda api, a=pick(), b=pick(): api.path(a.key, b.key, max_hops=4)) for _ in range(50)],
        "path --co-mentions": [(lambda api, a=pick(), b=pick(): api.path(a.key, b.key, max_hops=4, co_mentions=True))
                               for _ in range(50)],
        "members": [(lambda api, e=rng.choice(ecosystems or entities): api.members(e.name)) for _ in range(50)],
        "search": [(lambda api, t=pick().name[:rng.randint(2, 4)]: api.search(t)) for _ in range(50)],
        "search (1 char)": [(lambda api, t=rng.choice(CHARS): api.search(t)) for _ in range(50)],
        "top mentions": [lambda api: api.top(by="mentions")],
        "top mentions --issue": [(lambda api, i=rng.choice(issues): api.top(by="mentions", issue=i)) for _ in range(20)],
        "top degree": [lambda api: api.top(by="degree")],
        "top betweenness": [lambda api: api.top(by="betweenness")],
        "issue-diff": [(lambda api, i=rng.choice(issues): api.issue_diff(i)) for _ in range(20)],
        "cypher": [lambda api: api.cypher("MATCH (n:Company) RETURN n.name LIMIT 10", {})],
    }


def measure(api: QueryAPI, calls: list, repeats: int, budget_s: float) -> list[float]:
    times: list[float] = []
    started = time.perf_counter()
    for i in range(repeats):
        call = calls[i % len(calls)]
        t0 = time.perf_counter()
        call(api)
        times.append((time.perf_counter() - t0) * 1000)
        if time.perf_counter() - started > budget_s and len(times) >= min(3, repeats):
            break
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(graph_name: str, graph: InnoGraph, backends: dict, repeats: int, budget_s: float) -> list[tuple]:
    rows = []
    questions = workload(graph, random.Random(1))
    for backend_name, make in backends.items():
        api = QueryAPI(make(graph))
        for question, calls in questions.items():
            if question == "cypher" and backend_name != "neo4j":
                continue
            calls[0](api)  # warm-up (caches, query plans, the embedded backend's indexes)
            n = repeats if len(calls) > 1 else max(3, repeats // 5)
            times = measure(api, calls, n, budget_s)
            rows.append((graph_name, backend_name, question, len(times), statistics.median(times), p95(times)))
            print(f"  {graph_name:>10} {backend_name:>8} {question:<22} n={len(times):<3} "
                  f"median {statistics.median(times):9.1f} ms  p95 {p95(times):9.1f} ms", file=sys.stderr)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per question at most")
    parser.add_argument("--neo4j", action="store_true", help="also Neo4j (CLEARS the database: see above)")
    parser.add_argument("--keep", action="store_true", help="leave the last graph in Neo4j (to look at its plans)")
    args = parser.parse_args()

    backends: dict = {"embedded": EmbeddedBackend, "sqlite": sqlite_backend}
    writer = None
    if args.neo4j:
        from innograph.config import Neo4jSettings
        from innograph.loaders.neo4j import Neo4jWriter
        from innograph.queries.neo4j_backend import Neo4jBackend

        settings = Neo4jSettings.from_env()
        writer = Neo4jWriter(settings)

        def neo4j_backend(graph: InnoGraph):
            writer.clear()
            t0 = time.perf_counter()
            report = writer.load(graph, batch_size=10_000)
            print(f"  {report.summary()} ({time.perf_counter() - t0:.0f}s)", file=sys.stderr)
            return Neo4jBackend(writer.driver, settings.database)

        backends["neo4j"] = neo4j_backend

    try:
        rows = measure_all(args, backends)
    finally:
        import shutil

        for folder in TEMPORARY:  # 256 MiB each at 100k entities
            shutil.rmtree(folder, ignore_errors=True)
        if writer is not None:
            if not args.keep:
                writer.clear()
            writer.close()

    print("\n| graph | backend | question | n | median ms | p95 ms |\n|---|---|---|---|---|---|")
    for graph_name, backend_name, question, n, med, p in rows:
        print(f"| {graph_name} | {backend_name} | {question} | {n} | {med:.1f} | {p:.1f} |")


def measure_all(args: argparse.Namespace, backends: dict) -> list[tuple]:
    """The fixture graph, then the synthetic one, asked on every backend."""
    from tests.query_fixtures import fixture_graph

    rows = run("fixture", annotate(fixture_graph()), backends, args.repeats, args.budget)
    t0 = time.perf_counter()
    big = synthetic_graph(args.entities)
    t1 = time.perf_counter()
    annotate(big)  # as a build stores it: degree, betweenness, ranks, relationships' first issue
    gc.freeze()  # as EmbeddedBackend.from_store does for a loaded store
    print(f"  synthetic graph: {len(big)} nodes, {big.nx.number_of_edges()} edges "
          f"({t1 - t0:.0f}s to build, {time.perf_counter() - t1:.1f}s to annotate)", file=sys.stderr)
    rows += run(f"{args.entities // 1000}k", big, backends, args.repeats, args.budget)
    return rows


if __name__ == "__main__":
    main()
