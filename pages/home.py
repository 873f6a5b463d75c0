"""Home: what Kansa is for and what is loaded."""

import streamlit as st

from auth.model import Permission
from controls import service as catalogues
from demo import service as demo
from org import service as org
from ui.db import get_db
from ui.i18n import current_lang, t
from ui.session import require

me = require(Permission.CATALOGUE_READ)
db = get_db()
lang = current_lang()

st.title(t("app.title"))
st.subheader(t("app.subtitle"), divider="gray")
st.write(t("app.tagline"))

if demo.is_demo(db):
    st.info(t("home.demo_notice"), icon=":material/info:")

st.subheader(t("home.catalogues"))
items = catalogues.latest_catalogues(db, me)
if not items:
    st.warning(t("home.no_catalogues"))
cols = st.columns(max(len(items), 1))
for col, item in zip(cols, items, strict=False):
    col.metric(item.name(lang), t("home.catalogue_count", count=item.control_count), border=True)
    col.caption(t("catalogue.version", version=item.version))

st.subheader(t("home.org"))
units = org.list_units(db, me)
people = org.list_people(db, me)
c1, c2 = st.columns(2)
c1.metric(t("home.org_units"), len(units), border=True)
c2.metric(t("home.people"), len(people), border=True)
st.markdown(t("home.next_steps"))
