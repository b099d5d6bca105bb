"""How the network view copes with a big graph, measured in headless Chromium (not a test).

    .venv/bin/python benchmarks/view.py [--entities 5000] [--edges 25000] [--runs 1]

Builds a synthetic graph (default 5,000 entities over every label, 7 issues of 15 articles,
25,000 entity-to-entity edges: a fifth extracted relationships of every type, the rest
CO_MENTIONED with one to four evidence sentences; every entity mentioned in one to three
articles), writes the page with ``write_view`` and opens it in headless Chromium driven over
the DevTools protocol (``--remote-debugging-pipe``, no extra library). Prints the page size,
the time until the page first drew the graph and until it was interactive (layout settled,
as the page itself reports in ``window.__innographTiming``), wall clock from navigation, and
the same for the bundled sample graph as the baseline of the same run (ratios to it).

Budget (issue 9): 5,000 entities / 25,000 edges interactive in at most 5 s, page at most 5 MB.
"""
from __future__ import annotations

import argparse
import fcntl
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord  # noqa: E402
from innograph.graph.view import write_view  # noqa: E402
from innograph.models import Evidence  # noqa: E402
from innograph.ontology import SIGNATURES, EntityLabel, GraphRelType, ProvenanceLabel, RelType  # noqa: E402

SUFFIX = {
    EntityLabel.University: "大学", EntityLabel.Lab: "实验室", EntityLabel.Institute: "研究院",
    EntityLabel.Facility: "大科学装置", EntityLabel.Ecosystem: "创新生态圈", EntityLabel.Company: "科技有限公司",
    EntityLabel.Policy: "若干措施", EntityLabel.Platform: "创新平台", EntityLabel.Fund: "产业基金",
    EntityLabel.Agency: "科技局", EntityLabel.Region: "区", EntityLabel.Person: "院士", EntityLabel.Event: "创新大会",
}
PLACES = "杭州宁波温州嘉兴湖州绍兴金华衢州舟山台州丽水"


def synthetic_graph(entities: int, edges: int, issues: int = 7, per_issue: int = 15, seed: int = 9) -> InnoGraph:
    rng = random.Random(seed)
    g = InnoGraph()
    docs = []
    for i in range(issues):
        issue = f"hzkj-2024-{i + 1:02d}"
        g.upsert_node(NodeRecord(key=f"Issue:{issue}", label=ProvenanceLabel.Issue, name=f"杭州科技 {issue}"))
        for a in range(per_issue):
            doc = f"{issue}-a{a + 1:02d}"
            docs.append((doc, issue))
            g.upsert_node(NodeRecord(key=f"Article:{doc}", label=ProvenanceLabel.Article, name=f"文章{i}-{a}",
                                     properties={"title": f"第{i + 1}期第{a + 1}篇：科技创新报道", "section": "热点聚焦", "page": a * 3 + 1}))
            g.upsert_edge(EdgeRecord(source=f"Article:{doc}", target=f"Issue:{issue}", type=GraphRelType.PUBLISHED_IN))
    labels = list(EntityLabel)
    keys: dict[EntityLabel, list[str]] = {label: [] for label in labels}
    names: dict[str, str] = {}
    for i in range(entities):
        label = labels[i % len(labels)]
        name = f"{PLACES[2 * (i % 11):2 * (i % 11) + 2]}第{i}号{SUFFIX[label]}"
        key = f"{label.value}:{name}"
        keys[label].append(key)
        names[key] = name
        mentioned = rng.sample(docs, rng.randint(1, 3))
        g.upsert_node(NodeRecord(key=key, label=label, name=name, aliases=(name[2:],), mention_count=len(mentioned) * 2,
                                 first_issue=min(i for _, i in mentioned), last_issue=max(i for _, i in mentioned)))
        for doc, _ in mentioned:
            sentence = f"{name}在{doc}中被报道，推动了区域科技创新与成果转化。"
            g.upsert_edge(EdgeRecord(source=key, target=f"Article:{doc}", type=GraphRelType.MENTIONED_IN, count=2,
                                     evidence=(Evidence(doc_id=doc, sentence=sentence, start=0, end=len(sentence)),)))
    every = [k for ks in keys.values() for k in ks]
    # a few hubs get most links, as in real issues (a city, a university, an agency)
    weights = [1.0 / (1 + (i % 997)) ** 0.8 for i in range(len(every))]
    extracted = edges // 5
    made = 0
    rel_types = list(RelType)
    while made < extracted:
        rel = rel_types[made % len(rel_types)]
        heads, tails = SIGNATURES[rel]
        head = rng.choice(keys[rng.choice(sorted(heads))])
        tail = rng.choice(keys[rng.choice(sorted(tails))])
        if head == tail or g.edge(head, tail, rel):
            continue
        doc = rng.choice(docs)[0]
        sentence = f"{names[head]}与{names[tail]}相关（{rel.value}），双方将深化合作、共建平台。"
        g.upsert_edge(EdgeRecord(source=head, target=tail, type=rel, count=1,
                                 evidence=(Evidence(doc_id=doc, sentence=sentence, start=0, end=len(sentence)),)))
        made += 1
    made = 0
    while made < edges - extracted:
        a, b = rng.choices(every, weights=weights, k=2)
        a, b = sorted((a, b))
        if a == b or g.edge(a, b, GraphRelType.CO_MENTIONED):
            continue
        n = rng.randint(1, 4)
        evidence = tuple(Evidence(doc_id=rng.choice(docs)[0], sentence=f"{names[a]}和{names[b]}共同出现在第{j}句报道中，引发关注。",
                                  start=j, end=j + 30) for j in range(n))
        g.upsert_edge(EdgeRecord(source=a, target=b, type=GraphRelType.CO_MENTIONED, count=n, evidence=evidence))
        made += 1
    return g


# -- Chromium over the DevTools pipe ----------------------------------------------------------
class Chromium:
    """A headless Chromium driven over ``--remote-debugging-pipe`` (fd 3 in, fd 4 out, NUL-framed JSON)."""

    def __init__(self, binary: str, profile: str) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # the browser reads fd 3 and writes fd 4: move our ends above them first so that dup2 cannot clobber one
        high_r, high_w = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10), fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
        os.close(to_browser_r)
        os.close(from_browser_w)

        def wire() -> None:
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self._proc = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
             "--window-size=1400,900", f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            pass_fds=(3, 4), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire)
        os.close(high_r)
        os.close(high_w)
        self._buffer = b""
        self._next = 0
        self.session = None

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next += 1
        message = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url: str) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable", session=self.session)
        self.send("Page.navigate", {"url": url}, session=self.session)

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=self.session)
        return result.get("result", {}).get("value")

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except RuntimeError:
            pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()


def measure(binary: str, page: Path, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="innograph-bench-") as profile:
        browser = Chromium(binary, profile)
        try:
            started = time.perf_counter()
            browser.open(page.as_uri())
            timing = None
            while time.perf_counter() - started < timeout:
                timing = browser.evaluate("window.__innographTiming && window.__innographTiming.settled_ms != null"
                                          " ? JSON.stringify(window.__innographTiming) : null")
                if timing:
                    break
                time.sleep(0.1)
            wall = time.perf_counter() - started
            first = browser.evaluate("window.__innographTiming ? window.__innographTiming.first_draw_ms : null")
        finally:
            browser.close()
    report = json.loads(timing) if timing else {"settled_ms": None, "first_draw_ms": first}
    report["wall_s"] = round(wall, 2)
    report["timed_out"] = timing is None
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=25000)
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for the page to settle")
    args = parser.parse_args()
    binary = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    if binary is None:
        print("benchmarks/view.py: chromium is not installed (apt-get install -y chromium fonts-noto-cjk)", file=sys.stderr)
        return 2
    from tests.graph_fixtures import sample_graph

    with tempfile.TemporaryDirectory(prefix="innograph-bench-pages-") as scratch:
        rows = []
        for name, graph in (("sample (baseline)", sample_graph()),
                            (f"{args.entities:,} entities / {args.edges:,} edges", None)):
            if graph is None:
                started = time.perf_counter()
                graph = synthetic_graph(args.entities, args.edges)
                built = time.perf_counter() - started
                print(f"synthetic graph: {graph.nx.number_of_nodes():,} nodes, {graph.nx.number_of_edges():,} edges "
                      f"in {built:.1f} s")
            page = Path(scratch) / "page.html"
            started = time.perf_counter()
            write_view(graph, page)
            written = time.perf_counter() - started
            size = page.stat().st_size
            timing = measure(binary, page, args.timeout)
            rows.append((name, size, written, timing))
        base = rows[0][3]
        print(f"{'graph':34} {'page MB':>8} {'write s':>8} {'first draw s':>13} {'interactive s':>14} {'wall s':>7}")
        for name, size, written, t in rows:
            first = t.get("first_draw_ms")
            settled = t.get("settled_ms")
            print(f"{name:34} {size / 1e6:8.2f} {written:8.2f} {first / 1000 if first is not None else float('nan'):13.2f} "
                  f"{settled / 1000 if settled is not None else float('nan'):14.2f} {t['wall_s']:7.2f}"
                  + ("  (did not settle before the timeout)" if t["timed_out"] else ""))
            extra = {k: v for k, v in t.items() if k not in ("first_draw_ms", "settled_ms", "wall_s", "timed_out")}
            if extra:
                print(f"{'':34} {json.dumps(extra, ensure_ascii=False)}")
        big = rows[1][3]
        if base.get("settled_ms") and big.get("settled_ms"):
            print(f"interactive: {big['settled_ms'] / base['settled_ms']:.1f}x the sample's; "
                  f"page: {rows[1][1] / rows[0][1]:.1f}x the sample's; budget 5 s and 5 MB: "
                  f"{'met' if big['settled_ms'] <= 5000 and rows[1][1] <= 5e6 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
