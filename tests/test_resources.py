"""Tests for analysis.resources: offline NLTK data, never a download."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile

import pytest

from analysis import resources as R
from analysis.errors import ResourceError
from tests.conftest import ROOT


def test_provision_writes_the_pinned_lexicon_reproducibly(tmp_path):
    R.provision(tmp_path)
    z = tmp_path / "sentiment" / "vader_lexicon.zip"
    with zipfile.ZipFile(z) as zf:
        data = zf.read("vader_lexicon/vader_lexicon.txt")
    assert hashlib.sha256(data).hexdigest() == R.VADER_LEXICON_SHA256
    first = z.read_bytes()
    R.provision(tmp_path)
    assert z.read_bytes() == first
    abbrev = (tmp_path / "tokenizers" / "punkt_tab" / "english" / "abbrev_types.txt").read_text().split()
    assert {"u.s", "mr", "jan", "a.m"} <= set(abbrev)


def test_nltk_works_offline_from_only_our_directory(tmp_path):
    """A fresh interpreter whose nltk.data.path holds only our folder: VADER, word_tokenize, sent_tokenize."""
    R.provision(tmp_path)
    code = f"""
import nltk, socket
def no_network(*a, **k):
    raise RuntimeError("network access attempted")
socket.socket.connect = no_network
nltk.data.path[:] = [{str(tmp_path)!r}]
from nltk.sentiment.vader import SentimentIntensityAnalyzer
print(SentimentIntensityAnalyzer().polarity_scores("good")["compound"])
print(nltk.word_tokenize("Mr. Trump met the U.S. envoy."))
print(nltk.sent_tokenize("Mr. Trump met the U.S. envoy. He left."))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    lines = out.strip().splitlines()
    assert lines[0] == "0.4404"  # VADER's own score for "good" (lexicon valence 1.9)
    assert "'U.S.'" in lines[1] and "'Mr.'" in lines[1]
    assert lines[2] == "['Mr. Trump met the U.S. envoy.', 'He left.']"


def test_ensure_puts_our_directory_first():
    import nltk

    path = R.ensure_nltk_data()
    assert nltk.data.path[0] == str(path)
    assert (path / "sentiment" / "vader_lexicon.zip").exists()


def test_corrupt_lexicon_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(R, "VADER_LEXICON_SHA256", "0" * 64)
    with pytest.raises(ResourceError, match="expected 0000"):
        R.provision(tmp_path)
    assert not (tmp_path / "sentiment" / "vader_lexicon.zip").exists()


def test_stopwords():
    sw = R.stopwords("english")
    assert len(sw) == 179 and {"the", "don't", "wouldn't", "i"} <= sw and "cuba" not in sw
    with pytest.raises(ResourceError, match="shipped: english"):
        R.stopwords("klingon")


def test_no_runtime_downloads_anywhere():
    offenders = []
    for path in [*(ROOT / "analysis").rglob("*.py"), *(ROOT / "notebooks").rglob("*.ipynb")]:
        text = path.read_text(encoding="utf-8")
        if "nltk.download" in text or "from nltk import download" in text:
            offenders.append(path.name)
    assert offenders == []
