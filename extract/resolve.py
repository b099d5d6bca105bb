"""From overlapping candidates to one entity per real-world thing per article.

1. :func:`select_spans` keeps, per sentence, the longest non-overlapping names and the complete
   names nested inside them (西湖大学 inside 西湖大学创新药物概念验证中心). Which of overlapping
   candidates stay is the overlap filter's choice: a function registered in spaCy's
   ``registry.misc`` (as ``spacy.util.filter_spans`` is a fixed one), named by the
   ``innograph_entities`` component's ``overlaps`` config; the default,
   :func:`make_prefer_longest_scored`, ranks sources by the ``[source_preference]`` table of
   ``resources/lexicon.toml``.
2. :func:`merge_entities` groups the kept spans of a whole article: same label and same
   normalised name, a region-prefixed long form and its short form (杭州城西科创大走廊 /
   城西科创大走廊), an agency's short form in the article's city (市科技局), explicit 简称 and
   bracketed abbreviations. Each merge records its reason (:class:`~innograph.models.MergeReason`)
   per alias: :meth:`Group.reasons_for` gives them for the entity, so nothing downstream has
   to guess why a surface form is an entity's.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import spacy

from innograph.extract import lexicon
from innograph.extract.candidates import Candidate, find_candidates, is_generic, is_region, longest_suffix, strip_region_prefix
from innograph.extract.sources import CandidateSource
from innograph.models import DropReason, MergeReason
from innograph.ontology import EntityLabel as L
from innograph.text import clean_name, name_key

_ORDINAL = re.compile(r"^第[一二三四五六七八九十百零\d]+[届次期]")


@dataclass(slots=True)
class Span:
    """A kept candidate, with offsets into the article."""

    start: int
    end: int
    label: L
    name: str
    rule: str
    sentence_start: int
    sentence: str
    aliases: tuple[str, ...] = ()
    parent: "Span | None" = None  # the longer name this one is nested in
    region_prefix: bool = False  # a region written in front of / as district prefix of a name
    reasons: dict[str, MergeReason] = field(default_factory=dict)  # alias -> why it is this name's


# why a candidate's own aliases are its name's, by the candidate's source
_ALIAS_REASON_OF_SOURCE = {
    CandidateSource.known: MergeReason.known_short_form,  # 浙大 for 浙江大学 (known_orgs.txt)
    CandidateSource.list: MergeReason.without_end,  # 阿里巴巴 in a list of …集团
    CandidateSource.quoted_programme: MergeReason.quoted_form,  # “双倍增”行动 / 双倍增行动
    CandidateSource.quoted_name: MergeReason.quoted_form,  # “云创稼谷”基地 / 云创稼谷
    CandidateSource.policy_title: MergeReason.same_name,  # 《…》 / …
}


def _candidate_reasons(cand: Candidate) -> dict[str, MergeReason]:
    reason = _ALIAS_REASON_OF_SOURCE.get(cand.rule, MergeReason.same_name)
    return {alias: reason for alias in cand.aliases}


@dataclass(slots=True)
class Selection:
    spans: list[Span] = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)
    # every candidate the scorer kept, in article offsets: (start, end, label, source rule, score)
    candidates: list[tuple[int, int, L, str, float]] = field(default_factory=list)


#: an overlap filter: a sentence's candidates -> the ones kept, none overlapping another, by start
OverlapFilter = Callable[[Sequence[Candidate]], list[Candidate]]


@spacy.registry.misc("innograph.prefer_longest_scored.v1")
def make_prefer_longest_scored(source_preference: Mapping[str, int] | None = None) -> OverlapFilter:
    """The longest candidate wins, then the better scored, then the preferred source, then the first.

    ``source_preference`` (source -> rank, lower wins) defaults to the lexicon's
    ``[source_preference]`` table; a source it does not list ranks after every listed one.

    >>> keep = make_prefer_longest_scored({"suffix": 0, "region": 1})
    >>> [c.name for c in keep([Candidate(0, 2, L.Region, "杭州", "region"),
    ...                        Candidate(0, 5, L.University, "杭州大学", "suffix"),
    ...                        Candidate(5, 7, L.Region, "西湖", "region")])]
    ['杭州大学', '西湖']
    """
    ranks = {CandidateSource(source).value: rank for source, rank in
             (lexicon.lexicon().source_preference if source_preference is None else source_preference).items()}
    unlisted = max(ranks.values(), default=-1) + 1

    def prefer_longest_scored(candidates: Sequence[Candidate]) -> list[Candidate]:
        order = sorted(candidates, key=lambda c: (-(c.end - c.start), -round(c.score, 2),
                                                  ranks.get(c.rule, unlisted), c.start))
        kept: list[Candidate] = []
        for cand in order:
            if not any(_overlaps(cand, k) for k in kept):
                kept.append(cand)
        return sorted(kept, key=lambda c: c.start)

    return prefer_longest_scored


@spacy.registry.misc("innograph.prefer_longest_scored.v2")
def make_prefer_longest_scored_v2(source_preference: Mapping[str, int] | None = None) -> OverlapFilter:
    """As v1, but of two readings of one name that end together (2035年新片区 / 新片区, 参建方中航建设集团 /
    中航建设集团), the longer must not score lower: the left edge is where the scorer puts it.

    Measured by cross-validation (6 folds, 36 articles) against v1: core F1 +0.002 on dev.jsonl,
    +0.003 on news-dev.jsonl, relations unchanged.

    >>> keep = make_prefer_longest_scored_v2()
    >>> [c.name for c in keep([Candidate(0, 8, L.Ecosystem, "2035年新片区", "suffix", score=0.6),
    ...                        Candidate(5, 8, L.Ecosystem, "新片区", "suffix", score=0.9)])]
    ['新片区']
    """
    longest_scored = make_prefer_longest_scored(source_preference)

    def prefer_scored_left_edges(candidates: Sequence[Candidate]) -> list[Candidate]:
        return longest_scored([c for c in candidates
                               if not any(d.end == c.end and d.label is c.label and d.start > c.start and d.score > c.score
                                          for d in candidates)])

    return prefer_scored_left_edges


def select_spans(sentence: str, sentence_start: int, selection: Selection, overlaps: OverlapFilter | None = None) -> None:
    """Choose this sentence's spans and append them to ``selection``.

    ``overlaps`` chooses among overlapping candidates (:func:`make_prefer_longest_scored` by
    default); a candidate it drops that no kept one contains counts as overlapped.
    """
    candidates = find_candidates(sentence, selection.dropped)
    selection.candidates += [(c.start + sentence_start, c.end + sentence_start, c.label, c.rule, c.score) for c in candidates]
    kept = (overlaps or _default_overlaps())(candidates)
    chosen = {id(k) for k in kept}
    selection.dropped[DropReason.overlapped.name] += sum(
        1 for cand in candidates
        if id(cand) not in chosen and not any(k.start <= cand.start and cand.end <= k.end for k in kept))
    for cand in kept:
        for span in _split_front_region(cand, sentence, sentence_start):
            selection.spans.append(span)
            if span.label not in (L.Region, L.Person, L.Policy):
                _add_nested(span, candidates, sentence, sentence_start, selection)


@lru_cache(maxsize=1)
def _default_overlaps() -> OverlapFilter:
    return make_prefer_longest_scored_v2()


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _split_front_region(cand: Candidate, sentence: str, base: int) -> list[Span]:
    """余杭区浙江优基尔…有限公司: a region in front of a complete name is a mention of its own."""
    span = Span(cand.start + base, cand.end + base, cand.label, cand.name, cand.rule, base, sentence, cand.aliases,
                reasons=_candidate_reasons(cand))
    if cand.label in (L.Region, L.Person, L.Policy, L.Agency, L.Event) or cand.rule != "suffix":
        return [span]
    region, rest = strip_region_prefix(cand.name)
    if not region:
        return [span]
    inner_region, _ = strip_region_prefix(rest)
    split = bool(inner_region) and cand.label is L.Company or rest in _SUFFIX_NAMES or (cand.label in (L.Facility,) and not is_generic(rest[: -len(_suffix_of(rest))] or ""))
    if not split:
        return [span]
    head = Span(span.start, span.start + len(region), L.Region, region, "region", base, sentence, region_prefix=True)
    body = Span(span.start + len(region), span.end, cand.label, rest, cand.rule, base, sentence, cand.aliases,
                reasons=_candidate_reasons(cand))
    head.parent = body
    return [head, body]


_SUFFIX_NAMES = {"硅谷", "硅巷"}  # suffixes that are names on their own


def _suffix_of(name: str) -> str:
    return longest_suffix(name)


def _add_nested(outer: Span, candidates: list[Candidate], sentence: str, base: int, selection: Selection) -> None:
    """Complete names inside ``outer``: they start where a name can start inside a name."""
    local_start, local_end = outer.start - base, outer.end - base
    seen: set[tuple[int, int]] = set()
    added: list[Span] = []
    district = re.match(r"^(\S{2,3}?(?:\(新\))?区)环", sentence[local_start:local_end]) if outer.label is L.Ecosystem else None
    if district and not is_region(district.group(1)):
        # 钱塘(新)区环大学城创新生态圈: a district prefix the gazetteer does not spell this way
        added.append(Span(outer.start, outer.start + len(district.group(1)), L.Region, clean_name(district.group(1)),
                          "nested", base, sentence, parent=outer, region_prefix=True))
        seen.add((local_start, local_start + len(district.group(1))))
    for cand in sorted(candidates, key=lambda c: (c.start, -(c.end - c.start))):
        if not (local_start <= cand.start and cand.end <= local_end) or (cand.start, cand.end) == (local_start, local_end):
            continue
        if cand.label is L.Person or cand.rule in ("list", "shared-suffix", "short-agency"):
            continue
        if outer.label is L.Company and cand.rule != "known":
            continue  # 杭州市国有资本, 香港科技园 inside a company name: words of it, not parents
        if cand.label is outer.label and outer.label in (L.Platform, L.Event) and cand.start == local_start and cand.label is L.Platform:
            continue
        name, start = cand.name, cand.start
        text_before = sentence[local_start:cand.start]
        # 余杭区环之江实验室…: the name starts after "region + 环"
        match = re.match(r"^(.*?区|.*?市|.*?县)?\(?新?\)?区?环", sentence[cand.start:cand.end]) if cand.label is not L.Region else None
        if match and cand.rule == "suffix":
            start = cand.start + match.end()
            name = clean_name(sentence[start:cand.end])
            if not name or is_generic(name[: -len(_suffix_of(name))] if _suffix_of(name) else name):
                continue
        elif cand.label is L.Region:
            # a region is a mention only as the district prefix of an ecosystem name (环…)
            after = sentence[cand.end:cand.end + 4]
            if not (outer.label is L.Ecosystem and cand.start == local_start and re.match(r"^(\(新\))?环", after)):
                continue
        elif not (_name_can_start(text_before) or re.fullmatch(r".{0,6}?[区市县]?(\(新\))?区?环", text_before)):
            continue
        if cand.label is not L.Region:
            region, rest = strip_region_prefix(name)
            if region and strip_region_prefix(rest)[0]:
                # 杭州市杭州师范大学…: a region in front of a name that carries its own region
                start, name = start + len(region), rest
        if (start, cand.end) in seen or (start, cand.end) == (local_start, local_end):
            continue
        if cand.label is L.Event and outer.label is L.Event and start == local_start:
            outer.aliases = outer.aliases + (name,)  # 第…届…大赛 at the start of its 总决赛
            outer.reasons.setdefault(name, MergeReason.without_end)
            continue
        seen.add((start, cand.end))
        nested = Span(start + base, cand.end + base, cand.label, name, "nested", base, sentence, cand.aliases,
                      parent=outer, region_prefix=cand.label is L.Region, reasons=_candidate_reasons(cand))
        added.append(nested)
    for span in added:
        # the parent of a nested name is the smallest name around it (研究所 inside 研究所杭州分所)
        containers = [o for o in added if o is not span and o.start <= span.start and span.end <= o.end
                      and (o.start, o.end) != (span.start, span.end) and o.label is not L.Region]
        if containers:
            span.parent = min(containers, key=lambda o: o.end - o.start)
        selection.spans.append(span)


def _name_can_start(text_before: str) -> bool:
    """Inside a longer name, an inner name starts at its start, after a region or after 第…届."""
    if not text_before:
        return True
    if _ORDINAL.fullmatch(text_before):
        return True
    region, rest = strip_region_prefix(text_before + "X")
    return bool(region) and rest == "X" or is_region(text_before)


# --- article-level merging -----------------------------------------------------------------

def official_form(name: str, forms: Sequence[tuple[str, str]] = lexicon.OFFICIAL_FORMS) -> str:
    """An agency name with every short form replaced by its official form (``[official_forms]``).

    >>> official_form("科技部办公厅"), official_form("杭州市政府"), official_form("杭州市人民政府")
    ('科学技术部办公厅', '杭州市人民政府', '杭州市人民政府')
    >>> official_form("中科协"), official_form("新加坡政府"), official_form("省政府")
    ('中国科学技术协会', '新加坡政府', '省人民政府')
    """
    for short, official in forms:
        start = name.find(short)
        while start >= 0:
            inside = official.find(short)
            written_out = inside >= 0 and name.startswith(official, start - inside) if start >= inside else False
            region_ok = short != "政府" or _is_domestic_region_before(name[:start])
            if written_out or not region_ok:
                start = name.find(short, start + len(short))
                continue
            name = name[:start] + official + name[start + len(short):]
            start = name.find(short, start + len(official))
    return name


def canonical_agency(name: str) -> str:
    """The canonical name of an agency written in full: a bare short form becomes its official
    form (科技部, 党中央), a Chinese region's government its 人民政府; a longer name keeps the
    short form it is written with (浙江省科技厅, 科技部火炬中心), as the gold and the bodies write them.

    >>> canonical_agency("科技部"), canonical_agency("北京市政府"), canonical_agency("浙江省科技厅")
    ('科学技术部', '北京市人民政府', '浙江省科技厅')
    """
    official = _BARE_OFFICIAL.get(name)
    if official is not None:
        return official
    if name.endswith("政府") and not name.endswith("人民政府") and _is_domestic_region_before(name[:-2]):
        return name[:-2] + "人民政府"
    return name


_BARE_OFFICIAL = dict(lexicon.OFFICIAL_FORMS)


def _is_domestic_region_before(text: str) -> bool:
    """省, 市, 区 alone or ending a Chinese region's name (杭州市, 余杭区, 浙江): an official 人民政府."""
    return text in ("省", "市", "区", "县") or text in lexicon.chinese_regions()


_NO_QUOTES = str.maketrans("", "", "“”‘’")


def unquoted_key(name: str) -> str:
    """:func:`name_key` without the quotes inside a name: “众创空间”计划 and 众创空间计划 are one name.

    >>> unquoted_key("“众创空间”计划") == unquoted_key("众创空间计划")
    True
    """
    return name_key(name).translate(_NO_QUOTES)


def merge_key(label: L, name: str) -> str:
    """Names that denote the same entity share a merge key.

    >>> merge_key(L.Agency, "杭州市科学技术局") == merge_key(L.Agency, "杭州市科技局")
    True
    >>> merge_key(L.Region, "杭州市") == merge_key(L.Region, "杭州")
    True
    """
    key = unquoted_key(name)
    if label is L.Agency:
        key = official_form(key, lexicon.SAME_AGENCY_FORMS)
    if label is L.Region and len(key) > 2 and key[-1] in "市省区" and is_region(key[:-1]):
        key = key[:-1]  # 杭州市 = 杭州, 余杭区 = 余杭
    return f"{label.value}:{key}"


@dataclass(slots=True)
class Group:
    label: L
    names: Counter
    spans: list[Span]
    aliases: set[str]
    # alias -> the reason recorded when it joined; names of one merge key get theirs in reasons_for
    reasons: dict[str, MergeReason] = field(default_factory=dict)
    written_as: dict[str, str] = field(default_factory=dict)  # a mention's text -> the name it was read as

    @property
    def canonical(self) -> str:
        # the fullest official form: longest, then most frequent, then first seen
        order = {n: i for i, n in enumerate(s.name for s in self.spans)}
        return max(self.names, key=lambda n: (len(name_key(n)), self.names[n], -order.get(n, 0)))

    def reasons_for(self, aliases: Iterable[str]) -> dict[str, MergeReason]:
        """Why each of ``aliases`` (surface forms of this group, the canonical name left out) is its own.

        A reason recorded when the alias joined wins; otherwise the alias is the canonical name
        written differently, or has its merge key; otherwise a mention's text has the reason of
        the name it was read as (“众创空间”计划 that of 众创空间计划), and a name written
        differently that of the recorded name. A name of the group that is none of these joined
        with a group it shared a short form with.
        """
        canonical = self.canonical
        own_key, own_merge_key = unquoted_key(canonical), merge_key(self.label, canonical)
        by_key: dict[str, MergeReason] = {}
        for alias, reason in self.reasons.items():
            by_key.setdefault(name_key(alias), reason)

        def reason_of(alias: str, read_as: bool = True) -> MergeReason:
            recorded = self.reasons.get(alias)
            if recorded is not None:
                return recorded
            if alias == canonical or unquoted_key(alias) == own_key:
                return MergeReason.same_name
            if merge_key(self.label, alias) == own_merge_key:
                return MergeReason.official_form
            name = self.written_as.get(alias, alias) if read_as else alias
            if name != alias:
                return reason_of(name, read_as=False)
            return by_key.get(name_key(alias), MergeReason.shared_alias)

        return {alias: reason_of(alias) for alias in aliases if alias != canonical}


def dominant_regions(spans: list[Span], text: str = "") -> dict[str, str]:
    """The article's city, province and district: the most mentioned of each kind.

    A kind no region mention gives is taken from the regions written inside names (浙江省 in
    浙江省发展和改革委员会 makes 省政府 the Zhejiang government).

    >>> dominant_regions([], "浙江省发展和改革委员会、浙江省科学技术厅和省政府")["province"]
    '浙江'
    """
    kinds = lexicon.regions()
    counts: dict[str, Counter] = defaultdict(Counter)
    for span in spans:
        if span.label is L.Region:
            counts[kinds.get(span.name, "")][_region_base(span.name)] += 1
    for kind in ("province", "city"):
        if not counts[kind] and text:
            counts[kind] = Counter(_region_base(name) for name in _written_regions(text, kind))
        if not counts[kind] and text and kind == "province":
            # 陕西 written without 省 (陕西科技, 陕西的): the province most often written
            counts[kind] = Counter({name: text.count(name) for name in _PROVINCE_NAMES if name in text})
    return {kind: c.most_common(1)[0][0] for kind, c in counts.items() if c}


_PROVINCE_NAMES = tuple(sorted({name[:-1] if name.endswith("省") else name for name in lexicon.chinese_regions()
                                 if lexicon.regions().get(name) == "province" and len(name) >= 2
                                 and not name.endswith(("市", "自治区", "特别行政区"))}))


def _region_base(name: str) -> str:
    return name[:-1] if name[-1] in "市省" and is_region(name[:-1]) else name


_WRITTEN_REGION = re.compile(r"[\u4e00-\u9fff]{2,4}?[省市]")


def _written_regions(text: str, kind: str) -> list[str]:
    """Every 浙江省 or 杭州市 written in ``text`` (in a name or not) that the gazetteer knows as ``kind``."""
    kinds = lexicon.regions()
    chinese = lexicon.chinese_regions()
    found = []
    for match in _WRITTEN_REGION.finditer(text):
        name = match.group()
        for start in range(len(name) - 2, -1, -1):  # 经浙江省 -> 浙江省: the shortest region ending there
            candidate = name[start:]
            if candidate in chinese and kinds.get(candidate) == kind:
                found.append(candidate)
                break
    return found


def expand_short_agency(name: str, regions: dict[str, str]) -> str:
    """市科技局 -> 杭州市科技局 in an article about Hangzhou.

    >>> expand_short_agency("市科技局", {"city": "杭州"})
    '杭州市科学技术局'
    >>> expand_short_agency("省政府", {"province": "浙江"})
    '浙江省人民政府'
    >>> expand_short_agency("省委", {"province": "浙江"})
    '中国共产党浙江省委员会'
    """
    kind_for = {"市": "city", "省": "province", "区": "district"}
    if name[:1] in kind_for and regions.get(kind_for[name[0]]):
        place = regions[kind_for[name[0]]]
        full = place + name[1:] if name[0] == "区" else place + name
        if name == "省委":  # the province's Party committee, by its official name
            return f"中国共产党{place}省委员会"
        return official_form(full)  # the official form: 杭州市科学技术局
    return name


# (以下简称“转化孵化中心”), (简称TLO), (MIT), (Silicon Alley): a short name declared right after a name
_ABBREV_AFTER = re.compile(r"^[(（](?:(?:以下)?简称[“\"]?([^()（）“”\"]{2,16}?)[”\"]?|([A-Za-z][A-Za-z0-9 .&-]{1,30}))[)）]")


def merge_entities(spans: list[Span], text: str) -> list[Group]:
    regions = dominant_regions(spans, text)
    groups: dict[str, Group] = {}
    for span in spans:
        name = span.name
        if span.label is L.Agency:
            in_region = expand_short_agency(name, regions)
            name = canonical_agency(in_region) if in_region == name else in_region
            if name != span.name:
                span.aliases = span.aliases + (span.name,)
                reason = MergeReason.short_in_region if in_region != span.name else MergeReason.official_form
                span.reasons.setdefault(span.name, reason)
                span.name = name
        key = merge_key(span.label, name)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(span.label, Counter(), [], set())
        group.names[name] += 1
        group.spans.append(span)
        group.aliases.update(a for a in span.aliases if a)
        for alias in span.aliases:
            if alias and alias in span.reasons:
                group.reasons.setdefault(alias, span.reasons[alias])
        group.aliases.add(text[span.start:span.end])
        group.written_as.setdefault(text[span.start:span.end], name)
        # 麻省理工学院(MIT), 长三角…中心(以下简称“转化孵化中心”)
        after = _ABBREV_AFTER.match(text[span.end:span.end + 30])
        short = after and (after.group(1) or after.group(2))
        if short and span.label not in (L.Region, L.Person) and not is_region(short):
            group.aliases.add(clean_name(short))
            group.reasons.setdefault(clean_name(short), MergeReason.introduced)
    _merge_short_forms(groups)
    groups_list = list(groups.values())
    _sweep_aliases(groups_list, spans, text)
    return groups_list


def _sweep_aliases(groups: list[Group], spans: list[Span], text: str) -> None:
    """Find every further occurrence of a known alias (转化孵化中心 after its 以下简称)."""
    from bisect import bisect_right

    from innograph.extract.sentences import split_sentences

    covered = bytearray(len(text))
    for s in spans:
        covered[s.start:s.end] = b"\x01" * (s.end - s.start)
    sentences = None
    starts: list[int] = []
    for group in groups:
        if group.label in (L.Region, L.Person):
            continue
        names = {a for a in group.aliases | set(group.names) if len(a) >= 3 and "\n" not in a}
        for alias in sorted(names, key=len, reverse=True):
            start = text.find(alias)
            while start >= 0:
                end = start + len(alias)
                if not any(covered[start:end]):
                    if sentences is None:
                        sentences = split_sentences(text)
                        starts = [s.start for s in sentences]
                    index = bisect_right(starts, start) - 1
                    sentence = sentences[index] if index >= 0 and start < sentences[index].end else None
                    if sentence is not None:
                        span = Span(start, end, group.label, group.canonical, "alias", sentence.start, sentence.text)
                        group.spans.append(span)
                        spans.append(span)
                        covered[start:end] = b"\x01" * (end - start)
                start = text.find(alias, end)


def _merge_short_forms(groups: dict[str, Group]) -> None:
    """Fold a group into a longer one of the same label that is the same name with more in front."""
    by_label: dict[L, list[str]] = defaultdict(list)
    for key, group in groups.items():
        by_label[group.label].append(key)
    for label, keys in by_label.items():
        if label in (L.Person, L.Policy):
            continue
        for short_key in sorted(keys, key=lambda k: len(k)):
            short = groups.get(short_key)
            if short is None:
                continue
            short_name = name_key(short.canonical)
            alias_keys = {name_key(a) for a in short.aliases} | {short_name}
            for long_key in keys:
                long = groups.get(long_key)
                if long is None or long is short:
                    continue
                long_names = {name_key(n) for n in long.names}
                longer = next((ln for ln in long_names if _is_short_form(label, short_name, ln)), None)
                if longer is not None or alias_keys & {name_key(a) for a in long.aliases if len(name_key(a)) >= 2} - {""}:
                    if longer is None:
                        reason = MergeReason.shared_alias
                    else:
                        reason = MergeReason.without_front if longer.endswith(short_name) else MergeReason.without_end
                    for alias in sorted(short.aliases | set(short.names)):
                        long.reasons.setdefault(alias, short.reasons.get(alias, reason))
                    for surface, read in short.written_as.items():
                        long.written_as.setdefault(surface, read)
                    long.names.update(short.names)
                    long.spans.extend(short.spans)
                    long.aliases.update(short.aliases | set(short.names))
                    del groups[short_key]
                    break


def _is_short_form(label: L, short: str, long: str) -> bool:
    if short == long or len(short) < 2 or not long.endswith(short) and not long.startswith(short):
        return False
    if long.endswith(short):
        front = long[: -len(short)]
        if label is L.Region:
            return False
        if label is L.Event:
            return len(short) >= 5
        # 杭州城西科创大走廊 / 城西科创大走廊; 余杭区环之江实验室创新生态圈 / 环之江实验室创新生态圈
        front = front.rstrip("环")
        region, rest = strip_region_prefix(front + "X")
        return len(short) >= 4 and (is_region(front) or (region and rest == "X"))
    if label is L.Ecosystem and long == short + "区":
        return True  # 康奈尔科技园 / 康奈尔科技园区
    # Events: …大赛 / …大赛总决赛
    return label is L.Event and len(short) >= 6 and long[len(short):] in ("总决赛", "决赛", "开幕式", "颁奖典礼")
