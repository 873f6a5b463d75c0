"""Hardening that lives in settings and HTTP plumbing: the Streamlit configuration, the
security headers on every response, and the Secure flag on the session cookie behind a proxy."""

from __future__ import annotations

import tomllib
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from core.settings import Settings
from tests.conftest import ROOT
from ui.auth_routes import SECURITY_HEADERS, SecurityHeaders, _https

CONFIG = ROOT / ".streamlit" / "config.toml"


def _config() -> dict[str, Any]:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_streamlit_is_configured_for_production() -> None:
    config = _config()
    server, client = config["server"], config["client"]
    assert server["enableXsrfProtection"] is True
    # Streamlit's enableCORS means CORS *protection*: true is what keeps other origins out
    # (false sends "Access-Control-Allow-Origin: *" and accepts any WebSocket origin).
    assert server["enableCORS"] is True
    assert server["enableStaticServing"] is False
    assert server["enableAgentApi"] is False
    assert server["headless"] is True
    assert server["runOnSave"] is False
    assert config["global"]["developmentMode"] is False
    assert client["showErrorDetails"] == "none"
    assert client["showErrorLinks"] is False
    assert client["toolbarMode"] in ("minimal", "viewer")
    assert config["runner"]["magicEnabled"] is False
    assert config["logger"]["level"] in ("warning", "error")
    assert config["browser"]["gatherUsageStats"] is False


def test_the_upload_limit_matches_the_evidence_limit() -> None:
    default = Settings(data_dir=ROOT).evidence_max_mb
    assert _config()["server"]["maxUploadSize"] == default


def _client(headers: dict[str, str] | None = None) -> TestClient:
    def plain(request: Request) -> Response:
        return PlainTextResponse("ok", headers=headers)

    app = Starlette(routes=[Route("/", plain)], middleware=[Middleware(SecurityHeaders)])
    return TestClient(app)


def test_every_response_gets_the_security_headers() -> None:
    response = _client().get("/")
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_stricter_header_of_the_response_is_kept() -> None:
    response = _client({"X-Frame-Options": "DENY"}).get("/")
    assert response.headers.get_list("X-Frame-Options") == ["DENY"]


def _request(scheme: str, forwarded: str | None) -> Request:
    headers = [] if forwarded is None else [(b"x-forwarded-proto", forwarded.encode())]
    return Request(
        {
            "type": "http",
            "scheme": scheme,
            "headers": headers,
            "path": "/",
            "query_string": b"",
            "server": ("kansa", 443),
            "method": "POST",
        }
    )


def test_the_cookie_is_secure_over_https_and_behind_a_tls_proxy() -> None:
    assert _https(_request("https", None))
    assert _https(_request("http", "https"))
    assert _https(_request("http", "HTTPS, http"))
    assert not _https(_request("http", None))
    assert not _https(_request("http", "http"))


def _asking(query: bytes = b"", headers: dict[str, str] | None = None) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return Request(
        {
            "type": "http",
            "scheme": "http",
            "headers": raw,
            "path": "/auth/login",
            "query_string": query,
            "server": ("kansa", 80),
            "method": "POST",
        }
    )


def test_sign_in_redirects_only_to_local_paths() -> None:
    from ui.auth_routes import _next  # noqa: PLC0415

    assert _next(_asking(b"next=%2Ffindings%3Fref%3DF-1")) == "/findings?ref=F-1"
    for target in (
        b"https%3A%2F%2Fevil.example",
        b"%2F%2Fevil.example",
        b"%2F%5Cevil.example",
        b"javascript%3Aalert(1)",
    ):
        assert _next(_asking(b"next=" + target)) == "/"


def test_a_sign_in_posted_from_another_site_is_refused() -> None:
    from ui.auth_routes import _same_origin  # noqa: PLC0415

    assert _same_origin(_asking(headers={"Host": "kansa:8501", "Origin": "http://kansa:8501"}))
    assert not _same_origin(
        _asking(headers={"Host": "kansa:8501", "Origin": "https://evil.example"})
    )
    assert not _same_origin(_asking(headers={"Host": "kansa:8501", "Origin": "null"}))
