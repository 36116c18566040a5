"""Pages: each declared once, served as JSON at ``/api<path>`` and as HTML at ``<path>``.

:func:`page` registers a function that returns the page's data (a pydantic
model, from :mod:`corridor.views`) twice on :data:`router`: as JSON at
``/api<path>`` (documented in the OpenAPI schema) and as HTML at ``<path>``,
rendered by a Jinja2 template from the *same* data. So every HTML page has a
JSON twin by construction. To add a page, write the data function, a template
and a model, and decorate::

    @page("/entities/{entity_id}", template="entity.html", model=EntityPage,
          summary="One entity: aliases, roles, mentions", section="entities")
    def entity(corridor: Reader, entity_id: str) -> EntityPage:
        return entity_page(corridor, entity_id)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from .deps import base_path, config_of, require_read
from .models import ErrorOut

__all__ = ["ERRORS", "PAGES", "Page", "page", "render", "router"]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Page:
    path: str  # the HTML page
    api_path: str  # its JSON twin
    template: str
    section: str


router: APIRouter = APIRouter()
PAGES: list[Page] = []
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Bad parameter (e.g. a date that cannot be read)"},
    401: {"model": ErrorOut, "description": "A token is required (reads on a non-local server)"},
    404: {"model": ErrorOut, "description": "Not found"},
}


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    env = request.app.state.templates
    html = env.get_template(template).render(
        base=base_path(request), params=dict(request.query_params), path=request.url.path,
        open_reads=config_of(request).open_reads, **context)
    return HTMLResponse(html, status_code=status)


def page(path: str, *, template: str, model: type[BaseModel], summary: str, section: str,
         aliases: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Register ``fn`` as JSON at ``/api<path>`` and as HTML at ``path`` (and ``aliases``)."""
    api_path = "/api" + path

    def register(fn: F) -> F:
        guard = [Depends(require_read)]
        router.add_api_route(api_path, fn, methods=["GET"], response_model=model,
                             summary=summary, description=inspect.getdoc(fn) or "",
                             tags=["read"], dependencies=guard, responses=ERRORS,
                             name=fn.__name__)

        async def html(request: Request, data: BaseModel) -> HTMLResponse:
            twin = base_path(request) + api_path.format(
                **{k: quote(str(v), safe="") for k, v in request.path_params.items()})
            if request.url.query:
                twin += "?" + request.url.query
            return render(request, template, data=data, section=section, twin=twin)

        html.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                               annotation=Request),
             inspect.Parameter("data", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                               annotation=Any, default=Depends(fn))],
            return_annotation=HTMLResponse,
        )
        for i, route in enumerate((path, *aliases)):
            router.add_api_route(route, html, methods=["GET"], response_class=HTMLResponse,
                                 response_model=None, include_in_schema=False,
                                 dependencies=guard, name=f"{fn.__name__}_page{i or ''}")
        PAGES.append(Page(path, api_path, template, section))
        return fn

    return register

