"""No conversion opens a socket unless ``--allow-remote`` says so.

Every run goes through tests/bad/guard.py, whose audit hook records and refuses name lookups and
connections. The guard itself is proved first (it sees a lookup and a connect); then every
reader x writer converts documents full of remote references (images, style sheets, ``@import``)
and the canonical fixture without a single attempt; with ``--allow-remote`` the attempt shows up
in the log (and is refused there, so no test ever reaches the network).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.bad.harness import EXTENSION, GUARD, Run, importable, run_cli, writers
from tests.conftest import FIXTURES

REMOTE_IMG = "https://img.example.invalid/photo.jpg"
REMOTE_CSS = "https://css.example.invalid/site.css"

REMOTE_CSS_SHEET = f"""@import url("{REMOTE_CSS}");
@import "http://127.0.0.1:9/local.css";
@font-face {{ font-family: "Remote"; src: url("https://fonts.example.invalid/f.woff2"); }}
body {{ background: url("https://img.example.invalid/bg.png"); font-family: "Remote", serif; }}
"""


def _html() -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>远程资源测试</title>
<link rel="stylesheet" href="{REMOTE_CSS}"><style>@import url("{REMOTE_CSS}");</style>
<script src="https://js.example.invalid/a.js"></script></head><body>
<h1>远程资源测试</h1><p>记者从市文化局获悉，新的城市书房今天开放。<a href="https://news.example.invalid/a">原文</a></p>
<figure><img src="{REMOTE_IMG}" alt="远程照片"><figcaption>远程照片</figcaption></figure>
<p><img src="http://127.0.0.1:9/inline.png" alt="内联"> 第二段。</p>
<figure><img srcset="https://img.example.invalid/2x.jpg 2x" src="//img.example.invalid/p.jpg" alt="协议相对">
<figcaption>协议相对地址</figcaption></figure></body></html>""".encode()


def _markdown() -> bytes:
    return f"""# 远程资源测试

记者从市文化局获悉，新的城市书房今天开放。[原文](https://news.example.invalid/a)

![远程照片]({REMOTE_IMG})

<img src="http://127.0.0.1:9/inline.png"> 第二段。
""".encode()


def _json() -> bytes:
    doc = json.loads((FIXTURES / "canonical.json").read_text(encoding="utf-8"))
    for i, src in enumerate((REMOTE_IMG, "http://127.0.0.1:9/inline.png", "//img.example.invalid/p.jpg")):
        doc["blocks"].append(
            {
                "type": "figure",
                "image": {"type": "image", "src": src, "alt": f"远程{i}", "title": ""},
                "caption": [{"type": "text", "text": f"远程照片{i}"}],
                "number": None,
            }
        )
    return json.dumps(doc, ensure_ascii=False).encode()


def _text() -> bytes:
    return f"""远程资源测试

记者从市文化局获悉，新的城市书房今天开放。原文见 https://news.example.invalid/a

{REMOTE_IMG}

图为远程照片。
""".encode()


def _docx() -> bytes:
    """A DOCX whose picture is linked (``TargetMode="External"``) to a remote URL, not embedded."""
    import docx

    document = docx.Document()
    document.add_heading("远程资源测试", 1)
    document.add_paragraph("记者从市文化局获悉，新的城市书房今天开放。")
    document.add_picture(str(FIXTURES / "images" / "diagram.png"))
    buf = io.BytesIO()
    document.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                text = data.decode("utf-8")
                start = text.index('Target="media/')
                end = text.index('"', start + len('Target="'))
                text = text[:start] + f'Target="{REMOTE_IMG}" TargetMode="External"' + text[end + 1 :]
                data = text.encode("utf-8")
            elif item.filename == "word/document.xml":
                data = data.replace(b"r:embed=", b"r:link=")
            dst.writestr(item, data)
    return out.getvalue()


#: One document full of remote references per reader, and its file name.
REMOTE_DOCS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "text": ("remote.txt", _text),
    "html": ("remote.html", _html),
    "markdown": ("remote.md", _markdown),
    "json": ("remote.json", _json),
    "docx": ("remote.docx", _docx),
}


def _prepare(tmp_path: Path, name: str, data: bytes) -> tuple[Path, Path]:
    article = tmp_path / "article"
    article.mkdir()
    src = article / name
    src.write_bytes(data)
    css = article / "remote.css"
    css.write_text(REMOTE_CSS_SHEET, encoding="utf-8")
    return src, css


def _convert(tmp_path: Path, reader: str, writer: str, src: Path, css: Path, *extra: str) -> tuple[Run, Path]:
    out = tmp_path / f"result.{EXTENSION[writer]}"
    args = ["convert", str(src), "-o", str(out), "--from", reader, "--css", str(css), *extra]
    return run_cli(args, tmp_path), out


def _skip_unless(reader: str, writer: str) -> None:
    if not importable("reader", reader):
        pytest.skip(f"the {reader} reader is not on this branch yet")
    if not importable("writer", writer):
        pytest.skip(f"the {writer} writer is not on this branch yet")


def test_guard_records_and_refuses_lookups_and_connections(tmp_path: Path) -> None:
    """The proof's premise: the audit hook sees both a name lookup and a raw connect, and stops them."""
    log = tmp_path / "audit.jsonl"
    code = (
        "import socket, sys\n"
        f"sys.path.insert(0, {str(GUARD.parent)!r})\n"
        "import guard\n"
        f"guard._install({str(log)!r})\n"
        "for attempt in (lambda: socket.getaddrinfo('example.invalid', 80),\n"
        "                lambda: socket.socket().connect(('127.0.0.1', 9))):\n"
        "    try:\n"
        "        attempt()\n"
        "    except OSError as exc:\n"
        "        print('refused:', exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True)
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    seen = {e["net"] for e in events if "net" in e}
    assert {"socket.getaddrinfo", "socket.connect"} <= seen, events
    assert out.stdout.count("refused: network access refused by the test guard") == 2, out.stdout


@pytest.mark.parametrize("writer", writers())
def test_canonical_fixture_converts_without_network(writer: str, tmp_path: Path) -> None:
    _skip_unless("json", writer)
    article = tmp_path / "article"
    shutil.copytree(FIXTURES, article, ignore=shutil.ignore_patterns("*.py"))
    out = tmp_path / f"result.{EXTENSION[writer]}"
    run = run_cli(["convert", str(article / "canonical.json"), "-o", str(out)], tmp_path)
    assert run.returncode == 0, run.stderr
    assert not run.network, run.network
    remote_urls = [u for u in run.urls if not u.startswith("data:")]
    assert not remote_urls, f"URLs opened: {remote_urls}"


@pytest.mark.parametrize("writer", writers())
@pytest.mark.parametrize("reader", list(REMOTE_DOCS))
def test_remote_references_open_no_socket(reader: str, writer: str, tmp_path: Path) -> None:
    """Remote images, style sheets and ``@import`` in the input or ``--css``: no lookup, no connect."""
    _skip_unless(reader, writer)
    name, make = REMOTE_DOCS[reader]
    src, css = _prepare(tmp_path, name, make())
    run, out = _convert(tmp_path, reader, writer, src, css)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 0, run.stderr
    assert not run.network, f"network attempted without --allow-remote: {run.network}"
    remote_urls = [u for u in run.urls if u.startswith(("http:", "https:", "ftp:"))]
    assert not remote_urls, f"remote URLs requested without --allow-remote: {remote_urls}"
    assert out.is_file()


@pytest.mark.parametrize("writer", [w for w in writers() if w in ("docx", "epub", "pdf")])
def test_allow_remote_is_the_only_way_to_the_network(writer: str, tmp_path: Path) -> None:
    """With ``--allow-remote`` an embedding writer does try the remote image (the guard refuses it)."""
    _skip_unless("json", writer)
    name, make = REMOTE_DOCS["json"]
    src, css = _prepare(tmp_path, name, make())
    run, out = _convert(tmp_path, "json", writer, src, css, "--allow-remote")
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 0, run.stderr
    assert any("img.example.invalid" in attempt for attempt in run.network), run.network
    assert "fetch" in run.stderr, "a refused fetch is reported as a warning"
    assert out.is_file()
