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

Every figure is printed as a ratio to the same figure for the one-issue archive (the sample
alone, built the same way in the same run): build time, peak RSS, store size, store load time,
the in-process latency of the questions (median / p95 over the embedded backend) and the wall
time of ``innograph <question>`` run as a process on that store.
"""
from __future__ import annotations

import argparse
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


def build_child(sample: Path, n_issues: int, store_path: Path, recurring: int) -> dict:
    """(In a child process.) Assemble, annotate and write the archive; the figures as a dict."""
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
    store.save(graph, store_path)
    t3 = time.perf_counter()
    labels = graph.count_by_label()
    return {
        "issues": n_issues, "entities": sum(v for k, v in labels.items() if k not in ("Article", "Issue")),
        "nodes": len(graph), "edges": graph.nx.number_of_edges(),
        "assemble_s": generate, "generate_and_assemble_s": t1 - t0, "annotate_s": t2 - t1, "save_s": t3 - t2,
        "build_s": t3 - t0, "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "store_mib": store_path.stat().st_size / 2**20,
    }


def query_child(store_path: Path, repeats: int) -> dict:
    """(In a child process.) Store load time, backend index time and in-process question latency."""
    from benchmarks.queries import measure, p95
    from innograph.graph import store
    from innograph.queries.api import QueryAPI
    from innograph.queries.embedded import EmbeddedBackend

    t0 = time.perf_counter()
    graph = store.load(store_path)
    t1 = time.perf_counter()
    backend = EmbeddedBackend(graph)
    t2 = time.perf_counter()
    api = QueryAPI(backend)
    out: dict = {"load_s": t1 - t0, "backend_s": t2 - t1,
                 "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "questions": {}}
    for question, calls in questions(graph, random.Random(1)).items():
        w0 = time.perf_counter()
        calls[0](api)  # the first call builds the backend's lazy indexes
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


def time_cli(store_path: Path, args: list[str], runs: int) -> float:
    """Median wall seconds of ``innograph ARGS --store STORE`` (embedded backend) as a process."""
    exe = Path(sys.executable).with_name("innograph")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["INNOGRAPH_STORE"] = str(store_path)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run([str(exe), *args], env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if done.returncode != 0:
            raise SystemExit(f"innograph {' '.join(args)} failed: {done.stderr.strip()}")
    return statistics.median(times)


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
    parser.add_argument("--cli-runs", type=int, default=3, help="processes per CLI question")
    parser.add_argument("--sample-result", type=Path, help="the sample's extraction (JSON): reused if it exists, "
                        "else written there")
    parser.add_argument("--recurring", type=int, default=RECURRING,
                        help="entities whose names recur in every issue (their edges gather evidence from "
                             "every issue)")
    parser.add_argument("--build-child", nargs=4, metavar=("SAMPLE", "ISSUES", "STORE", "RECURRING"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--query-child", nargs=2, metavar=("STORE", "REPEATS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_child:
        sample, n, store_path, recurring = args.build_child
        print(json.dumps(build_child(Path(sample), int(n), Path(store_path), int(recurring))))
        return
    if args.query_child:
        store_path, repeats = args.query_child
        print(json.dumps(query_child(Path(store_path), int(repeats))))
        return

    work = Path(tempfile.mkdtemp(prefix="innograph-scale-"))
    sample = args.sample_result or work / "sample-result.json"
    if not sample.exists():
        seconds = extract_sample(sample)
        print(f"  extracting the sample issue: {seconds:.1f} s, so ~{seconds * args.issues / 3600:.1f} h "
              f"for {args.issues} issues on this machine (not run)", file=sys.stderr)
    figures = {}
    for n in (1, args.issues):
        store_path = work / f"archive-{n}.json"
        build = _child("build-child", str(sample), str(n), str(store_path), str(args.recurring))
        print(f"  {n} issue(s): {build}", file=sys.stderr)
        query = _child("query-child", str(store_path), str(args.repeats))
        print(f"  {n} issue(s): load {query['load_s']:.1f} s, backend {query['backend_s']:.1f} s", file=sys.stderr)
        names = cli_names(store_path)
        cli = {q: time_cli(store_path, a, args.cli_runs) for q, a in cli_args(names).items()}
        print(f"  {n} issue(s): CLI {cli}", file=sys.stderr)
        figures[n] = {"build": build, "query": query, "cli": cli}
        if n == args.issues:
            break
    base, big = figures[1], figures[args.issues]
    b, B = base["build"], big["build"]
    print(f"\n{args.issues} issues: {B['entities']:,} entities, {B['nodes']:,} nodes, {B['edges']:,} edges "
          f"(1 issue: {b['entities']:,} entities, {b['nodes']:,} nodes, {b['edges']:,} edges)\n")
    print(f"| figure | 1 issue | {args.issues} issues | ratio |\n|---|---|---|---|")
    for label, key, unit in (("build (assemble + annotate + write)", "build_s", "s"),
                             ("  of which annotate (degree, betweenness, first issues)", "annotate_s", "s"),
                             ("  of which store write", "save_s", "s"),
                             ("peak RSS of the build", "peak_rss_mib", "MiB"), ("store size", "store_mib", "MiB")):
        print(f"| {label} | {b[key]:,.1f} {unit} | {B[key]:,.1f} {unit} | {ratio(B[key], b[key])} |")
    q, Q = base["query"], big["query"]
    for label, key in (("store load", "load_s"), ("embedded backend indexes", "backend_s")):
        print(f"| {label} | {q[key]:,.2f} s | {Q[key]:,.2f} s | {ratio(Q[key], q[key])} |")
    print(f"| peak RSS of load + questions | {q['peak_rss_mib']:,.0f} MiB | {Q['peak_rss_mib']:,.0f} MiB | "
          f"{ratio(Q['peak_rss_mib'], q['peak_rss_mib'])} |")
    for question, s in Q["questions"].items():
        t = q["questions"][question]
        print(f"| {question} (in-process median / p95; first call) | {t['median_ms']:.1f} / {t['p95_ms']:.1f} ms; "
              f"{t['first_ms']:.0f} ms | {s['median_ms']:.1f} / {s['p95_ms']:.1f} ms; {s['first_ms']:.0f} ms | "
              f"{ratio(s['p95_ms'], t['p95_ms'])} |")
    for question, seconds in big["cli"].items():
        print(f"| `innograph {question}` wall | {base['cli'][question]:.2f} s | {seconds:.2f} s | "
              f"{ratio(seconds, base['cli'][question])} |")


if __name__ == "__main__":
    main()
