"""The `spinlens` command line, one module per command group as in spaCy's `spacy/cli/`: `_util` holds
the Typer app, the shared options and helpers and the error handling; importing the command modules
registers their commands on the app."""

from . import analyze, benchmark, corpus, serve, train  # noqa: F401  (registers the commands)
from ._util import app, main, run

# `--help` lists the top-level commands in this order, as before the split into modules (the command
# groups follow them, in the order _util adds them).
COMMAND_ORDER = ("analyze", "batch", "serve", "export")
app.registered_commands.sort(key=lambda command: COMMAND_ORDER.index(command.name))

__all__ = ["app", "main", "run"]
