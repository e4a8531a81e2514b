"""The report's HTML: executed notebooks rendered offline, the summary page and index."""

from __future__ import annotations

import functools
import html
import json
import re
import subprocess
import threading
from pathlib import Path

from analysis import corpus as C
from analysis.errors import ReportError
from analysis.report.params import NOTEBOOK_DIR

_RENDER_LOCK = threading.Lock()  # an exporter keeps per-call state: one page at a time


NO_ALT = "No description has been provided for this image"  # nbconvert's own alt text
_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)")
_FOCUSABLE = re.compile(r'(<div class="[^"]*\b(?:jp-Cell-inputWrapper|jp-OutputArea-output)\b[^"]*")(?=[\s>])')


def _accessible(page: str) -> str:
    """Add what nbconvert's BeautifulSoup pass adds: a default alt text, focusable cells."""
    page = _IMG_WITHOUT_ALT.sub(f'<img alt="{NO_ALT}"', page)
    return _FOCUSABLE.sub(r'\1 tabindex="0"', page)


@functools.cache
def _exporter():
    """Return the one HTML exporter every page uses (its templates compile once).

    nbconvert's ``HTMLExporter`` ends by parsing its own page with BeautifulSoup to add
    alt texts and ``tabindex`` attributes: 60 % of its time on our pages (0.6 s per
    report). This subclass renders the same template and adds them with two anchored
    regular expressions instead; the tests compare both pages element by element.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class _Exporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            # HTMLExporter.from_notebook_node (nbconvert 7.17) without its soup pass
            lang = nb.metadata.get("language_info", {})
            lexer = lang.get("pygments_lexer", lang.get("name", None))
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _accessible(page), resources

    return _Exporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                     exclude_output_prompt=True, embed_images=True)  # scripts go in _strip_remote


def render_html(executed: Path) -> str:
    """Render an executed notebook to standalone offline HTML without code cells.

    Parameters
    ----------
    executed : pathlib.Path
        The executed ``.ipynb``.

    Returns
    -------
    str
        The page's title (the notebook's first heading). The page is the ``.html`` beside
        `executed`; it loads nothing from the network: no MathJax, require.js or mermaid
        scripts, images embedded.
    """
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    title = _title(nb)
    with _RENDER_LOCK:
        body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    C.atomic_write_bytes(executed.with_suffix(".html"), _strip_remote(body, executed.stem).encode("utf-8"))
    return title


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, //host, ftp://...
_LOADING_ATTRS = {"src", "srcset", "data", "poster", "background", "action", "formaction"}


def _network_refs(page: str) -> list[str]:
    """Return the attributes of `page`'s elements that would load from the network.

    Parsed as HTML (elements and attributes), so text that merely *shows* markup, such as an
    escaped ``&lt;iframe src="https://…"&gt;`` quoted in an article, is not a reference.
    Links a reader may click (``<a href>``) are not loads; ``<link href>`` is.
    """
    from html.parser import HTMLParser

    found: list[str] = []

    class _Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                loads = name in _LOADING_ATTRS or (name == "href" and tag == "link")
                if loads and value and any(_REMOTE.match(v) for v in value.split(",")):
                    found.append(f"<{tag} {name}={value[:80]!r}>")

        handle_startendtag = handle_starttag

    _Parser(convert_charrefs=True).feed(page)
    return found


def _strip_remote(page: str, name: str = "page") -> str:
    """Remove every script (MathJax, require.js, mermaid: none is needed for our outputs).

    Raises
    ------
    ReportError
        If any element of the page `name` would still load from the network.
    """
    page = _COMMENT.sub("", _SCRIPT.sub("", page))
    refs = _network_refs(page)
    if refs:
        raise ReportError(f"{name}: the rendered page would load from the network: {refs[0]}"
                          f"{f' (and {len(refs) - 1} more)' if len(refs) > 1 else ''}; a notebook "
                          "cell outputs remote content")
    return page


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=NOTEBOOK_DIR.parent, text=True,
                              capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


SECTION_TITLES = {  # section key of analysis.findings -> heading on the summary page
    "corpus": "The corpus", "terms": "Words", "sentiment": "Tone", "framing": "Generic frames",
    "labels": "Word choice: labels for the same thing", "actors": "Who is prominent",
    "voices": "Who gets a voice", "reuse": "What was copied", "facts": "Facts and figures",
}
MAX_PER_SECTION = 6  # findings shown per section on the summary page (all are in tables/findings.csv)
LIMITS = (
    "Every outlet here is represented by the articles in this corpus: with one article per outlet, an "
    "outlet difference is also a difference between single articles, days and reporters.",
    "Word counts, tone and frames are measured by dictionaries and rules (NLTK tokenizers, VADER, cue "
    "lexicons): they count words, they do not understand them. Each section shows the sentences behind "
    "its numbers; read them before you cite a number.",
    "Intervals are 95% bootstrap intervals (articles, then sentences, resampled; seeded). Where intervals "
    "overlap, a finding is listed as not supported: the data cannot tell the outlets apart.",
    "Distinctive terms are tested with G² and corrected for the number of terms tested "
    "(Benjamini–Hochberg); log-odds z-scores (Monroe et al. 2008) rank them.",
    "VADER was built for social-media text; on news it scores named things ('United States', 'security "
    "forces') as sentiment. The sentiment section lists the words that drive each outlet's score.",
)


def _anchor(page: str, keyword: str) -> str:
    """Return the id of the first h2 heading of `page` whose id contains `keyword`, or ""."""
    for hid in re.findall(r'<h2 id="([^"]+)"', page):
        if keyword.lower() in hid.lower():
            return hid
    return ""


def _findings_html(findings, pages_html: dict[str, str], figures: set[str]) -> str:
    parts = []
    for section, group in findings.groupby("section", sort=False):
        group = group.sort_values("supported", ascending=False, kind="stable")  # supported first
        first = group.iloc[0]
        anchor = _anchor(pages_html.get(first["notebook"], ""), first["heading"])
        link = f"notebooks/{first['notebook']}.html" + (f"#{anchor}" if anchor else "")
        items = []
        for r in group.head(MAX_PER_SECTION).itertuples():
            badge = "" if r.supported else '<span class="ns">not supported by the data</span> '
            ev = f'<blockquote>{html.escape(r.evidence)}</blockquote>' if r.evidence else ""
            items.append(f"<li>{badge}{html.escape(r.finding)}{ev}</li>")
        more = (f'<p class="more">{len(group) - MAX_PER_SECTION} more in '
                f'<a href="tables/findings.csv">tables/findings.csv</a>.</p>' if len(group) > MAX_PER_SECTION else "")
        fig = first["figure"]
        img = (f'<a href="figures/{fig}.svg"><img src="figures/{fig}.png" alt="figure {fig}"></a>'
               if fig in figures else "")
        parts.append(f'<section><h3>{html.escape(SECTION_TITLES.get(section, section))}</h3>'
                     f'<ul>{"".join(items)}</ul>{more}{img}<p><a href="{link}">The section, its tables and '
                     f'every sentence behind it →</a></p></section>')
    return "\n".join(parts)


def _index_page(run: dict, pages: list[tuple[str, str]], findings_html: str) -> str:
    items = "\n".join(
        f'<li><a href="notebooks/{html.escape(name)}.html">{html.escape(title)}</a></li>'
        for name, title in pages
    )
    limits = "".join(f"<li>{html.escape(t)}</li>" for t in LIMITS)
    params = html.escape(json.dumps(run["parameters"], indent=1, ensure_ascii=False))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newsframes report</title>
<style>body{{font-family:system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#222}} pre{{background:#f4f4f4;padding:.5rem;overflow:auto}}
section{{border-top:1px solid #ddd;padding-top:.5rem;overflow:auto}} img{{max-width:100%;max-height:26rem;
width:auto;height:auto;display:block;margin:.5rem 0}} blockquote{{margin:.2rem 0 .4rem 1rem;color:#555;font-size:.9em}}
.ns{{background:#eee;color:#555;border-radius:3px;padding:0 .3rem;font-size:.85em}} .more{{font-size:.9em}}
</style>
</head><body>
<h1>newsframes report</h1>
<p>Corpus <code>{html.escape(run["corpus"])}</code> (SHA-256 {run["corpus_sha256"][:12]}…):
{run["n_articles"]} articles from {run["n_outlets"]} outlets. {html.escape(" ".join(run.get("compared", [])))}
Findings below are generated from the report's tables; those the data cannot support are marked and
worded as such.</p>
<h2>Key findings</h2>
{findings_html}
<h2 id="methods-and-limits">Methods and limits</h2>
<ul>{limits}</ul>
<h2>Sections</h2>
<ul>
{items}
</ul>
<p>Tables (CSV) are in <a href="tables/">tables/</a>, figures (PNG and SVG) in
<a href="figures/">figures/</a>; <a href="run.json">run.json</a> records parameters,
versions and the corpus hash.</p>
<h2>Parameters</h2>
<pre>{params}</pre>
</body></html>
"""


def _title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return "newsframes notebook"
