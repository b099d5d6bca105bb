"""The one way to Neo4j: settings -> a checked URI -> a logged-in driver, and driver errors -> ours.

The loader (:mod:`innograph.loaders.neo4j`) and the query backend
(:mod:`innograph.queries.neo4j_backend`) both connect through :func:`connect` and map failures
through :func:`unavailable` / :func:`server_error`, so both say the same things, and neither
prints the driver's notifications (a query naming a relationship type the data does not have
yet, FUNDED_BY say, would otherwise print kilobytes of warnings).

>>> check_uri("bolt://127.0.0.1:7687")
'bolt://127.0.0.1:7687'
>>> check_uri("http://127.0.0.1:7474")
Traceback (most recent call last):
...
innograph.errors.Neo4jUnavailable: cannot use the Neo4j URI 'http://127.0.0.1:7474': not a Bolt URI: use bolt://HOST:PORT or neo4j://HOST:PORT (e.g. bolt://127.0.0.1:7687)
>>> check_uri("bolt://neo4j:secret@db:7687")
Traceback (most recent call last):
...
innograph.errors.Neo4jUnavailable: cannot use the Neo4j URI 'bolt://neo4j:***@db:7687': it holds credentials: give the user and password in NEO4J_USERNAME and NEO4J_PASSWORD instead (e.g. bolt://127.0.0.1:7687)
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import (AuthError, ClientError, ConfigurationError, DriverError, Neo4jError,
                              ServiceUnavailable, SessionExpired, TransientError)

from innograph.config import Neo4jSettings
from innograph.errors import InnographError, LoadError, Neo4jUnavailable, redact, shown

BOLT_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})
EXAMPLE_URI = "bolt://127.0.0.1:7687"
CONNECTION_ERRORS = (ServiceUnavailable, SessionExpired, AuthError, ConfigurationError)


def _bad_uri(uri: str, why: str) -> Neo4jUnavailable:
    return Neo4jUnavailable(f"cannot use the Neo4j URI {shown(redact(uri))}: {why} (e.g. {EXAMPLE_URI})")


def check_uri(uri: str) -> str:
    """``uri`` if the driver can use it as a Bolt address; a :class:`Neo4jUnavailable` saying why not."""
    try:
        parts = urlsplit(uri)
        port = parts.port  # raises ValueError on a port that is no number
        host = parts.hostname
    except ValueError as exc:
        raise _bad_uri(uri, f"it does not parse ({exc})") from None
    if parts.scheme not in BOLT_SCHEMES:
        raise _bad_uri(uri, "not a Bolt URI: use bolt://HOST:PORT or neo4j://HOST:PORT")
    if "@" in parts.netloc:
        raise _bad_uri(uri, "it holds credentials: give the user and password in NEO4J_USERNAME and NEO4J_PASSWORD instead")
    if not host:
        raise _bad_uri(uri, "it names no host")
    if parts.path not in ("", "/") or parts.fragment:
        raise _bad_uri(uri, "a Bolt URI has no path or fragment")
    if parts.query and not parts.scheme.startswith("neo4j"):
        raise _bad_uri(uri, "only neo4j:// URIs take a routing context after '?'")
    if port is not None and not 0 < port < 65536:
        raise _bad_uri(uri, f"port {port} is out of range")
    return uri


def unavailable(settings: Neo4jSettings, exc: BaseException) -> Neo4jUnavailable:
    """The one-line error for a server that cannot be reached or refuses the login."""
    uri = redact(settings.uri)
    if isinstance(exc, Neo4jUnavailable):
        return exc
    if isinstance(exc, AuthError):
        return Neo4jUnavailable(f"Neo4j refused the credentials for user {shown(settings.username)} at {uri}: "
                                "set NEO4J_USERNAME and NEO4J_PASSWORD")
    if isinstance(exc, ConfigurationError):
        return _bad_uri(settings.uri, reason(exc))
    if isinstance(exc, ClientError) and (exc.code or "").endswith("DatabaseNotFound"):
        return Neo4jUnavailable(f"Neo4j at {uri} has no database {shown(settings.database)}: set NEO4J_DATABASE")
    return Neo4jUnavailable(f"cannot connect to Neo4j at {uri}: {reason(exc)} "
                            "— start it with 'scripts/neo4j-local start' or set NEO4J_URI")


def reason(exc: BaseException) -> str:
    """A driver exception as a short phrase (its first line, clipped, credentials redacted)."""
    message = getattr(exc, "message", None) or str(exc)
    text = " ".join(redact(message).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def connect(settings: Neo4jSettings) -> Driver:
    """A driver for ``settings``, connected and logged in; notifications off."""
    check_uri(settings.uri)
    try:
        driver = GraphDatabase.driver(settings.uri, auth=(settings.username, settings.password),
                                      notifications_min_severity="OFF")
    except (ConfigurationError, ValueError) as exc:
        raise _bad_uri(settings.uri, reason(exc)) from None
    try:
        driver.verify_connectivity()
    except (*CONNECTION_ERRORS, ClientError, DriverError, OSError, ValueError) as exc:
        driver.close()
        raise unavailable(settings, exc) from None
    return driver


def is_transient(exc: BaseException) -> bool:
    """Errors a retry can get past: deadlocks, a schema rule another client is creating."""
    code = getattr(exc, "code", "") or ""
    return isinstance(exc, TransientError) or code.startswith("Neo.TransientError") or code.endswith("DeadlockDetected")


@contextmanager
def server_errors(settings: Neo4jSettings, doing: str) -> Iterator[None]:
    """Connection loss and login failures become Neo4jUnavailable; other server errors, LoadError."""
    try:
        yield
    except InnographError:
        raise
    except CONNECTION_ERRORS as exc:
        raise unavailable(settings, exc) from None
    except ClientError as exc:
        if (exc.code or "").endswith("DatabaseNotFound"):
            raise unavailable(settings, exc) from None
        raise LoadError(f"Neo4j failed while {doing}: {reason(exc)}") from None
    except (Neo4jError, DriverError, OSError) as exc:
        raise LoadError(f"Neo4j failed while {doing}: {reason(exc)}") from None
