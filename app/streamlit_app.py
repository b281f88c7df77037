"""The ecotrends app: `make app` runs this router over the page modules in app/sections/."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run app/streamlit_app.py` puts app/ on the path, not the checkout: make `app` importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

from app import queries, ui

st.set_page_config(page_title="ecotrends", page_icon="📈", layout="wide")
if queries.built_by_older_sql(str(queries.database())):
    st.warning(
        "This database was last prepared by another version of ecotrends: its tables may not match the pages. "
        f"Bring it up to date (no network needed):\n\n```sh\n{ui.hint('seed --if-needed')}\n```"
    )
    st.stop()

pages = {
    "Adoption": [
        st.Page("sections/overview.py", title="Overview", icon="🏠", default=True),  # served at /
        st.Page("sections/compare.py", title="Compare", icon="📊", url_path="compare"),
        st.Page("sections/claims.py", title="Claims", icon="🔎", url_path="claims"),
    ],
    "Sources": [
        st.Page("sections/github.py", title="GitHub", icon="⭐", url_path="github"),
        st.Page("sections/pypi.py", title="PyPI", icon="📦", url_path="pypi"),
        st.Page("sections/arxiv.py", title="arXiv", icon="📄", url_path="arxiv"),
        st.Page("sections/trends.py", title="Google Trends", icon="🔍", url_path="trends"),
        st.Page("sections/data.py", title="Data", icon="🗄️", url_path="data"),
    ],
}
st.navigation(pages).run()
