"""Commands of the extraction stage: extract, build, eval (filled in by the foundation issue)."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Register this module's commands on ``app``."""
