"""Relationship extraction: structural relations from names, textual ones from cue patterns.

Structural: PART_OF (a parent name inside a longer name), ANCHORED_BY (环X创新生态圈),
LOCATED_IN (a district prefix of an ecosystem name, a region written in front of a name).
Textual cues are matched over sentences (see :func:`textual_relations`): the cues of one plain
shape are data (``resources/relation_cues.toml``, run by :mod:`innograph.extract.cues`), the
rest is code here. Every relation is checked against the ontology's signatures; what fails is
counted, not kept.
"""
from __future__ import annotations

from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc

from innograph.extract import cues, relation_scorer, scorer
from innograph.extract.candidates import is_region
from innograph.extract.relation_scorer import PlacedMention as Placed  # an entity mention, offsets in its sentence
from innograph.extract.resolve import Span
from innograph.models import DropReason, Entity, Evidence, Relation
from innograph.ontology import EntityLabel as L
from innograph.ontology import RelType, allowed
from innograph.text import name_key

for _name in ("ig_relations_dropped", "ig_pairs"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class EntityIndex:
    """Look up an article's entities by any surface form or by mention offset."""

    def __init__(self, entities: list[Entity]) -> None:
        self.entities = entities
        self.by_alias: dict[str, Entity] = {}
        for entity in entities:
            for alias in (entity.name, *entity.aliases):
                self.by_alias.setdefault(name_key(alias), entity)
        self.by_offset: dict[tuple[int, int], Entity] = {}
        for entity in entities:
            for mention in entity.mentions:
                self.by_offset[(mention.start, mention.end)] = entity

    def at(self, start: int, end: int) -> Entity | None:
        return self.by_offset.get((start, end))

    def named(self, name: str) -> Entity | None:
        return self.by_alias.get(name_key(name))


class RelationCollector:
    """Keeps relations that pass the ontology check, one per (head, type, tail)."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.relations: dict[tuple[str, str, str], Relation] = {}
        self.dropped: Counter = Counter()

    def add(self, rel: RelType, head: Entity | None, tail: Entity | None, sentence: str, sentence_start: int,
            **properties: str) -> None:
        if head is None or tail is None:
            self.dropped[DropReason.unresolved.name] += 1
            return
        if head.key == tail.key:
            self.dropped[DropReason.self_loop.name] += 1
            return
        if not allowed(rel, head.label, tail.label):
            self.dropped[DropReason.bad_signature.name] += 1
            return
        if rel.symmetric and head.key > tail.key:
            head, tail = tail, head
        ident = (head.key, rel.value, tail.key)
        if ident in self.relations:
            return
        evidence = Evidence(doc_id=self.doc_id, sentence=sentence, start=sentence_start,
                            end=sentence_start + len(sentence))
        self.relations[ident] = Relation(type=rel, head=head.name, head_label=head.label, tail=tail.name,
                                         tail_label=tail.label, evidence=evidence, properties=dict(properties))


def structural_relations(spans: list[Span], index: EntityIndex, out: RelationCollector) -> None:
    """Relations that the shape of a name states."""
    for span in spans:
        parent = span.parent
        if parent is None:
            continue
        inner, outer = index.at(span.start, span.end), index.at(parent.start, parent.end)
        if inner is None or outer is None:
            continue
        at = span.start - span.sentence_start
        if inner.label is L.Region:
            out.add(RelType.LOCATED_IN, outer, inner, span.sentence, span.sentence_start)
        elif outer.label is L.Ecosystem and _park_of(inner.label, span.sentence[max(0, at - 1):at]):
            out.add(RelType.PART_OF, outer, inner, span.sentence, span.sentence_start)
        elif outer.label is L.Ecosystem and inner.label is not L.Ecosystem:
            out.add(RelType.ANCHORED_BY, outer, inner, span.sentence, span.sentence_start)
        elif outer.label is L.Event:
            out.add(RelType.ORGANIZED_BY, outer, inner, span.sentence, span.sentence_start)
        elif inner.label is L.Ecosystem and outer.label is not L.Agency:
            continue  # 杭州医药港学院…基地 is not part of 杭州医药港
        else:
            out.add(RelType.PART_OF, outer, inner, span.sentence, span.sentence_start)


# --- textual cues ----------------------------------------------------------------------------

import re  # noqa: E402  (kept next to the patterns that use it)

from innograph.extract import lexicon  # noqa: E402
from innograph.ontology import ORGANISATIONS  # noqa: E402

_ORGS = ORGANISATIONS
_CLAUSE_END = re.compile(r"[。；;!?！？]")


class SentenceMentions:
    """The mentions of one sentence, in order, with helpers for cue rules."""

    def __init__(self, text: str, start: int, placed: list[Placed]) -> None:
        self.text, self.start = text, start
        ordered = sorted(placed, key=lambda p: (p.start, -p.end))
        # cue rules read the outermost names; names nested inside them are handled by structure
        self.placed = [p for p in ordered
                       if not any(o is not p and o.start <= p.start and p.end <= o.end and (o.start, o.end) != (p.start, p.end)
                                  for o in ordered)]

    def between(self, lo: int, hi: int, labels=None) -> list[Placed]:
        return [p for p in self.placed if lo <= p.start and p.end <= hi and (labels is None or p.entity.label in labels)]

    def last_before(self, pos: int, labels, floor: int = 0) -> Placed | None:
        found = [p for p in self.placed if floor <= p.start and p.end <= pos and p.entity.label in labels]
        return found[-1] if found else None

    def clause_end(self, pos: int) -> int:
        match = _CLAUSE_END.search(self.text, pos)
        return match.start() if match else len(self.text)

    def clause_start(self, pos: int, stops: str = "。；;,，:：") -> int:
        """Where the stretch of text that ends at ``pos`` begins: just after the last of ``stops``."""
        return max(self.text.rfind(c, 0, pos) for c in stops) + 1


def _sentences(entities: list[Entity]) -> list[SentenceMentions]:
    return [SentenceMentions(text, start, placed) for text, start, placed in relation_scorer.sentence_mentions(entities)]


_ORGANIZE = re.compile(r"(主办|承办|协办|联合主办|共同主办|指导)")


def organized_by(sm: SentenceMentions, out: RelationCollector) -> None:
    """由A主办, B、C承办, D协办的EVENT."""
    events = [p for p in sm.placed if p.entity.label is L.Event]
    if not events:
        return
    for match in _ORGANIZE.finditer(sm.text):
        event = next((e for e in events if e.start >= match.end()), None)
        if event is None:
            continue
        lo = sm.clause_start(match.start(), ",，;；。")
        lo = max(lo, sm.text.rfind("由", 0, match.start()) + 1 if "由" in sm.text[:match.start()] else lo)
        for org in sm.between(lo, match.start(), _ORGS | {L.Region}):
            out.add(RelType.ORGANIZED_BY, event.entity, org.entity, sm.text, sm.start)


_ROLE_WORDS = sorted(set(lexicon.HEAD_ROLES) | set(lexicon.DEPUTY_ROLES), key=len, reverse=True)
_DEPUTY = set(lexicon.DEPUTY_ROLES)
_SEGMENT_STOPS = "、,，;；。:： "  # one ORG+ROLE segment of a title chain ends at these


def _role_relation(role: str) -> RelType:
    """Heads lead (局长, 院长); deputies and members are affiliated (副局长, 教授, 院士)."""
    return RelType.AFFILIATED_WITH if role in _DEPUTY or role.startswith("副") else RelType.LEADS


_GOVERNMENT_HEADS = {"市长": "市", "区长": "区", "省长": "省", "县长": "县"}


def _government(role: str, governments: list[Entity]) -> Placed | None:
    """市长 without a body named: the article's city government, when the article names it."""
    level = _GOVERNMENT_HEADS[role]
    for entity in governments:
        if re.search(level + r"(人民)?政府$", entity.name):
            return Placed(entity, -1, -1)
    return None


def people(sm: SentenceMentions, out: RelationCollector, governments: list[Entity] = ()) -> None:
    """杭州市委副书记、市长姚高员: each ORG+ROLE segment in front of a name links the person."""
    for person in [p for p in sm.placed if p.entity.label is L.Person]:
        pos = person.start
        last_org: Placed | None = None
        for _ in range(4):
            role = next((r for r in _ROLE_WORDS if sm.text[:pos].endswith(r)), None)
            if role is None:
                break
            role_start = pos - len(role)
            seg_start = sm.clause_start(role_start, _SEGMENT_STOPS)
            org = sm.last_before(role_start, _ORGS | {L.Region}, floor=seg_start)
            if org is not None and role_start - org.end <= 6:
                last_org = org
            elif org is None and last_org is None and role in _GOVERNMENT_HEADS:
                org = _government(role, governments)
            elif org is None and last_org is None:
                org = _preceding_segment_org(sm, seg_start)
            else:
                org = None
            target = org or last_org
            if target is not None:
                out.add(_role_relation(role), person.entity, target.entity, sm.text, sm.start, role=role)
            if seg_start == 0 or sm.text[seg_start - 1] != "、":
                break
            pos = seg_start - 1


def people_role_after(sm: SentenceMentions, out: RelationCollector) -> None:
    """浙江大学张伟教授: an organisation, a name, then the title."""
    for person in [p for p in sm.placed if p.entity.label is L.Person]:
        role = next((r for r in _ROLE_WORDS if sm.text.startswith(r, person.end)), None)
        org = sm.last_before(person.start, _ORGS | {L.Region})
        if role is None or org is None or person.start - org.end > 1:
            continue
        out.add(_role_relation(role), person.entity, org.entity, sm.text, sm.start, role=role)


def _preceding_segment_org(sm: SentenceMentions, seg_start: int) -> Placed | None:
    """党委书记、主任吕先志: a bare role takes the organisation of the segment before it."""
    if seg_start == 0 or sm.text[seg_start - 1] != "、":
        return None
    prev_start = sm.clause_start(seg_start - 1, _SEGMENT_STOPS)
    return sm.last_before(seg_start - 1, _ORGS, floor=prev_start)


def issued_by(sm: SentenceMentions, out: RelationCollector) -> None:
    """科技部火炬中心在《…》中, 余杭“黄金68条”: the region or agency the policy is written after."""
    policies = [p for p in sm.placed if p.entity.label is L.Policy]
    for policy in policies:
        # 科技部火炬中心在《…》中; 余杭“黄金68条”; 北京、西安等地的《…》
        owner = sm.last_before(policy.start, {L.Agency, L.Region})
        if owner is not None and policy.start - owner.end <= 1 and owner.entity.label is L.Region:
            out.add(RelType.ISSUED_BY, policy.entity, owner.entity, sm.text, sm.start)
        if owner is not None and sm.text[owner.end:policy.start] == "在":
            out.add(RelType.ISSUED_BY, policy.entity, owner.entity, sm.text, sm.start)


_PARENT_LABELS = ORGANISATIONS - {L.Region, L.Fund}
_COMPANY_ENDINGS = frozenset(s for s, label in lexicon.SUFFIXES if label is L.Company)


def _surfaces(entity: Entity) -> set[str]:
    return {name_key(f) for f in (entity.name, *entity.aliases, *(m.surface for m in entity.mentions))}


def name_containment(entities: list[Entity], out: RelationCollector) -> None:
    """A name that begins with another organisation's name is part of it, wherever both are written.

    厦门大学科技园 -> 厦门大学, 杭州市杭州师范大学硅材料概念验证中心 -> 杭州师范大学 after a
    region. The nested-span rule only sees a parent found inside the child's own mention; this
    one compares the article's entities, so a parent the extractor found elsewhere counts too.
    The parent is the longest such name (PART_OF points to the nearest parent); a university is
    part only of a university, an ecosystem only of an ecosystem (a zone's 管委会 has no edge to
    its zone, by the ontology); a parent written in two characters (西湖, 光谷) is too ambiguous."""
    orgs = [e for e in entities if e.label in _PARENT_LABELS]
    forms = {e.key: _surfaces(e) for e in orgs}
    for child in orgs:
        best: tuple[int, Entity] | None = None
        for parent in orgs:
            if parent.key == child.key or not _may_contain(child.label, parent.label):
                continue
            for p in forms[parent.key]:
                if len(p) >= 3 and (best is None or len(p) > best[0]) and any(_begins_with(c, p) for c in forms[child.key]):
                    best = (len(p), parent)
        if best is not None:
            mention = child.mentions[0]
            out.add(RelType.PART_OF, child, best[1], mention.sentence, mention.sentence_start)


def _park_of(inner: L, before: str) -> bool:
    """厦门大学科技园, 讯飞小镇: a park named after a university or company is part of it (the
    ontology's convention); 环之江实验室创新生态圈 is built around its anchor instead."""
    return inner in (L.University, L.Company) and before != "环"


def _may_contain(child: L, parent: L) -> bool:
    if child is L.Ecosystem and parent in (L.University, L.Company):
        return True
    if (child is L.Ecosystem) != (parent is L.Ecosystem):
        return False
    return child is not L.University or parent is L.University


def _begins_with(child: str, parent: str) -> bool:
    """``child`` is ``parent``'s name, perhaps after a region, followed by a name of its own."""
    at = child.find(parent)
    if at < 0 or not (at == 0 or is_region(child[:at])):
        return False
    rest = child[at + len(parent):]
    # 泽璟制药(浙江)有限公司 is 泽璟制药 itself, in its registered form
    return len(rest) >= 2 and rest[0] not in "(（-—" and rest not in _COMPANY_ENDINGS


def policy_name_issuer(entities: list[Entity], out: RelationCollector, regions: dict[str, Entity]) -> None:
    """《杭州市构筑…实施方案》, 工信部优质企业梯度培育体系: a region or agency opening a policy's name."""
    agencies = [e for e in entities if e.label is L.Agency]
    for policy in (e for e in entities if e.label is L.Policy):
        title = policy.name.strip("《》")
        title = re.sub(r"^(关于(推动|进一步|加快|支持)?)", "", title)
        mention = policy.mentions[0]
        for agency in agencies:
            if any(title.startswith(a) for a in (agency.name, *agency.aliases) if len(a) >= 2):
                out.add(RelType.ISSUED_BY, policy, agency, mention.sentence, mention.sentence_start)
                break
        else:
            for length in (4, 3, 2):
                head = title[:length]
                region = regions.get(_region_base(head))
                if region is not None and lexicon.regions().get(head):
                    out.add(RelType.ISSUED_BY, policy, region, mention.sentence, mention.sentence_start)
                    break


def country_prefixed(entities: list[Entity], out: RelationCollector, regions: dict[str, Entity]) -> None:
    """日本神户医药产业园, 新加坡启奥生命科学园: a country opening a park's name locates it."""
    for entity in entities:
        if entity.label is not L.Ecosystem:
            continue
        for name in (entity.name, *entity.aliases):
            head = next((r for r, kind in lexicon.regions().items() if kind == "country" and name.startswith(r)
                         and len(name) > len(r) + 1), None)
            if head and head in regions:
                mention = entity.mentions[0]
                out.add(RelType.LOCATED_IN, entity, regions[head], mention.sentence, mention.sentence_start)
                break


def _region_base(name: str) -> str:
    return name[:-1] if len(name) > 2 and name[-1] in "市省区" else name


_GATHER = re.compile(r"(拥有|集聚了?|聚集了?|汇聚了?|汇集了?|吸引了|培育、吸引了|已入驻|入驻了?|引入|引进了?|其中包括)")


def gathered(sm: SentenceMentions, out: RelationCollector, topics: list[Entity]) -> None:
    """硅谷拥有A、B; 波士顿集聚了A、B: members of an ecosystem, organisations in a region."""
    for match in _GATHER.finditer(sm.text):
        subject = sm.last_before(match.start(), {L.Ecosystem}) or sm.last_before(match.start(), {L.Region})
        omitted = sm.text[:match.start()].strip("已现并且 ") == "" or sm.text[max(0, match.start() - 2):match.start()] in ("，已", ",已")
        # 温州湾新区、龙湾区集聚了…: each of a listed subject holds the objects
        subjects = [p.entity for p in cues.listed_with(sm, subject, {L.Ecosystem, L.Region})] if subject \
            else topics if omitted else []
        end = sm.clause_end(match.end())
        objects = []
        for p in sm.between(match.end(), end, _ORGS - {L.Agency}):
            if objects and "," in sm.text[objects[-1].end:p.start] or objects and "，" in sm.text[objects[-1].end:p.start]:
                break
            objects.append(p)
        for obj in objects:
            for subject_entity in subjects:
                if obj.entity.key == subject_entity.key:
                    continue
                if subject_entity.label is L.Ecosystem:
                    out.add(RelType.MEMBER_OF, obj.entity, subject_entity, sm.text, sm.start)
                else:
                    out.add(RelType.LOCATED_IN, obj.entity, subject_entity, sm.text, sm.start)


_LOCATED = re.compile(r"(位于|坐落于|坐落在|落户于|落户|地处|成立于|设在|坐落)")
# 在X揭牌/成立/举行: the subject of the clause is in X
_IN_PLACE = re.compile(r"在([^,，。;；]{2,24}?)(揭牌|成立|举行|开幕|召开|落地|投用|启用|开园|落户)")


def _place_relation(subject: Entity, place: Entity) -> RelType | None:
    """Where a thing is: in a region (LOCATED_IN) or inside a zone (MEMBER_OF)."""
    if place.label is L.Region:
        return RelType.LOCATED_IN
    if place.label is L.Ecosystem and subject.label is not L.Ecosystem and subject.label in _ORGS:
        return RelType.MEMBER_OF
    return None


def located(sm: SentenceMentions, out: RelationCollector) -> None:
    for match in _LOCATED.finditer(sm.text):
        clause_end = sm.clause_end(match.end())
        place = next(iter(sm.between(match.end(), clause_end, {L.Region, L.Ecosystem})), None)
        if place is None or place.start - match.end() > 2:
            continue
        subject = sm.last_before(match.start(), _ORGS | {L.Event}, floor=sm.clause_start(match.start()))
        if subject is None and sm.text[place.end:place.end + 1] == "的":
            # 位于温州国际云软件谷的科大讯飞…中心: the name after 的 is what is there
            subject = next(iter(sm.between(place.end + 1, clause_end, _ORGS | {L.Event})), None)
            if subject is not None and subject.start > place.end + 2:
                subject = None
        if subject is not None:
            rel = _place_relation(subject.entity, place.entity)
            if rel is not None:
                out.add(rel, subject.entity, place.entity, sm.text, sm.start)
            zone = next(iter(sm.between(place.end, clause_end, {L.Ecosystem})), None)
            if place.entity.label is L.Region and zone is not None and zone.start - place.end <= 10 \
                    and sm.text[zone.start - 1:zone.start] == "的":
                # 位于南沙最北部的庆盛片区: in the district, and inside the zone the district holds
                out.add(RelType.LOCATED_IN, zone.entity, place.entity, sm.text, sm.start)
                rel = _place_relation(subject.entity, zone.entity)
                if rel is not None:
                    out.add(rel, subject.entity, zone.entity, sm.text, sm.start)
    for match in _IN_PLACE.finditer(sm.text):
        places = sm.between(match.start(1), match.end(1), {L.Region, L.Ecosystem})
        if not places:
            continue
        place = places[-1]  # the most specific: 在四川省成都市 -> 成都市
        clause = sm.clause_start(match.start())
        subjects = [p for p in sm.between(clause, match.start(), _ORGS | {L.Event})] or \
            [p for p in sm.between(match.end(), sm.clause_end(match.end()), _ORGS | {L.Event})][:1]
        # an event held somewhere says where the event is, not where its organisers are
        events = [p for p in subjects if p.entity.label is L.Event]
        for subject in events or [p for p in subjects if p.entity.label is not L.Agency]:
            if _region_base(place.entity.name) in subject.entity.name:
                continue  # a region inside an official name is no evidence of location
            rel = _place_relation(subject.entity, place.entity)
            if rel is not None:
                out.add(rel, subject.entity, place.entity, sm.text, sm.start)
    # 在余杭区,X组建…: a clause that opens with 在<region>, places the organisations in it
    for match in re.finditer(r"(^|[;；。,，])在", sm.text):
        region = sm.between(match.end(), match.end() + 8, {L.Region})
        if not region or region[0].start != match.end() or sm.text[region[0].end:region[0].end + 1] not in ",，":
            continue
        end = sm.clause_end(region[0].end)
        for org in sm.between(region[0].end, end, _ORGS - {L.Ecosystem}):
            out.add(RelType.LOCATED_IN, org.entity, region[0].entity, sm.text, sm.start)
    # 波士顿“128号公路”, 纽约曼哈顿的“硅巷”: a region right before a quoted name
    for p in sm.placed:
        if p.entity.label not in _ORGS:
            continue
        region = sm.last_before(p.start, {L.Region})
        if region is not None and sm.text[region.end:p.start].strip() in ("", "“", "的“", "的"):
            out.add(RelType.LOCATED_IN, p.entity, region.entity, sm.text, sm.start)


_COLLAB_CONNECTOR = re.compile(r"(与|和|(?<![共协会])同|会同|协同|携手|联合)")  # 共同 is no connector
_COLLAB_CUE = re.compile(r"(合作|共建|共同|签署|签订|携手|协同|会同|联合)")


_VERB_CONNECTORS = frozenset({"会同", "协同", "携手", "联合"})
_PARTIES = _ORGS | {L.Region}  # a region acting as a government is a party (ONTOLOGY.md v1.1)
_LIST_TAIL = re.compile(r"\s*(等[^,，。；;、]{0,8})?\s*")  # 福耀玻璃、福清核电等重点企业与…


def _opens_clause(sm: SentenceMentions, mention: Placed) -> bool:
    return not sm.text[sm.clause_start(mention.start):mention.start].strip(" \u3000“\"")


def collaborations(sm: SentenceMentions, out: RelationCollector, topic: Entity | None) -> None:
    if not _COLLAB_CUE.search(sm.text):
        return
    orgs = [p for p in sm.placed if p.entity.label in _PARTIES]
    for match in _COLLAB_CONNECTOR.finditer(sm.text):
        cue = _COLLAB_CUE.search(sm.text, match.start())
        if cue is None or sm.clause_end(match.end()) < cue.start():
            continue
        subject = sm.last_before(match.start(), _PARTIES, floor=sm.clause_start(match.start()))
        if subject is not None and match.start() - subject.end > 3 and not _LIST_TAIL.fullmatch(sm.text[subject.end:match.start()]):
            subject = None
        if subject is not None and subject.entity.label is L.Region and not _opens_clause(sm, subject):
            subject = None  # a region is a party only as the subject: 宁波与乌克兰签订…
        if subject is None and match.group() in _VERB_CONNECTORS:
            # 市科技局高度重视,协同市发改委…: a verb connector's subject opens an earlier clause
            subject = next((p for p in reversed(sm.placed) if p.end <= match.start() and p.entity.label in _PARTIES
                            and _opens_clause(sm, p)), None)
        if subject is None and sm.text[max(0, match.start() - 3):match.start()].endswith(("已", "且已", "并")) and topic is not None:
            subjects = [topic]
        elif subject is not None:
            subjects = [p.entity for p in cues.listed_with(sm, subject, _PARTIES) if p.end <= subject.end]
        else:
            continue
        partners = []
        for p in orgs:
            if p.start < match.end() or p.start > max(cue.start(), match.end()) + 40:
                continue
            if partners and re.search(r"[,，;；。]", sm.text[partners[-1].end:p.start]):
                break
            if cue.start() >= match.end() and p.start > cue.start() and partners:
                break  # A与B合作, C…: the names after the cue are not partners (联合 is both connector and cue)
            partners.append(p)
        for subject_entity in subjects:
            for partner in partners:
                out.add(RelType.COLLABORATES_WITH, subject_entity, partner.entity, sm.text, sm.start)
    # A、B共建 / A、B…等单位…共同签订: a list before the cue, a star from its first item
    for cue in re.finditer(r"(共建|共同签订|共同签署|共同斥资)", sm.text):
        lo = sm.clause_start(cue.start())
        listed = [p for p in sm.between(lo, cue.start(), _ORGS)]
        if len(listed) >= 2 and all("、" in sm.text[a.end:b.start] or "和" in sm.text[a.end:b.start]
                                    for a, b in zip(listed, listed[1:])):
            for partner in listed[1:]:
                out.add(RelType.COLLABORATES_WITH, listed[0].entity, partner.entity, sm.text, sm.start)


def incubated(sm: SentenceMentions, out: RelationCollector) -> None:
    """A依托B…孵化: the company was incubated by the host (two cues, so not a table rule)."""
    for match in re.finditer(r"依托", sm.text):
        company = sm.last_before(match.start(), {L.Company})
        host = next(iter(sm.between(match.end(), match.end() + 20, _ORGS - {L.Company})), None)
        if company and host and "孵化" in sm.text[host.end:host.end + 6]:
            out.add(RelType.INCUBATED_BY, company.entity, host.entity, sm.text, sm.start)


_FUNDED = re.compile(r"(获得|获|得到|接受|拿到了?)([^,，。；]{0,40})(投资|融资|注资|资助)")
# X完成…融资: X is the company being financed, until another one is
_RAISED = re.compile(r"完成[^,，。；]{0,24}融资")
# 由A领投, B和C跟投 / 投资方包括A、B以及C: the investors of the round
_ROUND_ROLE = re.compile(r"(领投|跟投|参投|联合投资)")
_INVESTOR_LIST = re.compile(r"(投资方|投资机构|投资人)(包括|为|有|是)")
_INVESTS = re.compile(r"(投资|注资|资助)(了)?")  # 领投/跟投 name a round's investors: financing_rounds


def financing_rounds(sentences: list[SentenceMentions], out: RelationCollector) -> None:
    """X完成…融资, then 由A领投、B跟投 or 投资方包括A、B: X is funded by each investor of the round.

    The company that raised the round stays the subject for the sentences after it, until another
    one is named raising one."""
    raised: Placed | None = None
    for sm in sentences:
        for match in _RAISED.finditer(sm.text):
            company = sm.last_before(match.start(), {L.Company}, floor=sm.clause_start(match.start()))
            if company is not None:
                raised = company
        if raised is None:
            continue
        investors: list[Placed] = []
        for match in _ROUND_ROLE.finditer(sm.text):
            start = sm.clause_start(match.start(), stops="。；;,，:：")
            investors += [p for p in sm.between(start, match.start(), {L.Company, L.Fund})
                          if p.entity.key != raised.entity.key]
        for match in _INVESTOR_LIST.finditer(sm.text):
            investors += sm.between(match.end(), sm.clause_end(match.end()), {L.Company, L.Fund})
        for investor in investors:
            out.add(RelType.FUNDED_BY, raised.entity, investor.entity, sm.text, sm.start)


def funded(sm: SentenceMentions, out: RelationCollector) -> None:
    """A获得B投资 / B投资了A / B领投: A is funded by the fund or investor B."""
    investors = _ORGS
    for match in _FUNDED.finditer(sm.text):
        investee = sm.last_before(match.start(), _ORGS, floor=sm.clause_start(match.start()))
        investor = next(iter(sm.between(match.start(), match.start(3), investors)), None)
        if investee and investor:
            out.add(RelType.FUNDED_BY, investee.entity, investor.entity, sm.text, sm.start)
    for match in _INVESTS.finditer(sm.text):
        investor = sm.last_before(match.start(), {L.Fund, L.Company}, floor=sm.clause_start(match.start()))
        if investor is None or match.start() - investor.end > 2 or _FUNDED.search(sm.text[:match.end()]):
            continue
        end = sm.clause_end(match.end())
        for investee in sm.between(match.end(), end, _ORGS):
            if investee.start - match.end() <= 2 or "、" in sm.text[match.end():investee.start]:
                out.add(RelType.FUNDED_BY, investee.entity, investor.entity, sm.text, sm.start)


def table_cues(sm: SentenceMentions, out: RelationCollector) -> None:
    """The rules of the cue table (``resources/relation_cues.toml``), run by :func:`cues.matches`."""
    for rel, head, tail in cues.matches(sm):
        if rel is RelType.LOCATED_IN and _region_base(tail.name) in head.name:
            continue  # a region inside an official name is no evidence of location
        out.add(rel, head, tail, sm.text, sm.start)


def byline_relations(article, index: EntityIndex, out: RelationCollector, text: str) -> None:
    """Authors and their units: AFFILIATED_WITH; a joint group byline: its units collaborate."""
    if article is None:
        return
    groups: dict[str, list[Entity]] = {}
    for author in article.authors:
        unit = index.named(author.affiliation) if author.affiliation else None
        person = index.named(author.name)
        sentence, start = _sentence_of(text, author.affiliation or author.name)
        if person is not None and person.label is L.Person and unit is not None:
            out.add(RelType.AFFILIATED_WITH, person, unit, sentence, start)
        if author.role == "课题组" and unit is not None:
            groups.setdefault(author.name, []).append(unit)
    for units in groups.values():
        sentence, start = _sentence_of(text, units[0].name)
        for other in units[1:]:
            out.add(RelType.COLLABORATES_WITH, units[0], other, sentence, start)


def _sentence_of(text: str, needle: str) -> tuple[str, int]:
    index = text.find(needle)
    if index < 0:
        return needle, 0
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    end = len(text) if end < 0 else end
    return text[start:end], start


def textual_relations(doc_text: str, article, entities: list[Entity], index: EntityIndex, out: RelationCollector) -> None:
    regions = {_region_base(e.name): e for e in entities if e.label is L.Region}
    for alias_holder in [e for e in entities if e.label is L.Region]:
        for alias in alias_holder.aliases:
            regions.setdefault(_region_base(alias), alias_holder)
    topic: Entity | None = None
    topics: list[Entity] = []
    governments = [e for e in entities if e.label is L.Agency and e.name.endswith("政府")]
    sentences = _sentences(entities)
    for sm in sentences:
        organized_by(sm, out)
        people(sm, out, governments)
        people_role_after(sm, out)
        issued_by(sm, out)
        gathered(sm, out, topics)
        located(sm, out)
        collaborations(sm, out, topic)
        incubated(sm, out)
        funded(sm, out)
        table_cues(sm, out)
        ecosystems = [p for p in sm.placed if p.entity.label is L.Ecosystem]
        if ecosystems and (ecosystems[0].start <= 4 or len(sm.text) <= 20):
            # a heading or a sentence opening with an ecosystem (and the regions listed with it) sets the topic
            topic = ecosystems[0].entity
            topics = [p.entity for p in cues.listed_with(sm, ecosystems[0], {L.Ecosystem, L.Region})]
    financing_rounds(sentences, out)
    policy_name_issuer(entities, out, regions)
    name_containment(entities, out)
    country_prefixed(entities, out, regions)
    byline_relations(article, index, out, doc_text)


def judge_pairs(pairs: list[relation_scorer.PairCandidate], model: scorer.SpanModel, collector: RelationCollector) -> None:
    """Add the pairs the classifier is sure of to what the cue rules found.

    Measured by cross-validation, the classifier is better at adding relations the rules miss
    than at overruling them (36 training articles are too few to unlearn a rule), so it adds."""
    for pair in pairs:
        if model.keeps(pair.features):
            collector.add(pair.type, pair.head, pair.tail, pair.sentence, pair.sentence_start)
        else:
            collector.dropped["low_score"] += 1


@Language.component("innograph_relations", assigns=["doc._.ig_relations"], requires=["doc._.ig_entities"])
def relations_component(doc: Doc) -> Doc:
    article = doc._.ig_article
    doc_id = article.doc_id if article else "doc"
    index = EntityIndex(doc._.ig_entities)
    collector = RelationCollector(doc_id)
    structural_relations(doc._.ig_selection.spans, index, collector)
    textual_relations(doc.text, article, doc._.ig_entities, index, collector)
    model = scorer.active_model("relation")
    if model is not None or relation_scorer.COLLECT.get():
        pairs = relation_scorer.pair_candidates(doc._.ig_entities, set(collector.relations))
        doc._.ig_pairs = pairs
        if model is not None:
            judge_pairs(pairs, model, collector)
    doc._.ig_relations = list(collector.relations.values())
    doc._.ig_relations_dropped = dict(collector.dropped)
    return doc
