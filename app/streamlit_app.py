"""The ecotrends app: `make app` runs this router over the page modules in app/pages/."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run app/streamlit_app.py` puts app/ on the path, not the checkout: make `app` importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

st.set_page_config(page_title="ecotrends", page_icon="📈", layout="wide")

pages = {
    "Adoption": [
        st.Page("pages/overview.py", title="Overview", icon="🏠", url_path="overview", default=True),
        st.Page("pages/compare.py", title="Compare", icon="📊", url_path="compare"),
        st.Page("pages/claims.py", title="Claims", icon="🔎", url_path="claims"),
    ],
    "Sources": [
        st.Page("pages/github.py", title="GitHub", icon="⭐", url_path="github"),
        st.Page("pages/pypi.py", title="PyPI", icon="📦", url_path="pypi"),
        st.Page("pages/arxiv.py", title="arXiv", icon="📄", url_path="arxiv"),
        st.Page("pages/trends.py", title="Google Trends", icon="🔍", url_path="trends"),
        st.Page("pages/data.py", title="Data", icon="🗄️", url_path="data"),
    ],
}
st.navigation(pages).run()
