"""The Cypher cookbook (``cookbook.cypher``) split into named, parameterised queries.

>>> recipes = load_cookbook()
>>> len(recipes) >= 15
True
>>> members = next(r for r in recipes if r.name == "members")
>>> members.params
{'ecosystem': '余杭区环之江实验室创新生态圈'}
>>> members.query.startswith("MATCH (e:Ecosystem)")
True
"""
from __future__ import annotations

import difflib
import json
from importlib import resources

from innograph.errors import InputError, shown
from innograph.queries.models import QueryModel


class Recipe(QueryModel):
    name: str
    doc: str
    params: dict[str, object]
    query: str


def parse_cookbook(text: str) -> list[Recipe]:
    """Blocks of ``// name:``, comment lines, ``// params: {json}``, then the query up to ``;``."""
    recipes: list[Recipe] = []
    name, doc, params, body = None, [], {}, []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("// name:"):
            name, doc, params, body = stripped.removeprefix("// name:").strip(), [], {}, []
        elif name is None:
            continue
        elif stripped.startswith("// params:"):
            params = json.loads(stripped.removeprefix("// params:").strip())
        elif stripped.startswith("//") and not body:
            doc.append(stripped.removeprefix("//").strip())
        elif stripped:
            body.append(line.rstrip())
            if stripped.endswith(";"):
                query = "\n".join(body).rstrip().removesuffix(";")
                recipes.append(Recipe(name=name, doc=" ".join(doc), params=params, query=query))
                name = None
    return recipes


def load_cookbook() -> list[Recipe]:
    """The recipes of the packaged ``cookbook.cypher``."""
    text = resources.files("innograph.queries").joinpath("cookbook.cypher").read_text(encoding="utf-8")
    return parse_cookbook(text)


def recipe(name: str) -> Recipe:
    """The recipe called ``name``; an :class:`InputError` with the closest names otherwise.

    >>> recipe("member")
    Traceback (most recent call last):
    ...
    innograph.errors.InputError: no recipe named 'member' (did you mean members?): 'innograph cookbook' lists them
    """
    recipes = {r.name: r for r in load_cookbook()}
    if name in recipes:
        return recipes[name]
    close = difflib.get_close_matches(name, list(recipes), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise InputError(f"no recipe named {shown(name)}{hint}: 'innograph cookbook' lists them")
