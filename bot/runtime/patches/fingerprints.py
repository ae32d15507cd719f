"""A fingerprint of the installed source of every function each patch replaces or reproduces (`TARGETS`).

Read from the distribution's source file, not from the live objects, so the result is the same whether or
not the patches are applied in this process. A fingerprint hashes the definition without its docstring,
comments or layout (`ast.unparse`); for a name the module imports (`rasa.core.processor:copy`), the whole
module, since every function there sees what replaces it.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
from importlib import metadata
from pathlib import Path

from bot.runtime.patches import PATCHES

MISSING = "missing"


def _source_file(distribution: str, module: str) -> Path:
    files = metadata.distribution(distribution)
    relative = module.replace(".", "/")
    for candidate in (f"{relative}.py", f"{relative}/__init__.py"):
        path = Path(str(files.locate_file(candidate)))
        if path.is_file():
            return path
    raise FileNotFoundError(f"{module} is not in the installed {distribution}")


def _defines(child: ast.stmt, name: str) -> bool:
    if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return child.name == name
    if isinstance(child, ast.Assign):
        return any(isinstance(target, ast.Name) and target.id == name for target in child.targets)
    return isinstance(child, ast.AnnAssign) and isinstance(child.target, ast.Name) and child.target.id == name


def _imports(child: ast.stmt, name: str) -> bool:
    return isinstance(child, (ast.Import, ast.ImportFrom)) and any(
        (alias.asname or alias.name.split(".")[0]) == name for alias in child.names)


def _definition(tree: ast.Module, qualname: str) -> ast.AST | None:
    """The definition of `qualname` in the module (the last one, as Python keeps), or the whole module for
    a name it imports."""
    scope: ast.AST = tree
    for name in qualname.split("."):
        body = getattr(scope, "body", [])
        found = [child for child in body if _defines(child, name)]
        if not found and scope is tree and any(_imports(child, name) for child in body):
            return tree
        if not found:
            return None
        scope = found[-1]
    return scope


def _without_docstrings(node: ast.AST) -> ast.AST:
    for each in ast.walk(node):
        body = getattr(each, "body", None)
        if (isinstance(each, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            each.body = body[1:] or [ast.Pass()]
    return node


def fingerprint(distribution: str, target: str) -> str:
    """The fingerprint of `target` ("package.module:Class.attribute") in the installed `distribution`."""
    module, _, qualname = target.partition(":")
    tree = ast.parse(_source_file(distribution, module).read_text(encoding="utf-8"))
    node = _definition(tree, qualname)
    if node is None:
        return MISSING
    return hashlib.sha256(ast.unparse(_without_docstrings(node)).encode()).hexdigest()[:16]


def fingerprints() -> dict[str, dict[str, str]]:
    """Every patch's targets and their fingerprints, by patch name (imports every patch module)."""
    return {patch.name: {target: fingerprint(patch.distribution, target)
                         for target in importlib.import_module(patch.module).TARGETS}
            for patch in PATCHES}
