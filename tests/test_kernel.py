"""Tests for analysis.kernel: which kernel the notebooks run on."""

from __future__ import annotations

import json
import sys

import pytest

from analysis.kernel import FALLBACK, KERNEL_NAME, kernel_name, transport_encryption


def _spec(folder, argv0):
    target = folder / "kernels" / KERNEL_NAME
    target.mkdir(parents=True)
    (target / "kernel.json").write_text(json.dumps({
        "argv": [argv0, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (newsframes)", "language": "python"}))


@pytest.mark.parametrize(("argv0", "expected"), [
    ("python", KERNEL_NAME),  # the wheel's spec: jupyter_client substitutes sys.executable
    (sys.executable, KERNEL_NAME),  # make's spec for this .venv
    ("/another/env/bin/python", FALLBACK),  # registered by another environment: not used
])
def test_project_kernel_only_when_it_starts_this_interpreter(tmp_path, monkeypatch, argv0, expected):
    _spec(tmp_path, argv0)
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))  # searched before the user and sys.prefix folders
    assert kernel_name() == expected


def test_transport_encryption_is_a_valid_policy():
    assert transport_encryption() in {"auto", "disabled"}


def _resident_mb() -> float:
    from pathlib import Path

    return int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) / 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim and /proc")
def test_release_memory_returns_freed_holes_of_the_heap_to_the_system():
    from analysis.kernel import release_memory

    release_memory()
    start = _resident_mb()
    blocks = [bytes(2048) for _ in range(120_000)]  # 2 KB each: glibc's heap, not Python's arenas
    kept = blocks[::16]  # every 16th stays: the holes between them cannot shrink the heap by themselves
    del blocks
    held = _resident_mb()
    release_memory()
    released = _resident_mb()
    assert held - start > 150 and held - released > 150, (start, held, released)  # ~230 MB of holes
    assert len(kept) == 7_500


def test_release_after_cells_registers_once_on_a_shell():
    from IPython.core.events import EventManager, available_events

    from analysis.kernel import release_after_cells

    class Shell:
        events = EventManager(None, available_events)

    shell = Shell()
    release_after_cells(shell)
    release_after_cells(shell)
    assert [f.__name__ for f in shell.events.callbacks["post_run_cell"]] == ["_release_cell"]
    shell.events.trigger("post_run_cell", None)  # runs release_memory without error


def test_release_after_a_cell_empties_the_shared_token_memo():
    """The post-cell hook empties normalise_term's shared memo; terms are the same after it."""
    from analysis import kernel, tokens

    words = ["Díaz-Canel’s", "U.S.", "1,200", "Havana"]
    before = [tokens.normalise_term(w) for w in words]
    assert len(tokens._plain_normaliser().memo) >= len(words)
    kernel._release_cell()
    assert len(tokens._plain_normaliser().memo) == 0
    assert [tokens.normalise_term(w) for w in words] == before == ["diaz-canel", "us", "1200", "havana"]


def test_collector_paused_restores_the_collector_after_an_error_and_leaves_it_off_if_it_was():
    """The pause holds inside the block; afterwards the collector is as it was, also after an error."""
    import gc

    from analysis.kernel import collector_paused

    was = gc.isenabled()
    try:
        gc.enable()
        with pytest.raises(ValueError):
            with collector_paused():
                assert not gc.isenabled()
                raise ValueError("inside")
        assert gc.isenabled()
        gc.disable()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # off before: not switched on by the block
    finally:
        (gc.enable if was else gc.disable)()
