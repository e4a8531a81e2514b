"""Tests for the command line: exit codes, messages without tracebacks, nothing written on error."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis.cli import main
from tests.conftest import BUNDLED, TINY


def test_check_ok(capsys):
    assert main(["check", str(TINY)]) == 0
    assert "OK" in capsys.readouterr().out


def test_check_reports_every_problem_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "manifest.csv").write_text("file,outlet,published\na.txt,A,never\nb.txt,B,\n")
    (tmp_path / "a.txt").write_text("Text.")
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "2 problem(s)" in err and "b.txt: file does not exist" in err and "cannot parse date 'never'" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "manifest.csv"]


def test_prepare_error_is_one_message_exit_2_no_traceback(tmp_path):
    bad = tmp_path / "c.csv"
    bad.write_text("outlet,body\nA,x\n")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "analysis", "prepare", str(bad), "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "c.csv: missing column(s) text" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_prepare_writes_both_tables(tmp_path, capsys):
    assert main(["prepare", str(BUNDLED), "--out", str(tmp_path)]) == 0
    assert "5 articles" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.parquet", "sentences.parquet"]


def test_prepare_jobs_is_checked_before_anything_is_written(tmp_path, capsys):
    assert main(["prepare", str(BUNDLED), "--out", str(tmp_path / "out"), "--jobs", "0"]) == 2
    assert "--jobs 0: expected a whole number of processes" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    # one chunk: no processes started
    assert main(["prepare", str(BUNDLED), "--out", str(tmp_path / "two"), "--jobs", "2"]) == 0
    assert "5 articles" in capsys.readouterr().out


def test_manifestless_folder_warns_on_stderr(tmp_path, capsys):
    (tmp_path / "x.txt").write_text("Text here.")
    assert main(["check", str(tmp_path)]) == 0
    assert "warning: " in capsys.readouterr().err


def test_report_refuses_unknown_parameter_before_writing(tmp_path, capsys):
    out = tmp_path / "rep"
    assert main(["report", str(TINY), "--out", str(out), "--set", "colour=red"]) == 2
    err = capsys.readouterr().err
    assert "unknown parameter(s) ['colour']; valid:" in err and "outlets" in err
    assert not out.exists()


@pytest.mark.parametrize("argv", [["--help"], ["report", "--help"]])
def test_help(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    assert "newsframes" in capsys.readouterr().out


def test_ctrl_c_is_one_line_exit_130_no_traceback(monkeypatch, capsys):
    import analysis.corpus as C

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(C, "check_corpus", interrupted)
    assert main(["check", str(TINY)]) == 130
    err = capsys.readouterr().err
    assert err.startswith("interrupted: check stopped") and "Traceback" not in err


def test_dates_option_reaches_the_reader(tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text("outlet,text,published\nA,One.,3/4/2017\nB,Two.,2017-01-01\n")
    assert main(["check", str(path)]) == 2 and "ambiguous date '3/4/2017'" in capsys.readouterr().err
    assert main(["check", str(path), "--dayfirst"]) == 0


def test_propose_entities_writes_an_alias_file_that_loads_back(tmp_path, capsys):
    from analysis.entities import load_aliases

    out = tmp_path / "aliases" / "entities.yaml"
    assert main(["propose-entities", str(BUNDLED), "--out", str(out), "--min-count", "2"]) == 0
    assert "wrote" in capsys.readouterr().out
    aliases = load_aliases(out)
    trump = aliases[aliases.entity == "Donald Trump"]
    assert set(trump.alias) == {"Donald Trump", "Trump"} and set(trump.type) == {"person"}
    assert main(["propose-entities", str(BUNDLED)]) == 0  # no --out: the file on stdout
    assert capsys.readouterr().out.startswith("# Alias file")


def test_propose_entities_refuses_to_write_inside_the_corpus(tiny_corpus, capsys):
    before = sorted(p.name for p in tiny_corpus.iterdir())
    assert main(["propose-entities", str(tiny_corpus), "--out", str(tiny_corpus / "entities.yaml")]) == 2
    assert "inside the corpus" in capsys.readouterr().err
    assert sorted(p.name for p in tiny_corpus.iterdir()) == before
