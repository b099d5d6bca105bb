"""The command line: parses arguments, calls the library, turns errors into one line and an exit code.

Commands of other areas live in ``innograph.cli_<area>`` modules with a ``register(app)``
function; :data:`COMMAND_MODULES` lists them.
"""
from __future__ import annotations

import importlib
import sys

import click
import typer
# typer 0.29 vendors its own click (typer._click): its exceptions are not click's, so both
# families are caught. pyproject pins typer to 0.29.x, the version this was written against.
from typer import exceptions as typer_exceptions
from typer._click import exceptions as typer_click

from innograph.errors import InnographError, UsageError, one_line

USAGE_ERRORS = (click.exceptions.UsageError, typer_click.UsageError)
CLICK_ERRORS = (click.exceptions.ClickException, typer_click.ClickException)
ABORTS = (click.exceptions.Abort, typer_exceptions.Abort)
EXITS = (click.exceptions.Exit, typer_exceptions.Exit)
NO_ARGS = (click.exceptions.NoArgsIsHelpError, typer_click.NoArgsIsHelpError)

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
    # plain help (click's formatter): rich's help renderer imports rich and markdown-it, about
    # 40% of 'innograph --help' (0.43 s against 0.26 s on a 2-core machine)
    rich_markup_mode=None,
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


def _usage_line(err: Exception) -> str:
    """A click usage error as one line: its message and where the help is."""
    ctx = getattr(err, "ctx", None)
    where = ctx.command_path if ctx is not None else "innograph"
    message = err.format_message() if hasattr(err, "format_message") else str(err)
    message = " ".join(message.replace("Value error, ", "").split())
    return f"{message.rstrip('.')} (see '{where} --help')"


def run(argv: list[str] | None = None) -> int:
    """Run the app on ``argv`` and return the exit code; whatever goes wrong is one line on stderr.

    Usage errors (unknown command or option, missing argument, bad value) exit 2; an
    :class:`InnographError` exits with its code; a file the system refuses exits 2; anything
    else is a bug in innograph, one line too, exit 1.
    """
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="innograph", standalone_mode=False)
    except InnographError as err:
        return _fail(str(err), err.exit_code)
    except NO_ARGS:  # 'innograph' or 'innograph neo4j' alone: typer has printed the help
        return UsageError.exit_code
    except USAGE_ERRORS as err:
        return _fail(str(UsageError(_usage_line(err))), UsageError.exit_code)
    except ABORTS:
        print("innograph: aborted", file=sys.stderr)
        return 130
    except CLICK_ERRORS as err:
        return _fail(one_line(err.format_message()), err.exit_code)
    except EXITS as exit_:
        return exit_.exit_code
    except KeyboardInterrupt:
        print("innograph: interrupted", file=sys.stderr)
        return 130
    except UnicodeDecodeError as err:
        # The library maps the failures it expects; these are the safety nets for the rest.
        return _fail(one_line(f"an input is not text in the expected encoding ({err.encoding}): "
                              "give UTF-8 text files"), 2)
    except OSError as err:
        where = f" {err.filename}" if err.filename else ""
        return _fail(one_line(f"cannot use{where}: {err.strerror or err}"), 2)
    except Exception as err:  # noqa: BLE001 - the one place a bug becomes one line, not a traceback
        return _fail(one_line(f"internal error ({type(err).__name__}: {err}): please report it"), 1)
    return result if isinstance(result, int) else 0


def _fail(message: str, code: int) -> int:
    print(f"innograph: error: {message}", file=sys.stderr)
    return code


def main() -> None:
    """Console-script entry point."""
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
