"""Run ``python -m converters`` in a guarded subprocess and read back what it produced.

Each run gets: a hang guard (subprocess timeout), an address-space cap (``RLIMIT_AS``) so a
memory blow-up fails instead of swapping, a private ``HOME`` and ``TMPDIR``, and the audit
wrapper ``guard.py`` that logs every opened file and refuses every network attempt.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from converters import registry

ROOT = Path(__file__).resolve().parents[2]
GUARD = Path(__file__).with_name("guard.py")

#: A hang guard, not a speed assertion: a case that needs this long is stuck.
TIMEOUT_S = 10
MEMORY_LIMIT = 1024 * 1024 * 1024

#: Output file extension per writer.
EXTENSION = {"markdown": "md", "json": "json", "docx": "docx", "epub": "epub", "pdf": "pdf"}

#: Read-only places a conversion may open besides the input folder: Python and its packages
#: (code, not user data), the project itself (code, templates) and the system fonts.
SYSTEM_READ_ROOTS = (
    ROOT,
    Path(sys.prefix),
    Path(sys.base_prefix),
    Path(sysconfig.get_paths()["stdlib"]),
    Path("/usr/lib"),
    Path("/usr/share/fonts"),
    Path("/usr/share/fontconfig"),
    Path("/usr/share/zoneinfo"),
    Path("/usr/share/mime"),
    Path("/etc/fonts"),
    Path("/etc/mime.types"),  # the standard library's mimetypes table
    Path("/var/cache/fontconfig"),
    Path("/dev/urandom"),
    Path("/dev/null"),
    Path("/proc/self"),
)

#: Places anyone may write to without leaving anything behind.
SYSTEM_WRITE_SINKS = frozenset({"/dev/null"})


@cache
def importable(kind: str, name: str) -> bool:
    """True when the reader or writer ``name`` is registered and its module imports here."""
    table = registry.READERS if kind == "reader" else registry.WRITERS
    target = table.get(name)
    if target is None:
        return False
    try:
        importlib.import_module(target.partition(":")[0])
    except ImportError:
        return False
    return True


def writers() -> list[str]:
    """Every registered writer (the catalogue runs each case through all of them)."""
    return list(registry.WRITERS)


@dataclass
class Run:
    """What one guarded CLI run did."""

    returncode: int
    stdout: str
    stderr: str
    opened: list[tuple[str, bool]] = field(default_factory=list)  # (absolute path, for writing)
    network: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if "error:" in line]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(args: list[str], workdir: Path, stdin: bytes | None = None) -> Run:
    """Run ``pressroom ARGS`` guarded; ``workdir`` receives the audit log, HOME and TMPDIR."""
    log = workdir / "audit.jsonl"
    log.unlink(missing_ok=True)
    home, tmp = workdir / "home", workdir / "tmp"
    home.mkdir(exist_ok=True)
    tmp.mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
    }
    try:
        proc = subprocess.run(
            [sys.executable, str(GUARD), str(log), "--", *args],
            cwd=workdir,
            env=env,
            input=stdin,
            capture_output=True,
            timeout=TIMEOUT_S,
            preexec_fn=_limit_memory,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"hang guard: still running after {TIMEOUT_S} s: pressroom {' '.join(args)}") from None
    run = Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            event = json.loads(line)
            if "open" in event:
                run.opened.append((os.path.normpath(event["open"]), event["write"]))
            elif "net" in event:
                run.network.append(f"{event['net']} {event['args']}")
            elif "url" in event:
                run.urls.append(event["url"])
    return run


def _under(path: str, roots: tuple[Path, ...]) -> bool:
    resolved = Path(path)
    return any(resolved == r or r in resolved.parents for r in roots)


def stray_files(run: Run, allowed: tuple[Path, ...]) -> list[str]:
    """Files the run opened outside ``allowed`` (input/output folders) and the system read roots.

    Writes are allowed only inside ``allowed``; reads also in :data:`SYSTEM_READ_ROOTS`.
    """
    allowed = tuple(p.resolve() for p in allowed)
    stray = []
    for path, writing in run.opened:
        if _under(path, allowed) or path in SYSTEM_WRITE_SINKS:
            continue
        if not writing and _under(path, SYSTEM_READ_ROOTS):
            continue
        stray.append(f"{path} ({'write' if writing else 'read'})")
    return sorted(set(stray))


def output_text(path: Path, fmt: str) -> str:
    """The text a reader of the output would see; raises if the file is not a valid ``fmt``."""
    data = path.read_bytes()
    if fmt in ("markdown", "json"):
        text = data.decode("utf-8")
        if fmt == "json":
            json.loads(text)
        return text
    if fmt in ("docx", "epub"):
        from lxml import etree

        parts = []
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None
            names = zf.namelist()
            if fmt == "docx":
                assert "word/document.xml" in names
            else:
                assert names[0] == "mimetype" and zf.read("mimetype") == b"application/epub+zip"
            for name in names:
                if name.endswith((".xml", ".xhtml", ".html", ".opf", ".ncx", ".css", ".rels")):
                    raw = zf.read(name)
                    if not name.endswith(".css"):
                        etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True))
                    parts.append(raw.decode("utf-8"))
        return "\n".join(parts)
    if fmt == "pdf":
        assert data.startswith(b"%PDF-")
        out = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, timeout=60, check=True)
        # pdftotext ends every page with a form feed; link targets are checked on the raw file.
        return out.stdout.decode("utf-8", "replace").replace("\f", "\n")
    raise AssertionError(f"no checker for {fmt}")
