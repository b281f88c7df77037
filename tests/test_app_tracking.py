"""The app's "Add a project": a name no known project matches is tracked from the sidebar (ecotrends track in a
process of its own, against the local fake API, its clock stopped on the fake's day with faketime), joins the
chart; a name that cannot be resolved is refused with its reason and stores nothing."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import queries, tracking
from tests.conftest import query
from tests.fakeapi import FakeAPI

APP = str(Path(__file__).resolve().parents[1] / "app" / "streamlit_app.py")
FAKE_DAY = "2023-12-10 08:00:00"  # the fake API's recordings run up to this day

pytestmark = pytest.mark.skipif(shutil.which("faketime") is None, reason="needs faketime (.ci/run installs it)")


@pytest.fixture
def app_on_fake_api(seeded: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    with FakeAPI() as api:
        for variable, url in api.env().items():
            monkeypatch.setenv(variable, url)
        monkeypatch.setenv("ECOTRENDS_DB", str(seeded))
        # a suite run under faketime: the subprocess gets the fake's day alone (this process's own environment must
        # stay as it is, or its clock jumps back)
        outer_clock = [arg for v in os.environ if v.startswith("FAKETIME") or v == "LD_PRELOAD" for arg in ("-u", v)]
        monkeypatch.setattr(tracking, "COMMAND", ("env", *outer_clock, "faketime", FAKE_DAY, sys.executable, "-m",
                                                  "collectors"))  # fmt: skip
        queries.st.cache_data.clear()
        yield seeded


def compare() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    at.switch_page("sections/compare.py")
    return at.run()


def add_a_project(at: AppTest, text: str) -> AppTest:
    next(w for w in at.text_input if w.label == "Find any project").set_value(text).run()
    button = next(b for b in at.button if b.label.startswith("Add a project"))
    assert button.label == f"Add a project: track “{text}”"
    return button.click().run()


def test_a_project_nobody_knows_is_tracked_from_the_sidebar_and_charted(app_on_fake_api: Path):
    at = add_a_project(compare(), "narwhals")
    assert not at.exception
    report = "\n".join(block.value for block in at.sidebar.success).replace("\\", "")
    assert not at.sidebar.error, [e.value for e in at.sidebar.error]
    assert "tracking narwhals: narwhals; repository narwhals-dev/narwhals" in report, report
    assert " INFO " not in report  # the run's log stays out of the page
    assert "narwhals" in next(w for w in at.multiselect if w.label == "Projects").value
    assert query(app_on_fake_api, "select project_id from tracked_project") == [("narwhals",)]
    assert query(app_on_fake_api, "select count(*) > 1000 from observation where subject = 'narwhals-dev/narwhals'") \
        == [(True,)]  # its star history, fetched now, not on the next cron run
    assert "narwhals" in str(at.query_params.get("projects"))  # the link keeps it


def test_a_name_that_cannot_be_resolved_is_refused_with_its_reason_and_nothing_stored(app_on_fake_api: Path):
    before = query(app_on_fake_api, "select count(*) from observation")
    at = add_a_project(compare(), "pypi:nosuchpackage-zzz")
    report = "\n".join(block.value for block in at.sidebar.error).replace("\\", "")
    assert "cannot track" in report and "nosuchpackage-zzz" in report, report
    assert query(app_on_fake_api, "select count(*) from tracked_project") == [(0,)]
    assert query(app_on_fake_api, "select count(*) from observation") == before
