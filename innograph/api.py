"""The library behind the CLI: each function runs the stages for one command.

``extract_path``: file -> :class:`ExtractionResult`; ``build``: files -> graph in the embedded
store; ``evaluate_gold``: gold articles -> :class:`~innograph.extract.evaluate.Score`.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path

from innograph.errors import InputError
from innograph.extract.evaluate import GoldArticle, Score, combine_scores, evaluate
from innograph.extract.evaluate import score as score_predictions
from innograph.extract.formats import expand_inputs
from innograph.extract.pipeline import extract_article
from innograph.extract.reader import read_path, read_text
from innograph.graph import store
from innograph.graph.aliases import AliasTable
from innograph.graph.assemble import assemble
from innograph.graph.model import InnoGraph
from innograph.models import Article, ArticleKind, Document, ExtractionResult, Frozen
from innograph.ontology import EntityLabel

Progress = Callable[[Article], None]


def sample_path() -> Path:
    """The bundled sample issue (《杭州科技》 2024-06), shipped as package data."""
    return Path(str(resources.files("innograph.data").joinpath("hzkj-2024-06.txt")))


def extract_document(document: Document, progress: Progress | None = None) -> ExtractionResult:
    """Extract every article of ``document``; an annual index has no body to extract from."""
    extractions = []
    for article in document.articles:
        if article.kind is ArticleKind.article:
            extractions.append(extract_article(article))
        if progress:
            progress(article)
    return ExtractionResult(document=document, extractions=tuple(extractions))


def extract_path(path: Path, *, force_article: bool = False, progress: Progress | None = None) -> ExtractionResult:
    """Extract one file (text, PDF, HTML or DOCX), or the one supported file in a directory."""
    files = expand_inputs([path])
    if len(files) > 1:
        raise InputError(f"{path} holds {len(files)} files and extract reads one: give one of them, "
                         "or build the whole directory into the store")
    return extract_document(read_path(files[0], force_article=force_article), progress)


class EntityCount(Frozen):
    key: str
    label: str
    name: str
    mentions: int


class BuildReport(Frozen):
    store: str
    files: tuple[str, ...]
    articles_added: int
    articles_skipped: int
    dropped: dict[str, int]  # candidates and relations the extractor dropped, by reason
    nodes_by_label: dict[str, int]
    edges_by_type: dict[str, int]
    top_entities: tuple[EntityCount, ...]
    seconds: float


@dataclass(frozen=True)
class GraphBuild:
    """What :func:`build_graph` made: the graph, articles added and skipped, drops by reason."""

    graph: InnoGraph
    articles_added: int
    articles_skipped: int
    dropped: dict[str, int]


def build_graph(paths: Sequence[Path], *, force_article: bool = False, graph: InnoGraph | None = None,
                aliases: AliasTable | None = None, progress: Progress | None = None,
                documents: Iterable[Document] | None = None) -> GraphBuild:
    """Extract ``paths`` and assemble them into ``graph`` (a new one by default).

    Every file is read before anything is extracted, so a bad file fails the run before any work.
    """
    docs = list(documents) if documents is not None else [read_path(p, force_article=force_article) for p in paths]
    results = [extract_document(doc, progress) for doc in docs]
    graph, report = assemble(results, graph, aliases if aliases is not None else AliasTable.load())
    dropped: Counter = Counter()
    for result in results:
        dropped.update(dropped_counts(result))
    return GraphBuild(graph, report.articles_added, report.articles_skipped, dict(sorted(dropped.items())))


def read_documents(paths: Sequence[Path], *, force_article: bool = False) -> list[Document]:
    """Read every file (default: the sample) before any work, so a bad file fails the run first."""
    return [read_path(p, force_article=force_article) for p in (expand_inputs(paths) or [sample_path()])]


def build(paths: Sequence[Path], store_path: Path, *, force_article: bool = False, aliases_path: Path | None = None,
          progress: Progress | None = None, top: int = 10, documents: Sequence[Document] | None = None) -> BuildReport:
    """Extract ``paths`` (default: the sample) into the embedded store at ``store_path``.

    ``documents``, when given, are ``paths`` already read with :func:`read_documents`.
    """
    started = time.perf_counter()
    paths = expand_inputs(paths) or [sample_path()]  # a directory: every supported file inside
    aliases = AliasTable.load(aliases_path)
    documents = list(documents) if documents is not None else read_documents(paths, force_article=force_article)
    existing = store.load_or_empty(store_path)
    built = build_graph(paths, graph=existing, aliases=aliases, progress=progress, documents=documents)
    graph = built.graph
    store.save(graph, store_path)
    entities = [n for n in graph.nodes() if isinstance(n.label, EntityLabel)]
    entities.sort(key=lambda n: (-n.mention_count, n.key))
    return BuildReport(
        store=str(store_path), files=tuple(str(p) for p in paths), articles_added=built.articles_added,
        articles_skipped=built.articles_skipped, dropped=built.dropped,
        nodes_by_label=graph.count_by_label(), edges_by_type=graph.count_by_type(),
        top_entities=tuple(EntityCount(key=n.key, label=n.label.value, name=n.name, mentions=n.mention_count)
                           for n in entities[:top]),
        seconds=round(time.perf_counter() - started, 3),
    )


def predict_gold(gold: GoldArticle) -> dict:
    """The extract JSON of one gold article's text, read as a single article."""
    document = read_text(gold.text, f"{gold.doc_id}.txt", force_article=True, doc_id=gold.doc_id)
    extraction = extract_article(document.articles[0])
    return {
        "entities": [{"name": e.name, "type": e.label.value} for e in extraction.entities],
        "relations": [{"head": r.head, "type": r.type.value, "tail": r.tail} for r in extraction.relations],
    }


def evaluate_gold(golds: list[GoldArticle], progress: Callable[[GoldArticle], None] | None = None) -> tuple[Score, float]:
    """Score the extractor on gold articles (read them with :func:`read_gold`); seconds taken."""
    started = time.perf_counter()
    result = evaluate(golds, predict_gold, progress)
    return result, round(time.perf_counter() - started, 2)


class GoldFileScore(Frozen):
    path: str
    score: Score


class EvaluationRun(Frozen):
    """Scores of the extractor on gold files; ``cv`` folds when the trained parts were cross-validated."""

    files: tuple[GoldFileScore, ...]
    cv: int | None
    seconds: float

    @property
    def pooled(self) -> Score:
        return combine_scores([f.score for f in self.files])


def evaluate_gold_files(golds_by_file: Sequence[tuple[Path, list[GoldArticle]]], *, cv: int | None = None,
                        progress: Callable[[GoldArticle], None] | None = None) -> EvaluationRun:
    """Score the extractor on each gold file.

    With ``cv`` = K, the articles of all files are pooled and split into K folds by article; each
    article is read with a span scorer trained on the other folds only, so no article is scored
    by a model that saw it. Without it, the shipped model reads every article (a figure that is
    honest only for articles the shipped model was not trained on).
    """
    from innograph.extract.training import cross_validated_predictions

    started = time.perf_counter()
    pooled = [gold for _, golds in golds_by_file for gold in golds]
    if cv is not None:
        predictions = cross_validated_predictions(pooled, cv, predict_gold, progress)
    else:
        predictions = []
        for gold in pooled:
            predictions.append(predict_gold(gold))
            if progress:
                progress(gold)
    files, offset = [], 0
    for path, golds in golds_by_file:
        files.append(GoldFileScore(path=str(path), score=score_predictions(golds, predictions[offset:offset + len(golds)])))
        offset += len(golds)
    return EvaluationRun(files=tuple(files), cv=cv, seconds=round(time.perf_counter() - started, 2))


def shipped_models_dir() -> Path:
    """Where the trained models ship: the package's extract/resources/."""
    return Path(str(resources.files("innograph.extract").joinpath("resources")))


def train_models(golds: Sequence[GoldArticle], out_dir: Path | None = None) -> dict:
    """Train the name tagger, the span scorer and the relation classifier on gold articles
    (deterministic) and write them to ``out_dir`` (default: where the extractor reads them)."""
    from innograph.extract import scorer, tagger
    from innograph.extract.training import tagger_sequences
    from innograph.extract.training import train_models as train_all

    target = out_dir or shipped_models_dir()
    target.mkdir(parents=True, exist_ok=True)
    sequences = [tagger_sequences(gold) for gold in golds]
    models = train_all(golds, sequences, tagger_path=target / Path(tagger.MODEL_RESOURCE).name)
    models.span.save(target / Path(scorer.MODEL_RESOURCES["span"]).name)
    if models.relation is not None:
        models.relation.save(target / Path(scorer.MODEL_RESOURCES["relation"]).name)
    return {"articles": len(golds), "sentences": sum(len(s) for s in sequences), "span_features": len(models.span.weights),
            "relation_features": len(models.relation.weights) if models.relation else 0, "out": str(target)}


def dropped_counts(result: ExtractionResult) -> dict[str, int]:
    total: Counter = Counter()
    for extraction in result.extractions:
        total.update(extraction.dropped)
    return dict(sorted(total.items()))
