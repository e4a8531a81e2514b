"""Run newsframes from the command line: ``check``, ``prepare``, ``report``, ``resources``, ``workshop``.

``propose-entities`` writes the people, organisations and places of a corpus as an alias
file to edit.

Any :class:`~analysis.errors.AnalysisError` becomes one message on stderr and exit status
2, with no traceback; warnings are printed as ``warning: ...`` lines.
"""

from __future__ import annotations

import argparse
import sys
import warnings

from analysis.errors import AnalysisError

EXIT_USAGE = 2  # bad input or arguments (argparse uses 2 too)
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newsframes", description=(
        "Compare how news outlets cover the same story. CORPUS is a folder of .txt files "
        "(with manifest.csv) or a .csv/.jsonl/.parquet table with outlet and text columns."))
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="report every problem with a corpus; write nothing")
    c.add_argument("corpus")
    _date_order(c)
    pr = sub.add_parser("prepare", help="write articles.parquet and sentences.parquet")
    pr.add_argument("corpus")
    _date_order(pr)
    _cluster_options(pr)
    pr.add_argument("--out", default="data/processed", help="output folder (data/processed)")
    pr.add_argument("--jobs", type=int, default=None,
                    help="processes that clean and split chunks at once (default: one per CPU core)")
    r = sub.add_parser("report", help="run the report notebooks and write an HTML report")
    r.add_argument("corpus")
    _date_order(r)
    _cluster_options(r)
    r.add_argument("--out", default="reports", help="report folder (reports)")
    r.add_argument("--processed", default=None,
                   help="folder for the prepared tables (default OUT/processed)")
    r.add_argument("--params", default=None, help="YAML file of notebook parameters")
    r.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override one parameter (repeatable); values are YAML")
    r.add_argument("--jobs", type=int, default=None,
                   help="notebooks run at once (default: one per CPU core)")
    r.add_argument("--zip", action="store_true", help="also write OUT.zip, the whole report in one file")
    r.add_argument("--only", action="append", default=[], metavar="NOTEBOOK",
                   help="run only this notebook, e.g. 00_corpus (repeatable)")
    sub.add_parser("resources", help="provision the offline NLTK data (run by make setup)")
    w = sub.add_parser("workshop", help="copy the workshop lessons (exercises, solutions, guide) into DIR")
    w.add_argument("dir")
    w.add_argument("--no-kernel", action="store_true",
                   help="do not register the 'Python (newsframes)' Jupyter kernel for this user")
    pe = sub.add_parser("propose-entities", help="propose the people, organisations and places of a corpus "
                        "as an alias file to edit (entities.yaml)")
    pe.add_argument("corpus")
    pe.add_argument("--out", default=None, help="alias file to write (default: print it)")
    pe.add_argument("--min-count", type=int, default=1, help="keep entities mentioned this often (1)")
    return p


def _cluster_options(parser: argparse.ArgumentParser) -> None:
    g = parser.add_mutually_exclusive_group()
    g.add_argument("--workers", type=int, default=None, metavar="N",
                   help="run the per-article steps (cleaning and splitting; in a report also "
                        "scoring, mentions, cues, quotations, facts) on a local Dask cluster of N "
                        "worker processes")
    g.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run the per-article steps on a running Dask cluster (e.g. tcp://host:8786)")


def _date_order(parser: argparse.ArgumentParser) -> None:
    g = parser.add_mutually_exclusive_group()
    g.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True, default=None,
                   help="read numeric dates such as 3/4/2017 as day/month/year")
    g.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                   help="read numeric dates such as 3/4/2017 as month/day/year")


def _check(args) -> int:
    from analysis.corpus import check_corpus

    problems = check_corpus(args.corpus, dayfirst=args.dayfirst)
    if problems:
        print(f"{args.corpus}: {len(problems)} problem(s)", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{args.corpus}: OK")
    return 0


def _prepare(args) -> int:
    from analysis.cluster import dask_client
    from analysis.corpus import prepare
    from analysis.report import DEFAULT_JOBS

    with dask_client(workers=args.workers, scheduler=args.scheduler) as client:
        done = prepare(args.corpus, args.out, dayfirst=args.dayfirst, client=client,
                       jobs=DEFAULT_JOBS if args.jobs is None else args.jobs)
    print(f"wrote {done.articles_path} ({done.articles} articles from {done.outlets} outlets) "
          f"and {done.sentences_path} ({done.sentences} sentences)")
    return 0


def _report(args) -> int:
    from analysis.report import DEFAULT_JOBS, build_report

    index = build_report(args.corpus, args.out, processed=args.processed, params_file=args.params,
                         sets=args.sets, jobs=DEFAULT_JOBS if args.jobs is None else args.jobs,
                         only=args.only, zip_archive=args.zip, dayfirst=args.dayfirst,
                         workers=args.workers, scheduler=args.scheduler,
                         log=lambda m: print(m, file=sys.stderr, flush=True))
    print(f"report: {index}")
    return 0


def _resources(args) -> int:
    from analysis.resources import provision

    print(f"offline NLTK resources in {provision()}")
    return 0


def _workshop(args) -> int:
    from analysis.workshop import copy_lessons

    written = copy_lessons(args.dir)
    print(f"copied {sum(p.suffix == '.ipynb' for p in written)} notebooks and the guide to {args.dir}")
    if not args.no_kernel:
        from analysis.kernel import install_kernel

        print(f"registered the 'Python (newsframes)' kernel for this user in {install_kernel(user=True)}")
    print(f"open them with: jupyter lab {args.dir}  (JupyterLab: pip install 'newsframes-analysis[lab]')")
    return 0


def _propose_entities(args) -> int:
    from pathlib import Path

    from analysis.corpus import check_output_folder, load_corpus
    from analysis.entities import aliases_yaml, propose_entities, write_aliases
    from analysis.errors import ParameterError
    from analysis.sentences import split_sentences

    corpus = Path(args.corpus)
    if args.out:
        out = Path(args.out)
        target, root = out.resolve(), corpus.resolve()
        if target == root or root.is_dir() and target.is_relative_to(root):
            raise ParameterError(f"--out {out}: inside the corpus {corpus}; raw data is never written to, "
                                 "choose a file outside it (then pass it as entities_file)")
        check_output_folder(out.parent, corpus, what="--out")
    proposals = propose_entities(split_sentences(load_corpus(corpus)), min_count=args.min_count)
    name = corpus.stem if corpus.is_file() else corpus.resolve().name
    if not args.out:
        sys.stdout.write(aliases_yaml(proposals, corpus=name))
        return 0
    write_aliases(proposals, out, corpus=name)
    people = proposals.loc[proposals["type"] == "person", "entity"].nunique()
    print(f"wrote {out} ({proposals['entity'].nunique()} entities, {people} people); edit it, then use it "
          "as the report's entities_file")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 2 for bad input (the message is on stderr).
    """
    args = _parser().parse_args(argv)
    handler = {"check": _check, "prepare": _prepare, "report": _report,
               "resources": _resources, "workshop": _workshop,
               "propose-entities": _propose_entities}[args.command]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            status = handler(args)
        except AnalysisError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = EXIT_USAGE
        except KeyboardInterrupt:
            print(f"interrupted: {args.command} stopped; nothing was left half-written (earlier "
                  "outputs are as they were)", file=sys.stderr)
            status = EXIT_INTERRUPTED
    for w in caught:
        if not issubclass(w.category, (DeprecationWarning, ResourceWarning)):
            print(f"warning: {w.message}", file=sys.stderr)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
