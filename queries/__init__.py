"""innograph.queries: the questions asked of the graph, on the embedded store or Neo4j.

>>> from innograph.queries import QueryAPI, open_backend   # doctest: +SKIP
>>> QueryAPI(open_backend()).profile("浙大").entity.name    # doctest: +SKIP
'浙江大学'

:mod:`~innograph.queries.api` (the questions), :mod:`~innograph.queries.models` (result models,
the JSON schema of ``--format json``), :mod:`~innograph.queries.backend` (the GraphBackend
protocol), :mod:`~innograph.queries.embedded` and :mod:`~innograph.queries.neo4j_backend`.
"""
from innograph.queries.api import QueryAPI, open_backend

__all__ = ["QueryAPI", "open_backend"]
