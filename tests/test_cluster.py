"""Tests for analysis.cluster: the Dask path gives the single-process path's tables, byte for byte."""

from __future__ import annotations

import pytest

from analysis import corpus as C
from analysis.cluster import dask_client
from analysis.errors import ParameterError
from tests.conftest import TINY

pytest.importorskip("distributed")


def test_prepare_on_a_two_worker_local_cluster_writes_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(C.read, "CHUNK", 2)  # tiny has 4 articles: two chunks, on two workers
    here = C.prepare(TINY, tmp_path / "here")
    with dask_client(workers=2) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        there = C.prepare(TINY, tmp_path / "there", client=client)
    assert (there.articles, there.sentences, there.outlets) == (here.articles, here.sentences, here.outlets)
    for name in (C.ARTICLES_FILE, C.SENTENCES_FILE):
        assert (tmp_path / "there" / name).read_bytes() == (tmp_path / "here" / name).read_bytes(), name


def test_problems_found_on_workers_are_reported_like_here(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "manifest.csv").write_text("file,outlet\na.txt,A\nb.txt,B\n")
    (folder / "a.txt").write_text("Recommended stories\n")  # only page furniture: nothing left after cleaning
    (folder / "b.txt").write_text("A real sentence of news.")
    with pytest.raises(Exception) as here:
        C.prepare(folder, tmp_path / "here")
    with dask_client(workers=1) as client, pytest.raises(Exception) as there:
        C.prepare(folder, tmp_path / "there", client=client)
    assert str(there.value) == str(here.value) and "no text left after cleaning" in str(here.value)
    assert not (tmp_path / "there").exists()


@pytest.mark.parametrize("kw, message", [({"workers": 0}, "--workers 0"), ({"workers": 2, "scheduler": "tcp://x:1"},
                                                                             "give one"),
                                         ({"scheduler": "tcp://127.0.0.1:9"}, "cannot connect")])
def test_bad_cluster_options_are_one_message(kw, message):
    with pytest.raises(ParameterError, match=message):
        with dask_client(**kw):
            pass


def test_a_report_on_a_two_worker_local_cluster_writes_the_same_tables(tmp_path):
    from analysis.report import build_report

    only, sets = ["20_sentiment", "40_voices_reuse"], ["n_boot=100"]
    build_report(TINY, tmp_path / "here", only=only, sets=sets, log=lambda m: None)
    build_report(TINY, tmp_path / "there", only=only, sets=sets, workers=2, log=lambda m: None)
    here = sorted(p.name for p in (tmp_path / "here" / "tables").iterdir())
    assert here == sorted(p.name for p in (tmp_path / "there" / "tables").iterdir())
    assert "quotes.csv" in here and "sentiment_toward.csv" in here
    for name in here:
        assert (tmp_path / "there" / "tables" / name).read_bytes() == \
            (tmp_path / "here" / "tables" / name).read_bytes(), name
    executed = (tmp_path / "there" / "notebooks" / "20_sentiment.ipynb").read_text(encoding="utf-8")
    assert 'scheduler = \\"tcp://' in executed  # the notebook's per-article steps were sent to the cluster
