"""The app's chart and report downloads are the files the commands write: the same bytes for the same view."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from collectors.sharing import chart, compare
from collectors.sharing.series import reader
from tests.test_app import ARTICLE, app_db, open_page, populated, populated_template  # noqa: F401 (fixtures)


@pytest.fixture
def populated_db(populated: Path) -> Path:  # noqa: F811 (the fixture imported above)
    """The app's populated database (tests/test_app.py), under a name of this module."""
    return populated


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict]:
    """Every download button a page draws, by its key: label, file name and its data (called if deferred)."""
    shown: dict[str, dict] = {}
    original = DeltaGenerator.download_button

    def recording(self, label, data, file_name=None, mime=None, key=None, **kwargs):
        shown[key] = {"label": label, "data": data, "file_name": file_name, "mime": mime}
        return original(self, label, data, file_name, mime, key, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    monkeypatch.setattr(st, "download_button", lambda *args, **kwargs: recording(st._main, *args, **kwargs))
    return shown


def content(button: dict) -> bytes:
    data = button["data"]() if callable(button["data"]) else button["data"]
    return data.encode() if isinstance(data, str) else data


def test_compare_downloads_the_image_the_chart_command_draws(populated_db: Path, downloads: dict[str, dict]):
    open_page("compare", projects="pytorch,tensorflow", series="stars", log="1")
    svg, png = downloads["compare_svg"], downloads["compare_png"]
    assert svg["mime"] == "image/svg+xml" and svg["file_name"].endswith(".svg")
    with duckdb.connect(str(populated_db), read_only=True) as conn:
        drawn = compare.compare_chart(reader(conn), compare.Request(("pytorch", "tensorflow"), "stars", log=True))
    assert content(svg) == chart.render(drawn, "svg")
    assert content(png)[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_source_page_chart_has_its_downloads(populated_db: Path, downloads: dict[str, dict]):
    open_page("github", projects="pytorch,tensorflow")
    images = [key for key in downloads if key.startswith("panel_") and key.endswith("_svg")]
    assert images
    for key in images:
        assert b"PyTorch" in content(downloads[key])


def test_the_claims_page_downloads_each_articles_report(populated_db: Path, downloads: dict[str, dict]):
    open_page("claims")
    page = content(downloads["report_aftab-2023"]).decode()
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert "Machine Learning Frameworks Showdown" in page and "10 claims:" in page
    assert "evidence_svg" in downloads  # the evidence chart shown has its image too


def test_the_check_page_downloads_the_report_of_the_pasted_article(populated_db: Path, downloads: dict[str, dict]):
    at = open_page("check")
    at.text_area(key="check_text").input(ARTICLE).run()
    assert not at.exception, [e.message for e in at.exception]
    page = content(downloads["check_report"]).decode()
    shown = at.dataframe[-1].value
    assert page.count("<section class='claim'") == len(shown)
    for verdict in shown["verdict"]:  # the verdicts the page shows, in the report
        assert verdict.split(" ", 1)[1] in page
    assert "<script" not in page and "data:image/svg+xml;base64," in page
