"""``rubric/__init__.py`` is the whole public API: ``__all__`` is sorted and complete
(after httpx's tests/test_exported_members.py)."""

from __future__ import annotations

import importlib
import types

import pytest

import rubric

# Modules whose ``__all__`` is public API. units, expressions and explain are internal
# helpers of the engine (conversion factors, formula compiler, trace renderer).
PUBLIC_MODULES = ("errors", "facts", "policy", "rules", "tree", "engine.evaluation")
# Names a public module lists in its own ``__all__`` for sibling modules, not for users.
INTERNAL = {"facts": {"is_known", "suggest", "to_decimal"}}


def test_every_exported_name_exists():
    for name in rubric.__all__:
        assert hasattr(rubric, name), name


def test_all_is_sorted_and_unique():
    assert rubric.__all__ == sorted(rubric.__all__)
    assert len(set(rubric.__all__)) == len(rubric.__all__)


def test_every_public_object_in_the_namespace_is_exported():
    public = {
        name for name, value in vars(rubric).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public - set(rubric.__all__) == set()


def test_exported_objects_are_the_modules_own():
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(f"rubric.{module_name}")
        for name in module.__all__:
            if name in rubric.__all__:
                assert getattr(rubric, name) is getattr(module, name), name


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_public_module_names_are_exported(module_name):
    module = importlib.import_module(f"rubric.{module_name}")
    wanted = set(module.__all__) - INTERNAL.get(module_name, set())
    assert wanted - set(rubric.__all__) == set()


def test_version_is_a_string():
    assert isinstance(rubric.__version__, str) and rubric.__version__
