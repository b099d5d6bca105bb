"""Every command as a thin shell: a usage error is one exact line on stderr and exit 2, never a traceback.

One row per command and kind of mistake: a missing argument, a bad option value, a missing option
value, a typo'd command or option. The store is never read (a usage error fails before any work).
"""
from __future__ import annotations

import pytest

from innograph.cli import run

USAGE_ERRORS = [
    (['train', '--bogus'], 2,
     "innograph: error: No such option: --bogus (Possible options: --out) (see 'innograph train --help')"),
    (['neo4j', 'admin-csv'], 2,
     "innograph: error: Missing argument 'directory' (see 'innograph neo4j admin-csv --help')"),
    (['extract'], 2,
     "innograph: error: Missing argument 'file' (see 'innograph extract --help')"),
    (['extract', 'x.txt', '--format', 'xml'], 2,
     "innograph: error: Invalid value for '--format' / '-f': 'xml' is not one of 'json', 'table' (see 'innograph extract --help')"),
    (['extrakt', 'x.txt'], 2,
     "innograph: error: No such command 'extrakt'. Did you mean 'extract', 'export'? (see 'innograph --help')"),
    (['build', '--format', 'xml'], 2,
     "innograph: error: Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json' (see 'innograph build --help')"),
    (['build', '--aliases'], 2,
     "innograph: error: Option '--aliases' requires an argument (see 'innograph --help')"),
    (['eval'], 2,
     "innograph: error: Missing argument 'gold' (see 'innograph eval --help')"),
    (['eval', 'g.jsonl', '--format', 'xml'], 2,
     "innograph: error: Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json' (see 'innograph eval --help')"),
    (['aliases', '--format', 'xml'], 2,
     "innograph: error: Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json' (see 'innograph aliases --help')"),
    (['export', '--out', 'x'], 2,
     "innograph: error: Missing option '--format' / '-f' (see 'innograph export --help')"),
    (['export', '--format', 'xml', '--out', 'x'], 2,
     "innograph: error: unknown export format 'xml': use one of graphml, gexf, json, csv"),
    (['analyze', '--top', '0'], 2,
     "innograph: error: Invalid value for '--top' / '-n': Input should be greater than or equal to 1 (see 'innograph analyze --help')"),
    (['analyze', '--radius', '-1'], 2,
     "innograph: error: Invalid value for '--radius' / '-r': Input should be greater than or equal to 0 (see 'innograph analyze --help')"),
    (['convert', 'a.json', 'b.db', 'c.db'], 2,
     "innograph: error: Got unexpected extra argument(s) (c.db) (see 'innograph convert --help')"),
    (['view', '--out'], 2,
     "innograph: error: Option '--out' requires an argument (see 'innograph --help')"),
    (['neo4j', 'init', '--uri'], 2,
     "innograph: error: Option '--uri' requires an argument (see 'innograph --help')"),
    (['neo4j', 'initt'], 2,
     "innograph: error: No such command 'initt'. Did you mean 'init'? (see 'innograph neo4j --help')"),
    (['neo4j', 'schema', '--bogus'], 2,
     "innograph: error: No such option: --bogus (see 'innograph neo4j schema --help')"),
    (['load', '--batch-size', '0'], 2,
     "innograph: error: Invalid value for '--batch-size': Input should be greater than or equal to 1 (see 'innograph load --help')"),
    (['load', '--sync', '--batch-size', 'x'], 2,
     "innograph: error: Invalid value for '--batch-size': Input should be a valid integer, unable to parse string as an integer (see 'innograph load --help')"),
    (['load', '--to', 'mysql'], 2,
     "innograph: error: Invalid value for '--to': 'mysql' is not one of 'neo4j' (see 'innograph load --help')"),
    (['verify', '--store'], 2,
     "innograph: error: Option '--store' requires an argument (see 'innograph --help')"),
    (['profile'], 2,
     "innograph: error: Missing argument 'name' (see 'innograph profile --help')"),
    (['profile', 'x', '--format', 'xml'], 2,
     "innograph: error: Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json' (see 'innograph profile --help')"),
    (['related'], 2,
     "innograph: error: Missing argument 'name' (see 'innograph related --help')"),
    (['related', 'x', '--direction', 'up'], 2,
     "innograph: error: Invalid value for '--direction' / '-d': 'up' is not one of 'both', 'out', 'in' (see 'innograph related --help')"),
    (['related', 'x', '--rel', 'KNOWS'], 2,
     "innograph: error: Invalid value for '--rel': 'KNOWS' is not one of 'located_in', 'part_of', 'member_of', 'anchored_by', 'incubated_by', 'collaborates_with', 'issued_by', 'funded_by', 'organized_by', 'leads', 'affiliated_with', 'co_mentioned' (see 'innograph related --help')"),
    (['path', 'a'], 2,
     "innograph: error: Missing argument 'b' (see 'innograph path --help')"),
    (['path', 'a', 'b', '--max-hops', '0'], 2,
     "innograph: error: Invalid value for '--max-hops': Input should be greater than or equal to 1 (see 'innograph path --help')"),
    (['members'], 2,
     "innograph: error: Missing argument 'ecosystem' (see 'innograph members --help')"),
    (['members', 'x', '--format', 'csv'], 2,
     "innograph: error: Invalid value for '--format' / '-f': 'csv' is not one of 'table', 'json' (see 'innograph members --help')"),
    (['search'], 2,
     "innograph: error: Missing argument 'text' (see 'innograph search --help')"),
    (['search', 'x', '--limit', '0'], 2,
     "innograph: error: Invalid value for '--limit' / '-n': Input should be greater than or equal to 1 (see 'innograph search --help')"),
    (['top', '--by', 'fame'], 2,
     "innograph: error: Invalid value for '--by': 'fame' is not one of 'mentions', 'degree', 'betweenness' (see 'innograph top --help')"),
    (['top', '--limit', '99999999999999999999'], 2,
     "innograph: error: Invalid value for '--limit' / '-n': Input should be less than or equal to 10000 (see 'innograph top --help')"),
    (['top', '--label', 'Article'], 2,
     "innograph: error: Invalid value for '--label' / '-l': 'Article' is not one of 'university', 'lab', 'institute', 'facility', 'ecosystem', 'company', 'policy', 'platform', 'fund', 'agency', 'region', 'person', 'event' (see 'innograph top --help')"),
    (['issue-diff'], 2,
     "innograph: error: Missing argument 'issue' (see 'innograph issue-diff --help')"),
    (['cypher'], 2,
     "innograph: error: Missing argument 'query' (see 'innograph cypher --help')"),
    (['cypher', 'RETURN 1', '--format', 'xml'], 2,
     "innograph: error: Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', 'csv' (see 'innograph cypher --help')"),
    (['cypher', 'RETURN 1', '--param', 'novalue'], 2,
     "innograph: error: --param takes NAME=VALUE, not 'novalue'"),
    (['profile', 'x', '--backend', 'mysql'], 2,
     "innograph: error: Invalid value for '--backend' / '-b': 'mysql' is not one of 'embedded', 'neo4j' (see 'innograph profile --help')"),
    (['cookbook', '--param', 'x'], 2,
     "innograph: error: --param takes NAME=VALUE, not 'x'"),
    (['cookbook', 'members', '--format', 'xml'], 2,
     "innograph: error: Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', 'csv' (see 'innograph cookbook --help')"),
    (['cookbook', '--bogus'], 2,
     "innograph: error: No such option: --bogus (see 'innograph cookbook --help')"),
    (['bogus'], 2,
     "innograph: error: No such command 'bogus' (see 'innograph --help')"),
    (['view', '--bogus'], 2,
     "innograph: error: No such option: --bogus (Possible options: --out) (see 'innograph view --help')"),
    (['verify', '--uri'], 2,
     "innograph: error: Option '--uri' requires an argument (see 'innograph --help')"),
    (['neo4j', 'schema', '--database'], 2,
     "innograph: error: Option '--database' requires an argument (see 'innograph --help')"),
    (['load', '--sync', '--from-store', 'x.txt'], 2,
     'innograph: error: give either article files or --from-store, not both'),
]


@pytest.mark.parametrize("argv, code, line", USAGE_ERRORS, ids=[" ".join(a) for a, _, _ in USAGE_ERRORS])
def test_a_usage_error_is_one_line_and_an_exit_code(argv, code, line, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no store, no .env: nothing but the command line decides
    monkeypatch.delenv("NEO4J_URI", raising=False)
    assert run(argv) == code
    captured = capsys.readouterr()
    assert captured.err.splitlines()[-1] == line
    if "--help" in line:
        assert captured.err.count("\n") == 1


def test_the_table_covers_every_command():
    from innograph.cli import app
    import typer

    root = typer.main.get_command(app)
    names = {name for name, cmd in root.commands.items() if not hasattr(cmd, "commands")}
    names |= {f"neo4j {name}" for name in root.commands["neo4j"].commands}
    covered = {" ".join(argv[:2]) if argv[0] == "neo4j" else argv[0] for argv, _, _ in USAGE_ERRORS}
    assert names <= covered, names - covered


def test_a_file_name_with_a_line_break_gives_one_line(tmp_path, capsys):
    assert run(["extract", str(tmp_path / "a\nb.txt")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a⏎b.txt" in err


def test_a_huge_name_is_clipped_in_the_message(tmp_path, monkeypatch, capsys):
    from innograph.graph import store
    from tests import query_fixtures as fx

    path = tmp_path / "graph.json"
    store.save(fx.fixture_graph(), path)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    assert run(["profile", "之" * 40_000, "--store", str(path)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("innograph: error: no entity named '" + "之" * 59 + "…' (40000 characters)")
    assert len(err) < 300 and err.count("\n") == 1


def test_an_unexpected_failure_is_one_line_not_a_traceback(monkeypatch, capsys):
    from innograph import api

    def broken(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(api, "extract_path", broken)
    assert run(["extract", "whatever.txt"]) == 1
    assert capsys.readouterr().err == (
        "innograph: error: internal error (RuntimeError: boom⏎second line): please report it\n")
