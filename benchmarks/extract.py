"""Extraction speed and memory on the bundled sample (a benchmark, not a test).

Figures are ratios against a baseline run in the same process: plain jieba segmentation of
the same articles (the floor any jieba-based extractor pays), so they carry over between
machines better than seconds do.

    .venv/bin/python benchmarks/extract.py [--repeat N]
"""
from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import jieba
import jieba.posseg

from innograph.api import extract_document, sample_path
from innograph.extract.candidates import _tokenize_cached
from innograph.extract.reader import read_path
from innograph.graph.aliases import AliasTable
from innograph.graph.assemble import assemble


def timed(fn, repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        _tokenize_cached.cache_clear()
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    document = read_path(sample_path())
    texts = [a.text for a in document.articles]
    chars = sum(map(len, texts))
    jieba.initialize()
    extract_document(document)  # warm-up: spaCy pipeline and jieba dictionary

    baseline = timed(lambda: [list(jieba.posseg.cut(t)) for t in texts], args.repeat)
    extract = timed(lambda: extract_document(document), args.repeat)
    result = extract_document(document)
    build = timed(lambda: assemble([result], aliases=AliasTable()), args.repeat)

    tracemalloc.start()
    extract_document(document)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    base, ext, asm = statistics.median(baseline), statistics.median(extract), statistics.median(build)
    print(f"sample: {len(texts)} items, {chars:,} characters, median of {args.repeat} runs")
    print(f"{'stage':<28}{'seconds':>10}{'chars/s':>12}{'x baseline':>12}")
    print(f"{'jieba posseg (baseline)':<28}{base:>10.3f}{chars / base:>12,.0f}{1.0:>12.2f}")
    print(f"{'extract (entities+relations)':<28}{ext:>10.3f}{chars / ext:>12,.0f}{ext / base:>12.2f}")
    print(f"{'assemble graph':<28}{asm:>10.3f}{chars / asm:>12,.0f}{asm / base:>12.2f}")
    print(f"peak Python memory while extracting: {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
