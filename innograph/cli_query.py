"""Commands of the query layer: profile, related, path, members, search, top, issue-diff, cypher.

Each command asks :class:`innograph.queries.api.QueryAPI` one question and prints the answer as
rich tables (default) or, with ``--format json``, as ``model_dump(mode="json")`` of the result
model of :mod:`innograph.queries.models` (that module documents the JSON schema).

The backend is the embedded store unless NEO4J_URI is set or ``--backend neo4j`` is given.
"""
from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from innograph.errors import UsageError, shown
from innograph.ontology import EntityLabel, GraphRelType, RelType

if TYPE_CHECKING:  # the query layer and rich are imported by the commands, not by 'innograph --help'
    from pydantic import BaseModel
    from rich.console import Console
    from rich.table import Table

    from innograph.queries.models import (EvidenceItem, IssueDiff, Members, PathResult, Profile,
                                          Related, Relationship, SearchResult, TopResult)

class Backend(str, Enum):
    embedded = "embedded"
    neo4j = "neo4j"


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


class CypherFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class DirectionChoice(str, Enum):
    both = "both"
    out = "out"
    in_ = "in"


class TopByChoice(str, Enum):
    mentions = "mentions"
    degree = "degree"
    betweenness = "betweenness"


#: the relationship types a question can follow: the extracted ones and CO_MENTIONED
RelChoice = Enum("RelChoice", {t.value: t.value for t in (*RelType, GraphRelType.CO_MENTIONED)}, type=str)

BACKEND = Annotated[Optional[Backend], typer.Option(
    "--backend", "-b", help="default: neo4j when NEO4J_URI is set, else embedded", show_default=False,
    case_sensitive=False)]
STORE = Annotated[Optional[Path], typer.Option(
    "--store", help="Embedded graph store (env INNOGRAPH_STORE, default .innograph/graph.db)", show_default=False)]
FORMAT = Annotated[OutputFormat, typer.Option("--format", "-f", case_sensitive=False)]
LABEL = Annotated[Optional[EntityLabel], typer.Option("--label", "-l", help="Only entities of this label.",
                                                      case_sensitive=False, show_default=False)]
LIMIT = Annotated[int, typer.Option("--limit", "-n", min=1, max=10_000)]


def _api(backend: Backend | None, store: Path | None):
    from innograph.queries.api import QueryAPI, open_backend

    return QueryAPI(open_backend(backend.value if backend is not None else None, store))


def _close(api) -> None:
    close = getattr(api.backend, "close", None)
    if close is not None:
        close()


def _ask(backend: str | None, store: Path | None, question):
    api = _api(backend, store)
    try:
        return question(api)
    finally:
        _close(api)


def _answer(format: OutputFormat, backend, store, ask, printer) -> None:
    """Ask the question, print a table for people or JSON for scripts."""
    result = _ask(backend, store, ask)
    _emit_json(result) if format is OutputFormat.json else printer(result, _console())


def _emit_json(model: BaseModel) -> None:
    typer.echo(json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2))


def _console() -> Console:
    from rich.console import Console

    return Console(soft_wrap=False)


def _evidence_text(items: tuple[EvidenceItem, ...], limit: int = 2) -> str:
    lines = [f"{e.sentence} [{e.title or e.doc_id}, {e.issue or '?'}]" for e in items[:limit]]
    if len(items) > limit:
        lines.append(f"(+{len(items) - limit} more)")
    return "\n".join(lines)


def _rel_table(title: str, rels: tuple[Relationship, ...] | list[Relationship],
               more: dict[int, tuple[str, int]] | None = None) -> Table:
    """The relationships as a table; ``more`` maps a row index to (group, relationships not shown)
    after it, each printed as one "… K more" row."""
    from rich.table import Table

    table = Table(title=title, show_lines=True)
    for col in ("type", "dir", "other", "label", "evidence"):
        table.add_column(col, overflow="fold")
    for i, r in enumerate(rels):
        other = r.other.name + (f" ({', '.join(f'{k}={v}' for k, v in r.properties.items())})" if r.properties else "")
        arrow = "→" if r.direction == "out" else "←"
        table.add_row(r.type.value, arrow, other, r.other.label.value, _evidence_text(r.evidence))
        if more and i in more:
            group, hidden = more[i]
            table.add_row(group, arrow, f"… {hidden:,} more", "", "")
    return table


#: relationships of each type and direction a profile table lists (the JSON output has them all)
PROFILE_PER_TYPE = 20


# -- printers ------------------------------------------------------------------------------------
def print_profile(p: Profile, console: Console, per_type: int | None = PROFILE_PER_TYPE) -> None:
    """The profile; of each type and direction the first ``per_type`` relationships (None: all)."""
    console.print(f"[bold]{p.entity.name}[/bold]  {p.entity.label.value}  ({p.entity.key})")
    console.print(f"aliases: {', '.join(p.aliases) or '-'}   mentions: {p.mention_count}   "
                  f"issues: {p.first_issue or '-'} … {p.last_issue or '-'}")
    rels: list[Relationship] = []
    more: dict[int, tuple[str, int]] = {}
    total = 0
    for group in (*p.outgoing.values(), *p.incoming.values()):
        total += len(group)
        shown = group if per_type is None else group[:per_type]
        rels.extend(shown)
        if len(group) > len(shown):
            more[len(rels) - 1] = (group[0].type.value, len(group) - len(shown))
    if not rels:
        console.print("no extracted relationships")
        return
    title = "relationships" if not more else f"relationships ({len(rels):,} of {total:,})"
    console.print(_rel_table(title, rels, more))
    if more:
        console.print(f"{total - len(rels):,} more not shown: --all lists every one, --format json gives them all")


def print_related(r: Related, console: Console) -> None:
    console.print(_rel_table(f"{r.entity.name}: {len(r.relationships)} relationships", r.relationships))


def print_path(r: PathResult, console: Console) -> None:
    from rich.table import Table

    if not r.paths:
        console.print(f"no connection between {r.source.name} and {r.target.name} within {r.max_hops} hops"
                      + ("" if r.co_mentions else " (try --co-mentions or a larger --max-hops)"))
        return
    console.print(f"{len(r.paths)} shortest path(s) of {r.length} hop(s)" + (" (more not shown)" if r.truncated else ""))
    for i, path in enumerate(r.paths, start=1):
        table = Table(title=f"path {i}: " + " — ".join(n.name for n in path.nodes), show_lines=True)
        for col in ("from", "edge", "to", "evidence"):
            table.add_column(col, overflow="fold")
        for hop in path.hops:
            for e in hop.edges:
                arrow = f"-{e.type.value}->" if e.head == hop.source.key else f"<-{e.type.value}-"
                table.add_row(hop.source.name, arrow, hop.target.name, _evidence_text(e.evidence))
        console.print(table)


def print_members(m: Members, console: Console) -> None:
    from rich.table import Table

    where = f"  in {', '.join(r.name for r in m.regions)}" if m.regions else ""
    console.print(f"[bold]{m.ecosystem.name}[/bold]{where}")
    table = Table(show_lines=True)
    for col in ("role", "organisation", "label", "how the text says so"):
        table.add_column(col, overflow="fold")
    for member in m.members:
        table.add_row(member.role, member.entity.name, member.entity.label.value, _evidence_text(member.evidence))
    console.print(table)


def print_search(s: SearchResult, console: Console) -> None:
    from rich.table import Table

    table = Table(title=f"{len(s.hits)} match(es) for {s.query!r}")
    for col in ("name", "label", "match", "matched", "mentions", "aliases"):
        table.add_column(col, overflow="fold")
    for h in s.hits:
        table.add_row(h.entity.name, h.entity.label.value, h.match, h.matched, str(h.mention_count), ", ".join(h.aliases))
    console.print(table)


def print_top(t: TopResult, console: Console) -> None:
    from rich.table import Table

    scope = " ".join(x for x in (t.label.value if t.label else "", f"in {t.issue}" if t.issue else "") if x)
    table = Table(title=f"top by {t.by}" + (f" ({scope})" if scope else ""))
    for col in ("#", "name", "label", t.by, "mentions"):
        table.add_column(col)
    for row in t.rows:
        score = f"{row.score:g}" if t.by != "betweenness" else f"{row.score:.4f}"
        table.add_row(str(row.rank), row.entity.name, row.entity.label.value, score, str(row.mention_count))
    console.print(table)


def print_issue_diff(d: IssueDiff, console: Console) -> None:
    from rich.table import Table

    table = Table(title=f"{len(d.entities)} entities first seen in {d.issue}")
    for col in ("name", "label", "mentions", "aliases"):
        table.add_column(col, overflow="fold")
    for e in d.entities:
        table.add_row(e.name, e.label.value, str(e.mention_count), ", ".join(e.aliases))
    console.print(table)
    rels = Table(title=f"{len(d.relationships)} relationships first seen in {d.issue}", show_lines=True)
    for col in ("head", "type", "tail", "evidence"):
        rels.add_column(col, overflow="fold")
    for r in d.relationships:
        rels.add_row(r.head.name, r.type.value, r.tail.name, _evidence_text(r.evidence))
    console.print(rels)


def _cell(value: object) -> object:
    return value if isinstance(value, (str, int, float)) or value is None else json.dumps(value, ensure_ascii=False)


def print_cypher(columns: tuple[str, ...], rows, fmt: str) -> None:
    """Print rows as they arrive (csv, json) or as one table; a row cap error still closes the JSON."""
    from rich.table import Table

    out = sys.stdout
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
    elif fmt == "json":
        out.write('{"columns": ' + json.dumps(list(columns), ensure_ascii=False) + ', "rows": [')
        try:
            for number, row in enumerate(rows):
                out.write(("" if number == 0 else ", ") + json.dumps(list(row), ensure_ascii=False))
        finally:
            out.write("]}\n")
    else:
        table = Table()
        for col in columns:
            table.add_column(col, overflow="fold")
        try:
            for row in rows:
                table.add_row(*(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in row))
        finally:
            _console().print(table)


def parse_params(items: list[str]) -> dict[str, object]:
    """``k=v`` pairs as query parameters: v is read as JSON when it parses (numbers, lists), else text.

    >>> parse_params(["name=之江实验室", "limit=5", "keys=[\\"a\\", \\"b\\"]"])
    {'name': '之江实验室', 'limit': 5, 'keys': ['a', 'b']}
    """
    params: dict[str, object] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip().isidentifier():
            raise UsageError(f"--param takes NAME=VALUE, not {shown(item)}")
        try:
            params[name.strip()] = json.loads(value)
        except json.JSONDecodeError:
            params[name.strip()] = value
    return params


# -- commands ------------------------------------------------------------------------------------
def profile_command(
    name: Annotated[str, typer.Argument(help="A name or alias as written (浙大, 市科技局 ...).")],
    per_type: Annotated[int, typer.Option(
        "--per-type", min=1, help="Relationships of each type and direction the table lists; the rest are "
        "counted in a '… K more' row.")] = PROFILE_PER_TYPE,
    all_: Annotated[bool, typer.Option("--all", help="List every relationship in the table.")] = False,
    backend: BACKEND = None, store: STORE = None, format: FORMAT = OutputFormat.table,
) -> None:
    """Who or what NAME is: label, aliases, mentions, first/last issue, its relationships with evidence.

    The table lists the first relationships of each type and direction (--per-type; --all: every one); --format json gives every relationship.
    """
    _answer(format, backend, store, lambda api: api.profile(name),
            lambda p, console: print_profile(p, console, None if all_ else per_type))


def related_command(
    name: Annotated[str, typer.Argument(help="A name or alias.")],
    rel: Annotated[Optional[RelChoice], typer.Option("--rel", help="Only this type.", case_sensitive=False,
                                                     show_default=False)] = None,
    label: LABEL = None,
    direction: Annotated[DirectionChoice, typer.Option("--direction", "-d", case_sensitive=False)] = DirectionChoice.both,
    backend: BACKEND = None, store: STORE = None, format: FORMAT = OutputFormat.table,
) -> None:
    """The entities NAME is related to, with the evidence sentence of each relationship."""
    _answer(format, backend, store, lambda api: api.related(
        name, rel=rel.value if rel is not None else None, label=label, direction=direction.value), print_related)


def path_command(
    a: Annotated[str, typer.Argument(help="From this entity.")],
    b: Annotated[str, typer.Argument(help="To this entity.")],
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=10, help="Longest path considered.")] = 4,
    co_mentions: Annotated[bool, typer.Option("--co-mentions", help="Also walk CO_MENTIONED edges.")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, help="Shortest paths listed at most.")] = 10,
    backend: BACKEND = None, store: STORE = None, format: FORMAT = OutputFormat.table,
) -> None:
    """The shortest connections between A and B, every hop with its evidence."""
    _answer(format, backend, store, lambda api: api.path(a, b, max_hops=max_hops, co_mentions=co_mentions, limit=limit), print_path)


def members_command(ecosystem: Annotated[str, typer.Argument(help="An ecosystem's name or alias.")],
                    backend: BACKEND = None, store: STORE = None, format: FORMAT = OutputFormat.table) -> None:
    """The organisations anchoring, belonging to or part of an ecosystem, with how the text says so."""
    _answer(format, backend, store, lambda api: api.members(ecosystem), print_members)


def search_command(
    text: Annotated[str, typer.Argument(help="Part of a name or alias.")],
    label: LABEL = None,
    limit: LIMIT = 20,
    backend: BACKEND = None, store: STORE = None, format: FORMAT = OutputFormat.table,
) -> None:
    """Entities whose name or alias matches TEXT: exact name, exact alias, prefix, substring; then mentions."""
    _answer(format, backend, store, lambda api: api.search(text, limit=limit, label=label), print_search)


def top_command(
    label: LABEL = None,
    by: Annotated[TopByChoice, typer.Option("--by", case_sensitive=False)] = TopByChoice.mentions,
    issue: Annotated[Optional[str], typer.Option("--issue", help="Count only this issue's articles (an issue key, e.g. hzkj-2024-06).")] = None,
    limit: LIMIT = 10,
    backend: BACKEND = None, store: STORE = None, format: FORMAT = OutputFormat.table,
) -> None:
    """The most mentioned, most connected or most between entities."""
    _answer(format, backend, store, lambda api: api.top(label=label, by=by.value, issue=issue, limit=limit), print_top)


def issue_diff_command(issue: Annotated[str, typer.Argument(help="An issue key, e.g. hzkj-2024-06.")],
                       backend: BACKEND = None, store: STORE = None, format: FORMAT = OutputFormat.table) -> None:
    """Entities and relationships first seen in ISSUE."""
    _answer(format, backend, store, lambda api: api.issue_diff(issue), print_issue_diff)


def cypher_command(
    query: Annotated[str, typer.Argument(help="A read-only Cypher query; use $name for parameters.")],
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="NAME=VALUE (VALUE as JSON if it parses).")] = None,
    backend: BACKEND = None,
    format: Annotated[CypherFormat, typer.Option("--format", "-f", case_sensitive=False)] = CypherFormat.table,
) -> None:
    """Run a read-only Cypher query against Neo4j (writes are refused)."""
    params = parse_params(param or [])
    api = _api(backend or Backend.neo4j, None)
    try:
        with api.cypher_rows(query, params) as (columns, rows):
            print_cypher(columns, rows, format.value)
    finally:
        _close(api)


def cookbook_command(
    name: Annotated[Optional[str], typer.Argument(help="A recipe to run; none: list them.", show_default=False)] = None,
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="NAME=VALUE, over the recipe's example parameters.")] = None,
    backend: BACKEND = None,
    format: Annotated[CypherFormat, typer.Option("--format", "-f", case_sensitive=False)] = CypherFormat.table,
) -> None:
    """List the Cypher cookbook's recipes, or run one (its example parameters, or yours) against Neo4j."""
    from innograph.queries.cookbook import load_cookbook, recipe

    params = parse_params(param or [])
    if name is None:
        if params:
            raise UsageError("--param needs a recipe: 'innograph cookbook NAME --param k=v'")
        typer.echo("innograph cookbook: run one with 'innograph cookbook NAME [--param NAME=VALUE]'\n")
        for r in load_cookbook():
            typer.echo(f"{r.name}\n    {r.doc}\n    example: {json.dumps(r.params, ensure_ascii=False)}")
        return
    chosen = recipe(name)
    api = _api(backend or Backend.neo4j, None)
    try:
        with api.cypher_rows(chosen.query, {**chosen.params, **params}) as (columns, rows):
            print_cypher(columns, rows, format.value)
    finally:
        _close(api)


def register(app: typer.Typer) -> None:
    """Register this module's commands on ``app``."""
    app.command("profile")(profile_command)
    app.command("related")(related_command)
    app.command("path")(path_command)
    app.command("members")(members_command)
    app.command("search")(search_command)
    app.command("top")(top_command)
    app.command("issue-diff")(issue_diff_command)
    app.command("cypher")(cypher_command)
    app.command("cookbook")(cookbook_command)
