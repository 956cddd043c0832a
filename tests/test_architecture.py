"""The architecture holds: the import contracts of pyproject.toml ([tool.importlinter]) are kept,
an import against them fails the lint, and no module takes part in an import cycle.

grimp reads every import statement, those inside a function too: a lazy import is an import.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bargaining", "contracts", "notifications", "config")
LINT_IMPORTS = (
    sys.executable,
    "-c",
    "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
)


def lint_imports(tree: Path, *args: str) -> subprocess.CompletedProcess:
    """``lint-imports`` with the project's contracts over the packages in ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [*LINT_IMPORTS, "--no-cache", "--no-logo", *args, str(tree / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def python_only(folder: str, names: list[str]) -> set[str]:
    """For copytree: leave out everything but packages and Python modules."""
    return {name for name in names if not (name.endswith(".py") or (Path(folder) / name).is_dir())} | {"__pycache__"}


def test_the_tree_keeps_every_import_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_fails_the_lint(tmp_path):
    # given a copy of the packages in which the lowest room of contracts imports bargaining
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=python_only)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "contracts" / "rules" / "upward.py").write_text("import bargaining.models  # noqa: F401\n")
    # when the import contracts are checked
    result = lint_imports(tmp_path, "--contract", "apps-layers")
    # then the lint fails, naming the import
    assert result.returncode == 1, result.stdout + result.stderr
    assert "contracts is not allowed to import bargaining" in result.stdout
    assert "contracts.rules.upward -> bargaining.models" in result.stdout


def test_no_module_takes_part_in_an_import_cycle():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    cycles = import_cycles(graph)
    assert cycles == [], "\n".join(" -> ".join([*cycle, cycle[0]]) for cycle in cycles)


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every strongly connected set of two or more modules (or a module importing itself), each
    as one cycle through it: Tarjan's algorithm, iterative, then a path back to its first module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    imports = {module: sorted(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(imports[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, pending = work[-1]
            for imported in pending:
                if imported not in index:
                    index[imported] = low[imported] = len(index)
                    stack.append(imported)
                    on_stack.add(imported)
                    work.append((imported, iter(imports[imported])))
                    break
                if imported in on_stack:
                    low[module] = min(low[module], index[imported])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == module:
                            break
                    if len(component) > 1 or module in imports[module]:
                        components.append(sorted(component))
    return [_cycle_through(component, imports) for component in components]


def _cycle_through(component: list[str], imports: dict[str, list[str]]) -> list[str]:
    """A shortest path from the component's first module back to itself, inside the component."""
    members, first = set(component), component[0]
    came_from: dict[str, str] = {}
    frontier = [first]
    while frontier:
        following = []
        for module in frontier:
            for imported in imports[module]:
                if imported == first:
                    path = [module]
                    while path[-1] != first:
                        path.append(came_from[path[-1]])
                    return path[::-1]
                if imported in members and imported not in came_from:
                    came_from[imported] = module
                    following.append(imported)
        frontier = following
    return component
