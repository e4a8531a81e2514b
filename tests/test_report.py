"""Tests for analysis.report: the papermill pipeline, offline HTML, failure handling."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import nbformat
import pytest

from analysis import report as R
from analysis.errors import ParameterError, ReportError
from analysis.report import build_report, notebook_parameters, report_notebooks, resolve_parameters
from tests.conftest import ROOT, TINY


@pytest.fixture(scope="module")
def tiny_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("rep") / "report"
    build_report(TINY, out, only=["00_corpus"], log=lambda m: None)
    return out


def test_report_layout_and_run_json(tiny_report):
    assert (tiny_report / "index.html").exists()
    assert (tiny_report / "notebooks" / "00_corpus.html").exists()
    assert (tiny_report / "notebooks" / "00_corpus.ipynb").exists()
    assert {p.name for p in (tiny_report / "tables").iterdir()} >= {"corpus.csv", "corpus_outlets.csv"}
    assert {p.suffix for p in (tiny_report / "figures").iterdir()} == {".png", ".svg"}
    run = json.loads((tiny_report / "run.json").read_text())
    assert run["n_articles"] == 4 and run["n_outlets"] == 3 and len(run["corpus_sha256"]) == 64
    assert run["versions"]["nltk"] and "sha256:" in run["versions"]["vader_lexicon"]
    assert run["notebooks"] == ["00_corpus.ipynb"]
    assert [p.name for p in (tiny_report / ".versions").iterdir()] == [(tiny_report / ".current").resolve().name]
    assert not list((tiny_report / ".versions").glob("*.partial"))  # staging renamed into place


def test_corpus_table_content(tiny_report):
    import pandas as pd

    t = pd.read_csv(tiny_report / "tables" / "corpus.csv")
    assert t["article_id"].tolist() == ["a1", "a2", "b1", "c1"]
    assert t["outlet"].tolist() == ["Alpha", "Alpha", "Beta", "Gamma"]
    assert t.loc[0, "dateline"] == "HAVANA" and t.loc[0, "sentences"] == 3
    o = pd.read_csv(tiny_report / "tables" / "corpus_outlets.csv")
    assert o.set_index("outlet").loc["Alpha", "articles"] == 2


def test_html_pages_load_nothing_from_the_network(tiny_report):
    for page in [tiny_report / "index.html", *(tiny_report / "notebooks").glob("*.html")]:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=[\"']https?://", html), page
        assert "cdnjs" not in html and "<script" not in html
    assert 'href="notebooks/00_corpus.html"' in (tiny_report / "index.html").read_text()


def _elements(page: str) -> list:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, features="html.parser")
    return [(t.name, sorted((k, " ".join(v) if isinstance(v, list) else v) for k, v in t.attrs.items()),
             t.string) for t in soup.find_all(True)]


def test_exporter_page_equals_nbconvert_html_exporter(tiny_report):
    # independent: nbconvert's own HTMLExporter, whose BeautifulSoup pass ours replaces
    from nbconvert import HTMLExporter

    nb = nbformat.read(tiny_report / "notebooks" / "00_corpus.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell('<img src="x.png" alt="kept"> and <img src="y.png">'))
    options = dict(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                   exclude_output_prompt=True, embed_images=True)
    theirs, _ = HTMLExporter(**options).from_notebook_node(nb, resources={"metadata": {"name": "t"}})
    ours, _ = R._exporter().from_notebook_node(nb, resources={"metadata": {"name": "t"}})
    mine = _elements(ours)
    assert mine == _elements(theirs)
    imgs = [attrs for name, attrs, _ in mine if name == "img"]
    assert len(imgs) >= 3 and ("alt", "kept") in imgs[-2] and ("alt", R.NO_ALT) in imgs[-1]
    assert sum(("tabindex", "0") in attrs for _, attrs, _ in mine) >= 2


def test_html_has_no_code_cells(tiny_report):
    html = (tiny_report / "notebooks" / "00_corpus.html").read_text(encoding="utf-8")
    assert "open_corpus(" not in html and "Corpus overview" in html


def test_tables_are_byte_identical_on_rerun(tiny_report, tmp_path):
    out = tmp_path / "again"
    build_report(TINY, out, only=["00_corpus"], log=lambda m: None)
    for table in (tiny_report / "tables").iterdir():
        assert (out / "tables" / table.name).read_bytes() == table.read_bytes(), table.name


def test_failed_notebook_keeps_previous_report_and_partial_output(tiny_report, tmp_path):
    import shutil

    out = tmp_path / "keep"
    shutil.copytree(tiny_report, out)
    before = (out / "index.html").read_bytes()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('corpus = ""\nprocessed_dir = ""\nout_dir = ""',
                                          metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("raise ValueError('boom in cell two')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    bad = tmp_path / "99_broken.ipynb"
    nbformat.write(nb, bad)
    with pytest.raises(ReportError, match=r"99_broken.ipynb failed in cell 3 of the executed notebook "
                       r"\(raise ValueError\('boom in cell two'\)\): ValueError: boom in cell two"):
        build_report(TINY, out, only=[str(bad)], log=lambda m: None)
    assert (out / "index.html").read_bytes() == before
    partial, = (out / ".versions").glob("*.partial")
    assert (partial / "notebooks" / "99_broken.ipynb").exists()


def test_parameters(tmp_path):
    nbs = report_notebooks()
    assert [nb.stem for nb in nbs][0] == "00_corpus"
    declared = notebook_parameters(ROOT / "notebooks" / "00_corpus.ipynb")
    assert declared["outlets"]["type"] == "list" and "[] means all" in declared["outlets"]["help"]
    (tmp_path / "p.yaml").write_text("outlets: [Alpha]\n")
    per = resolve_parameters(nbs[:1], str(tmp_path / "p.yaml"), ["date_from=2026-01-01"])
    assert per["00_corpus"] == {"outlets": ["Alpha"], "date_from": "2026-01-01"}
    with pytest.raises(ParameterError, match="unknown parameter"):
        resolve_parameters(nbs[:1], None, ["corpus=elsewhere"])  # the report sets corpus itself
    with pytest.raises(ParameterError, match="expected key=value"):
        resolve_parameters(nbs[:1], None, ["novalue"])


def test_relative_corpus_with_parallel_notebooks_keeps_the_working_directory(tmp_path, monkeypatch):
    """Regression: papermill's cwd= is an os.chdir that raced between parallel notebooks."""
    import os

    monkeypatch.chdir(ROOT)
    out = tmp_path / "rel"
    build_report("tests/fixtures/tiny", out, only=["00_corpus", "10_terms"], jobs=2, log=lambda m: None)
    assert os.getcwd() == str(ROOT)
    run = json.loads((out / "run.json").read_text())
    assert run["corpus"] == "tests/fixtures/tiny" and run["n_articles"] == 4


def test_pages_do_not_leak_paths_of_the_staging_folder(tiny_report):
    for page in (tiny_report / "notebooks").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "PosixPath" not in html and ".partial" not in html, page.name


def test_single_outlet_corpus_is_refused_up_front_with_the_way_out(tmp_path):
    csv = tmp_path / "solo.csv"
    csv.write_text('outlet,text\nSolo,"The minister said the budget would grow. Critics said it was reckless."\n')
    with pytest.raises(ReportError, match=r"has 1 outlet: 10_terms.ipynb.*need at least two; .*--only 00_corpus"):
        build_report(csv, tmp_path / "out", log=lambda m: None)
    assert not (tmp_path / "out").exists()
    build_report(csv, tmp_path / "out", only=["00_corpus"], log=lambda m: None)
    assert (tmp_path / "out" / "index.html").exists()


def test_zip_archive_holds_every_file_and_is_reproducible(tiny_report, tmp_path):
    import shutil
    import zipfile

    from analysis.report import write_zip

    copy = tmp_path / "report"
    shutil.copytree(tiny_report, copy)
    first = write_zip(copy).read_bytes()
    assert write_zip(copy).read_bytes() == first
    names = zipfile.ZipFile(copy.with_suffix(".zip")).namelist()
    assert "report/index.html" in names and "report/tables/corpus.csv" in names
    visible = [p for p in copy.rglob("*") if p.is_file() and not p.relative_to(copy).parts[0].startswith(".")]
    assert len(names) == len(visible) == 14


class _FakeKernel:
    started: list = []

    def __init__(self):
        self.stopped = False
        _FakeKernel.started.append(self)


@pytest.fixture
def fake_kernels(monkeypatch):
    _FakeKernel.started = []
    monkeypatch.setattr(R.running, "_start_kernel", _FakeKernel)
    monkeypatch.setattr(R.running, "_stop_kernel", lambda km: setattr(km, "stopped", True))
    return _FakeKernel.started


def test_run_all_runs_each_notebook_in_its_own_kernel_after_prepare(fake_kernels):
    order = []
    result = R._run_all([Path("a"), Path("b"), Path("c")], lambda: order.append("prepare") or 42,
                        lambda nb, km: order.append((nb.name, id(km))), jobs=2)
    assert result == 42 and order[0] == "prepare"
    assert sorted(name for name, _ in order[1:]) == ["a", "b", "c"]
    assert len({k for _, k in order[1:]}) == 3 and all(km.stopped for km in fake_kernels)


def test_run_all_stops_started_kernels_when_prepare_fails(fake_kernels):
    ran = []

    def prepare():
        raise ReportError("bad corpus")

    with pytest.raises(ReportError, match="bad corpus"):
        R._run_all([Path(n) for n in "abcde"], prepare, lambda nb, km: ran.append(nb), jobs=2)
    assert ran == [] and len(fake_kernels) <= 2 and all(km.stopped for km in fake_kernels)


def test_run_all_raises_a_notebook_error_after_the_others_finish(fake_kernels):
    ran = []

    def run(nb, km):
        ran.append(nb.name)
        if nb.name == "a":
            raise ReportError("notebook a failed")

    with pytest.raises(ReportError, match="notebook a failed"):
        R._run_all([Path(n) for n in "abc"], lambda: None, run, jobs=1)
    assert ran == ["a", "b", "c"] and all(km.stopped for km in fake_kernels)


def test_run_all_warms_kernels_while_preparing(fake_kernels):
    warmed, both = [], threading.Event()

    def warm(nb, km):
        warmed.append(nb.name)
        if len(warmed) == 2:
            both.set()

    def prepare():  # returns only once two kernels were warmed: the two overlap
        assert both.wait(timeout=30)
        return "prepared"

    assert R._run_all([Path(n) for n in "abc"], prepare, lambda nb, km: None, jobs=2,
                      warm=warm) == "prepared"
    assert sorted(warmed) == ["a", "b", "c"] and all(km.stopped for km in fake_kernels)


def test_notebook_code_is_parsed_one_cell_at_a_time_across_threads(monkeypatch):
    # CPython 3.11's ast.parse is not thread-safe (CI: "SystemError: AST constructor recursion
    # depth mismatch" while two report threads warmed kernels): every parse holds the lock.
    import ast

    seen, real = [], ast.parse
    monkeypatch.setattr(ast, "parse", lambda src, *a, **k: seen.append(R._AST_LOCK.locked()) or real(src, *a, **k))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os"),
                                         nbformat.v4.new_code_cell("x = (")])  # a syntax error: skipped
    threads = [threading.Thread(target=R.import_statements, args=(nb,)) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert seen == [True] * 8 and not R._AST_LOCK.locked()
    assert R.import_statements(nb) == "__import__('os')"


def test_warm_up_imports_in_the_kernel_without_binding_names():
    from jupyter_core.utils import run_sync

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import wave as w\nfrom xml.dom import minidom\ndef f():\n    import csv")])
    code = R.import_statements(nb)
    assert code == "__import__('wave')\n__import__('xml.dom', fromlist=['minidom'])"  # csv: not top level
    check = "import sys\nassert {{'wave', 'xml.dom.minidom'}} {} set(sys.modules)\n" \
            "assert not {{'w', 'wave', 'minidom', 'xml'}} & set(dir())"
    km = R.running._start_kernel()

    def run(code):  # a client of its own per call, as papermill's after the warm-up
        kc = km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=60)
            return run_sync(kc.execute_interactive)(code, timeout=60)["content"]
        finally:
            kc.stop_channels()

    try:
        assert run(check.format("&"))["status"] == "error"  # a fresh kernel has not imported them
        R._warm_up(km, code)
        R._warm_up(km, "")  # a second warm-up (no imports) registers nothing twice
        after = run(check.format("<="))
        assert after["status"] == "ok", after
        history = run("assert not get_ipython().history_manager.enabled")  # KERNEL_ARGS applied
        assert history["status"] == "ok", history
        quiet = run("import os\nassert os.environ['NEWSFRAMES_PROGRESS'] == '0'")  # no bars in executed pages
        assert quiet["status"] == "ok", quiet
        hooks = run("assert [f.__name__ for f in get_ipython().events.callbacks['post_run_cell']"
                    " if f.__module__ == 'analysis.kernel'] == ['_release_cell']")  # once, however often warmed
        assert hooks["status"] == "ok", hooks
    finally:
        R.running._stop_kernel(km)


def test_run_all_calls_after_for_each_notebook_once_it_ran(fake_kernels):
    ran, finished = [], []

    def after(nb):
        assert nb.name in ran  # only once its notebook ran
        finished.append((nb.name, threading.current_thread().name))

    R._run_all([Path(n) for n in "abc"], lambda: None, lambda nb, km: ran.append(nb.name), jobs=2,
               after=after)
    assert sorted(name for name, _ in finished) == ["a", "b", "c"]
    assert all(km.stopped for km in fake_kernels)

    def broken(nb):
        raise ReportError(f"cannot render {nb.name}")

    with pytest.raises(ReportError, match="cannot render"):
        R._run_all([Path("a")], lambda: None, lambda nb, km: None, jobs=1, after=broken)


# --- issue 14: nothing written into the corpus, parameters checked first, one whole report -----

@pytest.mark.parametrize("spelling", ["corpus", "corpus/rep", "corpus/../corpus/rep", "link", "link/rep"])
def test_report_refuses_out_or_processed_inside_the_corpus_in_any_spelling(tmp_path, spelling):
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(TINY, corpus)
    (tmp_path / "link").symlink_to(corpus)
    before = sorted(p.relative_to(corpus) for p in corpus.rglob("*"))
    with pytest.raises(ParameterError, match=r"--out .*inside the corpus"):
        build_report(corpus, tmp_path / spelling, log=lambda m: None)
    with pytest.raises(ParameterError, match=r"--processed .*inside the corpus"):
        build_report(corpus, tmp_path / "elsewhere", processed=tmp_path / spelling, log=lambda m: None)
    assert sorted(p.relative_to(corpus) for p in corpus.rglob("*")) == before
    assert not (tmp_path / "elsewhere").exists()


BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
outlets: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.mark.parametrize("content, message", [
    (BOMB.encode(), "line 2: YAML aliases"),
    ("outlets: [Caf\xe9]\n".encode("latin-1"), "not UTF-8"),
    (("outlets: [" + ", ".join(["x"] * 100_001) + "]\n").encode(), "more than 100,000 items"),
])
def test_bad_parameter_files_are_one_message(tmp_path, content, message):
    (tmp_path / "p.yaml").write_bytes(content)
    with pytest.raises(ParameterError, match=message):
        resolve_parameters(report_notebooks()[:1], str(tmp_path / "p.yaml"), [])


def test_bad_set_value_jobs_and_values_are_refused_before_anything_runs(tmp_path):
    with pytest.raises(ParameterError, match=r"--set 'outlets=\[a, b': the value is not YAML"):
        build_report(TINY, tmp_path / "o", sets=["outlets=[a, b"], log=lambda m: None)
    for jobs in (0, -3):
        with pytest.raises(ParameterError, match=f"--jobs {jobs}: expected a whole number"):
            build_report(TINY, tmp_path / "o", jobs=jobs, log=lambda m: None)
    started = []
    with pytest.raises(ParameterError, match=r"^20_sentiment: parameter n_boot: 5 is outside \[100"):
        build_report(TINY, tmp_path / "o", sets=["n_boot=5"], log=started.append)
    assert started == [] and not (tmp_path / "o").exists()  # refused before preparing or any kernel


def test_page_check_reads_elements_not_text():
    quoted = "<p>The embed code was &lt;iframe src=\"https://evil.example/x\"&gt;&lt;/iframe&gt;.</p>"
    assert R._strip_remote(quoted, "20_sentiment") == quoted
    assert R._strip_remote('<a href="https://example.org/paper">paper</a>') != ""  # a link is not a load
    for page in ('<iframe src="https://evil.example/x"></iframe>', '<img srcset="a.png 1x, //cdn.example/b.png 2x">',
                 '<link rel="stylesheet" href="http://cdn.example/x.css">'):
        with pytest.raises(ReportError, match="20_sentiment: the rendered page would load from the network"):
            R._strip_remote(page, "20_sentiment")


def test_a_second_report_into_the_same_folder_is_refused_naming_the_first(tmp_path):
    import os

    from analysis.errors import OutputError

    out = tmp_path / "out"
    out.mkdir()
    with R._Lock(out):
        with pytest.raises(OutputError, match=f"another report \\(pid {os.getpid()}\\) is being written"):
            build_report(TINY, out, only=["00_corpus"], log=lambda m: None)
    assert sorted(p.name for p in out.iterdir()) == [".lock"]


def test_two_concurrent_report_commands_one_wins_one_is_refused(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "analysis", "report", str(TINY), "--out", str(out), "--only", "00_corpus"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
             for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    refused = next(err for code, err in results if code == 2)
    assert "another report (pid" in refused and "Traceback" not in refused
    run = json.loads((out / "run.json").read_text())
    assert run["notebooks"] == ["00_corpus.ipynb"] and (out / "tables" / "corpus.csv").exists()


def test_a_kill_at_any_step_of_installing_leaves_one_whole_report(tiny_report, tmp_path, monkeypatch):
    """Every step of _install is tried as the last one before a kill: the folder shows one report."""
    import os
    import shutil

    out = tmp_path / "out"
    build_report(TINY, out, only=["00_corpus"], log=lambda m: None)
    old_run = (out / "run.json").read_text()
    steps = {"rename": 0, "symlink": 0, "replace": 0}
    real = {"rename": Path.rename, "symlink": os.symlink, "replace": os.replace}

    class Killed(BaseException):
        pass

    for step in steps:
        for n in range(3):
            calls = {"n": 0}

            def fail(*args, step=step, n=n, calls=calls, **kw):
                calls["n"] += 1
                if calls["n"] > n:
                    raise Killed
                return real[step](*args, **kw)

            with monkeypatch.context() as m:
                m.setattr(Path, "rename", fail) if step == "rename" else m.setattr(os, step, fail)
                staging = out / R.VERSIONS / f"test-{step}-{n}.partial"
                shutil.copytree(out / R.CURRENT, staging)
                (staging / "run.json").write_text('{"new": true}')
                try:
                    R._install(staging, out)
                except Killed:
                    pass
            run = (out / "run.json").read_text()
            assert run in (old_run, '{"new": true}'), (step, n)
            assert (out / "index.html").exists() and (out / "tables" / "corpus.csv").exists(), (step, n)
            old_run = run


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_fuzz_escaped_text_never_fails_the_page_check(text):
    import html

    page = f"<div><p>{html.escape(text)}</p><pre>{html.escape(text, quote=False)}</pre></div>"
    assert R._strip_remote(page, "p") == page
    remote = f'<img src="https://x.example/{html.escape(text)}">'
    with pytest.raises(ReportError):
        R._strip_remote(page + remote, "p")


def test_long_cells_are_announced_while_they_run_and_when_they_end():
    import time

    lines = []
    with R.CellProgress("30_framing", lines.append, slow=0.05, every=10) as progress:
        progress.start({"source": "\naligned = labels.align_sentences(sentences)\n"}, 21, 41)
        time.sleep(1.3)
        progress.done(21)
        progress.start({"source": "x = 1"}, 22, 41)
        progress.done(22)  # fast: nothing said
    assert lines[0] == "30_framing: cell 22/41 running for 1 s (aligned = labels.align_sentences(sentences))"
    assert lines[1].startswith("30_framing: cell 22/41 took 1") and len(lines) == 2


def test_report_log_names_slow_cells(tmp_path, monkeypatch):
    monkeypatch.setattr(R.running, "SLOW_CELL", 0.0)
    lines = []
    build_report(TINY, tmp_path / "out", only=["00_corpus"], log=lines.append)
    assert any(line.startswith("00_corpus: cell ") and " took " in line for line in lines), lines
    # each line says the kernel's memory after the cell, and the executed notebook keeps it per cell
    took = [line for line in lines if " took " in line]
    assert all("; kernel " in line and " MB (peak " in line for line in took), took
    executed = json.loads(next((tmp_path / "out").glob("**/notebooks/00_corpus.ipynb")).read_text())
    memory = [c["metadata"][R.running.MEMORY_KEY] for c in executed["cells"] if c["cell_type"] == "code"]
    assert len(memory) == sum(c["cell_type"] == "code" for c in executed["cells"])
    # a kernel that imported pandas holds more than 30 MB; the high-water mark never falls
    assert all(30 < m["rss_mb"] <= m["peak_mb"] for m in memory), memory
    assert [m["peak_mb"] for m in memory] == sorted(m["peak_mb"] for m in memory)


def test_process_memory_reads_this_process_and_says_none_for_a_gone_one():
    import os
    import subprocess
    import sys

    import psutil

    mem = R.running.process_memory(os.getpid())
    rss = psutil.Process().memory_info().rss / 2**20
    assert abs(mem["rss_mb"] - rss) < 50 and mem["peak_mb"] >= mem["rss_mb"]
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert R.running.process_memory(gone.pid) is None


def test_index_page_says_what_the_selection_compares(tmp_path):
    out = tmp_path / "out"
    build_report(TINY, out, only=["00_corpus"], sets=["top_outlets=2", "other_outlets=false"], log=lambda m: None)
    run = json.loads((out / "run.json").read_text())
    assert run["compared"] == ["Only the 2 outlet(s) with most articles are compared; 1 outlet(s) with 1 "
                               "article(s) are left out."]
    assert "Only the 2 outlet(s) with most articles are compared" in (out / "index.html").read_text()
    page = (out / "notebooks" / "00_corpus.html").read_text()
    assert "Only the 2 outlet(s) with most articles are compared" in page
