"""The palette shared by the HTML view and the GEXF export: one colour per node label and per
relationship type, and the range of node sizes, read from ``static/palette.json``.

>>> palette = load_palette()
>>> palette.label_color(EntityLabel.Lab)
'#e15759'
>>> palette.type_color(GraphRelType.CO_MENTIONED)
'#c3cad4'
>>> rgb("#e15759")
(225, 87, 89)
>>> palette.node_size(0, 100), palette.node_size(100, 100)
(4.0, 40.0)
"""
from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType

_HEX = re.compile(r"^#[0-9a-f]{6}$")


class SizeRange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    min: float
    max: float


class Palette(BaseModel):
    """Colours (``#rrggbb``) for every label and relationship type of the ontology."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    about: str
    labels: dict[str, str]
    relationships: dict[str, str]
    size_range: SizeRange

    @field_validator("labels", "relationships")
    @classmethod
    def _hex_colours(cls, colours: dict[str, str]) -> dict[str, str]:
        for name, colour in colours.items():
            if not _HEX.match(colour):
                raise ValueError(f"colour of {name} is {colour!r}, not #rrggbb in lower case")
        return colours

    @model_validator(mode="after")
    def _complete(self) -> "Palette":
        labels = {l.value for l in EntityLabel} | {l.value for l in ProvenanceLabel}
        types = {t.value for t in RelType} | {t.value for t in GraphRelType}
        if set(self.labels) != labels:
            raise ValueError(f"palette labels differ from the ontology: {sorted(set(self.labels) ^ labels)}")
        if set(self.relationships) != types:
            raise ValueError(f"palette relationships differ from the ontology: {sorted(set(self.relationships) ^ types)}")
        return self

    def label_color(self, label: EntityLabel | ProvenanceLabel) -> str:
        return self.labels[label.value]

    def type_color(self, type_: RelType | GraphRelType) -> str:
        return self.relationships[type_.value]

    def node_size(self, mentions: int, most_mentions: int) -> float:
        """A size between the range's ends, by the square root of the mentions (area follows mentions)."""
        if most_mentions <= 0:
            return self.size_range.min
        share = math.sqrt(max(0, mentions)) / math.sqrt(most_mentions)
        return round(self.size_range.min + (self.size_range.max - self.size_range.min) * min(1.0, share), 2)


def rgb(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` as three integers."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@cache
def load_palette() -> Palette:
    text = (resources.files("innograph.graph") / "static" / "palette.json").read_text(encoding="utf-8")
    return Palette.model_validate(json.loads(text))
