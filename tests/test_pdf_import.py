"""Loading WeasyPrint for the PDF writer: no library search processes, and a fallback that still finds them."""

from __future__ import annotations

import subprocess
import sys
import textwrap

COUNT_PROCESSES = """
import subprocess
started = []
real = subprocess.Popen.__init__
def counting(self, args, *rest, **kwargs):
    started.append(args)
    real(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = counting
"""


def run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_weasyprint_loads_its_libraries_without_starting_processes() -> None:
    out = run(COUNT_PROCESSES + """
from converters.writers.pdf.startup import import_weasyprint
weasyprint = import_weasyprint()
import ctypes.util
print(len(started), weasyprint.__version__, ctypes.util.find_library.__name__)
""")
    count, version, search = out.split()
    assert count == "0" and version.startswith("70.")
    assert search == "find_library", "the library search must be put back after the import"


def test_when_plain_dlopen_fails_the_import_is_redone_with_the_library_search() -> None:
    # Refuse every direct load while the search is switched off: the first import fails part-way.
    out = run(COUNT_PROCESSES + """
import cffi, ctypes.util
real_dlopen = cffi.FFI.dlopen
def dlopen(self, name, flags=0):
    if ctypes.util.find_library.__name__ == "<lambda>":
        raise OSError(f"cannot load {name}")
    return real_dlopen(self, name, flags)
cffi.FFI.dlopen = dlopen
from converters.writers.pdf.startup import import_weasyprint
weasyprint = import_weasyprint()
print(len(started) > 0, weasyprint.HTML is not None)
""")
    assert out == "True True"


def test_the_fonttools_subsetter_loads_only_when_used() -> None:
    out = run("""
import sys
from converters.writers.pdf.startup import import_weasyprint
import_weasyprint()
lazy = type(sys.modules["fontTools.subset"]).__name__
from weasyprint.pdf import fonts
options = fonts.subset.Options(retain_gids=True)  # WeasyPrint's fallback path still works
print(lazy, type(sys.modules["fontTools.subset"]).__name__, options.retain_gids)
""")
    assert out == "_LazyModule module True"


def test_the_build_fork_server_preload_loads_weasyprint_but_no_fonts() -> None:
    out = run("""
import sys
import converters.writers.pdf.preload
from converters.writers.pdf import font_config, justify
print("weasyprint" in sys.modules, justify.installed(), font_config.cache_info().currsize)
""")
    assert out == "True True 0"
