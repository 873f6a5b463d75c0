"""``/healthz``: a health summary for monitoring, beside the Streamlit app.

No sign-in (a monitor has none) and so nothing a stranger should not see: no paths, names,
versions or counts, only whether the database answers, the migrations are current, the
evidence folder is usable and the PDF font is there. 200 when healthy, 503 otherwise.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core.errors import KansaError
from core.settings import load_settings
from maintenance import service as maintenance
from ui.db import shared_db


def _summary() -> dict[str, str]:
    try:
        return maintenance.health(shared_db(), load_settings())
    except KansaError:
        return {"status": "failing", "database": "failing"}


async def healthz(request: Request) -> Response:
    summary = await run_in_threadpool(_summary)
    status = 200 if summary.get("status") == "ok" else 503
    return JSONResponse(summary, status_code=status, headers={"Cache-Control": "no-store"})


ROUTES = [Route("/healthz", healthz, methods=["GET"])]
