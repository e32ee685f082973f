"""newscrawl uses Scrapy (and Twisted, redis…) through public names only, so an upgrade that
breaks us breaks a documented interface, and its release notes say so.

Two checks: no ``_name`` reached on an object that is not ours (read in the source, with
``getattr``-style strings and imports), and no class of ours overrides a base class's
``_name`` (found by importing every module)."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

import newscrawl

PACKAGE = Path(newscrawl.__file__).parent
ATTRIBUTE_CALLS = {"getattr", "setattr", "hasattr", "delattr"}
# Private names Python's own metaclasses put in every subclass (ABCMeta, Protocol).
MACHINERY = {"_abc_impl", "_is_protocol", "_is_runtime_protocol"}


def is_private(name: str) -> bool:
    """``_x`` and ``__x``, not ``__x__``.

    >>> [is_private(n) for n in ("_slot", "__mangled", "__init__", "slot")]
    [True, True, False, False]
    """
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def defined_names(trees: Iterable[ast.AST]) -> set[str]:
    """The private names our own code defines: functions, classes, assigned names and
    attributes (``self._x = …``), dataclass fields."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return {n for n in names if is_private(n)}


def private_uses(tree: ast.AST, ours: set[str]) -> list[tuple[int, str]]:
    """(line, what) for each private name of someone else's that ``tree`` reaches."""
    return sorted(_private_uses(tree, ours))


def _private_uses(tree: ast.AST, ours: set[str]) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr) and node.attr not in ours:
            yield node.lineno, f".{node.attr}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ATTRIBUTE_CALLS
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and is_private(node.args[1].value)
            and node.args[1].value not in ours
        ):
            yield node.lineno, f"{node.func.id}(…, {node.args[1].value!r})"
        elif isinstance(node, ast.ImportFrom) and not (node.module or "").startswith("newscrawl"):
            parts = (node.module or "").split(".") + [alias.name for alias in node.names]
            yield from ((node.lineno, f"import {p}") for p in parts if is_private(p))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if any(is_private(p) for p in alias.name.split(".")):
                    yield node.lineno, f"import {alias.name}"


def private_overrides(classes: Iterable[type]) -> Iterator[str]:
    """``Class._name`` for each private name a class of ours defines over a foreign base's."""
    for cls in classes:
        foreign = [b for b in cls.__mro__[1:] if not b.__module__.startswith("newscrawl")]
        for name in set(vars(cls)) - MACHINERY:
            if is_private(name) and any(name in vars(base) for base in foreign):
                yield f"{cls.__module__}.{cls.__qualname__}.{name}"


def sources() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(), str(path)) for path in PACKAGE.rglob("*.py")}


def our_classes() -> Iterator[type]:
    for module in pkgutil.walk_packages([str(PACKAGE)], prefix="newscrawl."):
        loaded = importlib.import_module(module.name)
        for _, cls in inspect.getmembers(loaded, inspect.isclass):
            if cls.__module__ == loaded.__name__:
                yield cls


def test_the_package_reaches_no_private_name_of_scrapy_or_any_library() -> None:
    trees = sources()
    ours = defined_names(trees.values())
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
        for path, tree in sorted(trees.items())
        for line, what in private_uses(tree, ours)
    ]
    assert found == []


def test_no_class_of_ours_overrides_a_private_method_of_its_base() -> None:
    assert list(private_overrides(our_classes())) == []


def test_the_checks_see_what_the_package_used_to_do() -> None:
    """The private hooks of 0.2 (a downloader's delayed call, the engine's slot, robots.txt
    parsing, scrapy-redis's decoder) are all caught."""
    code = ast.parse(
        "slot.latercall = call_later(s, downloader._latercall, slot)\n"
        "getattr(engine, '_slot', None)\n"
        "request = self._decode_request(data)\n"
        "from scrapy.utils.defer import _schedule_coro\n"
        "import scrapy.core.downloader._idna_patch\n"
        "self._seen = set(); self._seen.add(1)\n"  # ours: defined here
    )
    found = [what for _, what in private_uses(code, defined_names([code]))]
    assert found == [
        "._latercall",
        "getattr(…, '_slot')",
        "._decode_request",
        "import _schedule_coro",
        "import scrapy.core.downloader._idna_patch",
    ]

    class RobotsRules(RobotsTxtMiddleware):
        async def _parse_robots(self, *args: object) -> None: ...

    assert [o.rsplit(".", 2)[-2:] for o in private_overrides([RobotsRules])] == [
        ["RobotsRules", "_parse_robots"]
    ]
