"""Sign-in and sign-out as plain HTTP routes beside the Streamlit app.

Streamlit scripts cannot set an HttpOnly cookie, so the password form posts to
``/auth/login`` here: the password is checked, a session row is created, and the browser gets
a signed, HttpOnly, SameSite=Strict cookie naming that session. Pages read it through
``st.context.cookies`` (ui/session.py) and check it against the session row on every run.
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs, quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from auth import service as auth_service
from core.errors import KansaError
from core.settings import load_settings
from demo import service as demo
from ui.db import shared_db
from ui.i18n import LANGS, strings
from ui.navigation import PAGES
from ui.session import COOKIE, secret, sso_configured

MAX_FORM_BYTES = 8192

_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
 body {{ font-family: "Source Sans Pro", "IPAexGothic", sans-serif; background: #f6f7f9;
        color: #262730; display: flex; justify-content: center; padding-top: 8vh; margin: 0; }}
 main {{ background: #fff; border: 1px solid #dfe1e6; border-radius: 10px; padding: 2rem 2.4rem;
        width: 100%; max-width: 26rem; }}
 h1 {{ font-size: 1.6rem; margin: 0 0 .2rem; }}
 p.sub {{ color: #555; margin: 0 0 1.4rem; }}
 label {{ display: block; font-size: .9rem; margin: .8rem 0 .3rem; }}
 input {{ width: 100%; box-sizing: border-box; padding: .55rem .6rem; font-size: 1rem;
         border: 1px solid #c9ccd3; border-radius: 6px; }}
 button {{ margin-top: 1.3rem; width: 100%; padding: .6rem; font-size: 1rem; color: #fff;
          background: #1f4e79; border: 0; border-radius: 6px; cursor: pointer; }}
 .error {{ background: #fdecea; color: #8a1c12; padding: .6rem .8rem; border-radius: 6px; }}
 .note {{ background: #e8f1fb; color: #1f4e79; padding: .6rem .8rem; border-radius: 6px;
         font-size: .9rem; margin-top: 1.2rem; }}
 nav {{ margin-top: 1rem; font-size: .85rem; text-align: right; }}
</style></head>
<body><main>
<h1>{title}</h1><p class="sub">{subtitle}</p>
{error}
<form method="post" action="/auth/login?lang={lang}&amp;next={next_q}">
 <label for="username">{username_label}</label>
 <input id="username" name="username" autocomplete="username" required maxlength="64"
        value="{username}" autofocus>
 <label for="password">{password_label}</label>
 <input id="password" name="password" type="password" autocomplete="current-password" required
        maxlength="1024">
 <button type="submit">{submit}</button>
</form>
{demo}
<nav><a href="/auth/login?lang={other_lang}&amp;next={next_q}">{other_label}</a></nav>
</main></body></html>
"""


def _lang(request: Request) -> str:
    asked = request.query_params.get("lang", "")
    if asked in LANGS:
        return asked
    accept = request.headers.get("accept-language", "")
    return "ja" if accept.lower().startswith("ja") or not accept else "en"


def _next(request: Request) -> str:
    """Where to go after signing in: a local path only (no open redirect)."""
    target = request.query_params.get("next", "/")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _render(
    request: Request, *, error: str = "", username: str = "", status: int = 200
) -> Response:
    lang = _lang(request)
    s = strings(lang)
    other = "en" if lang == "ja" else "ja"
    demo_note = ""
    if demo.is_demo(shared_db()):
        demo_note = f'<p class="note">{html.escape(s["auth.demo_login_notice"])}</p>'
    body = _PAGE.format(
        lang=lang,
        title=html.escape(s["app.title"]),
        subtitle=html.escape(s["app.subtitle"]),
        error=f'<p class="error" role="alert">{html.escape(error)}</p>' if error else "",
        next_q=html.escape(quote(_next(request), safe="")),
        username_label=html.escape(s["auth.username"]),
        password_label=html.escape(s["auth.password"]),
        username=html.escape(username[:64]),
        submit=html.escape(s["auth.sign_in"]),
        demo=demo_note,
        other_lang=other,
        other_label="日本語" if other == "ja" else "English",
    )
    return HTMLResponse(body, status_code=status, headers=_NO_STORE)


_NO_STORE = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
}


def _same_origin(request: Request) -> bool:
    """A sign-in form must come from our own page (a cross-site post is refused)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


async def login(request: Request) -> Response:
    if request.method == "GET":
        return _render(request)
    s = strings(_lang(request))
    body = await request.body()
    if len(body) > MAX_FORM_BYTES or not _same_origin(request):
        return _render(request, error=s["auth.refused"], status=400)
    form = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=10)
    username = (form.get("username") or [""])[0]
    password = (form.get("password") or [""])[0]
    settings = load_settings()
    client = request.client.host if request.client else "unknown"
    try:
        # Hashing takes ~145 ms: keep it off the event loop that serves every session.
        grant = await run_in_threadpool(
            auth_service.sign_in,
            shared_db(),
            settings,
            secret(),
            username=username,
            password=password,
            client=client,
        )
    except auth_service.SignInRefused as exc:
        message = s["auth.locked"] if "Too many" in str(exc) else s["auth.refused"]
        return _render(request, error=message, username=username, status=401)
    except KansaError:
        return _render(request, error=s["auth.refused"], username=username, status=401)
    response = RedirectResponse(_next(request), status_code=303)
    response.set_cookie(
        COOKIE,
        grant.token,
        max_age=grant.max_age_seconds,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_https(request),
    )
    return response


def _https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS, directly or through a TLS-ending proxy.

    Trusting the proxy's header here is safe: at worst a client that lies gets a cookie its
    own browser will not send back over plain HTTP."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


async def logout(request: Request) -> Response:
    settings = load_settings()
    await run_in_threadpool(
        auth_service.sign_out,
        shared_db(),
        settings,
        secret(),
        request.cookies.get(COOKIE),
    )
    lang = _lang(request)
    response = RedirectResponse(f"/auth/login?lang={lang}", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


ROUTES = [
    Route("/auth/login", login, methods=["GET", "POST"]),
    Route("/auth/logout", logout, methods=["GET", "POST"]),
]


class SignInRedirect:
    """Send a browser that opens a Kansa page without a live session to the sign-in form.

    Only top-level page loads (GET of ``/`` or a page path, asking for HTML) are redirected;
    Streamlit's own assets, health check and websocket pass through untouched. The pages
    check the session again on every run (ui/session.py); this only spares people a detour.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.page_paths = {"/", *(f"/{spec.url_path}" for spec in PAGES)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"] not in self.page_paths
        ):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if "text/html" not in request.headers.get("accept", "") or sso_configured():
            # With single sign-on the Streamlit page offers both ways in; no detour here.
            await self.app(scope, receive, send)
            return
        token = request.cookies.get(COOKIE)
        settings = load_settings()
        principal = await run_in_threadpool(
            auth_service.resolve_session,
            shared_db(),
            settings,
            secret(),
            token,
            client=request.client.host if request.client else "",
        )
        if principal is not None:
            await self.app(scope, receive, send)
            return
        target = scope["path"] + (
            f"?{scope['query_string'].decode()}" if scope["query_string"] else ""
        )
        lang = request.query_params.get("lang", "")
        query = f"lang={lang}&" if lang in LANGS else ""
        response = RedirectResponse(
            f"/auth/login?{query}next={quote(target, safe='')}", status_code=303
        )
        if token:
            response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
        await response(scope, receive, send)


# Sent with every HTTP response (Streamlit's own pages and files too) unless the response
# already sets the header (the sign-in page sets a stricter policy of its own).
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """Add :data:`SECURITY_HEADERS` to every HTTP response: no MIME sniffing, no framing by
    other sites (clickjacking), no page addresses leaked to other sites in Referer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


MIDDLEWARE = [Middleware(SecurityHeaders), Middleware(SignInRedirect)]
