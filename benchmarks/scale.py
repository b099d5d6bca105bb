"""The archive at scale: a synthetic archive of 330 issues built into the embedded store (not a test).

    .venv/bin/python benchmarks/scale.py                  # 330 issues (~160k entities)
    .venv/bin/python benchmarks/scale.py --issues 60      # a smaller archive

The sample issue is extracted once with the real extractor; the archive is that extraction
result 330 times over, each copy an issue of its own (``syn-<year>-<nn>``, 1970 on) whose text
has the CJK characters of entity names permuted by a per-issue seeded permutation (same
lengths, so every offset and evidence sentence stays true to its article), except the names
of the sample's few most mentioned entities (``--recurring``), which recur in every issue as
the city, the big labs and universities do (and the merge reasons, which are enum values). Running the real extractor over 330 issues would take 330 times
the sample's extraction time (printed below) on this machine, so the build figures are the
graph assembly, the stored properties (:func:`innograph.graph.analysis.annotate`) and the
store write from those results, in a child process of its own (for its peak RSS).

The archive is written in both store formats, JSON (``.json``, what innograph wrote before) and
SQLite (the default), and every figure is taken for both in the same run, and printed beside the
same figure for the one-issue archive (the sample alone, built the same way in the same run):
store write time and size, store load / open time, the in-process latency of the questions
(median / p95; JSON: the in-memory backend over the loaded graph; SQLite: the SQL backend) and
the wall time and peak RSS of ``innograph <question>`` run as a process on that store.
``--cli-runs`` processes per CLI question and store (the median is printed).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE_ISSUE = "hzkj-2024-06"
#: names of the sample's this-many most mentioned entities recur unchanged in every issue (their
#: co-mention edges gather evidence from every issue)
RECURRING = 5


def issue_key(i: int) -> str:
    """The i-th issue of the archive: 12 a year from 1970 (keys sort chronologically)."""
    return f"syn-{1970 + i // 12}-{i % 12 + 1:02d}"


def extract_sample(out: Path) -> float:
    """Extract the sample issue with the real extractor into ``out`` (JSON); the seconds it took."""
    from innograph import api

    t0 = time.perf_counter()
    [result] = api.extract_documents(api.read_documents([api.sample_path()]))
    seconds = time.perf_counter() - t0
    out.write_text(result.model_dump_json(), encoding="utf-8")
    return seconds


def _variants(sample_json: str, n_issues: int, recurring: int = RECURRING):
    """The ``n_issues`` synthetic extraction results (a generator: one issue in memory at a time)."""
    from innograph.models import ExtractionResult, MergeReason

    base = ExtractionResult.model_validate_json(sample_json)
    entities = [e for a in base.extractions for e in a.entities]
    by_mentions = sorted(entities, key=lambda e: (-len(e.mentions), e.name))
    recurring = sorted({e.name for e in by_mentions[:recurring]}, key=len, reverse=True)
    alphabet = sorted({ch for e in entities for ch in e.name + "".join(e.aliases) if "\u4e00" <= ch <= "\u9fff"})
    # the recurring names and the merge reasons (enum values, some with CJK in them) stay as they are
    kept = sorted({*recurring, *(r.value for r in MergeReason)}, key=len, reverse=True)
    protected = re.compile("|".join(re.escape(n) for n in kept))
    for i in range(n_issues):
        key = issue_key(i)
        if i == 0 and n_issues == 1:  # the one-issue baseline: the sample as it is
            yield base
            continue
        rng = random.Random(i)
        shuffled = alphabet[:]
        rng.shuffle(shuffled)
        table = str.maketrans(dict(zip(alphabet, shuffled)))
        text = sample_json.replace(SAMPLE_ISSUE, key)
        parts, last = [], 0
        for m in protected.finditer(text):  # permute everything but the kept strings
            parts.append(text[last:m.start()].translate(table))
            parts.append(m.group())
            last = m.end()
        parts.append(text[last:].translate(table))
        text = "".join(parts)
        result = ExtractionResult.model_validate_json(text)
        issue = result.document.issue
        if issue is not None:
            issue = issue.model_copy(update={"year": 1970 + i // 12, "number": f"第{i % 12 + 1}期"})
        yield result.model_copy(update={"document": result.document.model_copy(update={"issue": issue})})


def build_child(sample: Path, n_issues: int, store_base: Path, recurring: int) -> dict:
    """(In a child process.) Assemble, annotate and write the archive as ``<base>.json`` and
    ``<base>.db``; the figures as a dict."""
    from innograph.graph import store
    from innograph.graph.aliases import AliasTable
    from innograph.graph.analysis import annotate
    from innograph.graph.assemble import GraphAssembler
    from innograph.graph.model import InnoGraph

    sample_json = sample.read_text(encoding="utf-8")
    t0 = time.perf_counter()
    assembler = GraphAssembler(InnoGraph(), AliasTable.load())
    generate = 0.0
    for result in _variants(sample_json, n_issues, recurring):
        g0 = time.perf_counter()
        assembler.add_result(result)
        generate += time.perf_counter() - g0
    t1 = time.perf_counter()
    graph = assembler.graph
    annotate(graph)
    t2 = time.perf_counter()
    json_path, db_path = store_base.with_suffix(".json"), store_base.with_suffix(".db")
    store.save(graph, json_path)
    t3 = time.perf_counter()
    store.save(graph, db_path)
    t4 = time.perf_counter()
    labels = graph.count_by_label()
    return {
        "issues": n_issues, "entities": sum(v for k, v in labels.items() if k not in ("Article", "Issue")),
        "nodes": len(graph), "edges": graph.nx.number_of_edges(),
        "assemble_s": generate, "generate_and_assemble_s": t1 - t0, "annotate_s": t2 - t1,
        "save_json_s": t3 - t2, "save_sqlite_s": t4 - t3, "build_s": t2 - t0,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "json_mib": json_path.stat().st_size / 2**20, "sqlite_mib": db_path.stat().st_size / 2**20,
    }


def query_child(store_path: Path, repeats: int, workload_store: Path) -> dict:
    """(In a child process.) Store load (JSON) or open (SQLite) time, backend index time and
    in-process question latency; the questions' arguments are drawn from the graph of
    ``workload_store`` (the same for both formats; for SQLite that graph is loaded after the
    open is timed, only to draw them)."""
    from benchmarks.queries import measure, p95
    from innograph.graph import store
    from innograph.queries.api import QueryAPI
    from innograph.queries.embedded import EmbeddedBackend
    from innograph.queries.sqlite_backend import SqliteBackend

    t0 = time.perf_counter()
    if store.is_sqlite(store_path):
        backend = SqliteBackend(store_path)
        t1 = t2 = time.perf_counter()
        graph = store.load(workload_store)
    else:
        graph = store.load(store_path)
        t1 = time.perf_counter()
        backend = EmbeddedBackend(graph)
        t2 = time.perf_counter()
    gc.freeze()  # as EmbeddedBackend.from_store does
    api = QueryAPI(backend)
    out: dict = {"load_s": t1 - t0, "backend_s": t2 - t1, "questions": {}}
    for question, calls in questions(graph, random.Random(1)).items():
        w0 = time.perf_counter()
        calls[0](api)  # the first call builds the in-memory backend's lazy indexes
        first = (time.perf_counter() - w0) * 1000
        times = measure(api, calls, repeats if len(calls) > 1 else max(3, repeats // 5), 20.0)
        out["questions"][question] = {"first_ms": first, "median_ms": statistics.median(times), "p95_ms": p95(times)}
    return out


def questions(graph, rng: random.Random) -> dict[str, list]:
    """The workload of benchmarks/queries.py on this graph (its names and issues)."""
    from benchmarks.queries import workload

    chosen = workload(graph, rng)
    chosen.pop("cypher", None)
    return chosen


def cli_args(graph_summary: dict) -> dict[str, list[str]]:
    """The CLI questions asked as processes, with arguments from the store."""
    name, other, issue = graph_summary["name"], graph_summary["other"], graph_summary["issue"]
    return {
        "--help": ["--help"],
        "profile": ["profile", name],
        "search": ["search", name.split(":", 1)[1][:2]],
        "path": ["path", name, other],
        "top --by mentions": ["top", "--by", "mentions"],
        "top --by betweenness": ["top", "--by", "betweenness"],
        "issue-diff": ["issue-diff", issue],
    }


def cli_names(store_path: Path) -> dict:
    """The two entities of highest degree, for profile / search / path, and the last issue."""
    data = json.loads(store_path.read_text(encoding="utf-8"))
    entities = [n for n in data["nodes"] if n["label"] not in ("Article", "Issue")]
    ranked = sorted(entities, key=lambda n: (-(n.get("properties") or {}).get("degree", 0), n["key"]))
    issues = sorted(n["key"].split(":", 1)[1] for n in data["nodes"] if n["label"] == "Issue")
    return {"name": ranked[0]["key"], "other": ranked[1]["key"], "issue": issues[-1]}


#: measures a process's peak RSS from a small parent (a child forked from this, large, process
#: would report this one's peak: Linux keeps it across fork and exec)
GNU_TIME = Path("/usr/bin/time")


def time_cli(store_path: Path, args: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds and the largest peak RSS (MiB; NaN without ``/usr/bin/time``) of
    ``innograph ARGS`` on the embedded store at ``store_path``, each run a process of its own."""
    exe = Path(sys.executable).with_name("innograph")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["INNOGRAPH_STORE"] = str(store_path)
    prefix = [str(GNU_TIME), "-f", "maxrss-kib %M"] if GNU_TIME.exists() else []
    times, rss = [], float("nan") if not prefix else 0.0
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run([*prefix, str(exe), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
        times.append(time.perf_counter() - t0)
        if done.returncode != 0:
            raise SystemExit(f"innograph {' '.join(args)} failed: {done.stderr.strip()}")
        if prefix:
            rss = max(rss, int(done.stderr.strip().splitlines()[-1].split()[-1]) / 1024)
    return statistics.median(times), rss


def _child(mode: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, f"--{mode}", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the {mode} child failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ratio(big: float, base: float) -> str:
    return f"{big / base:,.1f}×" if base > 0 else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issues", type=int, default=330)
    parser.add_argument("--repeats", type=int, default=20, help="in-process calls per question")
    parser.add_argument("--cli-runs", type=int, default=3, help="processes per CLI question and store")
    parser.add_argument("--sample-result", type=Path, help="the sample's extraction (JSON): reused if it exists, "
                        "else written there")
    parser.add_argument("--recurring", type=int, default=RECURRING,
                        help="entities whose names recur in every issue (their edges gather evidence from "
                             "every issue)")
    parser.add_argument("--build-child", nargs=4, metavar=("SAMPLE", "ISSUES", "STORE", "RECURRING"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--query-child", nargs=3, metavar=("STORE", "REPEATS", "WORKLOAD"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_child:
        sample, n, store_path, recurring = args.build_child
        print(json.dumps(build_child(Path(sample), int(n), Path(store_path), int(recurring))))
        return
    if args.query_child:
        store_path, repeats, workload_store = args.query_child
        print(json.dumps(query_child(Path(store_path), int(repeats), Path(workload_store))))
        return

    work = Path(tempfile.mkdtemp(prefix="innograph-scale-"))
    sample = args.sample_result or work / "sample-result.json"
    if not sample.exists():
        seconds = extract_sample(sample)
        print(f"  extracting the sample issue: {seconds:.1f} s, so ~{seconds * args.issues / 3600:.1f} h "
              f"for {args.issues} issues on this machine (not run)", file=sys.stderr)
    print(f"  {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.2f} at the start", file=sys.stderr)
    figures = {}
    for n in (1, args.issues):
        base = work / f"archive-{n}"
        build = _child("build-child", str(sample), str(n), str(base), str(args.recurring))
        print(f"  {n} issue(s): {build}", file=sys.stderr)
        names = cli_names(base.with_suffix(".json"))
        figures[n] = {"build": build}
        for fmt in ("json", "sqlite"):
            path = base.with_suffix(".json" if fmt == "json" else ".db")
            query = _child("query-child", str(path), str(args.repeats), str(base.with_suffix(".json")))
            print(f"  {n} issue(s), {fmt}: load {query['load_s']:.2f} s, backend {query['backend_s']:.2f} s, "
                  f"{ {q: round(v['p95_ms'], 1) for q, v in query['questions'].items()} }", file=sys.stderr)
            cli = {q: time_cli(path, a, args.cli_runs) for q, a in cli_args(names).items()}
            print(f"  {n} issue(s), {fmt}: CLI {cli}", file=sys.stderr)
            figures[n][fmt] = {"query": query, "cli": cli}
        if n == args.issues:
            break
    print(f"  load average {os.getloadavg()[0]:.2f} at the end", file=sys.stderr)
    one, big = figures[1], figures[args.issues]
    b, B = one["build"], big["build"]
    N = args.issues
    print(f"\n{N} issues: {B['entities']:,} entities, {B['nodes']:,} nodes, {B['edges']:,} edges "
          f"(1 issue: {b['entities']:,} entities, {b['nodes']:,} nodes, {b['edges']:,} edges)\n")
    print(f"| figure | 1 issue JSON | 1 issue SQLite | {N} issues JSON | {N} issues SQLite | SQLite / JSON at {N} |")
    print("|---|---|---|---|---|---|")

    def row(label: str, values: tuple[float, float, float, float], fmt: str) -> None:
        print(f"| {label} | " + " | ".join(fmt.format(v) for v in values) + f" | {ratio(values[3], values[2])} |")

    print(f"| build (assemble + annotate) | {b['build_s']:,.1f} s | | {B['build_s']:,.1f} s | | |")
    row("store write", (b["save_json_s"], b["save_sqlite_s"], B["save_json_s"], B["save_sqlite_s"]), "{:,.2f} s")
    row("store size", (b["json_mib"], b["sqlite_mib"], B["json_mib"], B["sqlite_mib"]), "{:,.1f} MiB")
    row("store load (JSON) / open (SQLite)", (one["json"]["query"]["load_s"], one["sqlite"]["query"]["load_s"],
                                               big["json"]["query"]["load_s"], big["sqlite"]["query"]["load_s"]),
        "{:,.3f} s")
    row("in-memory backend indexes", (one["json"]["query"]["backend_s"], 0.0, big["json"]["query"]["backend_s"], 0.0),
        "{:,.2f} s")
    for question in big["json"]["query"]["questions"]:
        cells = [f[fmt]["query"]["questions"][question] for f in (one, big) for fmt in ("json", "sqlite")]
        print(f"| {question}, in-process median / p95 (first call) | "
              + " | ".join(f"{c['median_ms']:.1f} / {c['p95_ms']:.1f} ms ({c['first_ms']:.0f})" for c in cells)
              + f" | {ratio(cells[3]['p95_ms'], cells[2]['p95_ms'])} |")
    for question in big["json"]["cli"]:
        cells = [f[fmt]["cli"][question] for f in (one, big) for fmt in ("json", "sqlite")]
        print(f"| `innograph {question}` wall (peak RSS) | "
              + " | ".join(f"{w:.2f} s ({r:,.0f} MiB)" for w, r in cells) + f" | {ratio(cells[3][0], cells[2][0])} |")


if __name__ == "__main__":
    main()
