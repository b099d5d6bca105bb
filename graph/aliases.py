"""The reviewed alias table: surface forms mapped to the canonical names an analyst chose.

A CSV file with the header ``label,alias,canonical,note``; one row per surface form. Rules
merge most aliases (see :mod:`innograph.extract.resolve`); this table covers what they cannot,
and overrides them: a row wins over any rule. The bundled table is ``data/aliases.csv``;
``$INNOGRAPH_ALIASES`` or ``--aliases`` point to another.

>>> table = AliasTable.from_rows([("University", "浙大", "浙江大学", "common short form")])
>>> table.canonical(EntityLabel.University, "浙 大")
'浙江大学'
>>> table.canonical(EntityLabel.Lab, "浙大") is None
True
"""
from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from innograph.errors import InputError
from innograph.models import Frozen
from innograph.ontology import EntityLabel
from innograph.text import name_key

HEADER = ["label", "alias", "canonical", "note"]


class AliasRow(Frozen):
    label: EntityLabel
    alias: str
    canonical: str
    note: str = ""


class AliasTable:
    def __init__(self, rows: Iterable[AliasRow] = ()) -> None:
        self.rows = list(rows)
        self._map = {(r.label, name_key(r.alias)): r.canonical for r in self.rows}

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str, str]]) -> "AliasTable":
        return cls(AliasRow(label=EntityLabel(l), alias=a, canonical=c, note=n) for l, a, c, n in rows)

    @classmethod
    def from_csv_text(cls, text: str, source: str) -> "AliasTable":
        reader = csv.DictReader(io.StringIO(text))
        if reader.fieldnames is None or [f.strip() for f in reader.fieldnames[:3]] != HEADER[:3]:
            raise InputError(f"{source} is not an alias table: its header must be {','.join(HEADER)}")
        rows = []
        for number, row in enumerate(reader, 2):
            try:
                rows.append(AliasRow(label=EntityLabel(row["label"].strip()), alias=row["alias"].strip(),
                                     canonical=row["canonical"].strip(), note=(row.get("note") or "").strip()))
            except ValueError as exc:
                raise InputError(f"{source} line {number}: unknown label {row['label']!r}: use one of the ontology's labels") from exc
        return cls(rows)

    @classmethod
    def load(cls, path: Path | None = None) -> "AliasTable":
        """The table at ``path``, ``$INNOGRAPH_ALIASES``, or the bundled one."""
        path = path or (Path(os.environ["INNOGRAPH_ALIASES"]) if os.environ.get("INNOGRAPH_ALIASES") else None)
        if path is None:
            text = resources.files("innograph.data").joinpath("aliases.csv").read_text(encoding="utf-8")
            return cls.from_csv_text(text, "bundled aliases.csv")
        if not path.is_file():
            raise InputError(f"no alias table at {path}: give a CSV file with the header {','.join(HEADER)}")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"the alias table {path} is not UTF-8 text: save it as UTF-8 CSV") from None
        except OSError as exc:
            raise InputError(f"cannot read the alias table {path}: {exc.strerror or exc}") from None
        return cls.from_csv_text(text, str(path))

    def canonical(self, label: EntityLabel, alias: str) -> str | None:
        return self._map.get((label, name_key(alias)))

    def short_forms(self) -> dict[str, list[tuple[EntityLabel, str]]]:
        """name_key(alias) -> [(label, canonical)]: what :func:`innograph.identity.resolve` reads.

        >>> AliasTable.from_rows([("University", "浙大", "浙江大学", "")]).short_forms()
        {'浙大': [(<EntityLabel.University: 'University'>, '浙江大学')]}
        """
        forms: dict[str, list[tuple[EntityLabel, str]]] = {}
        for row in self.rows:
            forms.setdefault(name_key(row.alias), []).append((row.label, row.canonical))
        return forms


class AliasExplanation(Frozen):
    """One surface form of a node and why it is that node's."""

    key: str
    label: EntityLabel
    name: str
    alias: str
    count: int
    reason: str


def explain(graph, table: "AliasTable", name: str | None = None) -> list[AliasExplanation]:
    """Every merged surface form of the graph's entities (or of the one called ``name``), with the reason.

    >>> from innograph.graph.model import InnoGraph, NodeRecord
    >>> g = InnoGraph()
    >>> g.upsert_node(NodeRecord(key="Agency:杭州市科学技术局", label=EntityLabel.Agency, name="杭州市科学技术局",
    ...               aliases=("市科技局", "杭州市科学技术局"), alias_counts={"市科技局": 2}))
    >>> [(e.alias, e.count, e.reason) for e in explain(g, AliasTable())]
    [('市科技局', 2, "short form in the article's city, province or district")]
    """
    from innograph.extract.candidates import strip_region_prefix
    from innograph.extract.resolve import merge_key

    wanted = name_key(name) if name else None
    rows = []
    for node in graph.nodes():
        if not isinstance(node.label, EntityLabel) or len(node.aliases) < 2:
            continue
        if wanted and wanted not in {name_key(a) for a in (node.name, *node.aliases)}:
            continue
        for alias in node.aliases:
            if alias == node.name:
                continue
            rows.append(AliasExplanation(key=node.key, label=node.label, name=node.name, alias=alias,
                                         count=node.alias_counts.get(alias, 0),
                                         reason=_reason(node.label, node.name, alias, table, merge_key, strip_region_prefix)))
    return sorted(rows, key=lambda r: (r.key, r.alias))


def _reason(label, name, alias, table, merge_key, strip_region_prefix) -> str:
    row = next((r for r in table.rows if r.label is label and name_key(r.alias) == name_key(alias)), None)
    if row is not None:
        return f"alias table: {row.note or 'reviewed row'}"
    if name_key(alias) == name_key(name):
        return "same name up to width, spaces, quotes or 《》"
    if merge_key(label, alias) == merge_key(label, name):
        return "same name up to an official long form (科技局 = 科学技术局, 市 = the city)"
    if alias[:1] in "市省区" and merge_key(label, name).endswith(merge_key(label, alias).split(":", 1)[1][1:]):
        return "short form in the article's city, province or district"
    region, rest = strip_region_prefix(name)
    if region and name_key(rest).endswith(name_key(alias).lstrip("环")) or name_key(name).endswith(name_key(alias)):
        return "the name without the region or words in front of it"
    if name_key(name).startswith(name_key(alias)):
        return "the name without its last part (a coordinated list or a stage such as 总决赛)"
    return "introduced in the text: (以下简称…), a bracketed abbreviation or a quoted short name"
