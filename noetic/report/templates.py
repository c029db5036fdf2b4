"""The one Jinja environment of the reports: autoescaping on for every template, so all text a
model wrote is escaped unless a template says otherwise (only our own stylesheets do), and every
string a template outputs passes `printable` first."""

from __future__ import annotations

from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined

from noetic.printable import printable
from noetic.report.page_markup import PAGE, PAGE_CSS
from noetic.report.svg_markup import GRAPH_CSS, GRAPH_SVG, MACROS


def _finalize(value: Any) -> Any:
    """Each `{{ value }}` before escaping: HTML allows no NUL, ESC or other control character,
    and a bidi override would garble the page. Markup (`__html__`: a macro's output, a stylesheet)
    is ours, its strings already through here."""
    return printable(value) if isinstance(value, str) and not hasattr(value, "__html__") else value


_env = Environment(
    loader=DictLoader({"macros.j2": MACROS, "graph.svg.j2": GRAPH_SVG, "report.html.j2": PAGE}),
    autoescape=True,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    finalize=_finalize,
)
_env.globals.update(graph_css=GRAPH_CSS, page_css=PAGE_CSS)


def _noun(count: int, word: str, many: str | None = None) -> str:
    """`word` in the number `count` asks for: 1 round, 2 rounds."""
    return word if count == 1 else many or word + "s"


_env.filters["noun"] = _noun


def render(name: str, **context: Any) -> str:
    return _env.get_template(name).render(**context)
