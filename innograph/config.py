"""Settings read from the environment.

Neo4j: ``NEO4J_URI`` (``bolt://127.0.0.1:7687``), ``NEO4J_USERNAME`` (``neo4j``),
``NEO4J_PASSWORD`` (no default: ``scripts/neo4j-local`` and docker-compose set it on a first
start) and ``NEO4J_DATABASE`` (``neo4j``). Command-line flags override the environment.

>>> s = Neo4jSettings.from_env({"NEO4J_URI": "bolt://db:7687", "NEO4J_PASSWORD": "secret"})
>>> s.uri, s.username, s.database
('bolt://db:7687', 'neo4j', 'neo4j')
>>> "secret" in repr(s)
False
>>> Neo4jSettings.from_env({}, uri="neo4j://x:7687", password=None).uri
'neo4j://x:7687'
"""
from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import Field

from innograph.models import Frozen

DEFAULT_NEO4J_URI = "bolt://127.0.0.1:7687"
DEFAULT_NEO4J_USERNAME = "neo4j"
DEFAULT_NEO4J_DATABASE = "neo4j"


class Neo4jSettings(Frozen):
    """Where the Neo4j server is and how to log in. The password never appears in ``repr``."""

    uri: str = DEFAULT_NEO4J_URI
    username: str = DEFAULT_NEO4J_USERNAME
    password: str = Field(default="", repr=False)
    database: str = DEFAULT_NEO4J_DATABASE

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: str | None) -> "Neo4jSettings":
        """Settings from ``env`` (default ``os.environ``); an override that is not None wins."""
        env = os.environ if env is None else env
        values = {
            "uri": env.get("NEO4J_URI") or DEFAULT_NEO4J_URI,
            "username": env.get("NEO4J_USERNAME") or DEFAULT_NEO4J_USERNAME,
            "password": env.get("NEO4J_PASSWORD", ""),
            "database": env.get("NEO4J_DATABASE") or DEFAULT_NEO4J_DATABASE,
        }
        values.update({name: value for name, value in overrides.items() if value is not None})
        return cls(**values)
