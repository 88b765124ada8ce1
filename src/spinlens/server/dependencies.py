"""What a route takes from the app (FastAPI dependencies: the store, the models, the analysis service)
and the request parameters that more than one route declares.

The app's store and models live in `app.state` (create_app puts them there). The models dependency
hands over their holder, not the analyzer: a route asks it for the analyzer (a 503 while they load)
only once the request has been checked, so a request that does not match its schema is still a 422.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from ..store.db import INT64_MAX, Store
from .service import Analyses, ModelHolder


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def get_models(request: Request) -> ModelHolder:
    models: ModelHolder = request.app.state.models
    return models


StoreDep = Annotated[Store, Depends(get_store)]
ModelsDep = Annotated[ModelHolder, Depends(get_models)]


async def get_analyses(request: Request, store: StoreDep, models: ModelsDep) -> Analyses:
    return Analyses(store, models, allow_private=bool(request.app.state.allow_private))


AnalysesDep = Annotated[Analyses, Depends(get_analyses)]

# A cursor is an article id; a larger number cannot be one (nor be stored by SQLite).
Cursor = Annotated[int | None, Query(ge=1, le=INT64_MAX, description="next_cursor of the previous page")]
# A string checked by filter_date, not `date`: pydantic's date also takes Unix timestamps and datetimes.
Since = Annotated[str | None, Query(description="Published on or after this date, YYYY-MM-DD")]
Until = Annotated[str | None, Query(description="Published on or before this date, YYYY-MM-DD")]
# A string checked by article_number, not `int`: pydantic's int also takes "1.0" and "1 ".
ArticleId = Annotated[str, Path(description="The article's id, in plain digits")]
