"""The ecotrends app: `make app` runs this router over the page modules in app/sections/."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run app/streamlit_app.py` puts app/ on the path, not the checkout: make `app` importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

from app import pages, queries, reader, ui

st.set_page_config(page_title="ecotrends", page_icon="📈", layout="wide")
if queries.built_by_older_sql(str(reader.database())):
    st.warning(
        "This database was last prepared by another version of ecotrends: its tables may not match the pages. "
        f"Bring it up to date (no network needed):\n\n```sh\n{ui.hint('seed --if-needed')}\n```"
    )
    st.stop()

navigation: dict[str, list] = {}
for page in pages.PAGES:
    navigation.setdefault(page.group, []).append(
        st.Page(f"sections/{page.file}", title=page.title, icon=page.icon, url_path=page.url_path or None,
                default=not page.url_path)
    )  # fmt: skip
st.navigation(navigation).run()
