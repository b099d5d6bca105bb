"""The reviewed alias table: surface forms mapped to the canonical names an analyst chose.

A CSV file with the header ``label,alias,canonical,note``; one row per surface form. Rules
merge most aliases (the extractor's resolver, which records why on each entity); this table
covers what they cannot, and overrides them: a row wins over any rule. The bundled table is ``data/aliases.csv``;
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


#: what ``explain`` says for an alias of a node stored before merge reasons were recorded
NOT_RECORDED = "not recorded: the store predates recorded reasons, rebuild it to record them"


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

    The reason is the one recorded when the alias was merged (the node's ``alias_reasons``); a row
    of ``table`` for the alias wins, its note being the reason.

    >>> from innograph.graph.model import InnoGraph, NodeRecord
    >>> from innograph.models import MergeReason
    >>> g = InnoGraph()
    >>> g.upsert_node(NodeRecord(key="Agency:杭州市科学技术局", label=EntityLabel.Agency, name="杭州市科学技术局",
    ...               aliases=("市科技局", "杭州市科学技术局"), alias_counts={"市科技局": 2},
    ...               alias_reasons={"市科技局": MergeReason.short_in_region}))
    >>> [(e.alias, e.count, e.reason) for e in explain(g, AliasTable())]
    [('市科技局', 2, "short form in the article's city, province or district")]
    """
    wanted = name_key(name) if name else None
    notes: dict[tuple[EntityLabel, str], str] = {}
    for row in table.rows:
        notes.setdefault((row.label, name_key(row.alias)), row.note)
    rows = []
    for node in graph.nodes():
        if not isinstance(node.label, EntityLabel) or len(node.aliases) < 2:
            continue
        if wanted and wanted not in {name_key(a) for a in (node.name, *node.aliases)}:
            continue
        for alias in node.aliases:
            if alias == node.name:
                continue
            note = notes.get((node.label, name_key(alias)))
            recorded = node.alias_reasons.get(alias)
            if note is not None:
                reason = f"alias table: {note or 'reviewed row'}"
            else:
                reason = recorded.value if recorded is not None else NOT_RECORDED
            rows.append(AliasExplanation(key=node.key, label=node.label, name=node.name, alias=alias,
                                         count=node.alias_counts.get(alias, 0), reason=reason))
    return sorted(rows, key=lambda r: (r.key, r.alias))
