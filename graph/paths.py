"""Where innograph keeps its files: the embedded store (the default and the older default) and the view.

Its own module so that a question on a SQLite store finds its store without importing the graph
model (networkx), which only the JSON store and the whole-graph commands need.

>>> str(DEFAULT_STORE)
'.innograph/graph.db'
"""
from __future__ import annotations

import os
from pathlib import Path

#: innograph's folder under the working directory
HOME = Path(".innograph")
DEFAULT_STORE = HOME / "graph.db"
#: the default store of innograph before SQLite, still used where it is the only one
LEGACY_STORE = HOME / "graph.json"
#: the network view's page
DEFAULT_VIEW = HOME / "graph.html"


def default_store() -> Path:
    """The store path: ``$INNOGRAPH_STORE``, else ``.innograph/graph.db`` under the working directory
    (``.innograph/graph.json`` where only that older store exists, so it keeps working)."""
    if "INNOGRAPH_STORE" in os.environ:
        return Path(os.environ["INNOGRAPH_STORE"])
    return LEGACY_STORE if only_the_legacy_store() else DEFAULT_STORE


def only_the_legacy_store() -> bool:
    """Whether the working directory holds the older JSON default store and not the current one."""
    return not DEFAULT_STORE.exists() and LEGACY_STORE.is_file()
