"""Commands on a built graph: export, analyze, view. They only parse options and format results."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from typing import TYPE_CHECKING

import typer

from innograph.cli_query import OutputFormat
from innograph.ontology import EntityLabel

if TYPE_CHECKING:  # imported by the commands that use them: networkx and the graph layer are slow to import
    from rich.console import Console
    from rich.table import Table

    from innograph.graph.analysis import Analysis
    from innograph.graph.model import InnoGraph

STORE_HELP = "The graph store to read (default: $INNOGRAPH_STORE or .innograph/graph.db)."


def _load(path: Optional[Path]) -> InnoGraph:
    from innograph.graph import store

    return store.load(path if path is not None else store.default_store())


def export_command(
    format: str = typer.Option(..., "--format", "-f", help="graphml | gexf | json | csv"),
    out: Path = typer.Option(..., "--out", "-o", help="The file to write (a directory for csv: nodes.csv, relationships.csv)."),
    store_path: Optional[Path] = typer.Option(None, "--store", help=STORE_HELP),
    no_provenance: bool = typer.Option(False, "--no-provenance", help="Leave out Article and Issue nodes and their MENTIONED_IN / PUBLISHED_IN edges."),
    labels: Optional[str] = typer.Option(None, "--labels", help="Only entities of these labels, comma-separated (e.g. Lab,University)."),
    rels: Optional[str] = typer.Option(None, "--rels", help="Only relationships of these types, comma-separated (e.g. ANCHORED_BY,CO_MENTIONED)."),
    issue: Optional[str] = typer.Option(None, "--issue", help="Only what one issue states (its key, e.g. hzkj-2024-06): its articles, their entities, evidence and counts."),
    min_count: int = typer.Option(1, "--min-count", min=1, help="Only co-mentions seen in at least this many sentences."),
) -> None:
    """Export the graph: GEXF 1.3 or GraphML for Gephi, node-link JSON, or neo4j-admin import CSV.

    GEXF and GraphML name things alike: node `kind` is the label, edge `kind` the relationship
    type, edge `weight` its count; GEXF nodes carry the view's colours and sizes by mentions.
    """
    from innograph.graph.export import ExportFormat, export
    from innograph.graph.select import Selection, parse_labels, parse_types, select

    fmt = ExportFormat.parse(format)  # before loading: a bad format fails fast
    selection = Selection(provenance=not no_provenance, labels=parse_labels(labels) if labels is not None else None,
                          types=parse_types(rels) if rels is not None else None, issue=issue, min_count=min_count)
    graph = select(_load(store_path), selection)
    files = export(graph, fmt, out)
    typer.echo(f"wrote {graph.nx.number_of_nodes()} nodes and {graph.nx.number_of_edges()} relationships "
               f"as {fmt.value} to {', '.join(str(f) for f in files)}")


def analyze_command(
    store_path: Optional[Path] = typer.Option(None, "--store", help=STORE_HELP),
    label: Optional[EntityLabel] = typer.Option(None, "--label", "-l", case_sensitive=False, show_default=False,
                                                help="Rank only entities of this label (e.g. Lab)."),
    top: int = typer.Option(10, "--top", "-n", min=1, max=10_000, help="Entities to list per ranking."),
    ego: Optional[str] = typer.Option(None, "--ego", help="Show the ego network of the entity with this name or alias."),
    radius: int = typer.Option(1, "--radius", "-r", min=0, max=10, help="Links from the --ego entity to include."),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", case_sensitive=False),
) -> None:
    """Centrality per label, communities (Louvain) and ego networks of the entity graph."""
    from rich.console import Console

    from innograph.graph.analysis import analyze

    result = analyze(_load(store_path), label=label, top=top, ego=ego, radius=radius)
    if format is OutputFormat.json:
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print_analysis(result, Console(), top)


def print_analysis(result: Analysis, console: Console, top: int) -> None:
    from rich.table import Table

    console.print(f"[bold]{result.entities}[/] entities, [bold]{result.links}[/] links "
                  "(extracted relationships and co-mentions, undirected)")
    if result.ego is not None:
        ego = result.ego
        table = Table(title=f"Ego network of {ego.name} (radius {ego.radius}): {len(ego.nodes)} entities, "
                            f"{len(ego.edges)} links", title_justify="left")
        table.add_column("distance", justify="right")
        table.add_column("entity", overflow="fold")
        table.add_column("label")
        table.add_column("linked to the centre by")
        centre_links = {(e.source if e.target == ego.center else e.target): e.types
                        for e in ego.edges if ego.center in (e.source, e.target)}
        for node in ego.nodes:
            table.add_row(str(node.distance), node.name, node.label.value,
                          ", ".join(centre_links.get(node.key, ())))
        console.print(table)
    if result.label is None and result.overall:
        console.print(_centrality_table(f"Top {len(result.overall)} entities by degree", [("", result.overall)]))
    if result.rankings:
        what = result.label.value if result.label is not None else "label"
        title = f"Centrality per {what} (top {top} each)" if result.label is None else f"Centrality: {what}"
        console.print(_centrality_table(title, [(r.label.value, r.top) for r in result.rankings]))
    if result.communities:
        table = Table(title=f"Communities (Louvain, seed 42): {len(result.communities)}", title_justify="left")
        table.add_column("#", justify="right")
        table.add_column("size", justify="right")
        table.add_column("members (by degree)", overflow="fold")
        for community in result.communities:
            names = [m.name for m in community.members[:top]]
            more = community.size - len(names)
            table.add_row(str(community.index), str(community.size),
                          "、".join(names) + (f" … (+{more})" if more > 0 else ""))
        console.print(table)


def _centrality_table(title: str, groups) -> Table:
    """One table; each group (a label and its entries) is a section."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("entity", overflow="fold", min_width=8)
    table.add_column("label")
    table.add_column("degree", justify="right")
    table.add_column("centrality", justify="right")
    table.add_column("betweenness", justify="right")
    table.add_column("mentions", justify="right")
    for _, entries in groups:
        for rank, c in enumerate(entries, start=1):
            table.add_row(str(rank), c.name, c.label.value, str(c.degree), f"{c.degree_centrality:.3f}",
                          f"{c.betweenness:.3f}", str(c.mention_count), end_section=rank == len(entries))
    return table


def view_command(
    store_path: Optional[Path] = typer.Option(None, "--store", help=STORE_HELP),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="The HTML file to write (default: graph.html beside the default store).",
                                       show_default=False),
    labels: Optional[str] = typer.Option(None, "--labels", help="Only entities of these labels, comma-separated (e.g. Lab,University)."),
    rels: Optional[str] = typer.Option(None, "--rels", help="Only relationships of these types, comma-separated."),
    issue: Optional[str] = typer.Option(None, "--issue", help="Only what one issue states (its key, e.g. hzkj-2024-06)."),
    min_count: int = typer.Option(1, "--min-count", min=1, help="Only co-mentions seen in at least this many sentences."),
    ego: Optional[str] = typer.Option(None, "--ego", help="Only the ego network of the entity with this name or alias."),
    radius: int = typer.Option(1, "--radius", "-r", min=1, help="Links from the --ego entity to include."),
) -> None:
    """Write one self-contained HTML page (works offline) to explore the graph in a browser.

    The page colours entities by label and relationships by type, hides co-mentions and
    isolated entities until asked, filters by label, type and issue, and shows ego networks;
    the options here choose what the page holds at all.
    """
    from innograph.graph.select import Selection, parse_labels, parse_types
    from innograph.graph.view import DEFAULT_VIEW, ViewOptions, write_view

    selection = Selection(labels=parse_labels(labels) if labels is not None else None,
                          types=parse_types(rels) if rels is not None else None, issue=issue, min_count=min_count)
    path = write_view(_load(store_path), out if out is not None else DEFAULT_VIEW, options=ViewOptions(selection=selection, ego=ego, radius=radius))
    typer.echo(f"wrote {path}: open it in a browser")


def convert_command(
    source: Optional[Path] = typer.Argument(None, show_default=False,
                                            help="The store to read (default: .innograph/graph.json, the older default)."),
    target: Optional[Path] = typer.Argument(None, show_default=False,
                                            help="The store to write: SQLite, or JSON for a name ending in .json (default: .innograph/graph.db)."),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", case_sensitive=False),
) -> None:
    """Write a graph store in the other format: the JSON store of earlier versions to SQLite
    (the default, which a question opens without reading the whole graph), or SQLite to JSON.

    The source is left as it was; an existing target is refused. A build or load
    into the default store converts an older .innograph/graph.json by itself.
    """
    from innograph import api
    from innograph.cli_progress import progress_bar
    from innograph.graph import store

    with progress_bar("converting") as progress:  # minutes for an archive
        report = api.convert_store(source if source is not None else store.LEGACY_STORE,
                                   target if target is not None else store.DEFAULT_STORE, progress)
    if format is OutputFormat.json:
        typer.echo(report.model_dump_json(indent=1))
        return
    typer.echo(f"wrote {report.nodes} nodes and {report.edges} relationships from {report.source} "
               f"to {report.target} ({report.format}) in {report.seconds:.2f} s")


def register(app: typer.Typer) -> None:
    """Register this module's commands on ``app``."""
    app.command("export")(export_command)
    app.command("analyze")(analyze_command)
    app.command("view")(view_command)
    app.command("convert")(convert_command)
