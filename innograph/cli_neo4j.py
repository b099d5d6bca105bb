"""Commands of the Neo4j store: ``neo4j init``, ``neo4j schema``, ``load``, ``verify``.

They parse arguments, call :mod:`innograph.loaders.neo4j` and print; an InnographError
propagates to :func:`innograph.cli.run`, which prints it as one line.
"""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from innograph.errors import InputError, LoadError

if TYPE_CHECKING:  # the settings are pydantic models: imported by the commands that connect
    from innograph.config import Neo4jSettings

URI = Annotated[Optional[str], typer.Option("--uri", help="Bolt URI (env NEO4J_URI, default bolt://127.0.0.1:7687)", show_default=False)]
USERNAME = Annotated[Optional[str], typer.Option("--username", help="user (env NEO4J_USERNAME, default neo4j)", show_default=False)]
PASSWORD = Annotated[Optional[str], typer.Option(
    "--password", help="password; prefer env NEO4J_PASSWORD: a command line is visible to every user", show_default=False)]
DATABASE = Annotated[Optional[str], typer.Option("--database", help="database (env NEO4J_DATABASE, default neo4j)", show_default=False)]
STORE = Annotated[Optional[Path], typer.Option("--store", help="embedded store (env INNOGRAPH_STORE, default .innograph/graph.db)", show_default=False)]


class Target(str, Enum):
    neo4j = "neo4j"


PASSWORD_WARNING = ("innograph: warning: a password on the command line is visible to every user of this machine "
                    "(ps, shell history): set NEO4J_PASSWORD instead")


def _settings(uri: str | None, username: str | None, password: str | None, database: str | None) -> Neo4jSettings:
    from innograph.config import Neo4jSettings

    if password is not None:
        print(PASSWORD_WARNING, file=sys.stderr)
    return Neo4jSettings.from_env(uri=uri, username=username, password=password, database=database)


def _writer(settings: Neo4jSettings):  # noqa: ANN202 - imported lazily: the driver is only needed here
    from innograph.loaders.neo4j import Neo4jWriter

    return Neo4jWriter(settings)


def _store_path(store: Path | None) -> Path:
    from innograph.graph import store as embedded

    return store if store is not None else embedded.default_store()


def register(app: typer.Typer) -> None:
    """Register this module's commands on ``app``."""
    neo4j_app = typer.Typer(name="neo4j", help="Manage the Neo4j store's schema.", no_args_is_help=True)
    app.add_typer(neo4j_app, name="neo4j")

    @neo4j_app.command("init")
    def init(uri: URI = None, username: USERNAME = None, password: PASSWORD = None, database: DATABASE = None) -> None:
        """Create the constraints, indexes and the full-text index (idempotent)."""
        with _writer(_settings(uri, username, password, database)) as writer:
            report = writer.init_schema()
        typer.echo(f"schema ready: {len(report.constraints)} constraints, {len(report.indexes)} indexes"
                   + ("" if report.complete else f"; missing or not online: {', '.join(report.missing) or 'see neo4j schema'}"))

    @neo4j_app.command("schema")
    def schema(uri: URI = None, username: USERNAME = None, password: PASSWORD = None, database: DATABASE = None) -> None:
        """List the constraints and indexes, and what 'neo4j init' would add."""
        with _writer(_settings(uri, username, password, database)) as writer:
            report = writer.schema()
        for item in report.constraints:
            typer.echo(f"constraint  {item.name:<24} {item.kind:<12} {':'.join(item.labels_or_types)}({', '.join(item.properties)})")
        for item in report.indexes:
            typer.echo(f"index       {item.name:<24} {item.kind:<12} {':'.join(item.labels_or_types)}({', '.join(item.properties)}) {item.state}")
        if report.missing:
            typer.echo(f"missing ({len(report.missing)}): {', '.join(report.missing)} — run 'innograph neo4j init'")

    @neo4j_app.command("admin-csv")
    def admin_csv(
        directory: Annotated[Path, typer.Argument(help="where to write nodes.csv and relationships.csv")],
        store: STORE = None,
        database: Annotated[str, typer.Option("--database", help="the database the import command names")] = "neo4j",
    ) -> None:
        """Write the store as neo4j-admin import CSV (the loader's rows exactly) and print the import command."""
        import shlex

        from innograph.errors import ExportError
        from innograph.graph import store as embedded
        from innograph.graph.rows import admin_import_arguments, write_admin_csv

        graph = embedded.load(_store_path(store))
        if directory.exists() and not directory.is_dir():
            raise ExportError(f"cannot write CSV to {directory}: it is a file, give a directory")
        try:
            files = write_admin_csv(graph, directory)
        except OSError as exc:
            raise ExportError(f"cannot write CSV to {directory}: {exc.strerror or exc}") from None
        typer.echo(f"wrote {', '.join(str(f) for f in files)}; import with the server stopped:")
        arguments = [shlex.quote(a) if "\x1f" not in a else a.replace("\x1f", "$'\\x1f'")
                     for a in admin_import_arguments(directory, database)]
        typer.echo("  neo4j-admin " + " ".join(arguments))

    @app.command("load")
    def load(
        paths: Annotated[Optional[list[Path]], typer.Argument(help="issue or article files (text, .pdf, .html, .docx) or directories of them to extract and load (default: the bundled sample)", show_default=False)] = None,
        from_store: Annotated[bool, typer.Option("--from-store", help="load the embedded store as it is instead of extracting")] = False,
        sync: Annotated[bool, typer.Option("--sync", help="first delete what Neo4j holds and the store does not, so Neo4j equals the store")] = False,
        store: STORE = None,
        to: Annotated[Target, typer.Option("--to", help="target store")] = Target.neo4j,
        batch_size: Annotated[int, typer.Option("--batch-size", min=1, max=1_000_000, help="rows per transaction")] = 5000,
        uri: URI = None, username: USERNAME = None, password: PASSWORD = None, database: DATABASE = None,
    ) -> None:
        """Load a graph into Neo4j: PATHS (default: the sample) extracted into the embedded store, or the store as it is with --from-store."""
        from innograph import api
        from innograph.cli_extract import converted_note
        from innograph.cli_progress import progress_bar
        from innograph.graph import store as embedded_store

        if from_store and paths:
            raise InputError("give either article files or --from-store, not both")
        settings = _settings(uri, username, password, database)
        if from_store:
            target = _store_path(store)
        else:
            target, converted = embedded_store.store_to_write(store)
            if converted is not None:
                converted_note(converted, target)
        with progress_bar("loading") as progress:
            report = api.load(target, settings, paths=None if from_store else list(paths or []),
                              sync=sync, batch_size=batch_size, progress=progress)
        typer.echo(report.summary())
        for label, n in report.nodes.items():
            typer.echo(f"  {label:<20} {n:>9} nodes")
        for type_, n in report.edges.items():
            typer.echo(f"  {type_:<20} {n:>9} relationships")

    @app.command("verify")
    def verify(
        store: STORE = None,
        uri: URI = None, username: USERNAME = None, password: PASSWORD = None, database: DATABASE = None,
    ) -> None:
        """Check that Neo4j holds exactly the embedded store's graph (counts, and checksums of every node's labels and properties and every relationship's properties)."""
        from innograph import api

        report = api.verify(_store_path(store), _settings(uri, username, password, database))
        typer.echo(f"  {'label / type':<20} {'store':>9} {'Neo4j':>9}")
        for label, diff in report.nodes.items():
            typer.echo(f"  {label:<20} {diff.expected:>9} {diff.actual:>9}  {'ok' if diff.ok else 'DIFFERS'}")
        for type_, diff in report.edges.items():
            typer.echo(f"  {type_:<20} {diff.expected:>9} {diff.actual:>9}  {'ok' if diff.ok else 'DIFFERS'}")
        differences = report.differences()
        if differences:
            store_option = f" --store {store}" if store is not None else ""
            raise LoadError(
                f"Neo4j differs from the store ({'; '.join(differences)}): "
                f"run 'innograph load --from-store --sync{store_option}' to make Neo4j equal the store"
            )
        from innograph import cypher

        nodes = sum(d.expected for name, d in report.nodes.items() if name != cypher.ENTITY.value)
        typer.echo(f"ok: Neo4j holds the store's {nodes} nodes "
                   f"and {sum(d.expected for d in report.edges.values())} relationships, every property equal")
