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
        return cls.from_csv_text(path.read_text(encoding="utf-8"), str(path))

    def canonical(self, label: EntityLabel, alias: str) -> str | None:
        return self._map.get((label, name_key(alias)))
