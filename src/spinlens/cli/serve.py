"""`spinlens serve`: the web app and REST API over a corpus database (the serve extra)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ._util import DbOption, MinAttributionScoreOption, MinProbabilityOption, _check_thresholds, _needs, app


@app.command("serve")
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    max_body: Annotated[int, typer.Option(min=1, help="Largest request body in bytes (413 above).")] = 2_000_000,
    allowed_host: Annotated[Optional[list[str]], typer.Option(
        metavar="NAME", help="Another host name the server answers to on a loopback address (the public name a proxy on this "
             "machine passes on); repeatable.")] = None,
    min_probability: MinProbabilityOption = None,
    min_attribution_score: MinAttributionScoreOption = None,
) -> None:
    """Web app and REST API (OpenAPI at /docs) over a corpus database. The analyses it makes keep what the
    thresholds keep; a request can ask to see fewer (min_probability, min_attribution_score), not more."""
    _check_thresholds(min_probability, min_attribution_score)
    _needs("serve", "fastapi", "uvicorn", "sqlalchemy")
    from ..server.app import serve as run_server  # lazy: fastapi and sqlalchemy
    run_server(db, host, port, max_body, allowed_host or [], min_probability, min_attribution_score)
