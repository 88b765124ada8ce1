"""`spinlens serve`: the web app and REST API over a corpus database (the serve extra)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ._util import DbOption, _check_probability, _needs, app


@app.command("serve")
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    max_body: Annotated[int, typer.Option(min=1, help="Largest request body in bytes (413 above).")] = 2_000_000,
    allowed_host: Annotated[Optional[list[str]], typer.Option(
        metavar="NAME", help="Another host name the server answers to on a loopback address (the public name a proxy on this "
             "machine passes on); repeatable.")] = None,
    min_probability: Annotated[Optional[float], typer.Option(
        metavar="<p>", help="Keep techniques from this probability on (default 0.5).", rich_help_panel="Thresholds")] = None,
    min_attribution_score: Annotated[Optional[float], typer.Option(
        metavar="<p>", help="Keep attributions from this score on (default 0.4).", rich_help_panel="Thresholds")] = None,
) -> None:
    """Web app and REST API (OpenAPI at /docs) over a corpus database. The analyses it makes keep what the
    thresholds keep; a request can ask to see fewer (min_probability, min_attribution_score), not more."""
    _check_probability(min_probability)
    _check_probability(min_attribution_score, "--min-attribution-score")
    _needs("serve", "fastapi", "uvicorn", "sqlalchemy")
    from ..server.app import serve as run_server  # lazy: fastapi and sqlalchemy
    run_server(db, host, port, max_body, allowed_host or [], min_probability, min_attribution_score)
