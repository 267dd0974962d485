"""Importing WeasyPrint in ~0.3 s instead of ~0.65 s: every PDF command and build worker pays it.

Two costs of ``import weasyprint`` buy nothing here:

- It tries up to six names per C library (Windows and macOS ones too), and cffi runs
  :func:`ctypes.util.find_library` for each name it cannot load directly, which on Linux starts
  ``ldconfig``, ``gcc`` and ``ld`` processes: some 50 of them. Every list ends with names a plain
  ``dlopen`` finds (``libpango-1.0.so.0``, ``libpango-1.0.dylib``), so the search is switched off
  during the import; if a library then fails to load, the import is redone with the search.
- It imports ``fontTools.subset``, used only when HarfBuzz's subsetter is missing. That module
  is made lazy: it is executed on first use, so the fallback still works.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib.util
import io
import sys
from typing import Any

#: Modules WeasyPrint imports but only uses on fallback paths.
LAZY_MODULES = ("fontTools.subset",)


def _make_lazy(name: str) -> None:
    """Put a module in ``sys.modules`` that runs its code only when an attribute is first read."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)


def import_weasyprint() -> Any:
    """``import weasyprint``, quickly (see the module's docstring)."""
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    for name in LAZY_MODULES:
        _make_lazy(name)
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        # A library it cannot load makes WeasyPrint print a help text; that belongs to the retry.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    else:
        return weasyprint
    finally:
        ctypes.util.find_library = search
    import weasyprint

    return weasyprint
