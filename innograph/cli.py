"""The command line: parses arguments, calls the library, turns errors into one line and an exit code.

Commands of other areas live in ``innograph.cli_<area>`` modules with a ``register(app)``
function; :data:`COMMAND_MODULES` lists them.
"""
from __future__ import annotations

import importlib
import sys

import click
import typer

from innograph.errors import InnographError

app = typer.Typer(
    name="innograph",
    help=(
        "innograph: a knowledge graph of innovation entities (labs, universities, ecosystems, "
        "companies, policies ...) extracted from Chinese science-and-technology articles.\n\n"
        "Start with 'innograph build' (the bundled sample issue into the embedded store), "
        "then explore with the other commands."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module registers its commands on ``app``.
COMMAND_MODULES: list[str] = [
    "innograph.cli_extract",
    "innograph.cli_graph",
    "innograph.cli_neo4j",
    "innograph.cli_query",
]

for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(app)


def run(argv: list[str] | None = None) -> int:
    """Run the app on ``argv`` and return the exit code: an :class:`InnographError` becomes one line."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="innograph", standalone_mode=False)
    except InnographError as err:
        print(f"innograph: error: {err}", file=sys.stderr)
        return err.exit_code
    except click.exceptions.Abort:
        print("innograph: aborted", file=sys.stderr)
        return 130
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except click.exceptions.Exit as exit_:
        return exit_.exit_code
    return result if isinstance(result, int) else 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
