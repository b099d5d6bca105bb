"""Chinese edge cases of entity and relation extraction, as tables.

Each sentence is made up for the test (not copied from the sample), so the rules are checked
on text they were not tuned on.
"""
from __future__ import annotations

import pytest

from innograph.extract.pipeline import extract_article
from innograph.models import Article


def _extract(text: str):
    return extract_article(Article(doc_id="case", title=text[:10], text=text))


def _entities(text: str) -> set[tuple[str, str]]:
    return {(e.label.value, e.name) for e in _extract(text).entities}


def _relations(text: str) -> set[tuple[str, str, str]]:
    return {(r.head, r.type.value, r.tail) for r in _extract(text).relations}


@pytest.mark.parametrize(
    ("text", "label", "name"),
    [
        # suffix structure: the suffix fixes the label, the left edge stops at a function word
        ("今年,宁波材料实验室与企业签约。", "Lab", "宁波材料实验室"),
        ("项目由温州智能传感研究院牵头。", "Institute", "温州智能传感研究院"),
        ("他毕业于南京航空航天大学。", "University", "南京航空航天大学"),
        ("他就读于计算机科学与技术学院。", "University", "计算机科学与技术学院"),
        ("合作单位包括中德工程大学。", "University", "中德工程大学"),
        ("绍兴滨海新区智能制造产业园吸引企业入驻。", "Ecosystem", "绍兴滨海新区智能制造产业园"),
        ("嘉兴星河微电子股份有限公司完成融资。", "Company", "嘉兴星河微电子股份有限公司"),
        ("会议发布了《关于支持人工智能产业发展的若干意见》。", "Policy", "《关于支持人工智能产业发展的若干意见》"),
        ("依托湖州生物医药概念验证中心开展验证。", "Platform", "湖州生物医药概念验证中心"),
        ("宁波市科学技术局组织了评审。", "Agency", "宁波市科学技术局"),
        ("第五届长三角青年创新创业大赛在宁波举行。", "Event", "第五届长三角青年创新创业大赛"),
        # coordinated names sharing a suffix
        ("推动东湖、南湖等实验室建设。", "Lab", "东湖实验室"),
        ("推动东湖、南湖等实验室建设。", "Lab", "南湖实验室"),
        # brand lists closed by 等企业
        ("园区集聚了星火、云帆等企业。", "Company", "星火"),
        # a Latin name after the word for its kind
        ("当地有创业加速器Launchpad提供服务。", "Platform", "Launchpad"),
        # person after a role title, region on its own
        ("市科技局局长张建国表示,将支持企业。", "Person", "张建国"),
        ("宁波大学李文涛教授介绍了成果。", "Person", "李文涛"),
        ("团队由陈立群院士牵头。", "Person", "陈立群"),
        ("企业已落户绍兴。", "Region", "绍兴"),
        ("企业已落户湘潭。", "Region", "湘潭"),
        ("项目在临沂市兰山区启动。", "Region", "兰山区"),
        # full-width brackets fold to half-width
        ("钱塘（新）区环大学城创新生态圈正式启动。", "Ecosystem", "钱塘(新)区环大学城创新生态圈"),
        # LAC glues a verb onto a name it does not know (投资星澜|光电); a date before a name dates the sentence
        ("该基金去年共投资星澜光电、云帆医疗等科创企业。", "Company", "星澜光电"),
        ("2025年东岳实验室将全面建成。", "Lab", "东岳实验室"),
    ],
)
def test_finds_entity(text: str, label: str, name: str) -> None:
    assert (label, name) in _entities(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("国家实验室和省实验室同步建设。", "国家实验室"),
        ("全市新增30家概念验证中心。", "概念验证中心"),
        ("支持科技型中小企业和龙头企业发展。", "龙头企业"),
        ("该中心已服务企业200家。", "该中心"),
        ("发布了《2024年全球创新指数》报告。", "《2024年全球创新指数》"),
        ("杭州市重点实验室数量增加。", "杭州市重点实验室"),
    ],
)
def test_generic_mentions_are_not_entities(text: str, name: str) -> None:
    assert name not in {n for _, n in _entities(text)}


def test_region_inside_an_official_name_is_no_region_mention() -> None:
    entities = _entities("宁波银行与企业签约。")
    assert ("Company", "宁波银行") in entities
    assert ("Region", "宁波") not in entities


def test_region_written_in_front_of_a_complete_name_is_a_mention() -> None:
    entities = _entities("余杭区浙江星光新材料科技有限公司投产。")
    assert ("Region", "余杭区") in entities
    assert ("Company", "浙江星光新材料科技有限公司") in entities


@pytest.mark.parametrize(
    ("text", "label", "name"),
    [
        # quotes inside a name are part of it, as written; quotes around the whole name are not
        ("省里印发《宁波市创新发展“十五五”规划》。", "Policy", "《宁波市创新发展“十五五”规划》"),
        ("全市推进“星火燎原”计划。", "Policy", "“星火燎原”计划"),
        # a bare short form of an agency, a region's 政府: the official form is the name
        ("科技部近日发文。", "Agency", "科学技术部"),
        ("温州市政府召开会议。", "Agency", "温州市人民政府"),
        # a longer name keeps the short form it is written with
        ("江西省科技厅组织评审。", "Agency", "江西省科技厅"),
        # 市/省 short forms take the article's city or province, also from regions inside names
        ("厦门今年发展迅速。厦门的企业很多。市发改委牵头制定方案。", "Agency", "厦门市发展和改革委员会"),
        ("湖南省科学技术厅发布通知。省委高度重视。", "Agency", "中国共产党湖南省委员会"),
        ("陕西科技发展加快。省政府出台意见。", "Agency", "陕西省人民政府"),
        # China's central bodies (documented vocabulary), also written short
        ("国务院常务会议审议通过。", "Agency", "国务院"),
        ("党中央作出部署。", "Agency", "中国共产党中央委员会"),
        # issuers signed name after name: a region after a complete agency name opens the next one
        ("江西省发展和改革委员会江西省科学技术厅关于印发方案的通知", "Agency", "江西省科学技术厅"),
        ("江西省发展和改革委员会江西省科学技术厅关于印发方案的通知", "Agency", "江西省发展和改革委员会"),
    ],
)
def test_agency_and_policy_names_take_their_written_or_official_form(text: str, label: str, name: str) -> None:
    assert (label, name) in _entities(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("活动由长沙高新区管委会主办。", "长沙高新区管委会主办"),  # 主办 ends in 办 but is a verb
        ("省财政部门加强监管。", "财政部"),  # 财政部门: a department, not the ministry
        ("台湾新加坡政府代表团来访。", "新加坡人民政府"),  # only a Chinese region's 政府 is 人民政府
        ("江西省发展和改革委员会江西省科学技术厅关于印发方案的通知", "江西省发展和改革委员会江西省科学技术厅"),
    ],
)
def test_agency_readings_that_are_no_name(text: str, name: str) -> None:
    assert name not in {n for _, n in _entities(text)}


def test_short_agency_form_takes_the_article_city() -> None:
    entities = _entities("宁波近日召开会议。宁波发展迅速。市科技局局长张建国出席。")
    assert ("Agency", "宁波市科学技术局") in entities


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("宁波市宁波大学概念验证中心成立。", ("宁波市宁波大学概念验证中心", "PART_OF", "宁波大学")),
        ("温州区环瓯江实验室创新生态圈启动。", ("温州区环瓯江实验室创新生态圈", "ANCHORED_BY", "瓯江实验室")),
        ("宁波正式发布了《宁波市促进科技成果转化条例》。", ("《宁波市促进科技成果转化条例》", "ISSUED_BY", "宁波")),
        ("由宁波市科学技术局主办的第二届甬江创新大赛开幕。", ("第二届甬江创新大赛", "ORGANIZED_BY", "宁波市科学技术局")),
        ("宁波材料研究院与宁波星河科技有限公司签署合作协议。", ("宁波材料研究院", "COLLABORATES_WITH", "宁波星河科技有限公司")),
        # a verb connector (协同, 会同) takes the subject that opens an earlier clause, and each listed partner
        ("宁波市科学技术局高度重视,协同宁波市财政局、宁波市教育局开展研究。", ("宁波市科学技术局", "COLLABORATES_WITH", "宁波市教育局")),
        ("宁波市科学技术局高度重视,协同宁波市财政局、宁波市教育局开展研究。", ("宁波市科学技术局", "COLLABORATES_WITH", "宁波市财政局")),
        ("宁波市科学技术局局长张建国出席。", ("张建国", "LEADS", "宁波市科学技术局")),
        ("宁波市科学技术局副局长李明出席。", ("李明", "AFFILIATED_WITH", "宁波市科学技术局")),
        ("宁波大学李文涛教授介绍了成果。", ("李文涛", "AFFILIATED_WITH", "宁波大学")),
        ("甬江科技城位于北仑区,发展迅速。", ("甬江科技城", "LOCATED_IN", "北仑区")),
        ("宁波星河科技有限公司获得甬江创新投资基金投资。", ("宁波星河科技有限公司", "FUNDED_BY", "甬江创新投资基金")),
        ("甬江创新投资基金投资了宁波星河科技有限公司。", ("宁波星河科技有限公司", "FUNDED_BY", "甬江创新投资基金")),
        ("宁波星河科技有限公司完成数亿元融资。本轮由甬江创新投资基金领投,明势资本跟投。",
         ("宁波星河科技有限公司", "FUNDED_BY", "明势资本")),
        ("宁波星河科技有限公司完成1亿元融资,投资方包括甬江创新投资基金、明势资本等。",
         ("宁波星河科技有限公司", "FUNDED_BY", "甬江创新投资基金")),
        # the mechanisms of the news texts: listed subjects, names inside names, coordinated issuers
        ("甬江科技城、北仑区集聚了宁波材料实验室、宁波智能制造研究院等平台。", ("宁波材料实验室", "LOCATED_IN", "北仑区")),
        ("甬江科技城、北仑区集聚了宁波材料实验室、宁波智能制造研究院等平台。", ("宁波智能制造研究院", "MEMBER_OF", "甬江科技城")),
        ("宁波大学科技园今年新增企业三十家。宁波大学也参与其中。", ("宁波大学科技园", "PART_OF", "宁波大学")),
        ("宁波市科学技术局、宁波市财政局联合印发《宁波市科技创新券管理办法》。",
         ("《宁波市科技创新券管理办法》", "ISSUED_BY", "宁波市财政局")),
        ("北仑区高标准建设甬江科技城。", ("甬江科技城", "LOCATED_IN", "北仑区")),
        ("宁波材料研究院位于北仑区东部的甬江科技城。", ("宁波材料研究院", "MEMBER_OF", "甬江科技城")),
        ("会上,宁波与乌克兰签订了十余个技术合作项目。", ("宁波", "COLLABORATES_WITH", "乌克兰")),
        ("东海研究院由舟山市人民政府联合浙江大学、宁波大学共同建设。", ("舟山市人民政府", "COLLABORATES_WITH", "宁波大学")),
        ("该中心推动宁波星河科技有限公司、宁波月湖科技有限公司等重点企业与宁波大学建立合作。",
         ("宁波星河科技有限公司", "COLLABORATES_WITH", "宁波大学")),
    ],
)
def test_finds_relation(text: str, relation: tuple[str, str, str]) -> None:
    found = _relations(text)
    head, type_, tail = relation
    if type_ == "COLLABORATES_WITH":
        assert relation in found or (tail, type_, head) in found
    else:
        assert relation in found


def test_policy_is_never_the_issuer() -> None:
    issued = {(h, t) for h, type_, t in _relations("宁波市科学技术局印发了《宁波市技术经理人管理办法》。")
              if type_ == "ISSUED_BY"}
    assert issued == {("《宁波市技术经理人管理办法》", "宁波市科学技术局")}


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    ["杭州", "余杭区", "之江实验室", "浙江大学", "有限公司", "研究院", "、", "，", "。", "等企业", "《", "》", "“", "”",
     "(", ")", "（新）", "与", "合作", "孵化出", "位于", "局长", "张伟", "\n\n", " ", "创新生态圈", "基金", "科技",
     "大赛", "主办", "A", "12", "·"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=40).map("".join))
def test_any_text_gives_mentions_that_point_into_it(text: str) -> None:
    extraction = _extract(text)
    for entity in extraction.entities:
        assert entity.mentions, entity
        for mention in entity.mentions:
            assert text[mention.start:mention.end] == mention.surface
            assert mention.sentence and mention.surface.strip()
    keys = [(e.label, e.name) for e in extraction.entities]
    assert len(keys) == len(set(keys))
    for relation in extraction.relations:
        assert relation.head != relation.tail or relation.head_label != relation.tail_label
