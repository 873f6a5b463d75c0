"""Backup (admin): a consistent copy of the database, made by the server itself, to download.

DuckDB lets one process open the database and the server is that process, so this page is the
way to take a backup while Kansa runs (``kansa backup`` works only while the server is stopped).
"""

import streamlit as st

from auth.model import Permission
from core.errors import KansaError
from core.settings import load_settings
from maintenance import service as maintenance
from ui.db import get_db
from ui.feedback import show_error
from ui.i18n import t
from ui.session import require

MAX_DOWNLOAD_MB = 200  # larger backups stay on the server: a download is held in memory

me = require(Permission.SYSTEM_BACKUP)
db = get_db()
settings = load_settings()
st.title(t("backup.title"))
st.caption(t("backup.caption"))

with st.form("backup_form", border=True):
    with_evidence = st.checkbox(t("backup.with_evidence"), help=t("backup.with_evidence_help"))
    make = st.form_submit_button(t("backup.make"), icon=":material/backup:", type="primary")
if make:
    with st.status(t("backup.making"), expanded=False) as status:
        try:
            result = maintenance.backup_to_folder(db, me, settings, with_evidence=with_evidence)
        except KansaError as exc:
            status.update(label=t("backup.failed"), state="error")
            show_error(exc)
        else:
            status.update(label=t("backup.done"), state="complete")
            st.session_state["backup_result"] = result

made = st.session_state.get("backup_result")
if made is not None:
    st.success(
        t(
            "backup.summary",
            file=made.path.name,
            mb=f"{made.size / 1_048_576:.1f}",
            tables=len(made.tables),
            rows=f"{sum(made.tables.values()):,}",
            files=f"{made.evidence_files:,}",
        ),
        icon=":material/task_alt:",
    )
    if made.missing or made.corrupt:
        st.warning(
            t("backup.evidence_problems", missing=len(made.missing), corrupt=len(made.corrupt))
        )
    st.caption(t("backup.where", folder=str(made.path.parent)))
    if made.size <= MAX_DOWNLOAD_MB * 1_048_576 and made.path.exists():
        st.download_button(
            t("backup.download", file=made.path.name),
            data=made.path.read_bytes(),
            file_name=made.path.name,
            mime="application/x-tar",
            icon=":material/download:",
            on_click="ignore",
            type="primary",
        )
    else:
        st.info(t("backup.too_large", mb=MAX_DOWNLOAD_MB))

with st.expander(t("backup.how"), icon=":material/help:"):
    st.markdown(t("backup.how.body"))
