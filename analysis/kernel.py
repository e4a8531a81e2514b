"""The Jupyter kernel the notebooks run on: "Python (newsframes)" where registered, else python3.

Every notebook names the kernel ``newsframes`` in its metadata, so JupyterLab and papermill
pick the environment that has this package installed, not whatever ``python3`` means to
the Jupyter a participant happens to start. The wheel ships that kernelspec (installed
into ``<prefix>/share/jupyter/kernels/newsframes``; its ``python`` is replaced by the
environment's interpreter), ``make setup`` registers it for the checkout's ``.venv``, and
``newsframes workshop DIR`` registers it for the user. The report itself uses it only when
it runs this interpreter; otherwise ``python3``, which jupyter_client resolves to the
running interpreter.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import sys

KERNEL_NAME = "newsframes"
DISPLAY_NAME = "Python (newsframes)"
FALLBACK = "python3"  # jupyter_client's native kernel: always the running interpreter
_RELATIVE = {"python", "python3", f"python{sys.version_info[0]}.{sys.version_info[1]}"}  # -> sys.executable


def kernel_name() -> str:
    """Return the kernel to run the notebooks on from this interpreter.

    Returns
    -------
    str
        ``"newsframes"`` when that kernelspec is registered and starts this interpreter
        (``python`` in its argv, which jupyter_client replaces by ``sys.executable``, or
        ``sys.executable`` itself); else ``"python3"``. A ``newsframes`` kernel registered
        by another environment is not used: its packages may differ.

    Notes
    -----
    Reads the kernelspec folders once per call (a few ms).

    Examples
    --------
    >>> kernel_name() in {"newsframes", "python3"}
    True
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        return FALLBACK
    exe = spec.argv[0] if spec.argv else ""
    if exe in _RELATIVE or os.path.abspath(exe) == os.path.abspath(sys.executable):
        return KERNEL_NAME
    return FALLBACK


def install_kernel(*, user: bool = True, prefix: str | None = None) -> str:
    """Register this interpreter as the "Python (newsframes)" Jupyter kernel.

    Parameters
    ----------
    user : bool, default True
        Install for the current user (``jupyter --data-dir``), so a JupyterLab started from
        any environment offers it; ignored when `prefix` is given.
    prefix : str, optional
        Install under ``<prefix>/share/jupyter/kernels`` instead (``sys.prefix`` for a venv).

    Returns
    -------
    str
        The kernelspec folder written.
    """
    from ipykernel.kernelspec import install

    return install(user=user and prefix is None, prefix=prefix, kernel_name=KERNEL_NAME,
                   display_name=DISPLAY_NAME)


def transport_encryption() -> str:
    """Return the jupyter_client transport-encryption policy for report kernels.

    Returns
    -------
    str
        ``"auto"`` (CurveZMQ keys provisioned by the kernel manager when the kernelspec
        declares support, as ipykernel's do) when pyzmq has CurveZMQ, else ``"disabled"``.
        With encryption the kernel no longer warns "Kernel is running over TCP without
        encryption" once per notebook.
    """
    import zmq

    return "auto" if zmq.has("curve") else "disabled"


def release_memory() -> None:
    """Give memory the process has freed back to the operating system.

    Returns
    -------
    None

    Examples
    --------
    >>> release_memory()

    Notes
    -----
    Frees Arrow's unused pool memory (``pyarrow.default_memory_pool().release_unused()``)
    and calls glibc's ``malloc_trim(0)`` where the C library has it (Linux with glibc; a
    no-op elsewhere). A freed table's memory otherwise stays resident in the process, ready
    for reuse by it but not by anyone else: between two cells of the voices notebook at
    4,142 articles a kernel held 674 MB after the reuse cell, 471 MB with this after each
    cell (its peak is unchanged, 1,054 against 1,037 MB). What it saves is what two report
    kernels hold at once while only one is at its peak. O(the process's heap); tens of
    milliseconds for a heap of a gigabyte.
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@contextlib.contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector inside a ``with`` block; restore its state after.

    For steps that make millions of small acyclic objects (tuples, lists of tokens), all
    freed by reference counts: the collector's passes over them, and over everything else
    the process holds, cost such steps 15-25% of their CPU (name proposals, tone toward
    people). It finds no garbage there, so no result changes. The collector is switched back
    on after the block, also when it raises, unless it was off before.

    Examples
    --------
    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True

    Notes
    -----
    O(1). Pausing it for the whole kernel was measured and not adopted: steps that hold few
    long-lived objects (quotation extraction, label substitutions) were no faster (README,
    Large corpora).
    """
    collect = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collect:
            gc.enable()


@functools.cache
def _malloc_trim():
    """Return glibc's ``malloc_trim``, looked up once per process (``find_library`` runs ``ldconfig``), or None."""
    import ctypes
    import ctypes.util

    libc = ctypes.util.find_library("c")
    return getattr(ctypes.CDLL(libc), "malloc_trim", None) if libc else None


def release_after_cells(shell=None) -> None:
    """Call :func:`release_memory` after every cell the IPython `shell` runs from now on.

    Before it, the shared memo of :func:`analysis.tokens.normalise_term` is emptied (a pure
    cache, so no result changes): its entries outlive the cell that made them, and being
    scattered among the small objects the cell freed they keep Python's memory arenas from
    being returned. After label discovery at 10,000 generated articles the framing kernel held
    754 MB with the memo's 104,872 tokens and 533 MB without (session 28).

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell, optional
        Default: the running one (``get_ipython()``). Registering twice adds nothing.

    Returns
    -------
    None

    Notes
    -----
    The report registers it in each of its kernels before the notebook runs; in JupyterLab,
    run ``analysis.kernel.release_after_cells()`` once in a notebook on a large corpus to do
    the same (see README, Large corpora).
    """
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if _release_cell not in shell.events.callbacks["post_run_cell"]:
        shell.events.register("post_run_cell", _release_cell)


def _release_cell(result=None) -> None:
    tokens = sys.modules.get("analysis.tokens")
    if tokens is not None:  # a pure cache that lives as long as the kernel: emptied between cells
        tokens.clear_shared_memo()
    release_memory()
