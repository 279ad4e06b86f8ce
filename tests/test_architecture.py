"""The shape of the server's code: its modules import one another without a cycle, and the
engine stays pure Python that knows nothing of Flask, the database or the server around it."""

from __future__ import annotations

import ast
from pathlib import Path

SERVER = Path(__file__).resolve().parent.parent / "server"
WEB_AND_DB = ("flask", "werkzeug", "sqlalchemy", "alembic", "flask_limiter", "limits")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SERVER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in SERVER.rglob("*.py")}


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every module this one imports, anywhere in its body (a function's import runs too), but
    for those only a type checker reads."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _run_time_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            target = ".".join(part for part in (base, node.module or "") if part)
            # `from . import x` imports the submodule x when there is one, else a name of the package
            submodules = {f"{target}.{alias.name}" for alias in node.names} & known.keys()
            found |= submodules if len(submodules) == len(node.names) else submodules | {target}
    return found - {name}


def _run_time_nodes(tree: ast.AST):
    pending = [tree]
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            pending.extend(node.orelse)
        else:
            pending.extend(ast.iter_child_nodes(node))


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _imports(name, path, known) for name, path in known.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle among the server's modules, or None."""
    done, path = set(), []

    def visit(name: str) -> list[str] | None:
        if name in path:
            return path[path.index(name):] + [name]
        if name in done:
            return None
        path.append(name)
        for target in sorted(graph[name] & graph.keys()):
            if found := visit(target):
                return found
        path.pop()
        done.add(name)
        return None

    for name in sorted(graph):
        if found := visit(name):
            return found
    return None


def test_the_server_modules_import_one_another_without_a_cycle():
    assert _cycle(_graph()) is None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b", "os"}, "b": set()}) is None


def test_the_engine_imports_neither_the_web_nor_the_database_nor_the_server():
    strays = {
        f"{name} imports {target}"
        for name, targets in _graph().items() if name.startswith("server.engine")
        for target in targets
        if target.split(".")[0] in WEB_AND_DB
        or (target.startswith("server") and not (target + ".").startswith("server.engine."))
    }
    assert not strays


def test_rule_authoring_imports_no_web_framework():
    # The admin views read the request and the config and hand authoring plain values.
    strays = {
        f"{name} imports {target}"
        for name, targets in _graph().items() if name.startswith("server.authoring")
        for target in targets if target.split(".")[0] in ("flask", "werkzeug")
    }
    assert not strays


def test_accounts_know_nothing_of_the_ledger():
    # The ledger is kept per user, not the other way round: create_app hands accounts the
    # ledger's version columns, read with the user on every request.
    assert not {target for target in _graph()["server.accounts"] if target.startswith("server.ledger")}


def test_rule_authoring_and_the_admin_pages_stand_apart_from_the_api():
    graph = _graph()
    strays = {
        f"{name} imports {target}"
        for name, targets in graph.items() if name.startswith(("server.admin", "server.authoring"))
        for target in targets
        if target.startswith("server.api")
        or (name.startswith("server.authoring") and target.startswith("server.admin"))
    }
    assert not strays
