"""Run the per-article steps on a Dask cluster: a LocalCluster here or any scheduler.

The one module that talks to Dask. ``newsframes prepare|report --workers N`` starts a
``distributed.LocalCluster`` of N single-threaded worker processes on this machine;
``--scheduler ADDRESS`` connects to a running scheduler (``dask-scheduler`` and
``dask-worker`` on other machines, or any Dask deployment). Workers must have the same
version of this package installed (``pip install "newsframes-analysis[dask]"``): they import
the per-article functions (:func:`analysis.corpus.prepare_chunk`) by name.

Dask is an optional extra; without it these options say how to install it.
"""

from __future__ import annotations

import contextlib

from analysis.errors import ParameterError


@contextlib.contextmanager
def dask_client(*, workers: int | None = None, scheduler: str | None = None):
    """Yield a ``distributed.Client`` for the options given, or None for neither.

    Parameters
    ----------
    workers : int, optional
        Start a LocalCluster with this many worker processes (one thread each).
    scheduler : str, optional
        Address of a running Dask scheduler, e.g. ``tcp://10.0.0.5:8786``.

    Yields
    ------
    distributed.Client or None
        Closed (and the LocalCluster stopped) when the block ends.

    Raises
    ------
    ParameterError
        For both options at once, fewer than one worker, Dask not installed, or a
        scheduler that cannot be reached.

    Examples
    --------
    >>> with dask_client() as client:
    ...     client is None
    True
    """
    if workers is None and not scheduler:
        yield None
        return
    if workers is not None and scheduler:
        raise ParameterError("--workers and --scheduler: give one (a local cluster, or a running scheduler)")
    if workers is not None and (isinstance(workers, bool) or workers < 1):
        raise ParameterError(f"--workers {workers!r}: expected 1 or more worker processes")
    if scheduler:
        with _client(scheduler, what=f"--scheduler {scheduler}", timeout="5s") as client:
            yield client
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ParameterError("--workers/--scheduler need Dask: pip install 'newsframes-analysis[dask]'") from None
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as cluster, Client(cluster) as client:
        yield client


_CLIENTS: dict[str, object] = {}  # one client per scheduler address for the life of the process


def connect(scheduler: str = ""):
    """Return a ``distributed.Client`` of the running scheduler at `scheduler`, or None for "".

    A notebook calls this once with its ``scheduler`` parameter and passes the result to
    :func:`analysis.partition.per_article`; the client stays open for the kernel's life
    (calling again with the same address returns the same client).

    Parameters
    ----------
    scheduler : str, default ""
        Address such as ``tcp://10.0.0.5:8786`` (``newsframes report --workers N`` passes
        its LocalCluster's address to every notebook); "" means no cluster.

    Returns
    -------
    distributed.Client or None

    Raises
    ------
    ParameterError
        When Dask is not installed or the scheduler cannot be reached.

    Examples
    --------
    >>> connect("") is None
    True
    """
    if not scheduler:
        return None
    if scheduler not in _CLIENTS:
        _CLIENTS[scheduler] = _client(scheduler, what=f"parameter scheduler {scheduler!r}", timeout="10s")
    return _CLIENTS[scheduler]


def _client(address: str, *, what: str, timeout: str):
    """Connect a ``distributed.Client`` to a running scheduler; errors name `what` was given."""
    try:
        from distributed import Client
    except ImportError:
        raise ParameterError(f"{what} needs Dask: pip install 'newsframes-analysis[dask]'") from None
    try:
        return Client(address, timeout=timeout)
    except OSError as exc:
        raise ParameterError(f"{what}: cannot connect ({exc})") from None
