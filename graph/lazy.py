"""A package's public names, each imported from its module when it is first asked for.

Heavy libraries (spaCy, pyshacl, igraph, pyvis) stay unloaded until a name that needs them
is used, so ``import graph`` and ``apg --help`` stay quick.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    package: str, homes: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return the ``__getattr__`` and ``__dir__`` of ``package`` for the names in ``homes``.

    ``homes`` maps a module, relative to ``package`` (``".pipeline"``), to the names it
    gives, separated by spaces. A name is imported once, then kept in the package like any
    other attribute.
    """
    home = {name: module for module, names in homes.items() for name in names.split()}

    def __getattr__(name: str) -> Any:
        module = home.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module, package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *home})

    return __getattr__, __dir__
