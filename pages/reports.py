"""Reports: an assessment's audit report, the portfolio of every department, and the public
announcement of security control measures (APPI Art. 32) — PDF in Japanese or English."""

from collections.abc import Callable
from datetime import date

import streamlit as st

from assessments import service as assessments
from auth.model import Permission
from core.errors import KansaError
from org import service as org
from reporting import service as reporting
from ui.assessments import pick_assessment
from ui.db import get_db
from ui.feedback import show_error
from ui.i18n import current_lang, t
from ui.session import require

me = require(Permission.REPORT_READ)
db = get_db()
lang = current_lang()
st.title(t("reports.title"))
LANGS = {"ja": "日本語", "en": "English"}
LANG_INDEX = list(LANGS).index(lang) if lang in LANGS else 0  # the user's language first


def _build(key: str, label: str, make: Callable[[Callable[[float], None]], bytes]) -> None:
    """Build a document with a progress bar; keep it for the download button below."""
    with st.status(t("reports.building", what=label), expanded=True) as status:
        bar = st.progress(0.0)

        def advance(share: float) -> None:
            bar.progress(min(1.0, max(0.0, share)))

        try:
            data = make(advance)
        except KansaError as exc:
            status.update(label=t("reports.failed", what=label), state="error")
            show_error(exc)
            return
        status.update(label=t("reports.ready", what=label), state="complete", expanded=False)
    st.session_state[key] = data


def _download(key: str, file_name: str, mime: str) -> None:
    data = st.session_state.get(key)
    if data:
        st.download_button(
            t("reports.download", file=file_name),
            data=data,
            file_name=file_name,
            mime=mime,
            icon=":material/download:",
            on_click="ignore",
            type="primary",
        )


units = {u.code: u.name(lang) for u in org.list_units(db, me)}
stamp = date.today().strftime("%Y%m%d")

# --- audit report ---------------------------------------------------------------------------
st.subheader(t("reports.audit.title"), anchor=False)
st.caption(t("reports.audit.caption"))
a = pick_assessment(assessments.list_assessments(db, me), units, key="reports_pick")
audit_lang = st.radio(
    t("reports.lang"),
    list(LANGS),
    format_func=LANGS.__getitem__,
    index=LANG_INDEX,
    horizontal=True,
    key="r_lang",
)
if a is not None:
    key = f"report_pdf_{a.id}_{audit_lang}"
    chosen_id = a.id
    if st.button(t("reports.audit.build"), icon=":material/picture_as_pdf:", key="r_build"):
        _build(
            key,
            a.title,
            lambda progress: reporting.audit_report_pdf(
                db, me, chosen_id, audit_lang, progress=progress
            ),
        )
    _download(key, f"audit-report-{a.scope_unit}-{stamp}-{audit_lang}.pdf", "application/pdf")

# --- portfolio ------------------------------------------------------------------------------
st.subheader(t("reports.portfolio.title"), anchor=False)
st.caption(t("reports.portfolio.caption"))
p_lang = st.radio(
    t("reports.lang"),
    list(LANGS),
    format_func=LANGS.__getitem__,
    index=LANG_INDEX,
    horizontal=True,
    key="p_lang",
)
p_key = f"portfolio_pdf_{p_lang}"
if st.button(t("reports.portfolio.build"), icon=":material/summarize:", key="p_build"):
    _build(
        p_key,
        t("reports.portfolio.title"),
        lambda progress: reporting.portfolio_report_pdf(db, me, p_lang, progress=progress),
    )
_download(p_key, f"portfolio-report-{stamp}-{p_lang}.pdf", "application/pdf")

# --- Art. 32 announcement ---------------------------------------------------------------------
st.subheader(t("reports.announcement.title"), anchor=False)
st.caption(t("reports.announcement.caption"))
c1, c2 = st.columns(2)
n_lang = c1.radio(
    t("reports.lang"),
    list(LANGS),
    format_func=LANGS.__getitem__,
    index=LANG_INDEX,
    horizontal=True,
    key="n_lang",
)
formats = {"md": t("reports.format.md"), "pdf": "PDF"}
n_fmt = c2.radio(
    t("reports.format"),
    list(formats),
    format_func=formats.__getitem__,
    horizontal=True,
    key="n_fmt",
)
n_key = f"announcement_{n_lang}_{n_fmt}"
if st.button(t("reports.announcement.build"), icon=":material/campaign:", key="n_build"):
    _build(
        n_key,
        t("reports.announcement.title"),
        lambda _progress: reporting.announcement(db, me, n_lang, n_fmt),
    )
if n_fmt == "md" and st.session_state.get(n_key):
    st.text_area(
        t("reports.announcement.preview"),
        st.session_state[n_key].decode("utf-8"),
        height=320,
        key=f"{n_key}_text",
    )
_download(
    n_key,
    f"announcement-{stamp}-{n_lang}.{n_fmt}",
    "text/markdown" if n_fmt == "md" else "application/pdf",
)
