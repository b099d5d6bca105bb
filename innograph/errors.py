"""One base exception for everything innograph reports to a user, and the rules of its messages.

Each message says what went wrong and what to do about it, in domain words (the library never
names a command-line flag); the CLI prints it as one line on stderr and exits with ``exit_code``.

Every message is one line, echoes user input clipped, and never carries a password that was
part of a URI:

>>> str(InputError("no file named 'a\\nb.txt'"))
"no file named 'a⏎b.txt'"
>>> str(Neo4jUnavailable("cannot connect to Neo4j at bolt://neo4j:s3cret@db:7687"))
'cannot connect to Neo4j at bolt://neo4j:***@db:7687'
>>> len(str(EntityNotFound("no entity named " + shown("之" * 40000))))  < 200
True

Exit codes: 1 a failure of innograph itself, 2 bad input (files, options, stores, queries),
3 a name that matches nothing, 4 Neo4j unreachable, 5 a load that stopped part-way.
"""
from __future__ import annotations

import re

#: where a message is cut, so that a huge input never makes a huge message
MESSAGE_LIMIT = 600
#: where an echoed user value is cut
SHOWN_LIMIT = 60

# scheme://user:password@host  or  scheme://password@host (the user-only form is left alone)
_URI_CREDENTIALS = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^/@\s:]*):(?P<password>[^/@\s]*)@")
_URI_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/@\s]+)@")


def redact(text: str) -> str:
    """``text`` with the credentials of every URI in it replaced by ``***``.

    >>> redact("bolt://neo4j:pw@127.0.0.1:7687 and neo4j://pw@h")
    'bolt://neo4j:***@127.0.0.1:7687 and neo4j://***@h'
    """
    text = _URI_CREDENTIALS.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)
    return _URI_USERINFO.sub(lambda m: m[0] if m["userinfo"].endswith(":***") else f"{m['scheme']}***@", text)


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` on one line (line breaks shown as ⏎), at most ``limit`` characters, credentials redacted.

    >>> one_line("a\\r\\nb\\tc")
    'a⏎b c'
    """
    flat = redact(text).replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")
    flat = "".join(" " if ch in "\t\v\f" or (ord(ch) < 32) else ch for ch in flat)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def shown(value: object, limit: int = SHOWN_LIMIT) -> str:
    """A user's value quoted for a message, clipped to ``limit`` characters.

    >>> shown("浙大"), shown("x" * 100, 10)
    ("'浙大'", "'xxxxxxxxx…' (100 characters)")
    """
    text = str(value)
    if len(text) <= limit:
        return repr(text) if "'" not in text else f'"{text}"'
    return f"'{text[: limit - 1]}…' ({len(text)} characters)"


class InnographError(Exception):
    """Base class: ``str(err)`` is the one-line message a user sees."""

    exit_code = 1

    def __init__(self, message: str = "") -> None:
        super().__init__(one_line(str(message)))


class InputError(InnographError):
    """The input a user gave cannot be used (missing, a directory, empty, binary, no Chinese, a bad value)."""

    exit_code = 2


class UsageError(InputError):
    """A command line that does not parse: unknown command or option, missing argument, bad value."""


class GoldFileError(InputError):
    """A gold or prediction file is not the JSONL the scorer expects."""


class StoreError(InnographError):
    """The embedded graph store is missing, unreadable, locked too long or cannot be written."""

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
    """An ad-hoc query would write, administer the server, read files or call a procedure outside the allowlist."""

    exit_code = 2


class QueryError(InputError):
    """Neo4j rejected an ad-hoc query (a syntax error, a timeout, too many rows)."""


class ExportError(InnographError):
    """An export, report or view cannot be written (unknown format, unwritable path)."""

    exit_code = 2
