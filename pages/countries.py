"""Foreign environments (APPI Art. 28, guideline 10-7): where personal data sits, on a world
map and in a table; which countries' reviews are stale; the country register and its checks."""

from datetime import date
from functools import partial

import streamlit as st

from auth.model import Permission
from auth.permissions import has_permission
from contractors import country_service
from contractors.country_model import HOME_COUNTRY
from contractors.model import SubjectKind
from core.errors import KansaError
from org import service as org
from ui.assessments import flash, show_flash
from ui.contractor_detail import act
from ui.contractors import mode_labels, shown_version
from ui.countries import (
    blank_entry,
    country_form,
    country_labels,
    country_text,
    exposure_rows,
    register_frame,
    stale_reason,
    state_labels,
)
from ui.db import get_db
from ui.feedback import show_error
from ui.i18n import current_lang, t
from ui.maps import data_map, map_config
from ui.session import require
from ui.text import md_escape

me = require(Permission.CONTRACTOR_READ)
db = get_db()
lang = current_lang()
today = date.today()
can_edit = has_permission(me.role, Permission.CONTRACTOR_EDIT)
st.title(t("cty.title"))
st.caption(t("cty.caption"))

try:
    data = country_service.where_data_sits(db, me, today)
    register = country_service.list_countries(db, me)
except KansaError as exc:
    show_error(exc)
    st.stop()
    raise  # unreachable

everywhere = country_labels(lang)
names = {e.code: everywhere.get(e.code, e.code) for e in data.countries}
holding = [e for e in data.countries if e.contractors + e.systems + e.sites]
m1, m2, m3 = st.columns(3)
m1.metric(t("cty.metric.countries"), len(holding), border=True)
m2.metric(t("cty.metric.abroad"), sum(1 for e in holding if e.code != HOME_COUNTRY), border=True)
m3.metric(t("cty.metric.stale"), len(data.stale), border=True)

if data.stale:
    st.warning(
        t("cty.stale.banner", count=len(data.stale))
        + "\n\n"
        + "\n".join(f"- **{names[e.code]}**: {stale_reason(e, today)}" for e in data.stale),
        icon=":material/event_busy:",
    )

frame, points = exposure_rows(data.countries, lang, today)
st.plotly_chart(
    data_map(points, state_labels(), title=t("cty.map.title")),
    width="stretch",
    config=map_config(),
)
st.caption(t("cty.map.caption"))
st.dataframe(frame, hide_index=True, width="stretch")

# --- who keeps data in one country -------------------------------------------------------------
kinds = {k.value: t(f"cty.kind.{k.value}") for k in SubjectKind}
modes = mode_labels()
where = st.selectbox(
    t("cty.where.pick"),
    list(names),
    index=None,
    format_func=lambda k: names.get(k, k),
    placeholder=t("cty.where.placeholder"),
    key="cty_where",
)
if where:
    held = country_service.list_data_locations(db, me, country_code=where)
    st.dataframe(
        [
            {
                t("cty.col.kind"): kinds[x.subject_kind.value],
                t("cty.col.subject"): x.subject_name,
                t("ctr.col.mode"): modes[x.mode.value],
                t("ctr.col.note"): x.note or "",
            }
            for x in held
        ],
        hide_index=True,
        width="stretch",
    )
    ours = {
        x.id: f"{kinds[x.subject_kind.value]} · {x.subject_name} · {modes[x.mode.value]}"
        for x in held
        if x.subject_kind != SubjectKind.CONTRACTOR
    }
    if can_edit and ours:
        r1, r2 = st.columns([3, 1], vertical_alignment="bottom")
        gone = r1.selectbox(t("cty.where.remove"), list(ours), format_func=ours.__getitem__)
        if r2.button(t("ctr.locations.remove.submit"), icon=":material/delete:", key="cty-loc-rm"):
            act(
                lambda: country_service.remove_data_location(db, me, gone or ""),
                t("ctr.locations.removed", place=md_escape(ours.get(gone or "", ""))),
            )

if can_edit:
    with st.expander(t("cty.where.add"), icon=":material/add_location:"):
        st.caption(t("cty.where.add.caption"))
        units = {
            u.code: f"{t(f'cty.kind.{u.kind.value}')} · {u.name(lang)}"
            for u in org.list_units(db, me)
            if u.kind.value in (SubjectKind.SYSTEM.value, SubjectKind.SITE.value)
        }
        kind_of = {u.code: u.kind.value for u in org.list_units(db, me)}
        with st.form("cty-loc-add", clear_on_submit=True):
            c1, c2, c3 = st.columns([2, 2, 1])
            unit = c1.selectbox(t("cty.col.subject"), list(units), format_func=units.__getitem__)
            code = c2.selectbox(
                t("ctr.col.country"),
                list(everywhere),
                index=None,
                format_func=everywhere.__getitem__,
            )
            mode = c3.selectbox(t("ctr.col.mode"), list(modes), format_func=modes.__getitem__)
            note = st.text_input(t("ctr.col.note"), max_chars=2000)
            if st.form_submit_button(t("ctr.locations.add.submit"), icon=":material/add:"):
                act(
                    lambda: country_service.add_data_location(
                        db,
                        me,
                        subject_kind=kind_of.get(unit or "", "system"),
                        subject_id=unit or "",
                        country_code=code or "",
                        mode=mode or "",
                        note=note,
                    ),
                    t("ctr.locations.added", country=everywhere.get(code or "", "")),
                )

# --- the country register ----------------------------------------------------------------------
st.subheader(t("cty.register.title"), anchor=False)
show_flash()  # near the forms below and above (the page is long)
st.caption(t("cty.register.caption"))
if register:
    st.dataframe(register_frame(register, lang, today), hide_index=True, width="stretch")
else:
    st.info(t("cty.register.empty"), icon=":material/public_off:")
entries = {c.code: c for c in register}
entry_names = {code: everywhere.get(code, code) for code in entries}
picked = st.selectbox(
    t("cty.register.pick"),
    list(entry_names),
    index=None,
    format_func=lambda k: entry_names.get(k, k),
    placeholder=t("cty.register.placeholder"),
    key="cty_pick",
)
if picked:
    country = entries[picked]
    with st.container(border=True):
        st.markdown(f"#### {md_escape(entry_names[picked])}")
        country_text(country, lang)
        if can_edit:
            with st.expander(t("cty.edit.title"), icon=":material/edit:"):
                st.caption(t("cty.edit.caption"))
                version = shown_version(f"country:{picked}", country.version)
                changed = country_form(
                    f"cty-edit-{picked}", country.entry, lang, submit=t("cty.edit.submit")
                )
                if changed is not None:
                    act(
                        partial(
                            country_service.save_country, db, me, changed, expected_version=version
                        ),
                        t("cty.edit.done", country=entry_names[picked]),
                    )

if can_edit:
    missing = {code: label for code, label in everywhere.items() if code not in entries}
    with st.expander(t("cty.add.title"), icon=":material/add:"):
        new_code = st.selectbox(
            t("ctr.col.country"),
            list(missing),
            index=None,
            format_func=missing.__getitem__,
            key="cty_add_code",
        )
        if new_code:
            added = country_form(
                f"cty-add-{new_code}", blank_entry(new_code), lang, submit=t("cty.add.submit")
            )
            if added is not None:
                act(
                    partial(country_service.save_country, db, me, added, expected_version=None),
                    t("cty.add.done", country=missing[new_code]),
                )
        st.divider()
        st.caption(t("cty.seed.caption"))
        if st.button(t("cty.seed.button"), icon=":material/playlist_add:", key="cty-seed"):
            try:
                seeded = country_service.seed_countries(db, me)
            except KansaError as exc:
                show_error(exc)
            else:
                flash(t("cty.seed.done", count=seeded))
                st.rerun()
