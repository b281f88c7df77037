"""The shape of the code: no import cycle, and sources found through their registry, not lists kept by hand."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from collectors import sources

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "collectors")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Import statements that run: those under `if TYPE_CHECKING:` exist for type checkers only."""
    found = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        found.extend(runtime_imports(node))
    return found


def all_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, those for type checkers included."""
    return [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]


def import_graph(imports: Callable[[ast.AST], list] = runtime_imports) -> dict[str, set[str]]:
    """Every import between the project's modules, at module level or inside functions; the registry's
    dynamic import of each source module counts as an import of the sources package."""
    files = [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")]
    modules = {module_name(path): path for path in files}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in imports(ast.parse(path.read_text())):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parent, base]).strip(".")
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            graph[name].update(target for target in targets if target in modules and target != name)
    graph["collectors.sources"].update(f"collectors.sources.{n}" for n in sources.names())
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, or [] when there is none (depth-first search)."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = 2
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_the_import_graph_has_no_cycle():
    graph = import_graph()
    assert "collectors.inputs" in graph and graph["collectors.inputs"] >= {"collectors.store", "collectors.claims"}
    assert find_cycle(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_every_source_module_declares_itself_once():
    registry = sources.registry()
    assert list(registry) == sources.names()
    for name, source in registry.items():
        assert source.name == name and source.series, name
        assert source.fill, f"{name} says which command fills it"
        assert all(variable.startswith("ECOTRENDS_") and variable.endswith("_URL") for variable in source.base_urls)
    keys = [series.key for source in registry.values() for series in source.series]
    assert len(keys) == len(set(keys)), "series keys are unique across sources: they name series in links"


def test_no_module_outside_the_registry_imports_a_source_by_name():
    """The CLI, runner, app and inputs reach sources through the registry; only tests and the sources'
    own helpers name one (the Trends export import is the Trends source's own command)."""
    graph = import_graph()
    # `ecotrends import --trends-csv` is the Trends source's own command; `ecotrends track` resolves a project with
    # the GitHub, PyPI and Stack Exchange sources' own fetchers (one request each, no second client to keep in step)
    allowed = {"collectors.commands.moving", "collectors.resolve"}
    naming = {
        module
        for module, targets in graph.items()
        if module not in allowed and not module.startswith("collectors.sources")
        and any(t.startswith("collectors.sources.") for t in targets)
    }  # fmt: skip
    assert naming == set()


def test_the_import_graph_has_no_cycle_counting_imports_for_type_checkers():
    """Imports under TYPE_CHECKING tie modules as much as any: the runner and the sources meet in source.py."""
    assert find_cycle(import_graph(all_imports)) == []


# the code and the published SQL; the migrations only lay out the tables the data is kept in
PRODUCT = [*ROOT.glob("app/**/*.py"), *ROOT.glob("collectors/**/*.py"), *ROOT.glob("sql/views/*.sql"),
           *ROOT.glob("sql/*.sql")]  # fmt: skip


def files_naming(pattern: str) -> list[str]:
    import re

    word = re.compile(pattern, re.IGNORECASE)
    return sorted(str(path.relative_to(ROOT)) for path in PRODUCT if word.search(path.read_text(encoding="utf-8")))


def test_a_source_is_named_in_its_own_module_view_and_few_other_files():
    """A source is one unit: its module, its view, and at most a few files that hold data named after it (the
    catalogue's conda packages, the extractor's words for a metric)."""
    for source, pattern in (("stackoverflow", r"stack ?overflow"), ("conda", r"\bconda\b")):
        named = files_naming(pattern)
        assert f"collectors/sources/{source}.py" in named
        assert len(named) <= 6, f"{source} is named in {len(named)} product files: {named}"


def test_no_test_reads_outside_the_repository():
    """The suite runs on a clone alone: fixtures live under tests/, never in ../shared or another checkout."""
    for path in sorted((ROOT / "tests").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for outside in ('/ "shared"', '"../shared/', "/work/shared", "parents[2]"):
            assert outside not in text or path.name == "test_architecture.py", f"{path.name} reads {outside}"
