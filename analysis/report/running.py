"""Running the report's notebooks: kernels, warm-up, progress lines, papermill, the job pool."""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from analysis.errors import ReportError
from analysis.report.params import OVERVIEW_NOTEBOOK

KERNEL = "python3"  # without a kernel manager; report kernels use analysis.kernel.kernel_name()
KERNEL_TIMEOUT = 120  # seconds for a kernel to start or import its notebook's modules
# Report kernels keep no IPython history: concurrent kernels would share one SQLite file in
# ~/.ipython (lock contention), it would fill with report runs, and it costs ~0.07 s CPU each.
KERNEL_ARGS = ("--HistoryManager.enabled=False",)
# one kernel per core: on real corpora a third kernel on two cores saved no time (1,000 and 4,142
# abp-2013 articles, interleaved runs) and cost a fifth to a third more summed memory (README, scale)
DEFAULT_JOBS = os.cpu_count() or 1
# kernels start longest notebook first (bench/scale.py, 1,000 articles: 127, 93, 52, 28, 3 s), so
# the longest is not queued behind short ones; other notebooks start after these
RELEASE_AFTER_CELLS = "__import__('analysis.kernel', fromlist=['release_after_cells']).release_after_cells()"
# executed notebooks keep the kernel's memory after each cell in this cell metadata key
MEMORY_KEY = "newsframes_kernel_memory"
LONGEST_FIRST = ("40_voices_reuse", "20_sentiment", "30_framing", "10_terms", OVERVIEW_NOTEBOOK)


def _start_kernel():
    """Start a kernel for a report notebook (in the calling thread's event loop)."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    from analysis.kernel import kernel_name, transport_encryption
    from analysis.partition import PROGRESS_ENV

    km = AsyncKernelManager(kernel_name=kernel_name(), transport_encryption=transport_encryption())
    # no progress bars in the kernels: they would land in the executed notebooks (the report
    # prints a line per long cell instead)
    run_sync(km.start_kernel)(extra_arguments=list(KERNEL_ARGS), env={**os.environ, PROGRESS_ENV: "0"})
    return km


def _warm_up(km, code: str) -> None:
    """Run `code` silently in the kernel of `km` once it is ready.

    The report passes the notebook's own imports (see :func:`import_statements`), so they
    load while the corpus is still being prepared, and registers
    :func:`analysis.kernel.release_after_cells`. A failing import is not reported here:
    the notebook's own cell reports it.
    """
    from jupyter_core.utils import run_sync

    # freed memory goes back to the system after every cell, so a kernel between its peaks
    # does not hold it while the other kernel is at its own (analysis.kernel.release_memory)
    code = "\n".join(line for line in (code, RELEASE_AFTER_CELLS) if line)
    kc = km.client()
    kc.start_channels()
    try:
        run_sync(kc.wait_for_ready)(timeout=KERNEL_TIMEOUT)
        run_sync(kc.execute_interactive)(code, silent=True, store_history=False, timeout=KERNEL_TIMEOUT)
    finally:
        kc.stop_channels()


def _stop_kernel(km) -> None:
    """Stop a kernel started by :func:`_start_kernel` and remove its connection file."""
    from jupyter_core.utils import run_sync

    try:
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)  # its notebook's files are already written
    finally:
        run_sync(km.cleanup_resources)()


SLOW_CELL = 10.0  # seconds: a cell running longer is announced, then every HEARTBEAT seconds
HEARTBEAT = 30.0


def process_memory(pid: int) -> dict[str, int] | None:
    """Return the resident memory of process `pid` now and at its peak, in MB, or None if it is gone.

    Linux reads ``VmRSS`` and ``VmHWM`` (the kernel's own high-water mark, which misses no
    short peak) from ``/proc/PID/status``; elsewhere both are psutil's resident size now.

    Examples
    --------
    >>> mem = process_memory(os.getpid())
    >>> sorted(mem), 0 < mem["rss_mb"] <= mem["peak_mb"]
    (['peak_mb', 'rss_mb'], True)

    Notes
    -----
    O(1): one small file read.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
        kb = {ln.split(":")[0]: int(ln.split()[1]) for ln in status if ln.startswith(("VmRSS:", "VmHWM:"))}
        return {"rss_mb": round(kb["VmRSS"] / 1024), "peak_mb": round(kb["VmHWM"] / 1024)}
    except (OSError, KeyError, ValueError, IndexError):
        pass
    try:
        import psutil

        rss = round(psutil.Process(pid).memory_info().rss / 2**20)
    except Exception:  # noqa: BLE001 - no such process, or no psutil: memory is not said
        return None
    return {"rss_mb": rss, "peak_mb": rss}


class CellProgress:
    """Say which cell of a notebook is running when one takes long (a line per step).

    ``start``/``done`` are called by the report's papermill engine around every cell; a
    watcher thread logs ``"30_framing: cell 22/41 running for 40 s (aligned = ...)"`` once
    a cell has run :data:`SLOW_CELL` seconds and every :data:`HEARTBEAT` seconds after, and
    the cell's time when it ends, so a long report never goes quiet for minutes. Given the
    kernel's process id (`pid`), ``done`` returns the kernel's memory after the cell
    (:func:`process_memory`), which the report keeps in the executed notebook's cell
    metadata, and the slow cell's line says it: ``"took 40 s; kernel 1,210 MB (peak 1,480 MB)"``.
    """

    def __init__(self, name: str, log, *, slow: float | None = None, every: float | None = None,
                 pid: int | None = None):
        slow = SLOW_CELL if slow is None else slow
        every = HEARTBEAT if every is None else every
        self.name, self.log, self.slow, self.every, self.pid = name, log, slow, every, pid
        self.cell: tuple | None = None
        self.lock, self.stop = threading.Lock(), threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def start(self, cell, index, total) -> None:
        """Note that cell `index` (0-based) of `total` starts now."""
        first = next((ln.strip() for ln in str(cell.get("source", "")).splitlines() if ln.strip()), "")
        with self.lock:
            self.cell = (index + 1, total, first[:60], time.monotonic(), [0.0])

    def done(self, index) -> dict | None:
        """Note that the running cell ended; log its time if it was slow; return the kernel's memory."""
        with self.lock:
            cell, self.cell = self.cell, None
        memory = process_memory(self.pid) if self.pid else None
        if cell and time.monotonic() - cell[3] >= self.slow:
            said = (f"; kernel {memory['rss_mb']:,} MB (peak {memory['peak_mb']:,} MB)"
                    if memory else "")
            self.log(f"{self.name}: cell {cell[0]}/{cell[1]} took {time.monotonic() - cell[3]:.0f} s{said}")
        return memory

    def _watch(self) -> None:
        while not self.stop.wait(1.0):
            with self.lock:
                cell = self.cell
            if cell is None:
                continue
            elapsed = time.monotonic() - cell[3]
            announced = cell[4]
            if elapsed >= self.slow and (not announced[0] or elapsed - announced[0] >= self.every):
                announced[0] = elapsed
                self.log(f"{self.name}: cell {cell[0]}/{cell[1]} running for {elapsed:.0f} s ({cell[2]})")


@functools.cache
def _engine() -> str:
    """Register (once) a papermill engine that reports cell progress; return its name."""
    from papermill.engines import NBClientEngine, papermill_engines

    class _ProgressEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            progress = kwargs.pop("progress", None)
            if progress is not None:
                start, complete = nb_man.cell_start, nb_man.cell_complete

                def cell_start(cell, cell_index=None, **kw):
                    progress.start(cell, cell_index or 0, len(nb_man.nb.cells))
                    return start(cell, cell_index, **kw)

                def cell_complete(cell, cell_index=None, **kw):
                    memory = progress.done(cell_index)
                    if memory is not None:  # read by bench/scale.py: which cell set each kernel's peak
                        cell.metadata[MEMORY_KEY] = memory
                    return complete(cell, cell_index, **kw)

                nb_man.cell_start, nb_man.cell_complete = cell_start, cell_complete
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    papermill_engines.register("newsframes", _ProgressEngine)
    return "newsframes"


def _run_notebook(nb: Path, staging: Path, params: dict, km=None, log=None) -> None:
    import papermill as pm

    target = staging / "notebooks" / nb.name
    pid = getattr(getattr(km, "provisioner", None), "pid", None)
    progress = CellProgress(nb.stem, log, pid=pid) if log is not None else None
    try:
        # No cwd=: papermill implements it with os.chdir, which is process-wide and races between
        # the notebooks running in parallel threads. Kernels start in the caller's directory,
        # so relative paths given with --set mean what the user typed.
        # request_save_on_cell_execute=False: papermill would otherwise re-serialise the whole
        # notebook (images included) twice per cell; it still writes it on error and at the end.
        with progress or contextlib.nullcontext():
            pm.execute_notebook(str(nb), str(target), parameters=params,
                                kernel_name=KERNEL if km is None else km.kernel_name,
                                progress_bar=False, log_output=False,
                                request_save_on_cell_execute=False, km=km,
                                engine_name=_engine(), progress=progress)
    except pm.PapermillExecutionError as exc:
        first = (exc.source or "").strip().splitlines()[:1]
        raise ReportError(
            f"notebook {nb.name} failed in cell {exc.cell_index + 1} of the executed notebook "
            f"({first[0] if first else 'empty cell'}): {exc.ename}: {exc.evalue}\n"
            f"  partial executed notebook kept at {target}"
        ) from None



def start_order(notebooks: list[Path]) -> list[Path]:
    """Return the notebooks in the order their kernels start: :data:`LONGEST_FIRST`, then the rest.

    Examples
    --------
    >>> [p.stem for p in start_order([Path("00_corpus.ipynb"), Path("50_mine.ipynb"),
    ...                               Path("40_voices_reuse.ipynb")])]
    ['40_voices_reuse', '00_corpus', '50_mine']
    """
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    return sorted(notebooks, key=lambda nb: rank.get(nb.stem, len(rank)))


def _run_all(notebooks: list[Path], prepare, run, *, jobs: int, warm=None, after=None):
    """Call ``prepare()`` here while the first kernels start, then ``run(nb, km)`` for each.

    Each worker starts its notebook's kernel and calls ``warm(nb, km)`` (the report runs
    the notebook's imports) before waiting for the prepared tables, so kernel start-up and
    imports (about a second of CPU each) overlap preparation instead of following it.
    ``after(nb)`` (the report renders the page) runs on a thread of its own once ``run``
    returned, while the worker stops the kernel and moves on to the next notebook. If
    `prepare` raises, the started kernels are stopped and the queued notebooks never
    start; the first notebook error is raised after all have finished.
    """
    ready, failed = threading.Event(), threading.Event()
    afters: list = []

    with ThreadPoolExecutor(max_workers=1) as finishing, ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        def work(nb: Path) -> None:
            km = _start_kernel()
            try:
                if warm is not None:
                    warm(nb, km)
                ready.wait()
                if not failed.is_set():
                    run(nb, km)
                    if after is not None:
                        afters.append(finishing.submit(after, nb))
            finally:
                _stop_kernel(km)

        futures = [pool.submit(work, nb) for nb in notebooks]
        try:
            prepared = prepare()
        except BaseException:
            failed.set()
            for fut in futures:
                fut.cancel()
            raise
        finally:
            ready.set()
        for fut in futures:
            fut.result()
        for fut in afters:
            fut.result()
    return prepared
