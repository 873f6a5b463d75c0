"""Catalogues: browse, filter and search the control measures; crosswalk to GL and Annex A."""

import streamlit as st

from auth.model import Permission
from controls import service as catalogues
from controls.crosswalk import crosswalk_csv
from ui.catalogue import (
    column_widths,
    control_detail,
    controls_table,
    crosswalk_table,
    domain_names,
)
from ui.db import get_db
from ui.i18n import current_lang, t
from ui.session import require

me = require(Permission.CATALOGUE_READ)
db = get_db()
lang = current_lang()
st.title(t("catalogue.title"))

items = catalogues.list_catalogues(db, me)
if not items:
    st.warning(t("home.no_catalogues"))
    st.stop()
by_id = {c.id: c for c in items}
labels = {c.id: f"{c.name(lang)} — {t('catalogue.version', version=c.version)}" for c in items}
catalogue_id = st.selectbox(
    t("catalogue.select"), list(by_id), format_func=labels.__getitem__, key="catalogue_id"
)
cat = by_id[catalogue_id]
st.caption(
    t(
        "catalogue.caption",
        name=cat.urn,
        version=cat.version,
        count=cat.control_count,
        sha=cat.sha256[:12],
    )
)

domains = catalogues.list_domains(db, me, cat.id)
names = domain_names(domains, lang)
c1, c2, c3 = st.columns([4, 4, 2], vertical_alignment="bottom")
query = c1.text_input(
    t("catalogue.filter.search"),
    placeholder=t("catalogue.filter.search_placeholder"),
    key="catalogue_query",
    max_chars=200,
)
chosen = c2.multiselect(
    t("catalogue.filter.domains"),
    [d.domain_id for d in domains],
    format_func=lambda d: f"{d} · {names.get(d, d)}",
    placeholder=t("catalogue.filter.domains_placeholder"),
    key=f"catalogue_domains_{cat.id}",
)
key_only = c3.toggle(t("catalogue.filter.key_only"), key="catalogue_key_only")

rows = catalogues.search_controls(db, me, cat.id, query=query, domains=chosen, key_only=key_only)
st.caption(t("catalogue.results", shown=len(rows), total=cat.control_count))
if not rows:
    st.info(t("catalogue.no_results"))
    st.stop()

tab_controls, tab_crosswalk = st.tabs([t("catalogue.tab.controls"), t("catalogue.tab.crosswalk")])
with tab_controls:
    st.dataframe(
        controls_table(rows, lang),
        hide_index=True,
        width="stretch",
        column_config=column_widths(),
    )
    by_control = {r.control_id: r for r in rows}
    selected = st.selectbox(
        t("catalogue.detail.select"),
        list(by_control),
        format_func=lambda cid: f"{cid} · {by_control[cid].title(lang)}",
        key=f"catalogue_control_{cat.id}",
    )
    row = by_control[selected]
    control_detail(row, names.get(row.domain_id, row.domain_id), lang)

with tab_crosswalk:
    st.caption(t("catalogue.crosswalk.caption"))
    st.dataframe(
        crosswalk_table(rows, lang), hide_index=True, width="stretch", column_config=column_widths()
    )
    slug = cat.urn.rsplit(":", 1)[-1]
    st.download_button(
        t("catalogue.crosswalk.download"),
        data=crosswalk_csv(rows, lang),
        file_name=f"kansa-crosswalk-{slug}-{cat.version}-{lang}.csv",
        mime="text/csv",
        icon=":material/download:",
    )
