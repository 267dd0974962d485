"""``pressroom build --scheduler ADDRESS``: the same batch on a Dask distributed cluster.

Workers read the articles from a path they share with us (a network file system, or the same
machine) and send back the rendered bytes; we write them here, atomically, so outputs land where
the build was started whatever the workers' disks are. Dask workers are long-lived processes, so
the writers' per-process caches (the PDF writer's font configuration) stay warm across tasks;
:func:`warm_up` runs on every worker first so no article pays for the imports.

Needs the optional dependency group ``dask`` (``pip install 'pressroom[dask]'``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from converters.build_worker import ArticleResult, Job, convert_article, warm_up, write_payload
from converters.context import Options
from converters.errors import EnvironmentProblem, UsageError


def _task(job: Job, options: Options) -> ArticleResult:
    return convert_article(job, options, write=False)


def run_dask(
    address: str, jobs: Sequence[Job], options: Options, formats: list[str], on_result: Callable[[ArticleResult], None]
) -> None:
    """Convert ``jobs`` on the cluster at ``address``; ``on_result`` runs here as each article ends."""
    try:
        # Dask's API is untyped; keep it as Any rather than litter the calls with ignores.
        import distributed

        dask: Any = distributed
    except ImportError:
        raise EnvironmentProblem(
            "--scheduler needs Dask: pip install 'pressroom[dask]' (dask[distributed])", code="no-dask"
        ) from None
    try:
        client = dask.Client(address, timeout="10s", set_as_default=False)
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}", code="no-scheduler") from None
    futures: list[Any] = []
    try:
        client.run(warm_up, formats)
        futures = [client.submit(_task, job, options, pure=False) for job in jobs]
        for future in dask.as_completed(futures, loop=client.loop):
            try:
                result: ArticleResult = future.result()
            except Exception as exc:  # the task itself died (worker lost, unpicklable result)
                job = jobs[futures.index(future)]
                why = f"the Dask task failed: {type(exc).__name__}: {exc}"
                result = ArticleResult(job.source, failed=[(f, o, why) for f, o in job.outputs])
            on_result(write_payload(result))
    finally:
        if futures:
            client.cancel(futures)
        client.close()
