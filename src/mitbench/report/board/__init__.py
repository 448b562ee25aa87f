"""HTML pages of the results board (``mitbench board``), from plain data (no runs, suites or engine).

:func:`render_site` writes ``index.html`` (one sortable, filterable table per suite and version),
``runs/<slug>/index.html`` (report.md rendered, provenance, config) and ``models/<slug>.html`` (a
model across suites) with Jinja2 templates shipped in ``templates/``. The pages load nothing from
the network: the style sheet and the sorter (``board.js``, plain JavaScript) are inlined.
Markdown is rendered by markdown-it-py (CommonMark + tables) with raw HTML disabled.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mitbench.report.board.cells import filters

TEMPLATES = Path(__file__).parent / "templates"


def environment():
    """The Jinja2 environment of the board's templates (HTML autoescaped; formatting filters)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(filters())
    return env


def markdown_html(text: str) -> str:
    """report.md as HTML: CommonMark with GitHub tables; raw HTML in the Markdown is escaped."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").render(text)


def render_site(data: dict[str, Any], out: str | Path, title: str = "mitbench results") -> Path:
    """Write the board's pages for ``data`` (:func:`mitbench.runs.board.site.collect`) into ``out``.

    Returns
    -------
    Path
        ``out/index.html``.
    """
    from markupsafe import Markup

    out = Path(out)
    env = environment()
    assets = {name: Markup((TEMPLATES / f).read_text()) for name, f in
              (("css", "board.css"), ("js", "board.js"), ("errors_js", "errors.js"))}
    assets["title"] = title
    (out / "models").mkdir(parents=True, exist_ok=True)
    index = out / "index.html"
    index.write_text(env.get_template("index.html.j2").render(data=data, root=".", **assets))
    run_page = env.get_template("run.html.j2")
    for run in data["runs"]:
        folder = out / "runs" / run["slug"]
        folder.mkdir(parents=True, exist_ok=True)
        report = Markup(markdown_html(run["report"])) if run["report"] else None
        (folder / "index.html").write_text(run_page.render(run=run, report=report, root="../..", **assets))
    model_page = env.get_template("model.html.j2")
    for model in data["models"]:
        (out / "models" / f"{model['slug']}.html").write_text(model_page.render(model=model, root="..", **assets))
    return index
