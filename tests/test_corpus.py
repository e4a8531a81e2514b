"""Tests for analysis.corpus: formats, validation, atomic and deterministic writes."""

from __future__ import annotations

import hashlib
import json
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis import corpus as C
from analysis.errors import CorpusError, ParameterError
from tests.conftest import BUNDLED, ROOT, TINY

SAME = ["article_id", "outlet", "published", "headline", "dateline", "wire", "text", "removed"]


def _raw_rows(folder):
    m = pd.read_csv(folder / "manifest.csv", dtype=str, keep_default_na=False)
    return [{"id": f.removesuffix(".txt"), "outlet": o, "published": p, "headline": h,
             "text": (folder / f).read_text(encoding="utf-8"), "extra": f"x{i}"}
            for i, (f, o, p, h) in enumerate(zip(m["file"], m["outlet"], m["published"], m["headline"]))]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_table_formats_load_to_the_same_articles_as_the_folder(tmp_path, fmt):
    rows = _raw_rows(TINY)
    path = tmp_path / f"corpus.{fmt}"
    df = pd.DataFrame(rows)
    if fmt == "csv":
        df.to_csv(path, index=False)
    elif fmt == "jsonl":
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    else:
        df.to_parquet(path)
    from_table = C.load_corpus(path)
    from_folder = C.load_corpus(TINY)
    pd.testing.assert_frame_equal(from_table[SAME].fillna(""), from_folder[SAME].fillna(""), check_dtype=False)
    assert from_table["extra"].tolist() == ["x0", "x1", "x2", "x3"]  # extra columns are kept
    assert from_table["source"].iloc[2] == f"corpus.{fmt}:{'line' if fmt == 'jsonl' else 'row'} 3"


def test_folder_without_manifest_loads_one_outlet_per_stem_with_a_warning(tmp_path):
    for f in TINY.glob("*.txt"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    with pytest.warns(C.CorpusWarning, match="no manifest.csv"):
        arts = C.load_corpus(tmp_path)
    assert arts["outlet"].tolist() == ["a1", "a2", "b1", "c1"]
    folder = C.load_corpus(TINY)
    # same cleaning; only given metadata differs (a1's and b1's headlines came from the manifest)
    assert arts["text"].iloc[[1, 3]].tolist() == folder["text"].iloc[[1, 3]].tolist()
    assert arts["text"].iloc[2].startswith("Regime defiant after Maduro capture\n\n")


def test_table_without_id_gets_stable_ids(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"outlet": ["A", "B"], "text": ["One.", "Two."]}).to_csv(path, index=False)
    assert C.load_corpus(path)["article_id"].tolist() == ["c-00001", "c-00002"]


# --- bad input: one message naming the file (and row), nothing written ------------------------

def _write(folder, files: dict[str, bytes | str]):
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return folder


MANIFEST = "file,outlet,published\na.txt,A,2026-01-01\nb.txt,B,\n"
BAD_FOLDERS = {
    # name: (files, expected message fragment)
    "missing file": ({"manifest.csv": MANIFEST, "a.txt": "Text."}, "b.txt: file does not exist"),
    "empty file": ({"manifest.csv": MANIFEST, "a.txt": "Text.", "b.txt": " \n"}, "b.txt: file is empty"),
    "NUL-only file": ({"manifest.csv": MANIFEST, "a.txt": "Text.", "b.txt": b"\x00\x00\n"},
                      "b.txt: file holds only NUL bytes"),
    "undecodable": ({"manifest.csv": MANIFEST, "a.txt": "Text.", "b.txt": b"ok\nbad \xff\xfe here"},
                    "b.txt: line 2: bytes that are not UTF-8"),
    "file without row": ({"manifest.csv": MANIFEST, "a.txt": "T.", "b.txt": "T.", "c.txt": "T."},
                         "c.txt: file has no row in"),
    "bad date": ({"manifest.csv": "file,outlet,published\na.txt,A,31/31/2026\n", "a.txt": "T."},
                 "manifest.csv: line 2: cannot parse date '31/31/2026'"),
    "duplicate row": ({"manifest.csv": "file,outlet\na.txt,A\na.txt,B\n", "a.txt": "T."},
                      "file 'a.txt' is listed more than once"),
    "manifest lacks outlet": ({"manifest.csv": "file,source\na.txt,x\n", "a.txt": "T."},
                              "manifest.csv: missing column(s) outlet"),
    "empty outlet": ({"manifest.csv": "file,outlet\na.txt,\n", "a.txt": "T."}, "line 2: empty 'outlet'"),
    "empty corpus": ({}, "empty corpus"),
    "only furniture": ({"manifest.csv": "file,outlet\na.txt,A\n", "a.txt": "Recommended stories\n"},
                       "a.txt: no text left after cleaning"),
}


@pytest.mark.parametrize("case", sorted(BAD_FOLDERS))
def test_bad_folder_gives_one_clear_error(tmp_path, case):
    files, fragment = BAD_FOLDERS[case]
    folder = _write(tmp_path / "corpus", files)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", C.CorpusWarning)
        problems = C.check_corpus(folder)
        assert any(fragment in p for p in problems), problems
        with pytest.raises(CorpusError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
            C.prepare(folder, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing written
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # corpus untouched


BAD_TABLES = {
    "csv lacks text": ("c.csv", "outlet,body\nA,x\n", "c.csv: missing column(s) text"),
    "csv empty text": ("c.csv", "outlet,text\nA,ok\nB,\n", "c.csv: row 2: empty 'text'"),
    "csv duplicate id": ("c.csv", "id,outlet,text\n1,A,x\n1,B,y\n", "duplicate id '1'"),
    "jsonl bad line": ("c.jsonl", '{"outlet": "A", "text": "x"}\n{oops\n', "c.jsonl: line 2: not valid JSON"),
    "jsonl lacks outlet": ("c.jsonl", '{"text": "x"}\n', "missing column(s) outlet"),
    "csv bad date": ("c.csv", "outlet,text,published\nA,x,someday\n", "c.csv: row 1: cannot parse date 'someday'"),
    "empty file": ("c.csv", "", "c.csv: file is empty"),
    "not a corpus": ("c.docx", "x", "not a corpus"),
}


@pytest.mark.parametrize("case", sorted(BAD_TABLES))
def test_bad_table_gives_one_clear_error(tmp_path, case):
    name, content, fragment = BAD_TABLES[case]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert any(fragment in p for p in C.check_corpus(path)), C.check_corpus(path)
    if case in ("empty file", "not a corpus"):
        assert len(C.check_corpus(path)) == 1, C.check_corpus(path)  # no follow-on "missing column" noise
    with pytest.raises(CorpusError):
        C.prepare(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_several_problems_are_reported_at_once(tmp_path):
    folder = _write(tmp_path / "c", {"manifest.csv": "file,outlet,published\na.txt,A,bad\nb.txt,B,\n",
                                     "a.txt": "T.", "z.txt": "T."})
    problems = C.check_corpus(folder)
    assert len(problems) == 3
    with pytest.raises(CorpusError, match="has 3 problem"):
        C.load_corpus(folder)


def test_prepare_is_atomic_deterministic_and_never_writes_the_corpus(tmp_path):
    raw_before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in BUNDLED.iterdir()}
    out = tmp_path / "processed"
    C.prepare(BUNDLED, out)
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    C.prepare(BUNDLED, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first  # byte-identical, no temp files left
    assert sorted(first) == ["articles.parquet", "sentences.parquet"]
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in BUNDLED.iterdir()} == raw_before
    with pytest.raises(ParameterError, match="inside the corpus"):
        C.prepare(BUNDLED, BUNDLED / "processed")
    arts, sents = C.read_processed(out)
    assert len(arts) == 5 and len(sents) == len(C.split_articles(C.load_corpus(BUNDLED)))


def test_atomic_write_leaves_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "t.csv"
    target.write_text("old")
    monkeypatch.setattr("os.replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        C.write_table(pd.DataFrame({"a": [1]}), target)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]  # temp file cleaned up


def test_select_articles():
    arts = C.load_corpus(TINY)
    assert C.select_articles(arts, outlets=["Beta"])["article_id"].tolist() == ["b1"]
    sel = C.select_articles(arts, date_from="2026-01-11", date_to="2026-01-11")
    assert sel["article_id"].tolist() == ["a2", "b1"]
    with pytest.raises(ParameterError, match=r"unknown \['Delta'\]; valid: \['Alpha', 'Beta', 'Gamma'\]"):
        C.select_articles(arts, outlets=["Delta"])
    with pytest.raises(ParameterError, match="not a YYYY-MM-DD"):
        C.select_articles(arts, date_from="Jan 1")


def test_open_corpus_reads_processed_or_loads_in_memory(bundled_processed):
    a1, s1 = C.open_corpus(BUNDLED, processed_dir=bundled_processed, outlets=["Wyoming Star"])
    a2, s2 = C.open_corpus(BUNDLED, outlets=["Wyoming Star"])
    assert a1["article_id"].tolist() == a2["article_id"].tolist() == ["001_0f4e047e1ce6ea22"]
    pd.testing.assert_frame_equal(s1, s2, check_dtype=False)


def test_corpus_hash_changes_with_content(tmp_path):
    folder = _write(tmp_path / "c", {"a.txt": "One."})
    h1 = C.corpus_hash(folder)
    (folder / "a.txt").write_text("Two.")
    assert C.corpus_hash(folder) != h1 and len(h1) == 64


def test_chunked_prepare_equals_whole_corpus_processing(tmp_path, monkeypatch):
    monkeypatch.setattr(C.read, "CHUNK", 2)  # tiny has 4 articles: two chunks, appended as row groups
    done = C.prepare(TINY, tmp_path)
    arts, sents = C.read_processed(tmp_path, raw_text=True)
    whole = C.load_corpus(TINY)
    pd.testing.assert_frame_equal(arts.fillna(""), whole.fillna(""), check_dtype=False)
    pd.testing.assert_frame_equal(sents, C.split_articles(whole), check_dtype=False)
    assert (done.articles, done.sentences, done.outlets) == (4, len(sents), 3)


def test_prepare_in_two_processes_writes_the_same_bytes_and_the_same_problems(tmp_path, monkeypatch):
    monkeypatch.setattr(C.read, "CHUNK", 2)  # two chunks: the second starts the processes
    one, two = C.prepare(TINY, tmp_path / "one"), C.prepare(TINY, tmp_path / "two", jobs=2)
    assert (one.articles, one.sentences, one.outlets) == (two.articles, two.sentences, two.outlets)
    for name in ("articles.parquet", "sentences.parquet"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    folder = _write(tmp_path / "c", {"manifest.csv": "file,outlet\na.txt,A\nb.txt,B\nc.txt,C\n",
                                     "a.txt": "Fine text here.", "b.txt": "More text.", "c.txt": "Advertisement:\n"})
    with pytest.raises(CorpusError, match="c.txt") as bad:  # a problem in a chunk run in a process
        C.prepare(folder, tmp_path / "bad", jobs=2)
    assert "c.txt" in str(bad.value) and not (tmp_path / "bad").exists()
    with pytest.raises(ParameterError, match="--jobs 0"):
        C.prepare(TINY, tmp_path / "zero", jobs=0)


def test_several_empty_articles_are_all_named(tmp_path):
    folder = _write(tmp_path / "c", {"manifest.csv": "file,outlet\na.txt,A\nb.txt,B\n",
                                     "a.txt": "Advertisement:\n", "b.txt": "Recommended stories\n"})
    problems = C.check_corpus(folder)
    assert [p.split(":")[0] for p in problems] == ["a.txt", "b.txt"]


def test_undecodable_table_gives_one_message_not_a_follow_on_one(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"outlet,text\nA,\xff\xfe\n")
    problems = C.check_corpus(path)
    assert len(problems) == 1 and "line 2: bytes that are not UTF-8" in problems[0]


def test_read_yaml_equals_pyyaml_safe_load_on_every_shipped_file():
    import yaml

    from analysis.corpus import read_yaml

    files = [*sorted((ROOT / "analysis" / "lexicons").rglob("*.yaml")),
             *sorted((ROOT / "notebooks" / "params").glob("*.yaml"))]
    assert len(files) >= 5
    for path in files:  # independent: PyYAML's pure-Python safe loader
        assert read_yaml(path, what="test file") == yaml.safe_load(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("content, message", [
    (None, "not found"),
    (b"\xff\xfe: 1\n", "not valid UTF-8 YAML"),
    (b"a: [1, 2\nb: 3\n", "line 2, column 2"),  # unclosed list: the parser's position is in the message
    (b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "line 2: YAML aliases"),  # an alias bomb's seed
])
def test_read_yaml_errors_name_the_file_and_what_it_is(tmp_path, content, message):
    from analysis.corpus import read_yaml
    from analysis.entities import AliasError

    path = tmp_path / "aliases.yaml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(AliasError, match=message) as info:
        read_yaml(path, what="alias file", error=AliasError)
    assert f"alias file {path}" in str(info.value)


# --- issue 14: nothing read outside the corpus; odd values refused or converted with a warning --

def test_manifest_path_outside_the_corpus_is_refused_naming_the_line(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Private words that are not an article.")
    for name in ("../secret.txt", str(secret), "../../../../../../etc/passwd"):
        folder = _write(tmp_path / "c", {"manifest.csv": f"file,outlet\na.txt,A\n{name},B\n",
                                         "a.txt": "An article."})
        problems = C.check_corpus(folder)
        assert len(problems) == 1 and "manifest.csv: line 3: file" in problems[0], problems
        assert "outside the corpus folder" in problems[0]
        with pytest.raises(CorpusError, match="outside the corpus folder"):
            C.prepare(folder, tmp_path / "out")
        assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("manifest", [True, False])
def test_a_link_pointing_out_of_the_corpus_is_refused(tmp_path, manifest):
    secret = tmp_path / "secret.txt"
    secret.write_text("Private words that are not an article.")
    folder = _write(tmp_path / "c", {"a.txt": "An article.", **({"manifest.csv": "file,outlet\na.txt,A\nb.txt,B\n"}
                                                               if manifest else {})})
    (folder / "b.txt").symlink_to(secret)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", C.CorpusWarning)
        problems = C.check_corpus(folder)
    assert problems and all("outside the corpus folder" in p for p in problems), problems
    assert "b.txt" in problems[0]


def test_a_link_inside_the_corpus_is_read(tmp_path):
    folder = _write(tmp_path / "c", {"manifest.csv": "file,outlet\na.txt,A\nb.txt,B\n", "a.txt": "One text here."})
    (folder / "b.txt").symlink_to(folder / "a.txt")
    assert C.check_corpus(folder) == []


def test_manifest_line_numbers_count_physical_lines_after_a_quoted_newline(tmp_path):
    manifest = 'file,outlet,headline\na.txt,A,"Two\nlines"\nb.txt,B,x\nc.txt,,x\n'
    folder = _write(tmp_path / "c", {"manifest.csv": manifest, "a.txt": "T.", "b.txt": "T.", "c.txt": "T."})
    assert C.check_corpus(folder) == [f"{folder / 'manifest.csv'}: line 5: empty 'outlet' for file 'c.txt'"]


@pytest.mark.parametrize("content, fragment", [
    ("outlet,text\nA,one\nB,two,extra\n", "line 3: 3 field(s), the header has 2"),
    ('outlet,text\nA,"unclosed\nB,two\n', "line 2: unexpected end of data"),
])
def test_ragged_or_unclosed_csv_is_refused_not_merged(tmp_path, content, fragment):
    path = tmp_path / "c.csv"
    path.write_text(content)
    problems = C.check_corpus(path)
    assert any(fragment in p for p in problems), problems


@pytest.mark.parametrize("row, fragment", [
    ({"outlet": "A", "text": ["a", "list"]}, "line 2: 'text' is a list"),
    ({"outlet": "A", "text": 7}, "line 2: 'text' is a int"),
    ({"outlet": "A", "text": "\ud800 lone"}, "line 2: holds '\\ud800', a lone UTF-16 surrogate"),
    ({"outlet": "A", "text": "\x00\x00"}, "line 2: 'text' holds only NUL bytes"),
    ({"outlet": True, "text": "x"}, "line 2: 'outlet' is a bool"),
    ({"outlet": {"n": 1}, "text": "x"}, "line 2: 'outlet' is a dict"),
])
def test_non_text_values_are_refused_with_their_line(tmp_path, row, fragment):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"outlet": "B", "text": "fine"}) + "\n" + json.dumps(row) + "\n")
    problems = C.check_corpus(path)
    assert any(fragment in p for p in problems), problems


def test_a_huge_json_number_is_one_message(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"outlet": "A", "text": "x"}\n{"outlet": "B", "text": ' + "9" * 5001 + "}\n")
    problems = C.check_corpus(path)
    assert len(problems) == 1 and "c.jsonl: line 2: not readable JSON" in problems[0]


def test_numeric_labels_are_converted_with_a_warning_and_mixed_extras_kept_as_text(tmp_path):
    path = tmp_path / "c.jsonl"
    rows = [{"id": 1, "outlet": 5, "text": "One sentence here.", "meta": {"a": 1}},
            {"id": 2, "outlet": "B", "text": "Another one.", "meta": "plain"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    with pytest.warns(C.CorpusWarning) as caught:
        arts = C.load_corpus(path)
    messages = " ".join(str(w.message) for w in caught)
    assert "number(s) used as text labels" in messages and "column 'meta' mixes" in messages
    assert arts["article_id"].tolist() == ["1", "2"] and arts["outlet"].tolist() == ["5", "B"]
    assert arts["meta"].tolist() == ['{"a": 1}', "plain"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", C.CorpusWarning)
        done = C.prepare(path, tmp_path / "out")  # pyarrow stores the column: one type
    assert done.articles == 2


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_rows_without_a_date_are_undated_not_refused(tmp_path, fmt):
    df = pd.DataFrame({"outlet": ["A", "B"], "text": ["One.", "Two."], "published": ["2026-01-02", None]})
    path = tmp_path / f"c.{fmt}"
    if fmt == "jsonl":
        df.to_json(path, orient="records", lines=True)
    else:
        df.to_parquet(path)
    arts = C.load_corpus(path)
    assert arts["published"].tolist()[0] == "2026-01-02" and pd.isna(arts["published"].iloc[1])


def test_missing_manifest_column_is_one_message(tmp_path):
    folder = _write(tmp_path / "c", {"manifest.csv": "name,outlet\na.txt,A\n", **{f"{x}.txt": "T." for x in "abcde"}})
    problems = C.check_corpus(folder)
    assert len(problems) == 1 and "missing column(s) file" in problems[0], problems


@pytest.mark.parametrize("dayfirst, expected", [(None, None), (True, "2017-04-03"), (False, "2017-03-04")])
def test_ambiguous_numeric_dates_are_reported_unless_the_order_is_given(tmp_path, dayfirst, expected):
    path = tmp_path / "c.csv"
    path.write_text("outlet,text,published\nA,One.,7/23/17\nB,Two.,3/4/2017\n")
    if expected is None:
        assert C.check_corpus(path) == [f"{path}: row 2: ambiguous date '3/4/2017': day and month could be "
                                        "either; pass --dayfirst (day/month/year) or --monthfirst (month/day/year)"]
    else:
        arts = C.load_corpus(path, dayfirst=dayfirst)
        assert arts["published"].tolist() == ["2017-07-23", expected]


# --- issue 14: nothing written into the corpus; outputs as the user's umask says ----------------

@pytest.mark.parametrize("spelling", ["corpus", "corpus/sub", "corpus/../corpus/x", "link", "link/y"])
def test_prepare_refuses_any_spelling_of_the_corpus_folder(tmp_path, spelling):
    corpus = _write(tmp_path / "corpus", {"manifest.csv": "file,outlet\na.txt,A\n", "a.txt": "Text."})
    (tmp_path / "link").symlink_to(corpus)
    before = sorted(p.name for p in corpus.iterdir())
    with pytest.raises(ParameterError, match="inside the corpus"):
        C.prepare(corpus, tmp_path / spelling)
    assert sorted(p.name for p in corpus.iterdir()) == before


def test_prepare_refuses_an_out_that_is_a_file_or_under_one(tmp_path):
    (tmp_path / "f").write_text("x")
    for out in (tmp_path / "f", tmp_path / "f" / "sub"):
        with pytest.raises(ParameterError, match="is a file, not a folder"):
            C.prepare(TINY, out)


def test_prepare_removes_temp_files_a_killed_run_left(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".articles.parquet.999999999.tmp"  # no such process
    stale.write_bytes(b"half")
    C.prepare(TINY, out)
    assert not stale.exists() and sorted(p.name for p in out.iterdir()) == ["articles.parquet", "sentences.parquet"]


def test_written_files_follow_the_umask(tmp_path):
    import os
    import stat

    C.atomic_write_bytes(tmp_path / "x.csv", b"a\n")
    mode = stat.S_IMODE(os.stat(tmp_path / "x.csv").st_mode)
    assert mode == 0o666 & ~C.UMASK and mode != 0o600


# --- fuzz: whatever the bytes, the loaders answer with problems, never an exception -------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_CELLS = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=True),
                   st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@_FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".jsonl"]))
def test_fuzz_table_bytes_never_raise(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(b"outlet,text\n" + data if suffix == ".csv" else data)
    problems = C.check_corpus(path)
    assert isinstance(problems, list) and all(isinstance(p, str) and str(path) in p for p in problems)


@_FUZZ
@given(rows=st.lists(st.fixed_dictionaries({"outlet": _CELLS, "text": _CELLS, "published": _CELLS,
                                            "extra": _CELLS}), min_size=1, max_size=4))
def test_fuzz_jsonl_values_never_raise_and_what_loads_is_text(tmp_path, rows):
    path = tmp_path / "fuzz.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", C.CorpusWarning)
        problems = C.check_corpus(path)
        if not problems:
            arts = C.load_corpus(path)
            assert all(isinstance(v, str) for v in arts["outlet"]) and all(isinstance(v, str) for v in arts["text"])


def test_manifest_file_name_with_a_nul_character_is_a_problem_not_a_crash(tmp_path):
    # found by the fuzz test below: resolving a path with a NUL byte raised ValueError
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text("An article.")
    (folder / "manifest.csv").write_text("file,outlet\na.txt,X\n\x00,Y\n", encoding="utf-8")
    problems = C.check_corpus(folder)
    assert problems == [f"{folder / 'manifest.csv'}: line 3: file '\\x00' contains a NUL character (\\x00), "
                        "which no file name can hold; write the file's name as it is in the folder"]


@_FUZZ
@given(manifest=st.text(max_size=200))
def test_fuzz_manifest_text_never_raises(tmp_path, manifest):
    folder = tmp_path / "c"
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_text("An article.")
    (folder / "manifest.csv").write_text("file,outlet\n" + manifest, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", C.CorpusWarning)
        problems = C.check_corpus(folder)
    assert all("outside the corpus" not in p or "line" in p for p in problems)


# --- issue 15: selecting the story and the compared units ------------------------------------

def _arts():
    return pd.DataFrame({"article_id": list("abcdefg"), "outlet": ["A", "A", "A", "B", "B", "C", "D"],
                         "published": ["2026-01-01"] * 7, "headline": ["Iowa caucus", "Budget", "IOWA vote", "x", "y",
                                                                        "caucus night", "z"],
                         "topic": ["elections", "economy", "elections", "elections", "economy", "elections", None],
                         "bias": ["left", "left", "left", "right", "right", "center", ""]})


def test_where_keeps_lists_regexes_and_equal_values():
    arts = _arts()
    assert C.select_articles(arts, where={"topic": ["elections"]})["article_id"].tolist() == list("acdf")
    assert C.select_articles(arts, where={"headline": "~iowa|caucus"})["article_id"].tolist() == list("acf")
    both = C.select_articles(arts, where={"topic": "elections", "headline": "~^iowa"})
    assert both["article_id"].tolist() == ["a", "c"] and both.attrs["selection"]["articles_before"] == 7
    with pytest.raises(ParameterError, match="where: no column 'tpoic'"):
        C.select_articles(arts, where={"tpoic": "x"})
    with pytest.raises(ParameterError, match="not a regular expression"):
        C.select_articles(arts, where={"headline": "~("})
    with pytest.raises(ParameterError, match="keeps no article of 7"):
        C.select_articles(arts, where={"topic": "sports"})


def test_top_outlets_groups_or_drops_the_rest_and_says_so():
    arts = _arts()
    grouped = C.select_articles(arts, top_outlets=2)
    assert grouped["outlet"].tolist() == ["A", "A", "A", "B", "B", "other outlets", "other outlets"]
    assert grouped["source_outlet"].tolist()[-2:] == ["C", "D"]
    dropped = C.select_articles(arts, top_outlets=2, other_outlets=False)
    assert dropped["outlet"].tolist() == ["A", "A", "A", "B", "B"] and "source_outlet" not in dropped
    assert C.selection_lines(dropped)[-1] == ("Only the 2 outlet(s) with most articles are compared; 2 outlet(s) "
                                              "with 2 article(s) are left out.")
    assert C.select_articles(arts, top_outlets=9)["outlet"].tolist() == arts["outlet"].tolist()  # nothing beyond


def test_group_by_compares_column_values_with_outlets_kept_for_clustering():
    sel = C.select_articles(_arts(), group_by="bias")
    assert sel["outlet"].tolist() == ["left"] * 3 + ["right"] * 2 + ["center"]
    assert sel["source_outlet"].tolist() == ["A", "A", "A", "B", "B", "C"]
    assert "1 article(s) without a value are left out" in C.selection_lines(sel)[-1]
    with pytest.raises(ParameterError, match="group_by: no column 'leaning'"):
        C.select_articles(_arts(), group_by="leaning")


def test_open_corpus_gives_sentences_their_articles_group(tmp_path):
    rows = _raw_rows(TINY)
    for r, bias in zip(rows, ["left", "left", "right", "right"]):
        r["bias"] = bias
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    arts, sents = C.open_corpus(path, group_by="bias")
    assert sorted(set(sents["outlet"])) == ["left", "right"]
    per_article = sents.groupby("article_id")[["outlet", "source_outlet"]].first()
    expected = arts.set_index("article_id")[["outlet", "source_outlet"]]
    pd.testing.assert_frame_equal(per_article.sort_index(), expected.sort_index())


def test_processed_articles_leave_out_the_raw_text_unless_asked(tmp_path):
    C.prepare(TINY, tmp_path)
    lean, _ = C.read_processed(tmp_path)
    full, _ = C.read_processed(tmp_path, raw_text=True)
    assert "raw_text" not in lean and list(lean.columns) == [c for c in full.columns if c != "raw_text"]


def test_processed_tables_read_as_pandas_reads_them(bundled_processed):
    """read_processed's own reader gives pandas.read_parquet's frames: columns, dtypes, index, values."""
    from analysis.corpus.prepared import _read_frame

    arts, sents = C.read_processed(bundled_processed)
    names = [c for c in pd.read_parquet(bundled_processed / C.ARTICLES_FILE).columns if c != "raw_text"]
    for got, path, columns in ((arts, C.ARTICLES_FILE, names), (sents, C.SENTENCES_FILE, None)):
        pd.testing.assert_frame_equal(got, pd.read_parquet(bundled_processed / path, columns=columns),
                                      check_exact=True)
    assert isinstance(sents.index, pd.RangeIndex) and sents["start"].dtype == np.int64
    shuffled = names[::-1][:3]  # a subset in another order comes back in that order
    pd.testing.assert_frame_equal(_read_frame(bundled_processed / C.ARTICLES_FILE, shuffled),
                                  pd.read_parquet(bundled_processed / C.ARTICLES_FILE, columns=shuffled))


def test_a_parquet_file_with_a_pandas_index_is_read_by_pandas(tmp_path):
    from analysis.corpus.prepared import _read_frame

    df = pd.DataFrame({"a": [3, 1], "b": ["x", None]}, index=pd.Index(["p", "q"], name="k"))
    df.to_parquet(tmp_path / "t.parquet")
    pd.testing.assert_frame_equal(_read_frame(tmp_path / "t.parquet"), df)


def test_large_tables_are_saved_as_parquet_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setattr(C.files, "LARGE_TABLE_ROWS", 3)
    C.save_table(pd.DataFrame({"a": [1, 2, 3]}), "small", tmp_path)
    C.save_table(pd.DataFrame({"a": [1, 2, 3, 4]}), "large", tmp_path)
    C.save_table(pd.DataFrame({"a": [9]}), "summary", tmp_path)
    C.save_table(pd.DataFrame({"a": [1, 2, 3, 4, 5]}), "summary", tmp_path, parquet=True)
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == [
        "large.parquet", "small.csv", "summary.csv", "summary.parquet"]
    tables = C.read_tables(tmp_path / "tables")
    assert tables["large"]["a"].tolist() == [1, 2, 3, 4] and tables["summary"]["a"].tolist() == [9]


def test_tables_of_more_than_a_megabyte_of_csv_are_saved_as_parquet(tmp_path):
    wide = pd.DataFrame({"text": ["x" * 1000] * 998})  # 998 rows of 1,001 bytes + the header: under 1 MB
    C.save_table(wide, "under", tmp_path)
    C.save_table(pd.concat([wide, wide.head(2)]), "over", tmp_path)
    assert (tmp_path / "tables" / "under.csv").stat().st_size == 998 * 1001 + 5
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == ["over.parquet", "under.csv"]
    pd.testing.assert_frame_equal(C.read_tables(tmp_path / "tables")["over"], pd.concat([wide, wide.head(2)],
                                                                                      ignore_index=True))


def test_cached_table_computes_once_for_concurrent_callers_and_again_for_a_new_key(tmp_path):
    import threading
    import time

    calls = []

    def compute():
        calls.append(threading.get_ident())
        time.sleep(0.3)  # long enough that the second caller arrives while the first computes
        return pd.DataFrame({"name": ["a", "b"], "n": [1, 2]})

    results = []
    threads = [threading.Thread(target=lambda: results.append(C.cached_table(tmp_path, "demo", "k1", compute)))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    pd.testing.assert_frame_equal(results[0], results[1])
    pd.testing.assert_frame_equal(results[0], pd.DataFrame({"name": ["a", "b"], "n": [1, 2]}))
    C.cached_table(tmp_path, "demo", "k2", compute)
    assert len(calls) == 2
    assert sorted(p.name for p in (tmp_path / "cache").glob("*.parquet")) == ["demo-k1.parquet", "demo-k2.parquet"]


def test_cached_table_with_columns_keeps_the_whole_table_and_gives_those_columns(tmp_path):
    table = pd.DataFrame({"name": ["a", "b"], "n": [1, 2], "x": [0.5, 1.5]})
    computed = C.cached_table(tmp_path, "demo", "k", lambda: table, columns=["x", "name"])
    read = C.cached_table(tmp_path, "demo", "k", lambda: pytest.fail("computed again"), columns=["x", "name"])
    for got in (computed, read, C.cached_table("", "demo", "k", lambda: table, columns=["x", "name"])):
        pd.testing.assert_frame_equal(got, table[["x", "name"]])
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "cache" / "demo-k.parquet"), table)


def test_cached_table_writes_parts_as_they_come_and_refuses_parts_that_differ(tmp_path):
    table = pd.DataFrame({"name": ["a", "b", "c"], "n": [1, 2, 3]})
    parts = lambda: iter([table.iloc[:2], table.iloc[2:]])  # noqa: E731
    pd.testing.assert_frame_equal(C.cached_table(tmp_path, "demo", "k", parts), table)
    pd.testing.assert_frame_equal(C.cached_table(tmp_path, "demo", "k", lambda: pytest.fail("again")), table)
    C.write_table(table, tmp_path / "whole.parquet")
    assert (tmp_path / "cache" / "demo-k.parquet").read_bytes() == (tmp_path / "whole.parquet").read_bytes()
    pd.testing.assert_frame_equal(C.cached_table("", "demo", "k", parts, columns=["n"]), table[["n"]])
    bad = lambda: iter([table.iloc[:2], table.iloc[2:].astype({"n": float})])  # noqa: E731
    with pytest.raises(ParameterError, match=r"cached_table\('demo'\): part 1 has columns"):
        C.cached_table(tmp_path, "demo", "k2", bad)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir() if not p.name.endswith(".lock")) == ["demo-k.parquet"]


def test_cached_table_without_a_folder_computes_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert C.cached_table("", "demo", "k", lambda: pd.DataFrame({"a": [1]}))["a"].tolist() == [1]
    assert list(tmp_path.iterdir()) == []


def test_content_key_follows_values_order_and_parts():
    a = pd.DataFrame({"t": ["x", "y"]})
    assert C.content_key(a, "v") == C.content_key(pd.DataFrame({"t": ["x", "y"]}, index=[5, 6]), "v")
    assert C.content_key(a, "v") != C.content_key(a.iloc[::-1], "v")
    assert C.content_key(a, "v") != C.content_key(pd.DataFrame({"t": ["x", "z"]}), "v")
    assert C.content_key(a, "v") != C.content_key(a, "w")


def test_a_table_concatenated_from_chunks_is_written_as_the_same_parquet_bytes(tmp_path):
    import numpy as np

    words = np.array(["oil", "cuba", "said", "the", "market", "trump", "government", "of", "and", "a"])
    texts = [" ".join(row) for row in np.random.default_rng(0).choice(words, (40_000, 12))]
    whole = pd.DataFrame({"text": pd.array(texts, dtype="str"), "n": range(40_000)})
    chunked = pd.concat([whole.iloc[i:i + 5000] for i in range(0, 40_000, 5000)], ignore_index=True)
    C.write_table(whole, tmp_path / "whole.parquet")
    C.write_table(chunked, tmp_path / "chunked.parquet")  # its text sits in eight Arrow chunks
    # (pandas' own to_parquet writes these two as different bytes, with the same values)
    assert (tmp_path / "whole.parquet").read_bytes() == (tmp_path / "chunked.parquet").read_bytes()



def test_parquet_is_written_straight_to_file_with_the_bytes_of_an_in_memory_write(tmp_path, monkeypatch):
    import io
    import os
    import stat

    import pyarrow as pa
    import pyarrow.parquet as pq

    df = pd.DataFrame({"text": pd.array(["a b", "c", None], dtype="str"), "n": [3, 1, 2]}, index=[7, 8, 9])
    C.write_table(df, tmp_path / "t.parquet")
    buf = io.BytesIO()  # how it was written before: the whole file in memory, then renamed
    pq.write_table(pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False), buf, compression="zstd")
    assert (tmp_path / "t.parquet").read_bytes() == buf.getvalue()
    assert stat.S_IMODE(os.stat(tmp_path / "t.parquet").st_mode) == 0o666 & ~C.UMASK
    # a failed write keeps the old file and leaves no temp file
    monkeypatch.setattr(pq.ParquetWriter, "write_table", lambda *a, **k: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        C.write_table(df.iloc[:1], tmp_path / "t.parquet")
    assert (tmp_path / "t.parquet").read_bytes() == buf.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]

def test_open_corpus_without_text_leaves_out_only_the_article_text(bundled_processed):
    for folder in (bundled_processed, ""):  # from the prepared files (never read) or loaded in memory
        a1, s1 = C.open_corpus(BUNDLED, processed_dir=folder)
        a2, s2 = C.open_corpus(BUNDLED, processed_dir=folder, text=False)
        assert "text" in a1.columns and "text" not in a2.columns
        pd.testing.assert_frame_equal(a2, a1.drop(columns="text"))
        pd.testing.assert_frame_equal(s2, s1)
    # a selection on the text still applies before the column is left out
    a3, s3 = C.open_corpus(BUNDLED, processed_dir=bundled_processed, text=False, where={"text": "~embargo"})
    kept = a1[a1["text"].str.contains("embargo")]["article_id"].tolist()
    assert a3["article_id"].tolist() == kept and len(kept) == 1 and "text" not in a3.columns
    assert set(s3["article_id"]) == set(kept)


def test_with_text_gives_back_the_frame_open_corpus_gives_with_text(bundled_processed, tmp_path):
    for folder in (bundled_processed, ""):  # read from the prepared file, or the corpus loaded again
        for selection in ({}, {"outlets": ["Wyoming Star", "unidentified-000"]}, {"where": {"text": "~embargo"}}):
            full, _ = C.open_corpus(BUNDLED, processed_dir=folder, **selection)
            bare, _ = C.open_corpus(BUNDLED, processed_dir=folder, text=False, **selection)
            assert "text" not in bare.columns and len(bare) >= 1
            back = C.with_text(bare, corpus=BUNDLED, processed_dir=folder)
            pd.testing.assert_frame_equal(back, full)
            assert "text" not in bare.columns  # the input is not changed
            assert C.with_text(full, corpus=BUNDLED, processed_dir=folder) is full
    # any order and index: each row gets its own article's text
    full, _ = C.open_corpus(BUNDLED, processed_dir=bundled_processed)
    shuffled = full.drop(columns="text").iloc[[3, 0, 4]]
    back = C.with_text(shuffled, corpus=BUNDLED, processed_dir=bundled_processed)
    pd.testing.assert_frame_equal(back, full.iloc[[3, 0, 4]])
    # grouped: the text comes back beside the group and source outlet columns
    rows = _raw_rows(TINY)
    for r, bias in zip(rows, ["left", "left", "right", "right"]):
        r["bias"] = bias
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    C.prepare(path, tmp_path / "p")
    for folder in (tmp_path / "p", ""):
        full, _ = C.open_corpus(path, processed_dir=folder, group_by="bias")
        bare, _ = C.open_corpus(path, processed_dir=folder, group_by="bias", text=False)
        pd.testing.assert_frame_equal(C.with_text(bare, corpus=path, processed_dir=folder), full)
    # articles of another corpus: said, not guessed
    stranger = bare.assign(article_id=["zz"] + bare["article_id"].tolist()[1:])
    with pytest.raises(CorpusError, match=r"article 'zz': not in .*articles.parquet"):
        C.with_text(stranger, corpus=path, processed_dir=tmp_path / "p")


@pytest.mark.parametrize("rows", [5, 250_001])  # a CSV, and a Parquet read in three batches
def test_read_tables_first_of_keeps_the_first_row_of_each_key_and_lazy_reads_on_demand(tmp_path, rows):
    rng = np.random.default_rng(0)
    kwic = pd.DataFrame({"outlet": rng.choice(["A", "B", "C"], rows), "frame": rng.choice(["x", "y"], rows),
                         "line": np.arange(rows)})
    C.save_table(kwic, "kwic", tmp_path)
    C.save_table(pd.DataFrame({"n": [1]}), "other", tmp_path)
    first = C.read_tables(tmp_path / "tables", first_of={"kwic": ["outlet", "frame"]})["kwic"]
    expected = kwic.drop_duplicates(["outlet", "frame"], ignore_index=True)
    pd.testing.assert_frame_equal(first, expected, check_dtype=False)
    lazy = C.read_tables(tmp_path / "tables", lazy=True)
    assert list(lazy) == ["kwic", "other"] and len(lazy) == 2 and lazy.get("missing") is None
    (tmp_path / "tables" / "other.csv").unlink()  # not read yet: the mapping reads when asked
    with pytest.raises(FileNotFoundError):
        lazy["other"]
    assert lazy["kwic"] is lazy["kwic"] and len(lazy["kwic"]) == rows


# --- save_table_parts: a table given part by part is the file save_table writes for the whole -----


def _parts_table(n, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    words = np.array(["oil", "cuba", "", "said", "Díaz", "market", "the"])
    return pd.DataFrame({
        "outlet": pd.array(rng.choice(words, n), dtype="str"),
        "n": rng.integers(0, 1000, n).astype("int32"),
        "score": rng.normal(size=n),
        "flag": rng.random(n) < 0.5,
    })


def _cut(df, sizes):
    out, start = [], 0
    for size in sizes:
        out.append(df.iloc[start:start + size])
        start += size
    return [*out, df.iloc[start:]]


@pytest.mark.parametrize(("n", "sizes", "parquet"), [
    (50, [10, 0, 25], False),           # small: CSV, as save_table
    (50, [10, 25], True),               # small but asked as Parquet
    (30_000, [7_000, 13_001], False),   # past LARGE_TABLE_ROWS: Parquet part by part
    (0, [], True),                      # empty: one empty row group, as pq.write_table writes
])
def test_save_table_parts_writes_the_bytes_of_the_whole(tmp_path, monkeypatch, n, sizes, parquet):
    whole = _parts_table(n)
    C.save_table(whole, "t", tmp_path / "whole", parquet=parquet)
    C.save_table_parts(iter(_cut(whole, sizes)), "t", tmp_path / "parts", parquet=parquet)
    (want,), (got,) = (list((tmp_path / d / "tables").iterdir()) for d in ("whole", "parts"))
    assert got.name == want.name and got.read_bytes() == want.read_bytes()


@pytest.mark.parametrize("sizes", [[1, 999, 1000, 2500], [3000, 1, 2], [1000, 1000, 1000], [4999]])
def test_save_table_parts_cuts_row_groups_where_write_table_does(tmp_path, monkeypatch, sizes):
    import pyarrow.parquet as pq

    import analysis.corpus.files as F

    monkeypatch.setattr(F, "PARQUET_ROW_GROUP", 1000)  # small groups, so parts cross their edges
    whole = _parts_table(sum(sizes) + 7, seed=len(sizes))
    C.save_table(whole, "t", tmp_path / "whole", parquet=True)
    C.save_table_parts(_cut(whole, sizes), "t", tmp_path / "parts", parquet=True)
    want, got = (tmp_path / d / "tables" / "t.parquet" for d in ("whole", "parts"))
    assert pq.ParquetFile(want).metadata.num_row_groups == -(-len(whole) // 1000)
    assert got.read_bytes() == want.read_bytes()


def test_save_table_parts_refuses_parts_that_differ_and_leaves_no_file(tmp_path):
    good = _parts_table(30_000)
    bad = good.iloc[:5].astype({"n": "int64"})
    with pytest.raises(ParameterError, match=r"\('t'\): part 1 has columns n: int64 where the first part had n: int32"):
        C.save_table_parts([good, bad], "t", tmp_path)
    assert list((tmp_path / "tables").iterdir()) == []  # no temp file, no half table
    with pytest.raises(ParameterError, match="no parts"):
        C.save_table_parts([], "t", tmp_path)
    seen = []
    C.save_table_parts((seen.append(i) or good.iloc[:1] for i in range(3)), "t", "")  # "" still reads every part
    assert seen == [0, 1, 2]


def test_write_table_makes_each_row_group_one_chunk_on_its_own(tmp_path, monkeypatch):
    # a table of several Arrow chunks (as partition.per_article returns) written a row group at a
    # time: the bytes of pq.write_table of the whole table made one chunk per column first
    import pyarrow as pa
    import pyarrow.parquet as pq

    import analysis.corpus.files as F

    monkeypatch.setattr(F, "PARQUET_ROW_GROUP", 1000)
    whole = _parts_table(4321, seed=5)
    chunked = pd.concat([whole.iloc[i:i + 700] for i in range(0, len(whole), 700)], ignore_index=True)
    C.write_table(chunked, tmp_path / "new.parquet")
    table = pa.Table.from_pandas(whole, preserve_index=False).combine_chunks()
    pq.write_table(table, tmp_path / "old.parquet", compression="zstd", row_group_size=1000)
    assert pq.ParquetFile(tmp_path / "new.parquet").metadata.num_row_groups == 5
    assert (tmp_path / "new.parquet").read_bytes() == (tmp_path / "old.parquet").read_bytes()
