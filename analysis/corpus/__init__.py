"""Read and write corpora: the one module that touches files.

A corpus is any of:

* a folder of ``.txt`` files with ``manifest.csv`` (``file,outlet`` required;
  ``published, headline, url, wire, dateline`` and any other columns optional);
* a folder of ``.txt`` files without a manifest (one outlet per file stem, with a warning);
* a ``.csv``, ``.jsonl`` or ``.parquet`` table with ``outlet`` and ``text`` columns and
  optionally ``id, headline, published, url`` and extra columns, which are kept.

:func:`check_corpus` lists every problem at once and writes nothing; :func:`load_corpus`
raises one :class:`~analysis.errors.CorpusError` naming them all. Outputs are written
atomically (temp file, then rename). Nothing here writes to the corpus itself.
"""

from __future__ import annotations

from analysis.corpus.files import (
                                   BUNDLED_CORPUS,
                                   PARQUET_ROW_GROUP,
                                   SHIPPED_LEXICONS,
                                   UMASK,
                                   atomic_write_bytes,
                                   cached_table,
                                   check_output_folder,
                                   content_key,
                                   corpus_hash,
                                   read_tables,
                                   read_yaml,
                                   resolve_corpus_file,
                                   save_table,
                                   save_table_parts,
                                   write_table,
                                   zip_bytes,
)
from analysis.corpus.prepared import (
                                   ARTICLES_FILE,
                                   PROGRESS_MIN,
                                   SENTENCES_FILE,
                                   Prepared,
                                   map_ordered,
                                   open_corpus,
                                   prepare,
                                   prepare_chunk,
                                   read_processed,
                                   split_articles,
                                   with_text,
)
from analysis.corpus.read import (
                                   CHUNK,
                                   MANIFEST,
                                   TABLE_SUFFIXES,
                                   CorpusWarning,
                                   check_corpus,
                                   iter_raw,
                                   load_corpus,
                                   read_raw,
)
from analysis.corpus.select import publication_days, select_articles, selection_lines

__all__ = [
    "ARTICLES_FILE", "BUNDLED_CORPUS", "CHUNK", "MANIFEST", "PARQUET_ROW_GROUP", "PROGRESS_MIN", "SENTENCES_FILE",
    "SHIPPED_LEXICONS", "TABLE_SUFFIXES", "UMASK", "CorpusWarning", "Prepared", "atomic_write_bytes",
    "cached_table", "check_corpus", "check_output_folder", "content_key", "corpus_hash", "iter_raw", "load_corpus",
    "map_ordered", "open_corpus", "prepare", "prepare_chunk", "publication_days", "read_processed", "read_raw",
    "read_tables", "read_yaml", "resolve_corpus_file", "save_table", "save_table_parts", "select_articles",
    "selection_lines", "split_articles", "with_text", "write_table", "zip_bytes",
]
