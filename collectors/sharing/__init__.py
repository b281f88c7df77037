"""Take the answer away: chart images, a fact-check report per article and a badge, drawn without a browser.

The app and the `ecotrends chart | claims report | badge` commands draw through these modules, so a download
from a page and a file from cron are the same image. Nothing here imports the Streamlit app.
"""
