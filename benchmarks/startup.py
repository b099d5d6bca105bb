"""Start-up: wall time of real ``innograph`` processes, as ratios to ``python -c pass`` measured in the same run.

    .venv/bin/python benchmarks/startup.py [--repeat 9] [--store PATH]

Runs each command ``--repeat`` times in a fresh process (the console script next to this
interpreter) and prints the median wall time, its ratio to the baseline (an interpreter that
does nothing) and the issue's target. The questions ask the embedded store at ``--store``
(default: the bundled sample issue built into a temporary SQLite store first, which takes a
while: it extracts), and the same graph written as a JSON store (the format of before), in
the same run. ``import innograph.api`` is what every command paid before the CLI imported the
library lazily. Not a test: nothing asserts; CI does not run it.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: command, what it is, target seconds (None: no target)
CASES: list[tuple[list[str], str, float | None]] = [
    (["--help"], "innograph --help", 0.3),
    (["search", "之江"], "innograph search 之江 (embedded sample)", 0.6),
    (["top"], "innograph top (embedded sample)", 0.6),
    (["profile", "之江实验室"], "innograph profile 之江实验室 (embedded sample)", 0.6),
]


def _innograph() -> list[str]:
    script = Path(sys.executable).with_name("innograph")
    return [str(script)] if script.exists() else [sys.executable, "-m", "innograph.cli"]


def median_wall(argv: list[str], repeat: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--store", type=Path, help="an embedded store to ask (default: the sample, built first)")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}  # the questions ask the embedded store
    store = args.store
    if store is None:
        store = Path(tempfile.mkdtemp(prefix="innograph-startup-")) / "graph.db"
        print(f"building the sample into {store} ...", file=sys.stderr)
        subprocess.run([*_innograph(), "build", "--store", str(store)], stdout=subprocess.DEVNULL, env=env, check=True)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from innograph.graph import store as graph_store

    stores = {"SQLite" if graph_store.is_sqlite(store) else "JSON": store}
    twin = store.with_name(store.stem + "-twin" + (".json" if "SQLite" in stores else ".db"))
    graph_store.save(graph_store.load(store), twin)  # the same graph in the other format
    stores["JSON" if "SQLite" in stores else "SQLite"] = twin
    cli = _innograph()
    baseline = median_wall([sys.executable, "-c", "pass"], args.repeat, env)
    rows = [("python -c pass (baseline)", baseline, None)]
    for argv, what, target in CASES:
        for fmt in ("JSON", "SQLite") if argv != ["--help"] else ("SQLite",):
            env["INNOGRAPH_STORE"] = str(stores[fmt])
            label = what.replace("(embedded sample)", f"({fmt} sample store)")
            rows.append((label, median_wall([*cli, *argv], args.repeat, env), target))
    rows.append(("python -c 'import innograph.api' (the eager imports of before)",
                 median_wall([sys.executable, "-c", "import innograph.api"], args.repeat, env), None))
    print(f"start-up, median of {args.repeat} runs, {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.2f}")
    print(f"{'command':<64} {'wall s':>8} {'x baseline':>11} {'target s':>9}")
    for what, seconds, target in rows:
        verdict = "" if target is None else f"{target:>9.1f} {'ok' if seconds <= target else 'MISSED'}"
        print(f"{what:<64} {seconds:>8.3f} {seconds / baseline:>11.1f} {verdict}")


if __name__ == "__main__":
    main()
