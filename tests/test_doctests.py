"""Every docstring example in the installed packages runs as a doctest.

The modules are imported under their installed names (``innograph.extract.…``), so each one
is loaded once, as in use.
"""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import innograph

PACKAGES = ["innograph", "innograph.extract", "innograph.graph", "innograph.loaders", "innograph.queries"]
# Modules whose examples need a fixture graph run in their own test module instead.
RUN_ELSEWHERE = {"innograph.queries.api": "tests/test_queries_doctest.py"}


def _modules() -> list[str]:
    names = []
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        names.append(package_name)
        for info in pkgutil.iter_modules(package.__path__):
            if not info.ispkg:
                names.append(f"{package_name}.{info.name}")
    return sorted(set(names) - set(RUN_ELSEWHERE))


@pytest.mark.parametrize("module_name", _modules())
def test_docstring_examples(module_name: str) -> None:
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {module_name}"


def test_every_package_is_found() -> None:
    assert innograph.__version__
    assert len(_modules()) > 20
