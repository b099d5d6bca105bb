"""Build: wall time of ``innograph build --jobs N`` for 1, 2 and 4 jobs, as ratios to 1, and of a rebuild.

    .venv/bin/python benchmarks/build.py [--copies 4] [--jobs 1 2 4]

The input is synthetic: the 15 articles of the bundled sample issue, ``--copies`` times, each
copy with 杭州 replaced by another city of Zhejiang (distinct texts, so nothing is skipped),
one article a file in a temporary directory. Each figure is a fresh ``innograph build DIR
--article --jobs N`` process into an empty store (model loading included, as a user sees it);
then the same directory is built again into the jobs=1 store (every article already there: the
incremental path). Prints wall seconds, the ratio to jobs=1, and whether every store is
byte-identical to the jobs=1 one. Not a test: nothing asserts; CI does not run it.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from innograph.api import sample_path  # noqa: E402
from innograph.extract.reader import read_path  # noqa: E402
from innograph.models import ArticleKind  # noqa: E402

CITIES = ["杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水"]


def write_articles(directory: Path, copies: int) -> int:
    """The sample's articles, ``copies`` times with another city each, one file each; how many."""
    articles = [a for a in read_path(sample_path()).articles if a.kind is ArticleKind.article]
    count = 0
    for copy in range(copies):
        city = CITIES[copy % len(CITIES)] + ("" if copy < len(CITIES) else str(copy))
        for article in articles:
            text = f"{article.title}\n\n{article.text}".replace("杭州", city)
            (directory / f"c{copy:02d}-{article.doc_id}.txt").write_text(text, encoding="utf-8")
            count += 1
    return count


def _innograph() -> list[str]:
    script = Path(sys.executable).with_name("innograph")
    return [str(script)] if script.exists() else [sys.executable, "-m", "innograph.cli"]


def timed_build(directory: Path, store: Path, jobs: int) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run([*_innograph(), "build", str(directory), "--article", "--jobs", str(jobs), "--store", str(store),
                           "--format", "json"], capture_output=True, text=True, check=True)
    return time.perf_counter() - started, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    jobs_list = sorted(set(args.jobs) | {1})
    work = Path(tempfile.mkdtemp(prefix="innograph-build-bench-"))
    directory = work / "articles"
    directory.mkdir()
    articles = write_articles(directory, args.copies)
    print(f"build: {articles} distinct articles ({args.copies} copies of the sample's 15), {os.cpu_count()} CPU(s), "
          f"load average {os.getloadavg()[0]:.2f}")
    rows, stores = [], {}
    for jobs in jobs_list:
        store = work / f"jobs{jobs}.json"
        seconds, report = timed_build(directory, store, jobs)
        stores[jobs] = store.read_bytes()
        rows.append((f"build --jobs {jobs}", seconds, report["articles_extracted"], stores[jobs] == stores[1] if jobs != 1 else None))
    seconds, report = timed_build(directory, work / "jobs1.json", 1)
    rows.append(("rebuild, every article already stored (--jobs 1)", seconds, report["articles_extracted"],
                 (work / "jobs1.json").read_bytes() == stores[1]))
    base = rows[0][1]
    print(f"{'run':<52} {'wall s':>8} {'x jobs=1':>9} {'extracted':>10} {'store = jobs 1':>15}")
    for what, seconds, extracted, same in rows:
        print(f"{what:<52} {seconds:>8.2f} {seconds / base:>9.2f} {extracted:>10} {'' if same is None else str(same):>15}")


if __name__ == "__main__":
    main()
