"""The library behind the CLI, in domain terms: each function runs the stages of one command.

* :func:`extract_path`: a file -> :class:`ExtractionResult`;
* :func:`build`: files -> the graph in the embedded store;
* :func:`load` (``sync=True`` to delete what the store no longer has), :func:`verify`: the store
  and Neo4j;
* :func:`export`, :func:`analyze`: files and figures from a store;
* :func:`questions`: the questions (:class:`~innograph.queries.api.QueryAPI`) on a store or Neo4j;
* :func:`evaluate_gold`: gold articles -> :class:`~innograph.extract.evaluate.Score`.

Errors are :class:`innograph.errors.InnographError` subclasses whose messages say what to do.
Progress, where a function takes it, is an :class:`~innograph.models.ProgressCallback`.

>>> import tempfile
>>> from pathlib import Path
>>> store_path = Path(tempfile.mkdtemp()) / "graph.db"
>>> report = build([sample_path()], store_path)
>>> report.articles_added   # 15 articles and the annual index
16
>>> questions(store_path, backend="embedded").profile("浙大").entity.name   # 浙大: the alias table
'浙江大学'
>>> build([sample_path()], store_path).articles_added   # the same issue twice adds nothing
0
"""
from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from innograph.errors import InputError
from innograph.extract.evaluate import GoldArticle, Score, combine_scores, evaluate
from innograph.extract.evaluate import score as score_predictions
from innograph.extract.formats import expand_inputs
from innograph.extract.reader import read_path, read_text
from innograph.graph import store
from innograph.graph.aliases import AliasTable
from innograph.graph.analysis import annotate
from innograph.graph.assemble import article_hashes, assemble, content_hash, needs_extraction
from innograph.graph.model import InnoGraph
from innograph.models import Article, ArticleExtraction, ArticleKind, Document, ExtractionResult, Frozen, ProgressCallback
from innograph.ontology import EntityLabel

Progress = ProgressCallback


def sample_path() -> Path:
    """The bundled sample issue (《杭州科技》 2024-06), shipped as package data."""
    return Path(str(resources.files("innograph.data").joinpath("hzkj-2024-06.txt")))


def extract_document(document: Document, progress: Progress | None = None, *, done: int = 0,
                     total: int | None = None) -> ExtractionResult:
    """Extract every article of ``document``; an annual index has no body to extract from.

    ``progress`` is told ``done`` + articles so far of ``total`` (default: this document's articles).
    """
    from innograph.extract.pipeline import extract_article

    extractions = []
    total = len(document.articles) if total is None else total
    for number, article in enumerate(document.articles, start=1):
        if article.kind is ArticleKind.article:
            extractions.append(extract_article(article))
        if progress:
            progress(done + number, total, article.title)
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
    articles_replaced: int  # in the store with other text: re-extracted, their old facts retracted
    articles_skipped: int  # in the store with the same text: not extracted
    articles_extracted: int  # articles the extractor read in this build
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


def extract_documents(documents: Sequence[Document], progress: Progress | None = None) -> list[ExtractionResult]:
    """Extract every document; ``progress`` counts articles over all of them."""
    total = sum(len(d.articles) for d in documents)
    results, done = [], 0
    for doc in documents:
        results.append(extract_document(doc, progress, done=done, total=total))
        done += len(doc.articles)
    return results


def build_graph(paths: Sequence[Path], *, force_article: bool = False, graph: InnoGraph | None = None,
                aliases: AliasTable | None = None, progress: Progress | None = None,
                documents: Iterable[Document] | None = None,
                results: Sequence[ExtractionResult] | None = None) -> GraphBuild:
    """Extract ``paths`` (or take ``results`` already extracted) and assemble them into ``graph``
    (a new one by default).

    Every file is read before anything is extracted, so a bad file fails the run before any work.
    """
    if results is None:
        docs = list(documents) if documents is not None else [read_path(p, force_article=force_article) for p in paths]
        results = extract_documents(docs, progress)
    graph, report = assemble(list(results), graph, aliases if aliases is not None else AliasTable.load())
    dropped: Counter = Counter()
    for result in results:
        dropped.update(dropped_counts(result))
    return GraphBuild(graph, report.articles_added, report.articles_skipped, dict(sorted(dropped.items())))


def read_documents(paths: Sequence[Path], *, force_article: bool = False) -> list[Document]:
    """Read every file (default: the sample) before any work, so a bad file fails the run first."""
    return [read_path(p, force_article=force_article) for p in (expand_inputs(paths) or [sample_path()])]


def _warm_worker(threads: int) -> None:
    """Set up a worker process: its ONNX sessions (LAC's encoder) get ``threads`` threads, so that
    N workers share the cores instead of each taking all of them, then the extractor's models
    are loaded once, before the first real article."""
    import onnxruntime

    session_init = onnxruntime.InferenceSession.__init__

    def init(self, path_or_bytes, sess_options=None, *args, **kwargs) -> None:  # noqa: ANN001
        if sess_options is None:
            sess_options = onnxruntime.SessionOptions()
            sess_options.intra_op_num_threads = threads
        session_init(self, path_or_bytes, sess_options, *args, **kwargs)

    onnxruntime.InferenceSession.__init__ = init
    from innograph.extract.pipeline import extract_article

    extract_article(Article(doc_id="warm-up", title="warm-up", text="之江实验室与浙江大学签署合作协议。"))


def extract_articles(articles: Sequence[Article], progress: Progress | None = None, *, jobs: int = 1) -> list[ArticleExtraction]:
    """The extraction of each of ``articles``, in their order; ``jobs`` > 1 extracts in that many
    processes (each loads the models once), with the same results as one.

    ``progress`` is told articles done of ``len(articles)``, in the order they finish.
    """
    if not articles:  # the extractor (spaCy, LAC, onnxruntime) is imported only when there is something to extract
        return []
    from innograph.extract.pipeline import extract_article

    if jobs <= 1 or len(articles) <= 1:
        extractions = []
        for number, article in enumerate(articles, start=1):
            extractions.append(extract_article(article))
            if progress:
                progress(number, len(articles), article.title)
        return extractions
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    results: list[ArticleExtraction | None] = [None] * len(articles)
    # spawn: a fresh interpreter per worker, whatever threads the caller runs (fork would copy them)
    workers = min(jobs, len(articles))
    threads = max(1, (os.cpu_count() or 1) // workers)
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_warm_worker, initargs=(threads,)) as pool:
        futures = {pool.submit(extract_article, article): index for index, article in enumerate(articles)}
        for done, future in enumerate(as_completed(futures), start=1):
            index = futures[future]
            results[index] = future.result()
            if progress:
                progress(done, len(articles), articles[index].title)
    return [r for r in results if r is not None]


def _extract_needed(documents: Sequence[Document], known: dict[str, str | None], have: dict[tuple[str, str], ArticleExtraction],
                    progress: Progress | None, jobs: int) -> None:
    """Extract into ``have`` ((doc_id, content hash) -> extraction) the articles of ``documents``
    that a store holding ``known`` articles lacks or holds with other text."""
    todo: dict[tuple[str, str], Article] = {}
    for document in documents:
        for article in document.articles:
            ident = (article.doc_id, content_hash(article))
            if ident not in have and ident not in todo and needs_extraction(article, known):
                todo[ident] = article
    for ident, extraction in zip(todo, extract_articles(list(todo.values()), progress, jobs=jobs)):
        have[ident] = extraction


class _Stages:
    """A build's progress: articles extracted of those to extract, and, before and after, what it is
    doing with the bar where the articles left it (nothing extracted yet: 0 of 1)."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress, self.done, self.total = progress, 0, 1

    def articles(self, done: int, total: int, title: str) -> None:
        self.done, self.total = done, total
        if self.progress is not None:
            self.progress(done, total, title)

    def __call__(self, doing: str) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total, doing)


def build(paths: Sequence[Path], store_path: Path, *, force_article: bool = False, aliases_path: Path | None = None,
          progress: Progress | None = None, top: int = 10, documents: Sequence[Document] | None = None,
          jobs: int = 1) -> BuildReport:
    """Extract ``paths`` (default: the sample) into the embedded store at ``store_path``.

    ``documents``, when given, are ``paths`` already read with :func:`read_documents`. Only
    articles the store does not hold with the same text are extracted (``articles_extracted``);
    one whose text changed replaces its old facts (``articles_replaced``). ``jobs`` > 1
    extracts in that many processes; the store is the same as with one.
    """
    started = time.perf_counter()
    paths = expand_inputs(paths) or [sample_path()]  # a directory: every supported file inside
    aliases = AliasTable.load(aliases_path)
    documents = list(documents) if documents is not None else read_documents(paths, force_article=force_article)
    # Extraction runs before the store is locked; the lock covers read, merge and write, so two
    # builds into one store at once keep both issues.
    stage = _Stages(progress)
    seen = store.signature(store_path)
    stage("reading the store")  # at archive scale reading, ranking and writing take minutes: say which
    existing = store.load_or_empty(store_path)
    extractions: dict[tuple[str, str], ArticleExtraction] = {}
    _extract_needed(documents, article_hashes(existing), extractions, stage.articles, jobs)
    with store.locked(store_path):
        if store.signature(store_path) != seen:  # another build wrote the store meanwhile
            stage("reading the store again: another build wrote it")
            existing = store.load_or_empty(store_path)
            _extract_needed(documents, article_hashes(existing), extractions, None, jobs)
        results = [ExtractionResult(document=doc, extractions=tuple(
            extractions[ident] for ident in ((a.doc_id, content_hash(a)) for a in doc.articles) if ident in extractions))
            for doc in documents]
        stage("assembling the graph")
        graph, assembly = assemble(results, existing, aliases)
        if assembly.articles_added or assembly.articles_replaced or seen is None:  # else the store has it all
            stage("ranking the entities")
            graph = annotate(graph)  # what the questions rank and diff by, stored with the graph
            stage("writing the store")
            store.save(graph, store_path)
    dropped: Counter = Counter()
    for result in results:
        dropped.update(dropped_counts(result))
    entities = [n for n in graph.nodes() if isinstance(n.label, EntityLabel)]
    entities.sort(key=lambda n: (-n.mention_count, n.key))
    return BuildReport(
        store=str(store_path), files=tuple(str(p) for p in paths), articles_added=assembly.articles_added,
        articles_replaced=assembly.articles_replaced, articles_skipped=assembly.articles_skipped,
        articles_extracted=len(extractions), dropped=dict(sorted(dropped.items())),
        nodes_by_label=graph.count_by_label(), edges_by_type=graph.count_by_type(),
        top_entities=tuple(EntityCount(key=n.key, label=n.label.value, name=n.name, mentions=n.mention_count)
                           for n in entities[:top]),
        seconds=round(time.perf_counter() - started, 3),
    )


def predict_gold(gold: GoldArticle) -> dict:
    """The extract JSON of one gold article's text, read as a single article."""
    from innograph.extract.pipeline import extract_article

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


# -- Neo4j ---------------------------------------------------------------------------------------
def load(store_path: Path, settings: "Neo4jSettings", *, paths: Sequence[Path] | None = None, sync: bool = False,
         batch_size: int = 5000, progress: Progress | None = None) -> "LoadReport":
    """Load the embedded store into Neo4j; with ``paths``, build them into the store first.

    Extraction goes through the embedded store, where a new issue is merged into what is already
    there, so Neo4j always receives the merged graph. ``sync`` first deletes what Neo4j holds and
    the store does not (after new rules or a new alias table), so Neo4j then equals the store.
    """
    from innograph.loaders.neo4j import Neo4jWriter

    if paths is not None:
        build(list(paths), store_path)
    graph = store.load(store_path)
    with Neo4jWriter(settings, progress=progress) as writer:
        return writer.load(graph, batch_size=batch_size, sync=sync)


def verify(store_path: Path, settings: "Neo4jSettings") -> "VerifyReport":
    """Compare Neo4j with the embedded store: counts, and checksums of every node and relationship."""
    from innograph.loaders.neo4j import Neo4jWriter

    graph = store.load(store_path)
    with Neo4jWriter(settings) as writer:
        return writer.verify(graph)


# -- files and figures ----------------------------------------------------------------------------
def export(store_path: Path, fmt: "ExportFormat | str", out: Path) -> list[Path]:
    """Export the store as GraphML, GEXF, node-link JSON or neo4j-admin CSV; the files written."""
    from innograph.graph.export import export as export_graph

    return export_graph(store.load(store_path), fmt, out)


class ConvertReport(Frozen):
    source: str
    target: str
    format: str  # of the target: sqlite or json
    nodes: int
    edges: int
    seconds: float


def convert_store(source: Path, target: Path, progress: Progress | None = None) -> ConvertReport:
    """Write the store at ``source`` to ``target``: SQLite, or JSON for a path ending in ``.json``.
    ``source`` stays as it was; a store already at ``target`` is refused."""
    started = time.perf_counter()
    graph = store.convert(source, target, progress)
    return ConvertReport(source=str(source), target=str(target), format="sqlite" if store.is_sqlite(target) else "json",
                         nodes=len(graph), edges=graph.nx.number_of_edges(), seconds=time.perf_counter() - started)


def analyze(store_path: Path, *, label: EntityLabel | None = None, top: int = 10, ego: str | None = None,
            radius: int = 1) -> "Analysis":
    """Centrality per label, communities and (with ``ego``) one entity's ego network."""
    from innograph.graph.analysis import analyze as analyze_graph

    return analyze_graph(store.load(store_path), label=label, top=top, ego=ego, radius=radius)


def questions(store_path: Path | None = None, *, backend: str | None = None) -> "QueryAPI":
    """The questions (profile, related, path, members, search, top, issue-diff, cypher) on the
    embedded store at ``store_path`` or, with ``backend="neo4j"`` or NEO4J_URI set, on Neo4j."""
    from innograph.queries.api import QueryAPI, open_backend

    return QueryAPI(open_backend(backend, store_path))


if TYPE_CHECKING:  # the annotations above, without importing the driver for every command
    from innograph.config import Neo4jSettings
    from innograph.graph.analysis import Analysis
    from innograph.graph.export import ExportFormat
    from innograph.loaders.base import LoadReport
    from innograph.loaders.neo4j import VerifyReport
    from innograph.queries.api import QueryAPI
