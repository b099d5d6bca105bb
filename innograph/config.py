"""Settings read from the environment (and from a ``.env`` file in the working directory).

Neo4j: ``NEO4J_URI`` (``bolt://127.0.0.1:7687``), ``NEO4J_USERNAME`` (``neo4j``),
``NEO4J_PASSWORD`` (no default: ``scripts/neo4j-local`` and docker-compose set it on a first
start) and ``NEO4J_DATABASE`` (``neo4j``). Ad-hoc Cypher: ``INNOGRAPH_CYPHER_TIMEOUT`` (seconds,
30) and ``INNOGRAPH_CYPHER_MAX_ROWS`` (10,000). Values given to :meth:`Neo4jSettings.from_env`
override the environment, and the environment overrides ``.env`` (the file docker compose
reads, so one file configures both).

>>> s = Neo4jSettings.from_env({"NEO4J_URI": "bolt://db:7687", "NEO4J_PASSWORD": "secret"})
>>> s.uri, s.username, s.database, s.cypher_timeout, s.cypher_max_rows
('bolt://db:7687', 'neo4j', 'neo4j', 30.0, 10000)
>>> "secret" in repr(s)
False
>>> Neo4jSettings.from_env({}, uri="neo4j://x:7687", password=None).uri
'neo4j://x:7687'
>>> parse_env_file('# comment\\nNEO4J_PASSWORD="pw with spaces"\\nexport NEO4J_URI=bolt://h:1\\n')
{'NEO4J_PASSWORD': 'pw with spaces', 'NEO4J_URI': 'bolt://h:1'}
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import Field, ValidationError

from innograph.errors import InputError
from innograph.models import Frozen

DEFAULT_NEO4J_URI = "bolt://127.0.0.1:7687"
DEFAULT_NEO4J_USERNAME = "neo4j"
DEFAULT_NEO4J_DATABASE = "neo4j"
DEFAULT_CYPHER_TIMEOUT = 30.0
DEFAULT_CYPHER_MAX_ROWS = 10_000
ENV_FILE = Path(".env")

_VARIABLES = {
    "uri": "NEO4J_URI", "username": "NEO4J_USERNAME", "password": "NEO4J_PASSWORD", "database": "NEO4J_DATABASE",
    "cypher_timeout": "INNOGRAPH_CYPHER_TIMEOUT", "cypher_max_rows": "INNOGRAPH_CYPHER_MAX_ROWS",
}


def parse_env_file(text: str) -> dict[str, str]:
    """``NAME=value`` lines of a docker-compose ``.env`` file (comments, ``export`` and quotes allowed)."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        name, sep, value = line.partition("=")
        if not sep or not name.strip().isidentifier():
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def environment(env: Mapping[str, str] | None = None, env_file: Path | None = ENV_FILE) -> Mapping[str, str]:
    """``env`` (default: ``os.environ`` over the ``.env`` file of the working directory)."""
    if env is not None:
        return env
    merged: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        try:
            merged.update(parse_env_file(env_file.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            pass  # an unreadable .env is docker compose's business; the environment still applies
    merged.update(os.environ)
    return merged


class Neo4jSettings(Frozen):
    """Where the Neo4j server is, how to log in, and the limits of ad-hoc queries.

    The password never appears in ``repr``.
    """

    uri: str = DEFAULT_NEO4J_URI
    username: str = DEFAULT_NEO4J_USERNAME
    password: str = Field(default="", repr=False)
    database: str = DEFAULT_NEO4J_DATABASE
    cypher_timeout: float = Field(default=DEFAULT_CYPHER_TIMEOUT, gt=0)
    cypher_max_rows: int = Field(default=DEFAULT_CYPHER_MAX_ROWS, ge=1)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> "Neo4jSettings":
        """Settings from ``env`` (default: the environment over ``.env``); an override that is not None wins."""
        env = environment(env)
        values: dict[str, object] = {field: env.get(name) for field, name in _VARIABLES.items()}
        values = {k: v for k, v in values.items() if v not in (None, "") or k == "password"}
        values["password"] = env.get("NEO4J_PASSWORD", "")
        values.update({name: value for name, value in overrides.items() if value is not None})
        try:
            return cls(**values)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else "setting"
            raise InputError(f"{_VARIABLES.get(field, field)} is not usable: {first['msg']}") from None
