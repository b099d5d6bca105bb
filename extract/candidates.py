"""Rules that find candidate entity spans in one sentence.

Each rule is a function ``(SentenceView) -> list[Candidate]``; :func:`find_candidates` runs them
all. Offsets are into the sentence; the caller shifts them into the article.

The main rule is structural: a Chinese organisation name is a distinctive part followed by a
type suffix (…实验室, …有限公司, …创新生态圈). The suffix fixes the label and the right edge; the
left edge is found by walking LAC tokens leftwards until a boundary: punctuation, a function
word or verb that introduces a name (由, 依托, 位于 …), or a category noun that closes a
description in front of a name (新型研发机构 之江实验室).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from collections import Counter, OrderedDict
from contextvars import ContextVar
from functools import lru_cache


from innograph.extract import lexicon, scorer, tagger
from innograph.ontology import EntityLabel as L
from innograph.text import char_class, clean_name, is_cjk



@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    label: L
    name: str  # canonical display form (may differ from the surface: shared suffix, quotes)
    rule: str
    aliases: tuple[str, ...] = ()
    suffix: str = ""
    features: tuple[str, ...] = ()  # filled only when collecting training data
    score: float = 1.0  # the span scorer's probability (1.0 when no model is in force)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    word: str
    pos: str


class SentenceView:
    """A sentence with its LAC tokens and token-boundary lookups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.dropped: Counter = Counter()  # DropReason name -> count, filled by the rules
        self.tokens = tokenize(text)
        self.token_ending_at = {t.end: t for t in self.tokens}
        self.token_starting_at = {t.start: t for t in self.tokens}
        self.boundaries = {t.start for t in self.tokens} | {len(text)}

    def token_at(self, index: int) -> Token | None:
        """The token that covers character ``index``."""
        for tok in self.tokens:
            if tok.start <= index < tok.end:
                return tok
        return None


# LAC's tags are the ICTCLAS set jieba also uses, except its three name tags and punctuation.
_LAC_TAGS = {"PER": "nr", "LOC": "ns", "ORG": "nt", "TIME": "t", "w": "x"}


@lru_cache(maxsize=1)
def _lac():
    from innograph.extract.lac_batch import BatchLac

    return BatchLac()


class _TokenCache:
    """Least-recently-used sentence -> tokens (``cache_clear`` as ``functools.lru_cache``)."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._tokens: OrderedDict[str, tuple[Token, ...]] = OrderedDict()

    def get(self, text: str) -> tuple[Token, ...] | None:
        tokens = self._tokens.get(text)
        if tokens is not None:
            self._tokens.move_to_end(text)
        return tokens

    def put(self, text: str, tokens: tuple[Token, ...]) -> None:
        self._tokens[text] = tokens
        self._tokens.move_to_end(text)
        while len(self._tokens) > self.maxsize:
            self._tokens.popitem(last=False)

    def cache_clear(self) -> None:
        self._tokens.clear()


_tokenize_cached = _TokenCache(maxsize=4096)


def _as_tokens(words: list[tuple[str, str]]) -> tuple[Token, ...]:
    tokens = []
    pos = 0
    for word, flag in words:
        tokens.append(Token(pos, pos + len(word), word, _LAC_TAGS.get(flag, flag)))
        pos += len(word)
    return tuple(tokens)


def tokenize(text: str) -> tuple[Token, ...]:
    """LAC's words of one sentence, with jieba-style tags (cached: the Doc and the rules share it)."""
    tokens = _tokenize_cached.get(text)
    if tokens is None:
        tokens = _as_tokens(_lac().run(text))
        _tokenize_cached.put(text, tokens)
    return tokens


def tokenize_many(texts: list[str]) -> list[tuple[Token, ...]]:
    """:func:`tokenize` of each text, the uncached ones through LAC together (the same tokens, faster)."""
    missing = list(dict.fromkeys(t for t in texts if _tokenize_cached.get(t) is None))
    for text, words in zip(missing, _lac().run_many(missing)):
        _tokenize_cached.put(text, _as_tokens(words))
    return [tokenize(t) for t in texts]


# --- helpers -------------------------------------------------------------------------------

_STOP_POS = {"p", "c", "u", "uj", "ul", "uz", "ug", "ud", "uv", "r", "d", "y", "e", "o", "zg", "x", "w", "q", "f", "ad"}
_NAME_CHARS_EXTRA = set("·-&")
_SUFFIX_CONTINUATIONS = {
    "大学": ("城", "生", "路", "习"), "学院": ("路", "派"), "公司": ("制", "化"), "集团": ("化", "军"),
    "基金": ("会",), "银行": ("业", "卡"), "大会": ("堂",), "政府": ("性", "部门"), "资本": ("市场", "化", "金"),
    "联盟": ("链",), "论坛": ("上",), "大赛": ("期间",),
    "实验室": ("主任",), "证券": ("化",), "协会": ("会长",),
}
_BOUNDARY_SET = frozenset(lexicon.BOUNDARY_WORDS)
_GENERIC_SET = lexicon.GENERIC_WORDS
_SUFFIX_LABEL: dict[str, L] = {}
for _suffix, _label in lexicon.SUFFIXES:
    _SUFFIX_LABEL.setdefault(_suffix, _label)
_GENERIC_BY_LENGTH = sorted(_GENERIC_SET, key=len, reverse=True)
_REGIONS_AND_GENERIC = sorted(list(lexicon.regions()) + list(_GENERIC_SET), key=len, reverse=True)
# the same words as sets with their lengths, longest first: the longest word that begins (ends) a
# text is found by looking up the text's beginnings (endings), not by trying every word
_REGION_OR_GENERIC_SET = frozenset(_REGIONS_AND_GENERIC)
_REGION_OR_GENERIC_LENGTHS = sorted({len(w) for w in _REGION_OR_GENERIC_SET if w}, reverse=True)
_GENERIC_LENGTHS = sorted({len(w) for w in _GENERIC_SET if w}, reverse=True)
_MAX_NAME = 40


_SUFFIX_LENGTHS = sorted({len(s) for s in _SUFFIX_LABEL}, reverse=True)


def longest_suffix(name: str, *, shorter_than_name: bool = False) -> str:
    """The longest type suffix that ends ``name`` ("" if none), by lookup of the name's endings.

    >>> longest_suffix("杭州零磁医疗设备有限公司"), longest_suffix("之江"), longest_suffix("硅谷", shorter_than_name=True)
    ('有限公司', '', '谷')
    """
    limit = len(name) - 1 if shorter_than_name else len(name)
    return next((name[-n:] for n in _SUFFIX_LENGTHS if n <= limit and name[-n:] in _SUFFIX_LABEL), "")


def _names_a_place(prefix: str) -> bool:
    """杭州市, 新加坡, 纽约市, 布隆伯格: a place or a person (布隆伯格政府) names a government."""
    region, rest = strip_region_prefix(prefix)
    return is_region(prefix) or bool(region) and len(rest) <= 2 or (len(prefix) >= 3 and all(is_cjk(c) for c in prefix)
                                                                     and distinctive_part(prefix) == prefix)


def _is_name_char(ch: str) -> bool:
    return is_cjk(ch) or ch.isalnum() or ch in _NAME_CHARS_EXTRA


def _suffix_matches(text: str) -> list[tuple[int, int, str]]:
    """Every (start, end, suffix) where a suffix ends; at one end only the longest suffix."""
    by_end: dict[int, tuple[int, str]] = {}
    for suffix in _SUFFIX_LABEL:
        start = text.find(suffix)
        while start >= 0:
            end = start + len(suffix)
            if end not in by_end or len(suffix) > len(by_end[end][1]):
                by_end[end] = (start, suffix)
            start = text.find(suffix, start + 1)
    return sorted((s, e, suf) for e, (s, suf) in by_end.items())


_LONG_BOUNDARY_WORDS = tuple(w for w in lexicon.BOUNDARY_WORDS if len(w) >= 2)


def _ends_boundary_word(text: str, start: int, end: int) -> bool:
    """Whether the suffix at ``start:end`` is the last part of a longer boundary word (主办 for 办).

    >>> _ends_boundary_word("管委会主办", 4, 5), _ends_boundary_word("专项办", 2, 3)
    (True, False)
    """
    return any(len(w) > end - start and text.endswith(w, 0, end) for w in _LONG_BOUNDARY_WORDS)


def _ends_in_boundary_word(name: str) -> bool:
    """北仑区东部, …管委会主办: the type suffix (部, 办) is the end of a boundary word, whatever source read it.

    >>> _ends_in_boundary_word("北仑区东部"), _ends_in_boundary_word("科学技术部")
    (True, False)
    """
    suffix = longest_suffix(name)
    return bool(suffix) and _ends_boundary_word(name, len(name) - len(suffix), len(name))


def _after_listed_agency(text: str, left: int, start: int) -> int:
    """Where a name begins when its left part is a complete agency name followed by a region.

    Signatures and lists of issuers are written name after name (浙江省发展和改革委员会浙江省科学技术厅,
    one per line): an agency's name ends there, and the region opens the next one. Only an agency
    ends one: 浙江大学杭州国际科创中心 is one name.

    >>> text = "浙江省发展和改革委员会浙江省科学技术厅"
    >>> text[_after_listed_agency(text, 0, len(text) - 1):]
    '浙江省科学技术厅'
    >>> _after_listed_agency("浙江大学杭州国际科创中心", 0, 10)
    0
    """
    for i in range(start - 1, left + 1, -1):
        suffix = longest_suffix(text[left:i], shorter_than_name=True)
        if suffix and _SUFFIX_LABEL[suffix] is L.Agency and strip_region_prefix(text[i:start + 1].lstrip())[0]:
            return i + len(text[i:start]) - len(text[i:start].lstrip())
    return left


def left_edge(view: SentenceView, start: int) -> int:
    """Walk left from ``start`` over name tokens; return where the name begins."""
    text = view.text
    pos = start
    # a token that runs across the suffix start contributes its left part
    covering = view.token_at(start - 1) if start else None
    if covering and covering.end > start and covering.start < start:
        left_part = text[covering.start:start]
        if not _stop_word(left_part, covering.pos, text, covering.start):
            pos = covering.start
        else:
            return start
    steps = 0
    while pos > 0 and steps < 12:
        ch = text[pos - 1]
        if ch in ")）":
            opening = max(text.rfind("(", 0, pos - 1), text.rfind("（", 0, pos - 1))
            inner = text[opening + 1:pos - 1] if opening >= 0 else ""
            if opening > 0 and 0 < len(inner) <= 3 and all(is_cjk(c) for c in inner) and _is_name_char(text[opening - 1]):
                pos = opening
                steps += 1
                continue
            break
        if ch == "”":
            opening = text.rfind("“", 0, pos - 1)
            inner = text[opening + 1:pos - 1] if opening >= 0 else ""
            if opening >= 0 and 0 < len(inner) <= 12 and all(_is_name_char(c) or c == " " for c in inner):
                pos = opening
                steps += 1
                continue
            break
        if ch.isspace():
            run = pos - 1
            while run > 0 and text[run - 1].isspace():
                run -= 1
            # a PDF line break inside a name (谷  歌): whitespace between two CJK characters
            if "\n" in text[run:pos] and run > 0 and is_cjk(text[run - 1]) and pos < len(text) and is_cjk(text[pos]):
                pos = run
                continue
            break
        if not _is_name_char(ch):
            break
        tok = view.token_ending_at.get(pos) or view.token_at(pos - 1)
        if tok is None:
            break
        word = text[tok.start:pos]
        if _joins_inside_name(view, tok, pos):
            pos = tok.start
            steps += 1
            continue
        if _stop_word(word, tok.pos, text, tok.start):
            glued = next((v for v in lexicon.GLUED_VERBS if tok.pos.startswith("v") and word.startswith(v) and len(word) > len(v)
                          and all(is_cjk(c) for c in word[len(v):])), None)
            if glued is not None and tok.start + len(glued) < start:
                pos = tok.start + len(glued)  # 投资天眸|光电: the verb is not, its tail is, part of the name
            break
        if word in lexicon.CATEGORY_WORDS and start - pos >= 2:
            break
        pos = tok.start
        steps += 1
        if start - pos > _MAX_NAME:
            break
    return pos


# Fields of study that a name may join with 与/和: 麻省药科与健康科学大学, 计算机科学与技术学院.
_DISCIPLINES = frozenset("""科学 技术 工程 健康 药科 医学 管理 经济 信息 材料 能源 环境 艺术 设计 计算机 数学 物理 化学
    生命 农业 食品 电子 机械 土木 建筑 交通 航空 航天 海洋 地球 资源 法律 金融 商务 传媒 人文 社会""".split())


def _joins_inside_name(view: SentenceView, tok: Token, pos: int) -> bool:
    """与 between two fields of study, or 中 before a one-character country (中法航空大学)."""
    after = view.token_starting_at.get(pos)
    if tok.word in ("与", "和") and tok.end == pos and after is not None:
        before = view.token_ending_at.get(tok.start)
        return (before is not None and any(before.word.endswith(d) for d in _DISCIPLINES)
                and any(after.word.startswith(d) for d in _DISCIPLINES))
    if tok.word == "中" and tok.end == pos and after is not None:
        before = view.token_ending_at.get(tok.start)
        return len(after.word) == 1 and after.pos in ("j", "ns") and (
            before is None or before.word in _BOUNDARY_SET or not any(is_cjk(c) for c in before.word))
    return False


_OOV_PIECE_POS = frozenset({"d", "a", "ad", "an", "f", "q", "ag", "vg", "ng"})


def _stop_word(word: str, pos_tag: str, text: str, tok_start: int) -> bool:
    if word in _BOUNDARY_SET:
        return True
    if any(not _is_name_char(c) for c in word):
        return True
    if pos_tag == "m":
        # 第十三届 / 128号 belong to names; 7家 / 2个 / 2024年 do not
        return not (word.startswith("第") or re.fullmatch(r"\d+号?", word) and text[tok_start + len(word):tok_start + len(word) + 1] == "号")
    if word in _NAME_CHARS_EXTRA:
        return False
    if re.match(r"^[近约超逾]?[一二三四五六七八九十百千万几数多\d]+[名家个项所位批]", word):
        return True
    if len(word) == 1 and pos_tag in _OOV_PIECE_POS and is_cjk(word):
        return False  # LAC splits a name it does not know into single characters (极/弱/磁)
    if pos_tag in _STOP_POS and word not in _SUFFIX_LABEL and not is_region(word):
        return True
    if pos_tag in ("l", "i") and any(word.startswith(w) for w in _BOUNDARY_SET if len(w) >= 2):
        return True  # 积极参与: an idiom that opens with a boundary word
    if pos_tag in ("v", "vd", "vg", "vi") and word not in lexicon.NAME_VERBS and word not in _SUFFIX_LABEL and len(word) > 1:
        return True
    return False


def is_region(word: str) -> bool:
    return word in lexicon.regions()


_LONGEST_REGION = max(map(len, lexicon.regions()))


def strip_region_prefix(name: str) -> tuple[str, str]:
    """Split a leading administrative region off ``name`` (longest first).

    >>> strip_region_prefix("余杭区浙江优基尔新型材料科技有限公司")
    ('余杭区', '浙江优基尔新型材料科技有限公司')
    >>> strip_region_prefix("之江实验室")
    ('', '之江实验室')
    """
    regions = lexicon.regions()
    for length in range(min(_LONGEST_REGION, len(name) - 1), 0, -1):
        if name[:length] in regions:
            return name[:length], name[length:]
    return "", name


def distinctive_part(prefix: str) -> str:
    """What remains of a name prefix after regions and generic words are taken off.

    >>> distinctive_part("杭州市重点")
    ''
    >>> distinctive_part("之江")
    '之江'
    >>> distinctive_part("国家重大")
    ''
    """
    rest = clean_name(prefix)
    changed = True
    while rest and changed:
        changed = False
        if rest in _GENERIC_SET or is_region(rest):
            return ""
        # the longest region or generic word that begins ``rest``
        for n in _REGION_OR_GENERIC_LENGTHS:
            if n <= len(rest) and rest[:n] in _REGION_OR_GENERIC_SET:
                rest = rest[n:]
                changed = True
                break
        rest = rest.lstrip("()（）")
        if rest in _GENERIC_SET:
            return ""
        # the longest generic word that ends ``rest`` and is not all of it
        for n in _GENERIC_LENGTHS:
            if n < len(rest) and rest[-n:] in _GENERIC_SET:
                rest = rest[:-n]
                changed = True
                break
    return rest


_COUNTED = re.compile(r"[一二三四五六七八九十两几多数\d]+[大个家所项]?")


def is_generic(prefix: str, label: L | None = None) -> bool:
    """A suffix preceded only by generic words (国家实验室, 省实验室, 该中心) is not a name.

    A region alone is a name (杭州银行, 余杭区委); a region with level words only is a
    category (杭州市重点实验室); a region with content words is a name (纽约合作基金).
    A prefix holding a complete name is a name (浙江大学国际科创中心).

    >>> [is_generic(p) for p in ("国家", "杭州", "杭州市重点", "之江", "纽约合作", "浙江大学国际")]
    [True, False, True, False, False, False]
    """
    cleaned = clean_name(prefix)
    if not cleaned or _COUNTED.fullmatch(cleaned):
        return True
    if cleaned.endswith("重点") or re.search(r"第[一二三四五六七八九十\d]+[家个所]", cleaned):
        return True  # 教育部重点实验室, 余杭区第四家省实验室: a category, not a name
    if cleaned.startswith("环") and distinctive_part(cleaned[1:]) == "":
        return True  # 环大学…: surrounding something unnamed
    region, rest = strip_region_prefix(cleaned)
    if is_region(cleaned) or region and not rest:
        return False
    if _holds_a_name(cleaned):
        return False
    if distinctive_part(cleaned) != "":
        return False
    if region:
        # a company needs a brand: 波士顿科技公司 is a kind of company, 纽约合作基金 a fund's name
        return label is L.Company or _strip_words(rest, lexicon.MODIFIER_WORDS) == ""
    return True


def _same_kind_plus_generic(prefix: str, label: L) -> bool:
    """A prefix that is a complete name of the same label followed by generic words only.

    >>> _same_kind_plus_generic("杭州师范大学国家", L.University)
    True
    >>> _same_kind_plus_generic("浙江大学国际", L.Institute)
    False
    """
    cleaned = clean_name(prefix)
    for suffix, suffix_label in lexicon.SUFFIXES:
        index = cleaned.rfind(suffix)
        if suffix_label is label and index > 0:
            rest = cleaned[index + len(suffix):]
            if rest and _strip_words(rest, lexicon.MODIFIER_WORDS) == "" and not is_generic(cleaned[:index]):
                return True
    return False


def _holds_a_name(prefix: str) -> bool:
    for suffix in _SUFFIX_LABEL:
        index = prefix.find(suffix)
        if index > 0 and index + len(suffix) <= len(prefix):
            head = prefix[:index]
            if (is_region(head) or distinctive_part(head)) and not head.endswith("重点"):
                return True
    return False


def _strip_words(text: str, words: frozenset[str]) -> str:
    changed = True
    while text and changed:
        changed = False
        for word in sorted(words, key=len, reverse=True):
            if text.startswith(word):
                text = text[len(word):]
                changed = True
                break
    return text


# --- rules ---------------------------------------------------------------------------------

_POLICY_WORDS = (
    "方案", "意见", "措施", "办法", "规定", "条例", "法", "规划", "计划", "纲要", "指引", "指南", "通知", "决定",
    "政策", "细则", "战略", "大纲", "标准", "行动", "项目", "制度", "目录", "准则", "若干", "法案", "实施", "工程",
)
_NOT_POLICY = ("报告", "指数", "年鉴", "白皮书", "蓝皮书", "榜单", "排行", "统计", "评价", "监测", "报", "杂志", "科技》", "评估")


def rule_policy_titles(view: SentenceView) -> list[Candidate]:
    """《…》 titles of policy documents (not reports, indices, journals)."""
    out = []
    for match in re.finditer(r"《([^《》]{2,80})》", view.text):
        title = match.group(1)
        core = re.sub(r"[(（][^()（）]*[)）]$", "", title.strip())
        if any(word in title for word in _NOT_POLICY) and not any(core.endswith(w) for w in ("方案", "意见", "措施", "办法", "条例", "规划", "计划")):
            view.dropped["excluded"] += 1
            continue
        if not any(word in core for word in _POLICY_WORDS):
            view.dropped["excluded"] += 1
            continue
        name = "《" + clean_name(title) + "》"
        out.append(Candidate(match.start(), match.end(), L.Policy, name, "policy-title", aliases=(clean_name(title),)))
    return out


_PROGRAMME_SUFFIX = r"(?:人才扶持政策|产业扶持政策|扶持政策|政策|计划|制度|战略|行动|工程|专项|法案|条)"


def rule_quoted_programmes(view: SentenceView) -> list[Candidate]:
    """Quoted programme names: “众创空间”计划, 科技企业“双倍增”行动, “黄金68条”, “创新策源工程”."""
    out = []
    text = view.text
    for match in re.finditer(r"“([^“”]{2,16})”(" + _PROGRAMME_SUFFIX + r")?", text):
        inner, tail = match.group(1), match.group(2) or ""
        if not all(_is_name_char(c) or c == " " for c in inner):
            continue
        if tail:
            if tail in ("人才扶持政策", "产业扶持政策", "扶持政策", "政策"):
                name, start = clean_name(inner), match.start()
                end = match.end()
                out.append(Candidate(start, end, L.Policy, name, "quoted-programme",
                                     aliases=(clean_name(inner + tail), text[start:end])))
                continue
            start = left_edge(view, match.start())
            # a lead-in outside the quotes belongs to the name only if it is short and name-like
            lead = text[start:match.start()]
            if len(lead) > 4 or "的" in lead:
                start = match.start()
            name = clean_name(text[start:match.start()] + inner + tail)
            if tail == "条":
                continue
            out.append(Candidate(start, match.end(), L.Policy, name, "quoted-programme",
                                 aliases=(text[start:match.end()],)))
        elif re.search(r"(工程|计划|行动|战略|条|制度|法案)$", inner) or _followed_by_programme_list(text, match.end()):
            out.append(Candidate(match.start(), match.end(), L.Policy, clean_name(inner), "quoted-programme"))
    return out


def _followed_by_programme_list(text: str, end: int) -> bool:
    """“A”“B”“C”实习三大计划: quoted items directly followed by more quoted items or a plan word."""
    rest = text[end:end + 16]
    return bool(re.match(r"(“[^“”]{2,16}”)+[^，,。；“”]{0,4}(三大|两大|四大|五大)?(计划|工程|行动|制度)", rest)
                or re.match(r"[^，,。；“”]{0,2}(三大|两大|四大|五大)(计划|工程|行动|制度)", rest)
                or text[max(0, end - 40):end].count("”“") and re.match(r"[^，,。；“”]{0,4}(三大|两大|四大|五大)?(计划|工程|行动)", rest))


def rule_quoted_names(view: SentenceView) -> list[Candidate]:
    """“128号公路”创新廊道, 西湖大学成果转化基地“云创稼谷”: a quoted name with its kind beside it."""
    out = []
    text = view.text
    for match in re.finditer(r"“([^“”]{2,16})”", text):
        inner = match.group(1)
        if not all(_is_name_char(c) or c == " " for c in inner) or not _has_noun(inner):
            continue  # “激励扶持”高新区: a slogan of verbs is no name
        after = text[match.end():match.end() + 6]
        suffix = next((s for s in sorted(_SUFFIX_LABEL, key=len, reverse=True) if after.startswith(s)), None)
        if suffix and _SUFFIX_LABEL[suffix] in (L.Ecosystem, L.Platform):
            out.append(Candidate(match.start(), match.end() + len(suffix), _SUFFIX_LABEL[suffix], clean_name(inner),
                                 "quoted-name", aliases=(clean_name(inner + suffix),)))
        own = longest_suffix(inner) or None
        if own and _SUFFIX_LABEL[own] in (L.Ecosystem, L.Platform) and not is_generic(inner[: -len(own)]):
            out.append(Candidate(match.start() + 1, match.end() - 1, _SUFFIX_LABEL[own], clean_name(inner), "quoted-name"))
    return out


def _has_noun(text: str) -> bool:
    return any(t.pos[:1] in ("n", "m", "j") or t.pos == "eng" for t in tokenize(text))


def rule_suffix_names(view: SentenceView) -> list[Candidate]:
    """Distinctive part + type suffix, the left edge found by :func:`left_edge`."""
    out = []
    text = view.text
    for start, end, suffix in _suffix_matches(text):
        following = text[end:end + 2]
        if any(following.startswith(c) for c in _SUFFIX_CONTINUATIONS.get(suffix, ())):
            continue
        if _ends_boundary_word(text, start, end):
            continue  # …管委会主办, …工作局承办: the suffix 办 is the end of a verb, not of a name
        if end < len(text) and end not in view.boundaries and following[:1] and is_cjk(following[0]):
            tok = view.token_at(end - 1)
            # the suffix is the head of a longer word (大会堂, 政府性): not a name end
            if tok and tok.end > end and tok.word not in _SUFFIX_LABEL and not any(tok.word.endswith(s) for s in _SUFFIX_LABEL):
                rest_of_token = tok.word[end - tok.start:]
                if not (tok.pos.startswith("n") and len(tok.word) <= 3 and tok.start >= start) and rest_of_token not in _ROLES:
                    continue
        label = _SUFFIX_LABEL[suffix]
        left = left_edge(view, start)
        left = _cut_after_cue(view, left, start)
        left = _trim_leading_verbs(view, left, start)
        left = _after_listed_agency(text, left, start)
        surround = re.match(r"^(.{0,6}?[区市县](?:\(新\))?)?区?环", text[left:start])
        if surround and label is not L.Ecosystem:
            left += surround.end()  # 余杭区环之江实验室: the lab is 之江实验室
        end = _extend_parenthetical(text, end)
        prefix = text[left:start]
        abbreviated = re.match(r"[(（][A-Z]{2,6}[)）]", text[end:])  # 技术许可办公室(TLO)
        if label is L.Agency and clean_name(prefix) in ("", "市", "省", "区", "县") and suffix not in ("政府", "委员会"):
            if clean_name(prefix) or suffix in ("市委", "省委", "区委", "县委"):
                # 市科技局, 市委, 省政府: a short form, expanded to the article's region later
                out.append(Candidate(left, end, label, clean_name(text[left:end]), "short-agency", suffix=suffix))
                continue
        if is_generic(prefix, label) and not abbreviated and not (suffix in ("硅谷", "硅巷") and not prefix):
            view.dropped["generic"] += 1
            continue
        if _same_kind_plus_generic(prefix, label):
            view.dropped["generic"] += 1
            continue  # 杭州师范大学国家大学(科技园): a name and generic words, not a second name
        if suffix in _GOVERNMENT and not _names_a_place(clean_name(prefix)):
            view.dropped["generic"] += 1
            continue  # 规定政府, 所在区政府: a government is named by its place
        surface = text[left:end]
        if len(clean_name(surface)) > _MAX_NAME:
            view.dropped["too_long"] += 1
            continue
        out.append(Candidate(left, end, label, clean_name(surface), "suffix", suffix=suffix))
    return out + [replace(c, label=alt) for c in out for alt in lexicon.ALTERNATIVE_LABELS.get(c.suffix, ())]


_CUT_WORDS = tuple(w for w in lexicon.BOUNDARY_WORDS if len(w) >= 2 and w not in lexicon.NAME_VERBS)


def _cut_after_cue(view: SentenceView, left: int, start: int) -> int:
    """惯性测量大科学装置孵化出杭州零磁…: a cue verb that jieba split into tokens still ends a name."""
    span = view.text[left:start]
    best = left
    for word in _CUT_WORDS:
        index = span.rfind(word)
        if index >= 0 and left + index + len(word) in view.boundaries:
            best = max(best, left + index + len(word))
    return _cut_glued_function_word(view, best, start)


# One-character prepositions and conjunctions that LAC glues to the name after them (以之江实验室,
# 浙江大学与之江实验室): they end a name unless a place name starts with them (以色列).
_GLUED_FUNCTION_WORDS = lexicon.GLUED_FUNCTION_WORDS


def _cut_glued_function_word(view: SentenceView, left: int, start: int) -> int:
    text = view.text
    for position in range(start - 2, left - 1, -1):
        if text[position] not in _GLUED_FUNCTION_WORDS or strip_region_prefix(text[position:start])[0]:
            continue
        before = clean_name(text[left:position])
        if position in view.boundaries and (position == left or _label_by_suffix(before) or is_region(before)):
            return position + 1
        if position not in view.boundaries and before and _label_by_suffix(before) is not None:
            return position + 1  # 浙江大学与之江: a complete name, then the next one
    return left


def _trim_leading_verbs(view: SentenceView, left: int, start: int) -> int:
    """委托之江实验室, 充分发挥大学科技园: a verb or idiom opening the span introduces the name."""
    while left < start:
        tok = view.token_starting_at.get(left)
        if tok is None or tok.end > start:
            break
        if tok.pos in ("v", "vd", "l", "i", "ad", "d") and len(tok.word) > 1 and tok.word not in lexicon.NAME_VERBS \
                and not is_region(tok.word):
            left = tok.end
            continue
        break
    return left


_GOVERNMENT = ("政府", "人民政府")


def _extend_parenthetical(text: str, end: int) -> int:
    """杭州创新孵化中心(香港): a region in brackets right after a name is part of it."""
    match = re.match(r"[(（]([^()（）]{1,6})[)）]", text[end:])
    if match and is_region(match.group(1)):
        return end + match.end()
    return end


_LIST_CATEGORY: tuple[tuple[str, L, str], ...] = (
    # category word after 等 -> (label, suffix to add to each item when it lacks one)
    ("省实验室", L.Lab, "实验室"), ("实验室", L.Lab, "实验室"), ("大科学装置", L.Facility, "大科学装置"),
    ("科学装置", L.Facility, "大科学装置"), ("大装置", L.Facility, "大科学装置"),
    ("药企", L.Company, ""), ("企业", L.Company, ""), ("公司", L.Company, ""), ("巨头", L.Company, ""),
    ("律所", L.Company, ""), ("律师事务所", L.Company, ""), ("机构", L.Company, ""), ("单位", L.Company, ""),
    ("高校", L.University, ""), ("大学", L.University, ""), ("加速器", L.Platform, ""), ("孵化器", L.Platform, ""),
)


def rule_coordinated_lists(view: SentenceView) -> list[Candidate]:
    """A、B、C等(N家)…企业 / 之江、良渚等实验室: every item is an entity of the category's label."""
    out = []
    text = view.text
    for match in re.finditer(r"等(?:在内的)?([^，,。；;、“”《》()（）]{0,12})", text):
        tail = match.group(1)
        category = next(((word, label, add) for word, label, add in _LIST_CATEGORY if word in tail), None)
        if category is None:
            continue
        word, label, add = category
        if tail.index(word) > 10:
            continue
        items = _list_items(view, match.start())
        if len(items) < 2 and label is not L.Company:
            continue
        for start, end in items:
            name = _strip_generic_lead(clean_name(text[start:end]))
            if not name or len(name) > 12 or name.endswith(("医院", "学校", "中学")):
                continue
            if any(suffix in name for suffix in _SUFFIX_LABEL) or is_region(name) or name in _GENERIC_SET:
                continue  # the suffix rule names it, or it is not an organisation
            if label is L.Company and not _looks_like_brand(view, start, end):
                continue
            if add and not name.endswith(add):
                out.append(Candidate(start, end, label, name + add, "list", aliases=(name,)))
            else:
                out.append(Candidate(start, end, label, name, "list"))
    return out


def _looks_like_brand(view: SentenceView, start: int, end: int) -> bool:
    """A list item read as a company: one or two name-like tokens, not a description."""
    tokens = [t for t in view.tokens if start <= t.start < end and not t.word.isspace()]
    if not tokens or len(tokens) > 3:
        return False
    if tokens[0].word in _GENERIC_SET or any(t.word in lexicon.CATEGORY_WORDS for t in tokens):
        return False  # 辉瑞生物 and 卓健科技 are brands, 医疗 and 产学研医 are not
    return all(t.pos in ("nr", "nz", "ns", "nt", "n", "eng", "j", "nrt", "nrfg", "x", "m", "ng", "b", "a") for t in tokens)


def _strip_generic_lead(name: str) -> str:
    for word in ("国家", "包括", "其中包括", "如"):
        if name.startswith(word) and len(name) > len(word) + 1:
            return name[len(word):]
    return name


def _list_items(view: SentenceView, end: int) -> list[tuple[int, int]]:
    """The 、-separated items that end at ``end``, each trimmed on the left like a name."""
    text = view.text
    items = []
    pos = end
    while pos > 0:
        bracket = re.search(r"[(（][A-Za-z][A-Za-z .&-]{0,30}[)）]$", text[:pos])
        if bracket:  # 威尔逊(WSGR): the bracket is an alias, not part of the item
            pos = bracket.start()
        start = left_edge(view, pos)
        if start >= pos:
            break
        items.append((start, pos))
        if start > 0 and text[start - 1] == "、":
            pos = start - 1
            while pos > 0 and text[pos - 1].isspace():
                pos -= 1
            continue
        break
    return items


def rule_shared_suffix(view: SentenceView, found: list[Candidate]) -> list[Candidate]:
    """西湖区环紫金港、滨江区环大科学装置、…创新生态圈: earlier items share the last one's suffix."""
    out = []
    text = view.text
    for cand in found:
        if cand.rule != "suffix" or cand.start == 0 or text[cand.start - 1] != "、":
            continue
        if cand.label in (L.Company, L.Fund, L.Policy):
            continue  # names of these kinds are not coordinated over a shared suffix
        prefix_of_last = text[cand.start:cand.end - len(cand.suffix)]
        if not prefix_of_last or len(prefix_of_last) > 12:
            continue
        for start, end in _list_items(view, cand.start - 1):
            item = clean_name(text[start:end])
            # an item with a suffix of its own is a complete name, not a shared-suffix part
            if len(item) > 12 or any(item.endswith(s) for s in _SUFFIX_LABEL) or _ROLE_RE.search(item):
                break
            if not _same_shape(item, prefix_of_last) or is_generic(item):
                break
            out.append(Candidate(start, end, cand.label, item + cand.suffix, "shared-suffix", suffix=cand.suffix))
    return out


def _same_shape(item: str, prefix: str) -> bool:
    """Coordinated items are built alike: both start with a region, both with 环, or neither."""
    item_region, item_rest = strip_region_prefix(item)
    prefix_region, prefix_rest = strip_region_prefix(prefix)
    if bool(item_region) != bool(prefix_region):
        return False
    return item_rest.startswith("环") == prefix_rest.lstrip("(新)").startswith("环")


_LATIN_AFTER = re.compile(
    r"(加速器|孵化器|平台|基金|公司|企业|银行|律所|机构|资本)([A-Z][A-Za-z0-9&.\-]{1,30}(?: [A-Z][A-Za-z0-9&.\-]+){0,3})"
)
_LATIN_LABEL = {"加速器": L.Platform, "孵化器": L.Platform, "平台": L.Platform, "基金": L.Fund, "公司": L.Company,
                "企业": L.Company, "银行": L.Company, "律所": L.Company, "机构": L.Company, "资本": L.Company}


def rule_latin_names(view: SentenceView) -> list[Candidate]:
    """创业加速器Masschallenge, 硬件加速器Bolt: a Latin name right after the word for its kind."""
    return [Candidate(m.start(2), m.end(2), _LATIN_LABEL[m.group(1)], m.group(2), "latin")
            for m in _LATIN_AFTER.finditer(view.text)]


def rule_known_names(view: SentenceView) -> list[Candidate]:
    """Well-known names without a suffix (documented vocabulary) and their aliases."""
    out = []
    text = view.text
    for name, (label, aliases) in lexicon.known_orgs().items():
        for surface in (name, *aliases):
            for match in re.finditer(re.escape(surface), text):
                s, e = match.span()
                if surface.isascii():
                    if (s and text[s - 1].isascii() and text[s - 1].isalnum()) or (e < len(text) and text[e].isascii() and text[e].isalpha()):
                        continue
                elif surface.endswith("部") and text[e:e + 1] in ("门", "署"):
                    continue  # 财政部门, 商务部署: the name is the head of a longer word
                out.append(Candidate(s, e, label, name, "known", aliases=(surface,) if surface != name else ()))
    return out


_ROLES = frozenset(lexicon.DEPUTY_ROLES + lexicon.HEAD_ROLES)
_ROLE_RE = re.compile(
    "(" + "|".join(sorted(map(re.escape, lexicon.DEPUTY_ROLES + lexicon.HEAD_ROLES), key=len, reverse=True)) + ")"
)
_AFTER_NAME = re.compile(r"^(?:[,，、。;；:：()（）“”]|表示|指出|强调|提出|说|在|向|代表|出席|致辞|介绍|认为|以及|和|与|等|发表|主持|作|带队|一行|率队|$)")


def rule_person_after_role(view: SentenceView) -> list[Candidate]:
    """市科技局局长楼秀华, 市长姚高员: a 2–3 character name right after a role title."""
    out = []
    text = view.text
    for match in _ROLE_RE.finditer(text):
        start = match.end()
        for length in (3, 2):
            name = text[start:start + length]
            if len(name) < length or not all(is_cjk(c) for c in name) or name[0] not in lexicon.COMMON_SURNAMES:
                continue
            if _AFTER_NAME.match(text[start + length:]):
                if any(name.endswith(s) for s in _SUFFIX_LABEL) or name in _BOUNDARY_SET:
                    continue
                out.append(Candidate(start, start + length, L.Person, name, "person-role"))
                break
    return out


# Words in front of a title that jieba may tag as personal names (卓越工程师, 优秀科学家).
_NOT_NAMES = frozenset("卓越 优秀 青年 资深 首席 高级 知名 著名 杰出 全职 兼职 特聘 客座 荣誉 外籍 海外 顶尖".split())
_BEFORE_NAME = re.compile(r"(^|[,，、。;；:：()（）“”\s]|和|与|及|由|的)$")
_ORG_END = tuple(s for s, label in lexicon.SUFFIXES if label not in (L.Event, L.Policy))


def rule_person_before_role(view: SentenceView) -> list[Candidate]:
    """浙江大学张伟教授, 房建成院士: a 2–3 character name right before a title."""
    out = []
    text = view.text
    for match in _ROLE_RE.finditer(text):
        end = match.start()
        for length in (3, 2):
            start = end - length
            name = text[start:end]
            if start < 0 or not all(is_cjk(c) for c in name) or name[0] not in lexicon.COMMON_SURNAMES:
                continue
            before = text[:start]
            if not (_BEFORE_NAME.search(before) or before.endswith(_ORG_END) or before.endswith(tuple(_ROLES))):
                continue
            if any(name.endswith(s) for s in _SUFFIX_LABEL) or name in _BOUNDARY_SET or name in _GENERIC_SET \
                    or name in _NOT_NAMES:
                continue
            tok = view.token_at(start)
            if tok is not None and tok.start < start and tok.pos != "nr":
                continue  # the name would start inside another word
            words = [t for t in view.tokens if start <= t.start < end]
            if any(len(t.word) > 1 and not t.pos.startswith("nr") for t in words) or any(t.end > end for t in words):
                continue  # 党委书记, 高级工程师: a word, not a name, before the title
            out.append(Candidate(start, end, L.Person, name, "person-role"))
            break
    return out


def rule_regions(view: SentenceView) -> list[Candidate]:
    """Gazetteer regions that stand on their own (not inside a word jieba keeps whole)."""
    out = []
    text = view.text
    regions = lexicon.regions()
    for tok in view.tokens:
        word = tok.word
        if word in regions or (tok.pos == "ns" and 3 <= len(word) <= 5 and word[-1] in "省市区县州"
                               and not any(word.endswith(s) for s in _SUFFIX_LABEL)):
            # the gazetteer, or a place name jieba knows with an administrative suffix (北仑区)
            out.append(Candidate(tok.start, tok.end, L.Region, word, "region"))
            continue
        # jieba sometimes glues a region to the next word (杭州开幕): accept a region prefix
        for length in (4, 3, 2):
            head = word[:length]
            if len(word) > length and head in regions and (tok.pos in ("ns", "n", "nz", "nt", "v", "vn") or head[-1] in "区市省县"):
                out.append(Candidate(tok.start, tok.start + length, L.Region, head, "region"))
                break
    # jieba splits some district names (钱塘/区): join adjacent tokens that form a region
    for first, second in zip(view.tokens, view.tokens[1:]):
        joined = first.word + second.word
        if joined in regions and len(joined) >= 3:
            out.append(Candidate(first.start, second.end, L.Region, joined, "region"))
    # 在杭 / 来杭 cue: Hangzhou without the full name is not a mention (single characters are no aliases)
    return [c for c in out if not text[c.end:c.end + 1] in ("大", "师")]


def _label_by_suffix(name: str) -> L | None:
    suffix = longest_suffix(name)
    return _SUFFIX_LABEL[suffix] if suffix else None


def rule_lac_names(view: SentenceView) -> list[Candidate]:
    """Names LAC's statistical tagger marks as PER, ORG or LOC, trimmed of words LAC glues on."""
    out = []
    for tok in view.tokens:
        start, end = _trim_glued(view.text, tok.start, tok.end, tok.pos)
        name = clean_name(view.text[start:end])
        if len(name) < 2:
            continue
        if tok.pos == "nr" and 2 <= len(name) <= 4 and all(is_cjk(c) for c in name):
            out.append(Candidate(start, end, L.Person, name, "lac-per"))
        elif tok.pos == "nt":
            label = _label_by_suffix(name)
            if label is None:
                # no type suffix: a brand used as a company (宇树科技, 寒武纪), if nothing inside names a kind
                if len(name) > 6 or any(suffix in name for suffix in _SUFFIX_LABEL if len(suffix) >= 2):
                    continue
                label = L.Company
            out.append(Candidate(start, end, label, name, "lac-org"))
        elif tok.pos == "ns":
            label = _label_by_suffix(name)
            if label is None and not is_region(name):
                label = L.Region if name[-1] in "省市区县州国" else L.Ecosystem
            elif label is None:
                continue  # the gazetteer rule names it
            out.append(Candidate(start, end, label, name, "lac-loc"))
    return out


_GLUED_AFTER = tuple(sorted({*lexicon.BOUNDARY_WORDS, *lexicon.GLUED_SPEECH_WORDS}, key=len, reverse=True))
_LATIN_BRACKET = re.compile(r"[(（][A-Za-z][A-Za-z0-9 .&-]*[)）]$")


def _trim_glued(text: str, start: int, end: int, pos: str) -> tuple[int, int]:
    """武汉…管委会主办, 徐辉说, 参建方中航建设集团, 科律(Cooley): LAC's word holds more than the name."""
    if pos not in ("nr", "nt", "ns"):
        return start, end
    word = text[start:end]
    bracket = _LATIN_BRACKET.search(word)
    if bracket and bracket.start() >= 2:
        end = start + bracket.start()
    for glued in _GLUED_AFTER:
        if text[start:end].endswith(glued) and end - start - len(glued) >= 2:
            head = text[start:end - len(glued)]
            if pos == "nr" or _label_by_suffix(clean_name(head)) is not None:
                end -= len(glued)
                break
    for glued in lexicon.CATEGORY_WORDS + lexicon.GLUED_LEAD_WORDS:
        if text[start:end].startswith(glued) and end - start - len(glued) >= 2 and pos != "nr":
            start += len(glued)
            break
    return start, end


# 2025年东海实验室, 2020年9月24日临港新片区: a date before a name dates the sentence, not the name.
# Events and policies keep theirs (2025年广州市高质量发展大会, 2021年度…资助).
_LEADING_DATE = re.compile(r"^(\d{2,4}年(度|底|初)?(\d{1,2}月)?(\d{1,2}日)?|\d{1,2}月(\d{1,2}日)?)")
_DATED_LABELS = frozenset({L.Event, L.Policy})


def _without_leading_date(cand: Candidate, text: str) -> Candidate | None:
    """The candidate without a date written in front of it; None when nothing of a name is left.

    >>> _without_leading_date(Candidate(0, 10, L.Lab, "2025年东海实验室", "suffix"), "2025年东海实验室").name
    '东海实验室'
    """
    match = _LEADING_DATE.match(cand.name)
    if match is None or cand.label in _DATED_LABELS or not text[cand.start:cand.end].startswith(match.group()):
        return cand
    start = cand.start + match.end()
    name = clean_name(text[start:cand.end])
    return replace(cand, start=start, name=name) if len(name) >= 2 else None


def _listed_agencies_apart(cand: Candidate, text: str) -> list[Candidate]:
    """江西省发展和改革委员会江西省科学技术厅 -> the two agencies, whatever source read them as one.

    >>> [c.name for c in _listed_agencies_apart(Candidate(0, 19, L.Agency, "江西省发展和改革委员会江西省科学技术厅", "lac-org"),
    ...                                          "江西省发展和改革委员会江西省科学技术厅")]
    ['江西省发展和改革委员会', '江西省科学技术厅']
    """
    if cand.label is L.Person:
        return [cand]
    start = _after_listed_agency(text, cand.start, cand.end - 1)
    if start <= cand.start:
        return [cand]
    first, second = clean_name(text[cand.start:start]), clean_name(text[start:cand.end])
    if len(first) < 3 or len(second) < 3:
        return [cand]
    return [replace(cand, end=start, label=L.Agency, name=first, aliases=()), replace(cand, start=start, name=second, aliases=())]


def _without_glued_verb(cand: Candidate, view: SentenceView) -> Candidate | None:
    """投资星澜光电 -> 星澜光电: a verb (alone or glued onto the first characters) opens no name, whatever the source."""
    tok = view.token_starting_at.get(cand.start)
    if tok is None or not tok.pos.startswith("v") or cand.label is L.Person:
        return cand
    verb = next((v for v in lexicon.GLUED_VERBS if tok.word.startswith(v)), None)
    if verb is None:
        return cand
    start = cand.start + len(verb)
    name = clean_name(view.text[start:cand.end])
    return replace(cand, start=start, name=name) if len(name) >= 2 else None


# Candidate sources switched off in this context (the ablation measures what each one adds).
DISABLED_SOURCES: ContextVar[frozenset[str]] = ContextVar("innograph_disabled_sources", default=frozenset())


_ORG_LABELS = frozenset({L.University, L.Lab, L.Institute, L.Facility, L.Ecosystem, L.Company, L.Platform, L.Fund, L.Agency})
_LIST_JOINERS = re.compile(r"(?<=[\u4e00-\u9fff\w)）])(?:和|及|与|以及)(?=[\u4e00-\u9fff\w“(（])")
_NAME_ITEM = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·&()（）.\- ]{2,14}")


def rule_coordination(view: SentenceView, found: list[Candidate]) -> list[Candidate]:
    """歌尔微电子、能链集团、卡奥斯和特来电: items coordinated with a name of a kind are names of that kind.

    A 、-list (its last item may be joined with 和/及/与) in which some items are candidates of an
    organisation label offers every other name-like item with that label.
    """
    text = view.text
    by_span: dict[tuple[int, int], L] = {(c.start, c.end): c.label for c in found if c.label in _ORG_LABELS}
    out: list[Candidate] = []
    for clause in re.finditer(r"[^，,。；;：:！？!?]+", text):
        if "、" not in clause.group():
            continue
        items: list[tuple[int, int]] = []
        pos = clause.start()
        for piece in re.split(r"(、)", clause.group()):
            if piece and piece != "、":
                items += _split_joined(piece, pos)
            pos += len(piece)
        if len(items) < 3:
            continue
        items = [_trim_item(view, start, end, first=i == 0, last=i == len(items) - 1) for i, (start, end) in enumerate(items)]
        labels = Counter(by_span[item] for item in items if item in by_span)
        if not labels or sum(labels.values()) < 1:
            continue
        label, votes = labels.most_common(1)[0]
        for start, end in items:
            name = clean_name(text[start:end])
            if (start, end) in by_span or not _NAME_ITEM.fullmatch(name) or is_region(name) or name in _GENERIC_SET:
                continue
            if any(c.start <= start and end <= c.end and c.label in _ORG_LABELS for c in found):
                continue  # inside a longer name already offered
            out.append(Candidate(start, end, label, name, "coordination"))
    return out


def _split_joined(piece: str, offset: int) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in _LIST_JOINERS.finditer(piece):
        bounds.append((offset + start, offset + match.start()))
        start = match.end()
    bounds.append((offset + start, offset + len(piece)))
    return [(a, b) for a, b in bounds if b > a]


def _trim_item(view: SentenceView, start: int, end: int, *, first: bool, last: bool) -> tuple[int, int]:
    """The first item starts where a name can start; the last ends before the words after it."""
    text = view.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if first:
        start = max(start, left_edge(view, end))
    if last:
        stop = start
        for tok in view.tokens:
            if tok.start < start or tok.start >= end:
                continue
            if tok.start > start and (tok.pos in _STOP_POS or tok.pos.startswith("v") or tok.word in _BOUNDARY_SET or tok.word == "等"):
                break
            stop = tok.end
        end = min(end, stop) if stop > start else end
    return start, end


def find_candidates(text: str, dropped: Counter | None = None, keep_features: bool = False) -> list[Candidate]:
    """All candidates of one sentence, overlapping; :mod:`innograph.extract.resolve` chooses.

    What the rules looked at and rejected is added to ``dropped`` (reason -> count).
    """
    view = SentenceView(text)
    found = rule_suffix_names(view)
    found += rule_shared_suffix(view, found)
    found += rule_policy_titles(view)
    found += rule_quoted_programmes(view)
    found += rule_quoted_names(view)
    found += rule_coordinated_lists(view)
    found += rule_known_names(view)
    found += rule_latin_names(view)
    found += rule_person_after_role(view)
    found += rule_person_before_role(view)
    found += rule_regions(view)
    if "lac" not in DISABLED_SOURCES.get():
        found += rule_lac_names(view)
    found += rule_coordination(view, found)
    crf_spans: set[tuple[int, int, L]] = set()
    name_tagger = tagger.active_tagger()
    if name_tagger is not None:
        crf_spans = set(name_tagger.spans(tagger.sentence_features(text, view.tokens, found)))
        found += [Candidate(start, end, label, clean_name(text[start:end]), "crf") for start, end, label in sorted(crf_spans)
                  if clean_name(text[start:end])]
    found = [c for c in found if c.rule not in _STATISTICAL or not _generic_statistical(c, view)]
    found = [c for c in (_without_leading_date(c, text) for c in found) if c is not None]
    found = [c for c in (_without_glued_verb(c, view) for c in found) if c is not None]
    found = [part for c in found for part in _listed_agencies_apart(c, text) if not _ends_in_boundary_word(part.name)]
    if dropped is not None:
        dropped.update(view.dropped)
    model = scorer.active_model()
    if model is None and not keep_features:
        return found
    agreeing = Counter((c.start, c.end, c.label) for c in found)
    scored = []
    for cand in found:
        features = candidate_features(view, cand, agreeing, crf_spans if name_tagger is not None else None)
        if keep_features:
            scored.append(replace(cand, features=tuple(features)))
            continue
        probability = 1.0 if cand.rule in UNSCORED else model.probability(features)
        if probability >= model.threshold:
            scored.append(replace(cand, score=probability))
        elif dropped is not None:
            dropped["low_score"] += 1
    return _one_per_reading(scored) if not keep_features else scored


# Statistical sources say where a name is; a structural rule that read the same span also knows
# what it is made of (a region in front, a parent inside, a shared suffix), so its reading is kept.
_STATISTICAL = frozenset({"crf", "lac-org", "lac-loc", "lac-per", "coordination"})


def _generic_statistical(cand: Candidate, view: SentenceView) -> bool:
    """The rule that a suffix after generic words only is no name (国家科学中心) binds every source.

    Government bodies are the exception: their names are made of generic words (国家知识产权局)."""
    if cand.label in (L.Person, L.Region, L.Policy, L.Event, L.Agency):
        return False
    suffix = longest_suffix(cand.name)
    if not suffix or suffix == cand.name or not is_generic(cand.name[: -len(suffix)], cand.label):
        return False
    view.dropped["generic"] += 1
    return True


def _one_per_reading(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per (start, end, label): a rule's reading with the best score any source got."""
    best: dict[tuple[int, int, L], Candidate] = {}
    for cand in candidates:
        key = (cand.start, cand.end, cand.label)
        kept = best.get(key)
        if kept is None:
            best[key] = cand
            continue
        score = max(kept.score, cand.score)
        prefer_new = kept.rule in _STATISTICAL and cand.rule not in _STATISTICAL
        best[key] = replace(cand if prefer_new else kept, score=score)
    return list(best.values())


# Sources whose candidates later stages rewrite (a short agency form is expanded to the article's
# city): what they produce is not the final name, so the model cannot judge them.
UNSCORED = frozenset({"short-agency"})


def _neighbour(ch: str) -> str:
    """A neighbouring character as a feature: its kind, or itself when it is punctuation (、 《 “)."""
    kind = char_class(ch)
    return ch if kind == "P" else kind


def candidate_features(view: SentenceView, cand: Candidate, agreeing: Counter,
                       crf_spans: set[tuple[int, int, L]] | None = None) -> list[str]:
    """Indicator features of one candidate (see :mod:`innograph.extract.scorer`)."""
    text = view.text
    name = cand.name
    label = cand.label.value
    covered = [t for t in view.tokens if t.start < cand.end and cand.start < t.end]
    exact = view.token_starting_at.get(cand.start)
    features = [
        f"rule={cand.rule}", f"label={label}", f"rule+label={cand.rule}+{label}",
        f"end1={name[-1:]}+{label}",
        f"len={min(len(name), 12)}", f"tokens={min(len(covered), 6)}",
        f"before={_neighbour(text[cand.start - 1:cand.start])}", f"after={_neighbour(text[cand.end:cand.end + 1])}",
        f"agree={min(agreeing[(cand.start, cand.end, cand.label)], 3)}+{cand.rule}",
    ]
    # the ends of a name, never the whole of it: the model learns how names are built, not which
    # names it has seen (a feature that spells a whole name would be a list copied from the data)
    if len(name) >= 4:
        features.append(f"end2={name[-2:]}+{label}")
    if len(name) >= 6:
        features.append(f"end3={name[-3:]}+{label}")
    if len(name) >= 3:
        features.append(f"start1={name[:1]}")
    if exact is not None and exact.end == cand.end:
        features.append(f"lac-exact={exact.pos}+{label}")
    else:
        features.append(f"lac-first={covered[0].pos if covered else '-'}+{label}")
        if covered and (covered[0].start < cand.start or covered[-1].end > cand.end):
            features.append("crosses-token")
    previous = view.token_ending_at.get(cand.start)
    if previous is not None:
        features.append(f"prev-pos={previous.pos}")
        if previous.word in _BOUNDARY_SET or len(previous.word) == 1:
            features.append(f"prev-word={previous.word}")
    following = view.token_starting_at.get(cand.end)
    if following is not None:
        features.append(f"next-pos={following.pos}")
        if following.word in _BOUNDARY_SET or len(following.word) == 1:
            features.append(f"next-word={following.word}")
    # an item of a list (A、B、C) or a quoted name reads like its neighbours
    if text[cand.start - 1:cand.start] == "、" or text[cand.end:cand.end + 1] == "、":
        features.append(f"listed+{label}+{cand.rule}")
    if cand.start > 0 and cand.end < len(text) and text[cand.start - 1] in "“「\"" and text[cand.end] in "”」\"":
        features.append(f"quoted+{label}")
    region, rest = strip_region_prefix(name)
    if region:
        features.append(f"region-prefix+{label}")
    if is_region(name):
        features.append(f"is-region+{label}")
    if any(c.isdigit() for c in name):
        features.append("has-digit")
    if any(c.isascii() and c.isalpha() for c in name):
        features.append("has-latin")
    if crf_spans is not None and cand.rule != "crf":
        if (cand.start, cand.end, cand.label) in crf_spans:
            features.append(f"crf-agrees+{cand.rule}")
        elif any((cand.start, cand.end) == (s, e) for s, e, _ in crf_spans):
            features.append("crf-other-label")
        elif any(s < cand.end and cand.start < e for s, e, _ in crf_spans):
            features.append(f"crf-overlaps+{cand.rule}")
        else:
            features.append(f"crf-silent+{cand.rule}")
    if cand.label is L.Person:
        # 卡奥斯, 秦创原: LAC reads brands as people; a Chinese name opens with a surname
        surname = name[:2] in lexicon.COMMON_SURNAMES or name[:1] in lexicon.COMMON_SURNAMES
        features.append(f"surname={surname}+len={min(len(name), 5)}")
    longest = longest_suffix(name, shorter_than_name=True)
    if longest:
        # the type suffix and whether it is the label's own or an alternative reading
        features.append(f"suffix={longest}+{label}")
        features.append(f"suffix-owner={_SUFFIX_LABEL[longest] is cand.label}+{label}")
    return features
