"""Evidence widgets shared by the Answers and Evidence pages: upload, list, preview, download."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd  # type: ignore[import-untyped]  # no stubs installed
import streamlit as st

from auth.model import Principal
from core.errors import KansaError, ValidationFailed
from core.settings import load_settings
from evidence import service as evidence
from evidence.model import EvidenceItem
from evidence.preview import can_preview, preview_png
from evidence.store import EvidenceStore
from ui.db import get_db, shared_db
from ui.feedback import show_error
from ui.i18n import t
from ui.text import md_escape

RESULT_KEY = "evidence_upload_result"
REMOVED_KEY = "evidence_removed"
PREVIEW_WIDTH = 560  # pixels on screen: an A4 page stays readable without filling the page

# What people call the accepted media types (the store sniffs them from the bytes).
TYPE_LABELS = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "text/plain": "Text",
    "text/csv": "CSV",
    "application/zip": "ZIP",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
}


def get_store() -> EvidenceStore:
    return EvidenceStore.from_settings(load_settings())


def type_label(media_type: str) -> str:
    return TYPE_LABELS.get(media_type, media_type)


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def validity(item: EvidenceItem, today: date, soon_days: int = 30) -> str:
    """'expired', 'expiring' (within ``soon_days``), 'valid' or '' (no date given)."""
    if not item.valid_until:
        return ""
    until = date.fromisoformat(item.valid_until)
    if until < today:
        return "expired"
    return "expiring" if (until - today).days <= soon_days else "valid"


def validity_text(item: EvidenceItem, today: date) -> str:
    state = validity(item, today)
    if not state:
        return t("evidence.valid.none")
    return t(f"evidence.valid.{state}", date=item.valid_until)


def evidence_frame(
    items: Sequence[EvidenceItem],
    names: Mapping[str, str],
    titles: Mapping[str, str],
    today: date,
) -> pd.DataFrame:
    """One row per piece of evidence, in the user's language."""
    return pd.DataFrame(
        [
            {
                t("evidence.col.control"): i.control_id,
                t("evidence.col.file"): i.filename,
                t("evidence.col.type"): type_label(i.media_type),
                t("evidence.col.size"): size_text(i.size),
                t("evidence.col.valid_until"): validity_text(i, today),
                t("evidence.col.assessment"): titles.get(i.assessment_id, i.assessment_id),
                t("evidence.col.added"): f"{names.get(i.added_by, i.added_by)} · {i.added_at}",
                t("evidence.col.description"): i.description or "",
            }
            for i in items
        ],
        columns=[
            t(f"evidence.col.{c}")
            for c in (
                "control",
                "file",
                "type",
                "size",
                "valid_until",
                "assessment",
                "added",
                "description",
            )
        ],
    )


@st.cache_data(max_entries=64, show_spinner=False)
def _preview(sha256: str, media_type: str, _data: bytes) -> bytes | None:
    # Keyed by content hash: the same bytes give the same picture for everyone. The caller
    # has already checked that the user may see this evidence before reading the bytes.
    return preview_png(_data, media_type)


def _downloader(me: Principal, store: EvidenceStore, link_id: str) -> Callable[[], bytes]:
    def read() -> bytes:  # runs when the button is clicked, outside the script run
        return evidence.read_evidence(shared_db(), me, store, link_id)[1]

    return read


def upload_form(me: Principal, assessment_id: str, control_id: str) -> None:
    """Several files at once for one control, with a description and a valid-until date."""
    db = get_db()
    store = get_store()
    with st.form(f"evidence-upload-{assessment_id}-{control_id}", clear_on_submit=True):
        files = st.file_uploader(
            t("evidence.upload.files"),
            accept_multiple_files=True,
            key=f"evidence-files-{assessment_id}-{control_id}",
            help=t("evidence.upload.help", mb=store.max_bytes // 1_048_576),
        )
        description = st.text_input(t("evidence.upload.description"), max_chars=2000)
        valid_until = st.date_input(t("evidence.upload.valid_until"), value=None)
        submitted = st.form_submit_button(
            t("evidence.upload.submit"), icon=":material/upload:", type="primary"
        )
    if submitted:
        added, refused = [], []
        for f in files or []:
            try:
                evidence.add_evidence(
                    db,
                    me,
                    store,
                    assessment_id=assessment_id,
                    control_id=control_id,
                    filename=f.name,
                    stream=f,
                    description=description,
                    valid_until=valid_until.isoformat() if valid_until else None,
                )
            except ValidationFailed as exc:
                refused.append((f.name, "; ".join(i.message for i in exc.issues)))
            except KansaError as exc:
                refused.append((f.name, str(exc)))
            else:
                added.append(f.name)
        if not files:
            refused.append(("", t("evidence.upload.none")))
        st.session_state[RESULT_KEY] = {"added": added, "refused": refused}
        st.rerun()
    result = st.session_state.pop(RESULT_KEY, None)
    if result:
        if result["added"]:
            st.success(
                t("evidence.upload.done", count=len(result["added"]))
                + " "
                + ", ".join(md_escape(n) for n in result["added"]),
                icon=":material/check_circle:",
            )
        for name, why in result["refused"]:
            st.error(
                t("evidence.upload.refused", file=md_escape(name), why=md_escape(why))
                if name
                else md_escape(why),
                icon=":material/block:",
            )


def evidence_cards(
    me: Principal,
    items: Sequence[EvidenceItem],
    names: Mapping[str, str],
    *,
    can_unlink: bool,
    key: str,
    today: date | None = None,
) -> None:
    """Each piece of evidence with who added it when, preview, download and (maybe) remove."""
    db = get_db()
    store = get_store()
    day = today or date.today()
    for item in items:
        with st.container(border=True):
            left, right = st.columns([3, 2])
            left.markdown(f"**{md_escape(item.filename)}**")
            left.caption(
                " · ".join(
                    [
                        type_label(item.media_type),
                        size_text(item.size),
                        t(
                            "evidence.added_by",
                            who=md_escape(names.get(item.added_by, item.added_by)),
                            at=item.added_at,
                        ),
                        md_escape(validity_text(item, day)),
                    ]
                )
            )
            if item.description:
                left.markdown(md_escape(item.description))
            right.download_button(
                t("evidence.download"),
                data=_downloader(me, store, item.link_id),
                file_name=item.filename,
                mime=item.media_type,
                key=f"{key}-dl-{item.link_id}",
                icon=":material/download:",
                on_click="ignore",
            )
            show = (
                right.toggle(t("evidence.preview"), key=f"{key}-pv-{item.link_id}")
                if can_preview(item.media_type)
                else False
            )
            if can_unlink:
                with right.popover(t("evidence.unlink"), icon=":material/link_off:"):
                    reason = st.text_input(
                        t("evidence.unlink.reason"), key=f"{key}-why-{item.link_id}"
                    )
                    if st.button(
                        t("evidence.unlink.confirm"),
                        key=f"{key}-rm-{item.link_id}",
                        type="primary",
                    ):
                        try:
                            evidence.unlink_evidence(db, me, item.link_id, reason=reason)
                        except KansaError as exc:
                            show_error(exc)
                        else:
                            st.session_state[REMOVED_KEY] = item.filename
                            st.rerun()
            if show:
                _show_preview(me, store, item)


def _show_preview(me: Principal, store: EvidenceStore, item: EvidenceItem) -> None:
    try:
        _, data = evidence.read_evidence(get_db(), me, store, item.link_id)
    except KansaError as exc:
        show_error(exc)
        return
    picture = _preview(item.sha256, item.media_type, data)
    if picture is None:
        st.info(t("evidence.preview.none"), icon=":material/visibility_off:")
    else:
        st.image(picture, caption=item.filename, width=PREVIEW_WIDTH)


def removed_notice() -> None:
    """Say which file was just removed (kept across the rerun that follows removing it)."""
    removed: Any = st.session_state.pop(REMOVED_KEY, None)
    if removed:
        st.success(t("evidence.unlink.done", file=md_escape(removed)), icon=":material/link_off:")
