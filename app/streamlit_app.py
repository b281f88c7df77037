"""The ecotrends app: `make app` runs this router over the page modules in app/pages/."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run app/streamlit_app.py` puts app/ on the path, not the checkout: make `app` importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

st.set_page_config(page_title="ecotrends", page_icon="📈", layout="wide")

pages = [
    st.Page("pages/data.py", title="Data", icon="🗄️", url_path="data", default=True),
]
st.navigation(pages).run()
