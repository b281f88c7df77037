"""Chart images, fact-check reports and badges (collectors/sharing): drawn from the seeded store with no browser and
no network, their content read back (XML parsed, PNG header read, points compared with the views)."""

from __future__ import annotations

import base64
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from collectors import cli
from collectors.sharing import chart, compare, report
from collectors.sharing.evidence import is_release
from collectors.sharing.series import reader
from collectors.sharing.verdicts import VERDICT, decisive, summary_line
from tests.test_browser import CHROMIUM, chromium_page

SVG = "{http://www.w3.org/2000/svg}"
ARTICLES = ("aftab-2023", "indepth-comparison", "choosing-guide", "tech-matchups", "qualitythought-2025")


def texts(svg: bytes) -> str:
    """Every text of an SVG (its <text> elements and titles), parsed as XML, joined by newlines."""
    root = ET.fromstring(svg)
    return "\n".join("".join(node.itertext()) for node in root.iter() if node.tag in (f"{SVG}text", f"{SVG}title"))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def run(seeded: Path, *args: str) -> int:
    return cli.main(["--db", str(seeded), *args])


def test_chart_svg_names_the_projects_the_axis_and_the_date_range(seeded: Path, tmp_path: Path):
    out = tmp_path / "x.svg"
    assert run(seeded, "chart", "pytorch", "tensorflow", "--series", "stars", "-o", str(out)) == 0
    words = texts(out.read_bytes())
    assert "PyTorch" in words and "TensorFlow" in words
    assert "stars" in words.splitlines()  # the value axis' title, its unit
    assert "date" in words.splitlines()
    with duckdb.connect(str(seeded), read_only=True) as conn:
        first, last = conn.execute(
            "select min(date), max(date) from project_series where source = 'github' and metric = 'stars' "
            "and project_id in ('pytorch', 'tensorflow')"
        ).fetchone()
    assert f"Data from {first:%Y-%m-%d} to {last:%Y-%m-%d}" in words.replace("\n", " ")
    assert f"Shipped history up to {last:%Y-%m-%d}" in words.replace("\n", " ")  # the seed, never collected here


def test_chart_png_has_the_requested_size(seeded: Path, tmp_path: Path):
    out = tmp_path / "x.png"
    assert run(seeded, "chart", "pytorch", "tensorflow", "-o", str(out), "--width", "640", "--height", "360") == 0
    assert png_size(out.read_bytes()) == (640, 360)


def test_the_plotted_points_are_the_views_rows(seeded: Path):
    with duckdb.connect(str(seeded), read_only=True) as conn:
        drawn = compare.compare_chart(reader(conn), compare.Request(("pytorch", "tensorflow"), "stars"))
        rows = conn.execute(
            "select project_id, date, value from project_series where source = 'github' and metric = 'stars' "
            "and project_id in ('pytorch', 'tensorflow') order by project_id, date"
        ).df()
    figure = chart.draw(drawn)
    lines = {line.get_gid(): line for line in figure.axes[0].get_lines() if line.get_gid()}
    for project_id, expected in rows.groupby("project_id"):
        line = lines[f"line-{project_id}"]
        points = pd.DataFrame({"date": pd.to_datetime(line.get_xdata()), "value": line.get_ydata()}).dropna()
        assert list(points["date"]) == list(pd.to_datetime(expected["date"]))
        assert list(points["value"]) == list(expected["value"].astype(float))
        assert line.get_color().lower() == drawn.palette[project_id].lower()
    # and the SVG draws each project's line as its own group with one vertex per point (gaps break the path)
    svg = chart.render(drawn, "svg")
    root = ET.fromstring(svg)
    for project_id, expected in rows.groupby("project_id"):
        group = next(node for node in root.iter(f"{SVG}g") if node.get("id") == f"line-{project_id}")
        path = next(group.iter(f"{SVG}path")).get("d")
        assert len(re.findall(r"[ML]", path)) == len(expected)


def test_the_same_data_gives_the_same_bytes(seeded: Path):
    with duckdb.connect(str(seeded), read_only=True) as conn:
        drawn = compare.compare_chart(reader(conn), compare.Request(("pytorch",), "stars", log=True))
    assert chart.render(drawn, "svg") == chart.render(drawn, "svg")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nosuchproject",), "unknown project 'nosuchproject'"),
        (("pytorch", "--series", "nosuchseries"), "unknown series 'nosuchseries'"),
        (("pytorch", "--since", "2020-13-01"), "--since '2020-13-01' is not a date"),
        (("pytorch", "--since", "2024-01-01", "--until", "2023-01-01"), "is after --until"),
        (("pytorch", "--since", "2099-01-01"), "no GitHub stars"),
        # the shipped history holds PyPI's monthly windows, not PyPI Stats' days: say how to get them, and what is
        (("pytorch", "--series", "downloads"), "fill it with ecotrends collect --source pypi or ecotrends backfill "
         "--source pypi (stored for them now: --series downloads_snapshot)"),
    ],
)
def test_a_bad_chart_request_is_one_line_exit_2_and_no_file(seeded: Path, tmp_path: Path, capsys, args, message):
    out = tmp_path / "x.svg"
    assert run(seeded, "chart", *args, "-o", str(out)) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not out.exists() and not list(tmp_path.glob("*.partial"))


def test_series_are_found_by_the_words_of_the_issue():
    assert compare.series_named("interest").source == "trends"
    assert compare.series_named("questions").metric == "questions"
    assert compare.series_named("conda").source == "conda"


def test_the_badge_shows_the_latest_value_and_its_day(seeded: Path, tmp_path: Path):
    out = tmp_path / "badge.svg"
    assert run(seeded, "badge", "pytorch", "--series", "stars", "-o", str(out)) == 0
    with duckdb.connect(str(seeded), read_only=True) as conn:
        latest, as_of = conn.execute(
            "select latest, as_of from project_signals where project_id = 'pytorch' and signal = 'stars'"
        ).fetchone()
    words = texts(out.read_bytes())
    assert "PyTorch GitHub stars" in words
    assert f"{latest / 1000:.1f}K · {as_of:%Y-%m-%d}" in words
    assert run(seeded, "badge", "pytorch", "--series", "nope", "-o", str(tmp_path / "b2.svg")) == cli.EXIT_USAGE
    assert not (tmp_path / "b2.svg").exists()


def report_of(seeded: Path, tmp_path: Path, article: str, suffix: str = "html") -> Path:
    out = tmp_path / f"{article}.{suffix}"
    assert run(seeded, "claims", "report", article, "-o", str(out)) == 0
    return out


@pytest.mark.parametrize("article", ARTICLES)
def test_the_report_holds_every_claims_verdict_and_numbers(seeded: Path, tmp_path: Path, article: str):
    page = report_of(seeded, tmp_path, article).read_text(encoding="utf-8")
    with duckdb.connect(str(seeded), read_only=True) as conn:
        checks = conn.execute("select * from claim_checks where article_id = ? order by ordinal", [article]).df()
    assert len(checks) > 0
    text = re.sub(r"<[^>]+>", " ", page.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&"))
    assert summary_line(checks) in text
    for _, claim in checks.iterrows():
        section = page[page.index(f"id='{claim['claim_id']}'"):]
        section = section[: section.index("</section>")]
        assert VERDICT[claim["verdict"]].label in section
        assert report.escape(claim["statement"]) in section
        numbers = decisive(claim)
        if numbers:
            assert report.escape(numbers) in section
        if pd.notna(claim["coverage"]):
            assert f"{claim['coverage'] * 100:.0f}% of the period" in section
        with duckdb.connect(str(seeded), read_only=True) as conn:
            if is_release(claim):  # judged on milestones: they are charted
                subjects = [s.strip() for s in claim["subject"].split(",")]
                found = conn.execute("select count(*) from project_milestones where list_contains(?, project_id)",
                                     [subjects]).fetchone()[0]  # fmt: skip
            elif isinstance(claim["evidence"], str):
                found = conn.execute("select count(*) from claim_evidence where claim_id = ?",
                                     [claim["claim_id"]]).fetchone()[0]  # fmt: skip
            else:
                found = 0
        assert ("src='data:image/svg+xml;base64," in section) == bool(found), claim["claim_id"]
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)=['"]?(https?:|//)""", page)
    assert "@media print" in page and 'name="viewport"' in page
    assert "Data cut-off: " in page and "ecotrends " in page


def test_the_reports_images_are_svg_with_text(seeded: Path, tmp_path: Path):
    page = report_of(seeded, tmp_path, "aftab-2023").read_text(encoding="utf-8")
    images = re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", page)
    assert images
    for image in images:
        assert "claimed period" in texts(base64.b64decode(image))


def test_the_markdown_report_writes_its_images_beside_it(seeded: Path, tmp_path: Path):
    out = report_of(seeded, tmp_path, "aftab-2023", "md")
    text = out.read_text(encoding="utf-8")
    linked = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert linked
    for link in linked:
        assert link.startswith("aftab-2023_files/")
        ET.fromstring((out.parent / link).read_bytes())  # each image is there, and valid SVG


def test_a_report_of_an_unknown_article_is_one_line(seeded: Path, tmp_path: Path, capsys):
    assert run(seeded, "claims", "report", "no-such-article", "-o", str(tmp_path / "r.html")) == cli.EXIT_USAGE
    assert "neither an article id" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (.ci/run installs Debian's chromium)")
def test_every_report_loads_in_chromium_with_no_request_to_the_network(seeded: Path, tmp_path: Path):
    requests: list[str] = []
    for article in ARTICLES:
        out = report_of(seeded, tmp_path, article)
        requests.clear()
        with chromium_page(height=800) as page:
            page.on("request", lambda request: requests.append(request.url))
            page.route(re.compile(r"^(?!file:|data:).*"), lambda route: route.abort())  # nothing may leave
            page.set_viewport_size({"width": 390, "height": 800})  # a phone
            page.goto(out.as_uri())
            page.wait_for_load_state("load")
            shown = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
            wide = page.evaluate("document.documentElement.scrollWidth")
        assert [url for url in requests if not url.startswith(("file:", "data:"))] == [], article
        assert shown and all(shown), f"{article}: an image did not load"
        assert wide <= 390, f"{article}: wider than a phone ({wide} px)"


def test_a_report_of_an_article_file_judges_its_proposed_claims(seeded: Path, tmp_path: Path):
    article = tmp_path / "article.txt"
    article.write_text("PyTorch vs TensorFlow in 2023\n\nBy Jane Doe, March 2024\n\nIn 2023 PyTorch had about 80,000 "
                       "GitHub stars, while TensorFlow had 180,000 GitHub stars.\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "report.html"
    assert run(seeded, "claims", "report", str(article), "-o", str(out)) == 0
    page = out.read_text(encoding="utf-8")
    assert "PyTorch vs TensorFlow in 2023" in page and str(article) in page
    assert page.count("<section class='claim'") == 2 and page.count("data:image/svg+xml;base64,") == 2
    assert "claimed 80.0K; measured" in page  # the claim is judged: its decisive numbers are printed


def test_index_and_launch_alignment_are_drawn_as_compare_draws_them(seeded: Path, tmp_path: Path):
    with duckdb.connect(str(seeded), read_only=True) as conn:
        drawn = compare.compare_chart(
            reader(conn), compare.Request(("pytorch", "tensorflow"), "stars", index=True, align=True)
        )
        launches = dict(conn.execute(
            "select project_id, date from project_milestones where milestone = 'repository_created'"
        ).fetchall())  # fmt: skip
        first = dict(conn.execute(
            "select project_id, min(date) from project_series where source = 'github' and metric = 'stars' "
            "and project_id in ('pytorch', 'tensorflow') group by project_id"
        ).fetchall())  # fmt: skip
    for project_id, group in drawn.frame.sort_values("date").groupby("project_id"):
        assert group["value"].iloc[0] == 100  # indexed on its first point
        assert group["date"].iloc[0] == (first[project_id] - launches[project_id]).days  # days since its creation
    out = tmp_path / "x.svg"
    assert run(seeded, "chart", "pytorch", "tensorflow", "--index", "--align", "launch", "-o", str(out)) == 0
    words = texts(out.read_bytes()).splitlines()
    assert "days since the repository's creation" in words and "index (first point = 100)" in words
