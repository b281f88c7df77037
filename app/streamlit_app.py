"""The ecotrends app: `make app` runs this router over the page modules in app/sections/."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run app/streamlit_app.py` puts app/ on the path, not the checkout: make `app` importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

st.set_page_config(page_title="ecotrends", page_icon="📈", layout="wide")

pages = {
    "Adoption": [
        st.Page("sections/overview.py", title="Overview", icon="🏠", url_path="overview", default=True),
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
