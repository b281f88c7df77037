from pathlib import Path

import pytest

from collectors.config import collected
from collectors.errors import ConfigError
from collectors.projects import DEFAULT_PROJECTS_FILE, load_projects

VALID_ENTRY = """
[[project]]
id = "pytorch"
name = "PyTorch"
github = "pytorch/pytorch"
pypi = ["torch"]
arxiv_phrase = "pytorch"
trends_term = "pytorch"
"""


def test_default_projects_are_the_five_frameworks_and_archived_mxnet():
    projects = load_projects(DEFAULT_PROJECTS_FILE)
    assert [p.id for p in projects] == ["tensorflow", "pytorch", "jax", "keras", "pytorch-lightning", "mxnet"]
    assert [p.id for p in collected(projects)] == ["tensorflow", "pytorch", "jax", "keras", "pytorch-lightning"]
    tensorflow = projects[0]
    assert tensorflow.github == "tensorflow/tensorflow"
    assert len(tensorflow.pypi) > 1, "TensorFlow is published as more than one package"


def test_adding_a_project_is_one_entry(tmp_path: Path):
    path = tmp_path / "projects.toml"
    chainer = VALID_ENTRY.replace("pytorch", "chainer").replace("torch", "ch")
    path.write_text(DEFAULT_PROJECTS_FILE.read_text() + chainer)
    assert load_projects(path)[-1].github == "chainer/chainer"


def test_the_phrase_and_the_term_are_read_as_their_sources_declare_them(tmp_path: Path):
    path = tmp_path / "projects.toml"
    path.write_text(VALID_ENTRY.replace('trends_term = "pytorch"', 'trends_term = " PyTorch "'))
    [project] = load_projects(path)
    assert project.name_under("arxiv_phrase") == "pytorch" and project.name_under("trends_term") == "PyTorch"
    assert project.name_under("stackoverflow_tag") == ""


def test_a_tracked_project_is_searched_under_its_name_without_storing_it():
    from collectors import tracked

    project = tracked.project_of("httpx", "HTTPX", "encode/httpx", ["httpx"], {"conda": ["httpx"]})
    assert project.name_under("arxiv_phrase") == "httpx" and project.name_under("trends_term") == "httpx"
    assert project.names("conda") == ("httpx",) and not project.curated


def test_a_sources_own_key_is_read_for_it(tmp_path: Path):
    path = tmp_path / "projects.toml"
    path.write_text(VALID_ENTRY + 'stackoverflow_tag = "pytorch"\n')
    [project] = load_projects(path)
    assert project.names("stackoverflow_tag") == ("pytorch",) and project.names("nosuchkey") == ()


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (VALID_ENTRY.replace('github = "pytorch/pytorch"\n', ""), "project #1 (pytorch): field 'github' is missing"),
        (VALID_ENTRY.replace('"pytorch/pytorch"', '"pytorch"'), "field 'github' = 'pytorch' is not a repository"),
        (VALID_ENTRY.replace('["torch"]', '"torch"'), "field 'pypi' must be a non-empty list"),
        (VALID_ENTRY.replace('["torch"]', '["Torch Vision"]'), "field 'pypi' has 'Torch Vision'"),
        (VALID_ENTRY.replace('name = "PyTorch"', "name = 3"), "field 'name' must be a non-empty string, got 3"),
        (VALID_ENTRY + 'colour = "red"\n', "unknown field(s) ['colour']"),
        # A source's own key (Source.project_fields) is checked by the source's declaration.
        (VALID_ENTRY + 'stackoverflow_tag = "Py Torch"\n', "field 'stackoverflow_tag' = 'Py Torch' is not a Stack"),
        (VALID_ENTRY + VALID_ENTRY, "project #2 (pytorch): field 'id' = 'pytorch' is already used by project #1"),
        # The arXiv phrase and the Trends term are declared by their sources: required, and the term unique.
        (
            VALID_ENTRY.replace('arxiv_phrase = "pytorch"\n', ""),
            "project #1 (pytorch): field 'arxiv_phrase' is missing",
        ),
        (VALID_ENTRY.replace('trends_term = "pytorch"\n', ""), "project #1 (pytorch): field 'trends_term' is missing"),
        (VALID_ENTRY.replace('trends_term = "pytorch"', "trends_term = 3"), "field 'trends_term' = 3 is not a search"),
        (VALID_ENTRY.replace('arxiv_phrase = "pytorch"', 'arxiv_phrase = "  "'), "field 'arxiv_phrase' = '  ' is not"),
        (
            VALID_ENTRY
            + VALID_ENTRY.replace('"pytorch"', '"other"')
            .replace('"torch"', '"other"')
            .replace("pytorch/", "other/")
            .replace('trends_term = "other"', 'trends_term = "PyTorch"'),
            "project #2 (other): field 'trends_term' = 'PyTorch' is already used by project #1",
        ),
        ("[[project]\nid=", "not valid TOML"),
        ("title = 'x'\n", "unknown top-level key(s) ['title']"),
        ("", "no [[project]] entries"),
    ],
)
def test_malformed_file_names_file_entry_and_field(tmp_path: Path, entry: str, expected: str):
    path = tmp_path / "projects.toml"
    path.write_text(entry)
    with pytest.raises(ConfigError) as error:
        load_projects(path)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_file_in_wrong_encoding_is_named(tmp_path: Path):
    path = tmp_path / "projects.toml"
    path.write_bytes(VALID_ENTRY.replace("PyTorch", "Py\xe9Torch").encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_projects(path)


def test_missing_file(tmp_path: Path):
    with pytest.raises(ConfigError, match="file not found"):
        load_projects(tmp_path / "nope.toml")
