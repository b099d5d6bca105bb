"""Commands of the extraction stage: extract, build, eval.

The library (and with it the extractor's models, spaCy, LAC and onnxruntime) is imported inside
the commands that use it, so ``innograph --help`` and the questions start without it.
"""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from innograph.cli_query import OutputFormat  # table or json, one choice for every report

if TYPE_CHECKING:
    from rich.progress import Progress


class ExtractFormat(str, Enum):
    json = "json"
    table = "table"


def _progress(total: int, what: str) -> Progress:
    """A progress bar on stderr (stdout stays parseable); hidden when stderr is not a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    err_console = Console(stderr=True)
    progress = Progress(TextColumn(f"[bold]{what}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("{task.description}"), console=err_console, transient=True,
                        disable=not err_console.is_terminal)
    progress.add_task("", total=total)
    return progress


def converted_note(legacy: Path, target: Path) -> None:
    """Say on stderr that the older JSON store was converted, so the user knows which file is now the store."""
    typer.echo(f"converted the older store {legacy} to {target} (SQLite), the store from now on; "
               f"{legacy} is left as it was", err=True)


def extract(
    file: Path = typer.Argument(..., help="A magazine issue or a single article: text (UTF-8, GB18030 or UTF-16), PDF, a saved web page (.html) or a Word file (.docx)."),
    article: bool = typer.Option(False, "--article", help="Read the file as one article even if it looks like an issue."),
    format: ExtractFormat = typer.Option(ExtractFormat.json, "--format", "-f", help="json (documented schema) or table."),
) -> None:
    """Extract entities and relations from FILE and print them.

    The JSON form is {"issue": {...}, "articles": [{"doc_id", "title", "section", "authors",
    "entities": [{"name", "type", "aliases", "mentions"}], "relations": [{"head", "type", "tail",
    "evidence"}]}]} (see README, "Extract JSON").
    """
    from rich.console import Console
    from rich.table import Table

    from innograph import api
    from innograph.extract.output import extract_output

    result = api.extract_path(file, force_article=article)
    output = extract_output(result)
    if format is ExtractFormat.json:
        sys.stdout.write(output.model_dump_json(indent=1) + "\n")
        return
    console = Console()
    for art in output.articles:
        table = Table(title=f"{art.doc_id} {art.title}", title_justify="left")
        for column in ("type", "name", "aliases", "mentions"):
            table.add_column(column)
        for entity in art.entities:
            table.add_row(entity.type, entity.name, ", ".join(a for a in entity.aliases if a != entity.name),
                          str(len(entity.mentions)))
        console.print(table)
        if art.relations:
            rel_table = Table(title="relations", title_justify="left")
            for column in ("head", "type", "tail"):
                rel_table.add_column(column)
            for rel in art.relations:
                rel_table.add_row(rel.head, rel.type, rel.tail)
            console.print(rel_table)


def build(
    files: list[Path] = typer.Argument(None, help="Issue or article files (text, .pdf, .html, .docx) or directories of them; default: the bundled sample issue."),
    store_path: Path = typer.Option(None, "--store", help="The embedded store to write (default: .innograph/graph.db or $INNOGRAPH_STORE)."),
    article: bool = typer.Option(False, "--article", help="Read every file as one article."),
    aliases: Path = typer.Option(None, "--aliases", help="A reviewed alias table (CSV: label,alias,canonical,note)."),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table or json."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, max=64, help="Extract in this many processes (each loads the models once); "
                             "the store is the same as with one."),
) -> None:
    """Extract FILES and add them to the embedded graph store, then print a summary.

    An article already stored with the same text is not extracted again, so loading the same
    issue twice changes nothing; an article whose text changed replaces what it stated before;
    a new issue adds its articles and merges its entities into the ones already stored.
    """
    from rich.console import Console
    from rich.table import Table

    from innograph import api
    from innograph.cli_progress import progress_bar
    from innograph.extract.formats import expand_inputs
    from innograph.graph import store
    from innograph.models import DropReason

    paths = expand_inputs(files or [])  # a directory: every supported file inside
    target, converted = store.store_to_write(store_path)
    if converted is not None:
        converted_note(converted, target)
    with _progress(max(1, len(paths)), "reading") as progress:  # a PDF takes seconds to read
        documents = []
        for path in paths or [None]:
            documents += api.read_documents([path] if path is not None else [], force_article=article)
            progress.advance(progress.task_ids[0])
    with progress_bar("building") as progress:
        report = api.build(paths, target, force_article=article, aliases_path=aliases, documents=documents,
                           progress=progress, jobs=jobs)
    if format is OutputFormat.json:
        sys.stdout.write(report.model_dump_json(indent=1) + "\n")
        return
    console = Console()
    replaced = f"{report.articles_replaced} changed and replaced, " if report.articles_replaced else ""
    console.print(f"[bold]innograph build[/bold]: {len(report.files)} file(s), {report.articles_added} article(s) added, "
                  f"{replaced}{report.articles_skipped} already in the store, {report.articles_extracted} extracted, "
                  f"{report.seconds:.2f} s -> {report.store}")
    nodes = Table(title="nodes", title_justify="left")
    nodes.add_column("label")
    nodes.add_column("count", justify="right")
    for label, count in report.nodes_by_label.items():
        nodes.add_row(label, str(count))
    edges = Table(title="relationships", title_justify="left")
    edges.add_column("type")
    edges.add_column("count", justify="right")
    for type_, count in report.edges_by_type.items():
        edges.add_row(type_, str(count))
    top = Table(title="most mentioned", title_justify="left")
    for column in ("label", "name", "mentions"):
        top.add_column(column)
    for entity in report.top_entities:
        top.add_row(entity.label, entity.name, str(entity.mentions))
    console.print(nodes, edges, top)
    if report.dropped:
        reasons = {r.name: r.value for r in DropReason}
        console.print("dropped by the extractor: " + "; ".join(
            f"{count} {reasons.get(name, name)}" for name, count in report.dropped.items()))


def eval_(
    gold: list[Path] = typer.Argument(..., help="Gold JSONL files (one annotated article a line, see ONTOLOGY.md)."),
    cv: int = typer.Option(None, "--cv", help="K-fold cross-validation by article for the trained span scorer "
                           "(the figure to report); without it the shipped model reads every article."),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table (as the reference scorer prints) or json."),
) -> None:
    """Score the extractor on gold files: per-label precision, recall and F1, per file.

    For one file without --cv it prints exactly what shared/tools/score_extraction.py prints for
    the same predictions: a table, then one JSON line with the figures. With several files, a
    table per file, then the pooled table; the last line is JSON with every file's figures.
    The shipped span scorer was trained on the project's gold files: only --cv figures are
    honest on them.
    """
    from innograph import api
    from innograph.extract.evaluate import format_report, read_gold

    golds_by_file = [(path, read_gold(path)) for path in gold]
    total = sum(len(golds) for _, golds in golds_by_file)
    with _progress(total, "scoring") as progress:
        run = api.evaluate_gold_files(golds_by_file, cv=cv, progress=lambda g: progress.advance(progress.task_ids[0]))
    extra = {"failures": 0, "extract_seconds": run.seconds} | ({"cv_folds": cv} if cv else {})
    if len(run.files) == 1:
        result = run.files[0].score
        if format is OutputFormat.json:
            sys.stdout.write(json.dumps({**result.figures(), **extra}, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(format_report(result, extra) + "\n")
        return
    figures = {"files": {f.path: f.score.figures() for f in run.files}, "pooled": run.pooled.figures(), **extra}
    if format is OutputFormat.json:
        sys.stdout.write(json.dumps(figures, ensure_ascii=False) + "\n")
        return
    for file_score in run.files:
        sys.stdout.write(f"== {file_score.path}\n" + "\n".join(format_report(file_score.score).splitlines()[:-1]) + "\n\n")
    sys.stdout.write("== pooled\n" + "\n".join(format_report(run.pooled).splitlines()[:-1]) + "\n")
    sys.stdout.write(json.dumps(figures, ensure_ascii=False) + "\n")


def train(
    gold: list[Path] = typer.Argument(..., help="Gold JSONL files to train on."),
    out: Path = typer.Option(None, "--out", help="A directory for the models (default: the package's extract/resources/, "
                             "where the extractor reads them)."),
) -> None:
    """Train the name tagger, span scorer and relation classifier on gold files (deterministic).

    Figures on the training files are not results: measure with 'innograph eval --cv K'.
    """
    from innograph import api
    from innograph.extract.evaluate import read_gold

    golds = [g for path in gold for g in read_gold(path)]
    sys.stdout.write(json.dumps(api.train_models(golds, out), ensure_ascii=False) + "\n")


def aliases(
    name: str = typer.Argument(None, help="Only the entity with this name or alias."),
    store_path: Path = typer.Option(None, "--store", help="The embedded store (default: .innograph/graph.db or $INNOGRAPH_STORE)."),
    table: Path = typer.Option(None, "--aliases", help="The alias table used to build (default: the bundled one)."),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table or json."),
) -> None:
    """Show what was merged into one entity and why, so a merge can be audited or overridden.

    The reason is the one recorded when the alias was merged; a store built before reasons were
    recorded says so (rebuild it to record them).

    To override a merge, add a row to the alias table (CSV: label,alias,canonical,note) and
    rebuild with --aliases.
    """
    from rich.console import Console
    from rich.table import Table

    from innograph.errors import EntityNotFound
    from innograph.graph import store
    from innograph.graph.aliases import AliasTable, explain

    rows = explain(store.load(store_path or store.default_store()), AliasTable.load(table), name)
    if name and not rows:
        raise EntityNotFound(f"no merged aliases for '{name}' in the store: check the name with 'innograph search'")
    if format is OutputFormat.json:
        sys.stdout.write(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False, indent=1) + "\n")
        return
    out = Table(title="aliases", title_justify="left")
    for column in ("label", "canonical name", "alias", "seen", "why"):
        out.add_column(column)
    for row in rows:
        out.add_row(row.label.value, row.name, row.alias, str(row.count), row.reason)
    Console().print(out)


def register(app: typer.Typer) -> None:
    """Register this module's commands on ``app``."""
    app.command("extract")(extract)
    app.command("build")(build)
    app.command("eval")(eval_)
    app.command("train")(train)
    app.command("aliases")(aliases)
