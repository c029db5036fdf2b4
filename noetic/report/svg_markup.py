"""Jinja macros that turn chart and graph geometry into SVG, plus the graph's stylesheet.

All text comes through autoescaping; the only values written unescaped are the stylesheets here.
"""

GRAPH_CSS = """
svg.graph { font: 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.graph .edge { fill: none; stroke: #8a8fa3; stroke-width: 1.4; }
.graph .edge.cond { stroke-dasharray: 5 4; }
.graph .edge.loop { stroke: #b08bd9; }
.graph .arrowhead { fill: #8a8fa3; }
.graph .node rect { stroke-width: 1.2; }
.graph .node.role rect { fill: #ece8ff; stroke: #7c6cf0; }
.graph .node.logic rect { fill: #eef3f8; stroke: #8aa0b8; }
.graph .node.terminal rect { fill: #2f3447; stroke: #2f3447; }
.graph .node.terminal text { fill: #fff; }
.graph .node text { fill: #1f2333; text-anchor: middle; dominant-baseline: central; }
.graph .node text.note { fill: #5b6178; font-size: 11px; }
.graph .share { fill: #7c6cf0; opacity: .55; }
"""

MACROS = """
{%- macro line_chart(c) -%}
<figure class="chart">
<figcaption>{{ c.title }}</figcaption>
<svg viewBox="0 0 {{ c.width }} {{ c.height }}" role="img" aria-label="{{ c.title }}">
{%- for col in c.columns %}
<rect class="col {{ col.mode }}" x="{{ col.x }}" y="{{ c.top }}" width="{{ col.width }}"
 height="{{ c.bottom - c.top }}"><title>{{ col.tip }}</title></rect>
{%- endfor %}
{%- for t in c.y_ticks %}
<line class="grid" x1="{{ c.left }}" x2="{{ c.right }}" y1="{{ t.pos }}" y2="{{ t.pos }}"/>
<text class="ytick" x="{{ c.left - 6 }}" y="{{ t.pos }}">{{ t.label }}</text>
{%- endfor %}
{%- for t in c.x_ticks %}
<text class="xtick" x="{{ t.pos }}" y="{{ c.bottom + 16 }}">{{ t.label }}</text>
{%- endfor %}
{%- if c.area %}
<polygon class="band" points="{{ c.area }}"><title>{{ c.area_label }}</title></polygon>
{%- endif %}
{%- for l in c.lines %}
{%- for seg in l.segments if l.style != 'rings' %}
<polyline class="series {{ l.style }}" points="{{ seg }}" stroke="{{ l.color }}"/>
{%- endfor %}
{%- for d in l.dots %}
{%- if l.style == 'rings' %}
<circle class="ring" cx="{{ d.x }}" cy="{{ d.y }}" r="5" stroke="{{ l.color }}">
{%- else %}
<circle cx="{{ d.x }}" cy="{{ d.y }}" r="3.2" fill="{{ l.color }}">
{%- endif %}
<title>{{ d.tip }}</title></circle>
{%- endfor %}
{%- endfor %}
{%- if c.empty %}
<text class="empty" x="{{ (c.left + c.right) / 2 }}" y="{{ (c.top + c.bottom) / 2 }}">
{{- c.empty }}</text>
{%- endif %}
</svg>
<ul class="legend">
{%- for l in c.lines %}
<li><i class="swatch {{ l.style }}" style="border-color: {{ l.color }}"></i>
{{- l.label }}</li>
{%- endfor %}
{%- if c.area_label %}<li><i class="swatch band"></i>{{ c.area_label }}</li>{% endif %}
</ul>
</figure>
{%- endmacro %}

{%- macro mode_strip(s) -%}
<figure class="chart strip">
<figcaption>Mode per round</figcaption>
<svg viewBox="0 0 {{ s.width }} {{ s.height }}" role="img" aria-label="Mode per round">
{%- for col in s.columns %}
<rect class="cell {{ col.mode }}" x="{{ col.x + 1 }}" y="6" width="{{ [col.width - 2, 1] | max }}"
 height="28" rx="4"><title>{{ col.tip }}</title></rect>
{%- if col.width > 90 %}
<text class="cell-label" x="{{ col.x + col.width / 2 }}" y="20">{{ col.mode }}</text>
{%- endif %}
{%- endfor %}
{%- for sw in s.switches %}
<line class="switch" x1="{{ sw.x }}" x2="{{ sw.x }}" y1="1" y2="39">
<title>{{ sw.tip }}</title></line>
{%- endfor %}
{%- for t in s.x_ticks %}
<text class="xtick" x="{{ t.pos }}" y="{{ s.height - 8 }}">{{ t.label }}</text>
{%- endfor %}
</svg>
<ul class="legend">
<li><i class="swatch cell safe"></i>safe</li>
<li><i class="swatch cell experimental"></i>experimental</li>
<li><i class="swatch switch"></i>mode switch</li>
</ul>
</figure>
{%- endmacro %}

{%- macro graph(g, standalone=false) -%}
<svg {% if standalone %}xmlns="http://www.w3.org/2000/svg" {% endif -%}
 class="graph" viewBox="0 0 {{ g.layout.width }} {{ g.layout.height }}"
 width="{{ g.layout.width }}" height="{{ g.layout.height }}" role="img"
 aria-label="The deliberation graph">
{%- if standalone %}<style>{{ graph_css | safe }}</style>{% endif %}
<defs><marker id="noetic-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"
 markerHeight="7" orient="auto-start-reverse"><path class="arrowhead" d="M0,0 L10,5 L0,10 z"/>
</marker></defs>
{%- for r in g.layout.routes %}
<path class="edge{{ ' cond' if r.dashed }}{{ ' loop' if r.loop }}" d="{{ r.path }}"
 marker-end="url(#noetic-arrow)">
<title>{{ g.stages[r.source].label }} → {{ g.stages[r.target].label }}</title></path>
{%- endfor %}
{%- for id, b in g.layout.boxes.items() %}
{%- set st = g.stages[id] %}
<g class="node {{ st.kind }}">
<rect x="{{ b.x - b.width / 2 }}" y="{{ b.y - 19 }}" width="{{ b.width }}" height="38"
 rx="{{ 19 if st.kind == 'terminal' else 7 }}"/>
{%- if st.note %}
<text x="{{ b.x }}" y="{{ b.y - 7 }}">{{ st.label }}</text>
<text class="note" x="{{ b.x }}" y="{{ b.y + 9 }}">{{ st.note }}</text>
<rect class="share" x="{{ b.x - b.width / 2 + 4 }}" y="{{ b.y + 15 }}"
 width="{{ (b.width - 8) * st.share }}" height="2.5" rx="1"/>
{%- else %}
<text x="{{ b.x }}" y="{{ b.y }}">{{ st.label }}</text>
{%- endif %}
<title>{{ st.label }}{{ ' (model role)' if st.kind == 'role' }}
{{- ': ' ~ st.note if st.note }}</title>
</g>
{%- endfor %}
</svg>
{%- endmacro %}
"""

GRAPH_SVG = """{% from "macros.j2" import graph %}{{ graph(g, standalone=true) }}
"""
