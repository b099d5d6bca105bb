"""One base exception for everything innograph reports to a user.

Each message says what went wrong and what to do about it; the CLI prints it as one
line on stderr and exits with ``exit_code``.
"""
from __future__ import annotations


class InnographError(Exception):
    """Base class: ``str(err)`` is the one-line message a user sees."""

    exit_code = 1


class InputError(InnographError):
    """The input a user gave cannot be read (missing, a directory, empty, binary, no Chinese)."""

    exit_code = 2


class GoldFileError(InputError):
    """A gold or prediction file is not the JSONL the scorer expects."""


class StoreError(InnographError):
    """The embedded graph store is missing or unreadable."""

    exit_code = 2


class EntityNotFound(InnographError):
    """A name given by a user matches no entity in the graph."""

    exit_code = 3


class Neo4jUnavailable(InnographError):
    """The Neo4j server cannot be reached or refused the credentials."""

    exit_code = 4


class LoadError(InnographError):
    """A load into a store failed part-way; re-running it completes the load."""

    exit_code = 5


class QueryRefused(InnographError):
    """An ad-hoc query would write to the database (the cypher command is read-only)."""

    exit_code = 2


class ExportError(InnographError):
    """An export, report or view cannot be written (unknown format, unwritable path)."""

    exit_code = 2
