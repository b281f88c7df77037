"""Bad input is refused with the file and the line, and nothing is stored (issue 24 §2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors import claims, cli
from collectors.errors import ConfigError
from collectors.projects import load_projects
from tests.test_claims import ARTICLE, claim
from tests.test_config import VALID_ENTRY

JAX = """
[[project]]
id = "jax"
name = "JAX"
github = "jax-ml/jax"
pypi = ["jax"]
arxiv_phrase = "jax"
trends_term = "jax"
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line of `text` that contains `needle`."""
    found = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    return found[occurrence - 1]


def refusal(path: Path, text: str, load) -> str:
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        load(path)
    return str(error.value)


@pytest.mark.parametrize(
    ("text", "needle", "occurrence", "says"),
    [
        (VALID_ENTRY + JAX.replace('name = "JAX"', 'name = "JAX"\ncolour = "red"'), "colour", 1,
         "project #2 (jax): unknown field(s) ['colour']"),
        (VALID_ENTRY + JAX.replace('id = "jax"', 'id = "pytorch"'), 'id = "pytorch"', 2,
         "project #2 (pytorch): field 'id' = 'pytorch' is already used by project #1 (pytorch, line 2)"),
        (VALID_ENTRY + JAX.replace('pypi = ["jax"]', 'pypi = ["torch"]'), 'pypi = ["torch"]', 2,
         "project #2 (jax): package 'torch' is already counted for project #1 (pytorch, line 2)"),
        (VALID_ENTRY + JAX.replace('"jax-ml/jax"', '"jax"'), 'github = "jax"', 1,
         "project #2 (jax): field 'github' = 'jax' is not a repository owner/name"),
    ],
)  # fmt: skip
def test_projects_errors_found_after_parsing_name_the_line(tmp_path, text, needle, occurrence, says):
    path = tmp_path / "projects.toml"
    message = refusal(path, text, load_projects)
    assert message.startswith(f"{path}: line {line_of(text, needle, occurrence)}: {says}")


@pytest.mark.parametrize(
    ("register", "needle", "occurrence", "says"),
    [
        (claim("x", claimed_value=1, tolerance=0.1) + claim("y", claimed_value=1, tolerance=0.1, colour="red"),
         "colour", 1, "claim #2 (y): unknown field(s) ['colour']"),
        (claim("x", claimed_value=1, tolerance=0.1) + claim("x", claimed_value=2, tolerance=0.1), 'id = "x"', 2,
         "claim #2 (x): field 'id' is already used by claim #1 (line 9)"),
        (ARTICLE.replace('"A test article"', '"again"') + claim("x", claimed_value=1, tolerance=0.1), 'id = "a"', 2,
         "article #2 (a): field 'id' is already used by article #1 (line 2)"),
        (claim("x", claimed_value=1, tolerance=0.1, contradicts=["nope"]), "contradicts", 1,
         "claim #1 (x): field 'contradicts' names unknown claim 'nope'"),
        (claim("x", kind="guess"), "kind", 1, "claim #1 (x): field 'kind' is 'guess'"),
    ],
)  # fmt: skip
def test_register_errors_found_after_parsing_name_the_line(tmp_path, register, needle, occurrence, says):
    path = tmp_path / "claims.toml"
    text = ARTICLE + register
    message = refusal(path, text, claims.load_register)
    assert message.startswith(f"{path}: line {line_of(text, needle, occurrence)}: {says}")


def test_an_unknown_verdict_is_refused_with_the_valid_ones(tmp_path, capsys):
    code = cli.main(["claims", "check", "--db", str(tmp_path / "e.duckdb"), "--verdict", "wrong"])
    assert code == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "invalid choice: 'wrong'" in err
    assert all(verdict in err for verdict in claims.VERDICTS)
    assert not (tmp_path / "e.duckdb").exists()
