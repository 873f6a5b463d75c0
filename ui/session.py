"""Who is signed in, and the permission check every page makes."""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path
from urllib.parse import quote

import streamlit as st

from auth import service as auth_service
from auth.model import Permission, Principal
from auth.permissions import has_permission
from auth.secret import load_or_create_secret
from core.settings import load_settings
from demo import service as demo
from ui.db import get_db
from ui.i18n import current_lang, t

COOKIE = "kansa_session"
_TOKEN_KEY = "kansa_token"  # noqa: S105 -- a session-state key, not a secret
_REJECTED_KEY = "kansa_rejected_token"


@cache
def _secret(path: str) -> str:
    return load_or_create_secret(Path(path))


def secret() -> str:
    return _secret(str(load_settings().secret_path))


def _client() -> str:
    try:
        return str(st.context.ip_address or "")
    except Exception:
        return ""


def sso_configured() -> bool:
    """True when an OIDC provider is set up for ``st.login`` (``[auth]`` in secrets.toml)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml: no single sign-on
        return False


def _sso_principal() -> Principal | None:
    if not sso_configured() or not st.user.is_logged_in:
        return None
    email = st.user.get("email")
    return auth_service.resolve_sso_user(get_db(), str(email) if email else None)


def current_principal() -> Principal | None:
    """The signed-in user of this browser session (re-checked on every run)."""
    sso = _sso_principal()
    if sso is not None:
        return sso
    token = st.session_state.get(_TOKEN_KEY) or st.context.cookies.get(COOKIE)
    if not isinstance(token, str) or not token:
        return None
    if st.session_state.get(_REJECTED_KEY) == token:
        return None  # already refused and logged in this browser session
    settings = load_settings()
    principal = auth_service.resolve_session(get_db(), settings, secret(), token, client=_client())
    if principal is None:
        st.session_state[_REJECTED_KEY] = token
        st.session_state.pop(_TOKEN_KEY, None)
        return None
    st.session_state[_TOKEN_KEY] = token
    return principal


def require(permission: Permission) -> Principal:
    """Stop the page with a plain message unless the signed-in user holds ``permission``.

    Pages call this first: hiding a page from the sidebar is not protection, because any page
    can be opened by its URL.
    """
    principal = current_principal()
    if principal is None:
        st.warning(t("auth.sign_in_needed"))
        same_tab_link(t("auth.sign_in"), f"/auth/login?lang={current_lang()}")
        st.stop()
    if not has_permission(principal.role, permission):
        st.error(t("auth.not_permitted", role=t(f"role.{principal.role.value}")))
        st.stop()
    return principal


def same_tab_link(label: str, href: str) -> None:
    """A link that stays in this tab (Streamlit's link buttons open a new one).

    Only our own constant paths and UI strings go into this HTML, escaped all the same.
    """
    st.markdown(
        f'<a href="{html.escape(href)}" target="_self" class="kansa-link">{html.escape(label)}</a>',
        unsafe_allow_html=True,
    )


def sign_in_prompt(page: str) -> None:
    """What someone who is not signed in sees, whatever page they asked for."""
    st.title(t("app.title"))
    st.subheader(t("app.subtitle"), divider="gray")
    st.write(t("app.tagline"))
    if demo.is_demo(get_db()):
        st.info(t("auth.demo_notice"), icon=":material/info:")
    target = quote(f"/{page}" if page else "/", safe="")
    same_tab_link(f"→ {t('auth.sign_in')}", f"/auth/login?lang={current_lang()}&next={target}")
    if sso_configured():
        if st.user.is_logged_in:
            st.warning(t("auth.sso_unknown", email=str(st.user.get("email") or "?")))
            if st.button(t("auth.sign_out")):
                st.logout()
        elif st.button(t("auth.sso"), icon=":material/badge:"):
            st.login()
