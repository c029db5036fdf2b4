"""The report page: one HTML document with its stylesheet inline and no scripts.

A Content-Security-Policy forbids scripts and every network fetch, so even text that slipped past
escaping could neither run nor call out; the page is plain HTML, CSS and inline SVG.
"""

PAGE_CSS = """
:root {
  --ink: #1f2333; --muted: #5b6178; --line: #e3e6ef; --bg: #f5f6fa; --card: #fff;
  --accent: #6c5ce7; --safe: #2f80ed; --safe-bg: #e3efff; --exp: #e08a00; --exp-bg: #fff1d6;
  --good: #1a9c5b; --good-bg: #e6f6ee; --bad: #c63d3d; --bad-bg: #fdecec;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 24px 64px; }
h1 { font-size: 26px; line-height: 1.25; margin: 4px 0 14px; font-weight: 650; }
h2 { font-size: 18px; margin: 34px 0 12px; font-weight: 650; }
h3 { font-size: 16px; margin: 0; font-weight: 650; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 13px; }
.eyebrow { color: var(--muted); font-size: 13px; letter-spacing: .04em; text-transform: uppercase; }
.eyebrow .mono { text-transform: none; letter-spacing: 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px;
  padding: 18px 20px; box-shadow: 0 1px 2px rgba(20, 24, 40, .04); }
.meta { display: flex; flex-wrap: wrap; gap: 8px; margin: 0; padding: 0; list-style: none; }
.meta li { background: var(--card); border: 1px solid var(--line); border-radius: 999px;
  padding: 3px 12px; font-size: 13px; color: var(--muted); }
.meta b { color: var(--ink); font-weight: 600; }
.banner { margin-top: 14px; padding: 10px 14px; border-radius: 10px; background: var(--exp-bg);
  border: 1px solid #f3d28b; }
.answer { margin-top: 22px; border-left: 4px solid var(--accent); }
.answer .text { font-size: 16.5px; white-space: pre-wrap; margin: 6px 0 12px; }
.sources { display: flex; flex-wrap: wrap; gap: 8px; font-size: 13px; color: var(--muted); }
.sources a { color: var(--accent); text-decoration: none; border: 1px solid var(--line);
  border-radius: 6px; padding: 1px 8px; }
.charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
.chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 12px;
  padding: 12px 14px 8px; }
.chart.strip { grid-column: 1 / -1; }
.chart figcaption { font-weight: 600; font-size: 14px; margin-bottom: 4px; }
.chart svg { width: 100%; height: auto; display: block;
  font: 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.chart .col.safe { fill: var(--safe); opacity: .06; }
.chart .col.experimental { fill: var(--exp); opacity: .10; }
.chart .grid { stroke: var(--line); stroke-width: 1; }
.chart .ytick { fill: var(--muted); text-anchor: end; dominant-baseline: middle; }
.chart .xtick { fill: var(--muted); text-anchor: middle; }
.chart .series { fill: none; stroke-width: 2.2; stroke-linejoin: round; stroke-linecap: round; }
.chart .series.dashed { stroke-dasharray: 6 5; stroke-width: 1.8; }
.chart .ring { fill: none; stroke-width: 2; }
.chart .band { fill: var(--exp); opacity: .18; }
.chart .empty { fill: var(--muted); text-anchor: middle; font-size: 13px; }
.chart .cell.safe { fill: var(--safe); opacity: .75; }
.chart .cell.experimental { fill: var(--exp); opacity: .8; }
.chart .cell-label { fill: #fff; font-weight: 600; text-anchor: middle;
  dominant-baseline: central; }
.chart .switch { stroke: var(--ink); stroke-width: 2; stroke-dasharray: 3 3; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; list-style: none; margin: 4px 0 0;
  padding: 0; font-size: 12px; color: var(--muted); }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 18px; height: 0; border-top: 3px solid; }
.swatch.dashed { border-top-style: dashed; }
.swatch.rings { width: 10px; height: 10px; border: 2px solid; border-radius: 50%; }
.swatch.band { height: 10px; border: 0; background: var(--exp); opacity: .3; }
.swatch.cell { width: 12px; height: 12px; border: 0; border-radius: 3px; }
.swatch.cell.safe { background: var(--safe); }
.swatch.cell.experimental { background: var(--exp); }
.swatch.node { width: 14px; height: 12px; border: 1.2px solid; border-radius: 3px; }
.swatch.node.role { background: #ece8ff; border-color: #7c6cf0; }
.swatch.node.logic { background: #eef3f8; border-color: #8aa0b8; }
.swatch.edge { border-color: #8a8fa3; }
.swatch.switch { width: 0; height: 12px; border: 0; border-left: 2px dashed var(--ink); }
.process { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 16px;
  align-items: start; }
.process .card.graph-card { padding: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase;
  letter-spacing: .03em; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.bar { height: 6px; border-radius: 3px; background: var(--accent); opacity: .7; min-width: 1px; }
.side h3 { margin: 18px 0 6px; }
.side h3:first-child { margin-top: 0; }
.mode { display: inline-block; border-radius: 999px; padding: 1px 10px; font-size: 12.5px;
  font-weight: 600; }
.mode.safe { background: var(--safe-bg); color: #1c5fb8; }
.mode.experimental { background: var(--exp-bg); color: #9a5d00; }
.round { margin-top: 18px; }
.round > header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 10px; }
.round .focus { color: var(--muted); }
.reflection { margin: 12px 0 4px; padding: 8px 12px; background: #f4f2ff; border-radius: 8px;
  font-size: 14px; }
.decision { font-weight: 650; text-transform: uppercase; font-size: 12px; letter-spacing: .05em; }
.decision.stop { color: var(--good); } .decision.refocus { color: var(--exp); }
.decision.continue { color: var(--accent); }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0; }
.chip { background: #eef0f6; border-radius: 6px; padding: 1px 8px; font-size: 12.5px;
  color: #3b4157; }
.chip.flag { background: var(--bad-bg); color: var(--bad); }
.chip.anchor { background: #f4f2ff; color: #4b3fc0; }
.human { margin: 8px 0; padding: 8px 12px; border-radius: 8px; background: var(--good-bg);
  font-size: 14px; }
.cands { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px;
  margin-top: 12px; }
.cand { border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px;
  background: #fcfcfe; }
.cand.selected { border: 2px solid var(--good); background: #fbfefc; }
.cand.filtered { background: #fafafa; }
.cand.filtered .text { color: var(--muted); }
.cand-head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.cand-head .overall { margin-left: auto; font-weight: 700; font-size: 18px;
  font-variant-numeric: tabular-nums; }
.badge { border-radius: 6px; padding: 1px 8px; font-size: 12px; font-weight: 600; }
.badge.selected { background: var(--good-bg); color: var(--good); }
.badge.filtered { background: var(--bad-bg); color: var(--bad); }
.cand .text { white-space: pre-wrap; margin: 8px 0; overflow-wrap: anywhere; }
.scores { display: grid; grid-template-columns: 80px 1fr 36px; gap: 3px 8px; align-items: center;
  font-size: 12px; color: var(--muted); }
.scores .track { height: 6px; background: #eceef5; border-radius: 3px; overflow: hidden; }
.scores .fill { height: 100%; border-radius: 3px; }
.fill.overall { background: var(--accent); } .fill.relevance { background: #2f80ed; }
.fill.coherence { background: #0f9d8a; } .fill.novelty { background: #e08a00; }
.fill.resonance { background: #d14d8b; }
.scores .v { text-align: right; font-variant-numeric: tabular-nums; color: var(--ink); }
.critique { margin-top: 10px; font-size: 13.5px; color: #3b4157; border-top: 1px dashed var(--line);
  padding-top: 8px; overflow-wrap: anywhere; }
details { margin-top: 12px; font-size: 14px; }
summary { cursor: pointer; color: var(--muted); }
details li { margin: 4px 0; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
footer { margin-top: 40px; color: var(--muted); font-size: 12.5px; }
@media (max-width: 820px) { .charts, .process { grid-template-columns: 1fr; } }
"""

PAGE = """{% from "macros.j2" import line_chart, mode_strip, graph -%}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Noetic · {{ r.run_id }}</title>
<style>{{ page_css | safe }}{{ graph_css | safe }}</style>
</head>
<body>
<main>
<div class="eyebrow">Noetic deliberation · run <span class="mono">{{ r.run_id }}</span></div>
<h1>{{ r.task }}</h1>
<ul class="meta">
<li>stop <b>{{ r.stop_reason }}</b></li>
<li><b>{{ r.rounds | length }}</b> {{ r.rounds | length | noun('round') }}</li>
<li><b>{{ candidates }}</b> candidates, <b>{{ filtered }}</b> filtered</li>
{%- set n = r.mode_switches | length %}
<li><b>{{ n }}</b> {{ n | noun('mode switch', 'mode switches') }}</li>
<li><b>{{ "{:,}".format(r.usage.total_tokens) }}</b> tokens</li>
{%- if 'total' in r.timings %}<li><b>{{ "%.1f" | format(r.timings['total']) }}</b> s</li>{% endif %}
<li>model <b>{{ r.model or 'unknown' }}</b></li>
<li>noetic <b>{{ r.version or 'unknown' }}</b></li>
</ul>
{%- if not finished %}
<div class="banner">This run has not finished ({{ r.stop_reason }}): it shows the
{{ r.rounds | length }} {{ r.rounds | length | noun('round') }} completed so far.
Continue it with <code>noetic resume {{ r.run_id }}</code>.</div>
{%- endif %}

<section class="card answer">
<div class="eyebrow">Answer</div>
{%- if r.answer %}
<p class="text">{{ r.answer }}</p>
{%- if r.answer_from and r.answer_from != "synthesis" %}
<p class="muted">The best thought, {{ r.answer_from }}: no synthesis scored higher.</p>
{%- endif %}
{%- else %}
<p class="text muted">No answer yet.</p>
{%- endif %}
{%- if r.sources %}
<div class="sources">drawn from
{%- for s in r.sources %}
<a href="#cand-{{ s.id }}">{{ s.id }} · round {{ s.round }} · {{ "%.2f" | format(s.score) }}</a>
{%- endfor %}
</div>
{%- endif %}
</section>

<h2>Over the rounds</h2>
<div class="charts">
{%- for c in charts %}
{{ line_chart(c) }}
{%- endfor %}
{{ mode_strip(strip) }}
</div>

<h2>The process</h2>
<div class="process">
<div class="card graph-card">
{%- if g %}{{ graph(g) }}
<ul class="legend">
<li><i class="swatch node role"></i>model role</li>
<li><i class="swatch node logic"></i>logic</li>
<li><i class="swatch dashed edge"></i>conditional</li>
</ul>
{%- else %}<p>This run's graph was built in Python, so it was not stored and is not drawn.</p>
{%- endif %}
</div>
<div class="card side">
<h3>Time per stage</h3>
{%- if stages %}
<table>
<tr><th>stage</th><th class="num">seconds</th><th>share</th></tr>
{%- for name, seconds, share in stages %}
<tr><td>{{ name }}</td><td class="num">{{ "%.2f" | format(seconds) }}</td>
<td><div class="bar" style="width: {{ "%.1f" | format(share * 100) }}%"></div></td></tr>
{%- endfor %}
</table>
{%- else %}
<p class="muted">No timings recorded.</p>
{%- endif %}
<h3>Mode switches</h3>
{%- if r.mode_switches %}
<table>
<tr><th>after</th><th>from → to</th><th>why</th></tr>
{%- for m in r.mode_switches %}
<tr><td>round {{ m.after_round }}</td>
<td><span class="mode {{ m.from_mode }}">{{ m.from_mode }}</span> →
<span class="mode {{ m.to_mode }}">{{ m.to_mode }}</span></td><td>{{ m.reason }}</td></tr>
{%- endfor %}
</table>
{%- else %}
<p class="muted">The mode never changed.</p>
{%- endif %}
<h3>Tokens</h3>
<table>
<tr><td>prompt</td><td class="num">{{ "{:,}".format(r.usage.prompt_tokens) }}</td></tr>
<tr><td>completion</td><td class="num">{{ "{:,}".format(r.usage.completion_tokens) }}</td></tr>
<tr><td>total</td><td class="num">{{ "{:,}".format(r.usage.total_tokens) }}</td></tr>
</table>
</div>
</div>

<h2>Rounds</h2>
{%- for rnd in r.rounds %}
<article class="card round" id="round-{{ rnd.round }}">
<header>
<h3>Round {{ rnd.round }}</h3>
<span class="mode {{ rnd.mode }}">{{ rnd.mode }}</span>
<span class="focus">Focus: {{ rnd.focus }}</span>
</header>
{%- if rnd.reflection %}
<div class="reflection"><span class="decision {{ rnd.reflection.decision }}">
{{- rnd.reflection.decision }}</span> — {{ rnd.reflection.reason }}
<span class="muted">· next focus:</span> {{ rnd.reflection.next_focus }}</div>
{%- endif %}
{%- if rnd.anchors %}
<div class="chips"><span class="muted">Anchors:</span>
{%- for a in rnd.anchors %} <span class="chip anchor">{{ a }}</span>{% endfor %}</div>
{%- endif %}
{%- if rnd.human %}
<div class="human"><b>Human decision:</b>
{%- if rnd.human.pick is not none %} picked #{{ rnd.human.pick }};{% endif %}
{%- if rnd.human.veto %} vetoed {{ rnd.human.veto | join(', ') }};{% endif %}
{%- if rnd.human.note %} note: “{{ rnd.human.note }}”{% endif %}</div>
{%- endif %}
<div class="cands">
{%- for c in rnd.candidates %}
{%- set chosen = loop.index0 == rnd.selected %}
<div class="cand{{ ' selected' if chosen }}{{ ' filtered' if c.filtered }}" id="cand-{{ c.id }}">
<div class="cand-head">
<code>{{ c.id }}</code>
{%- if c.strategy %}<span class="muted">{{ c.strategy }}</span>{% endif %}
{%- if chosen %}<span class="badge selected">✓ selected</span>{% endif %}
{%- if c.filtered %}<span class="badge filtered">filtered</span>{% endif %}
{%- if 'overall' in c.scores %}
<span class="overall">{{ "%.2f" | format(c.scores['overall']) }}</span>
{%- endif %}
</div>
<p class="text">{{ c.text }}</p>
<div class="chips">{% for k in c.concepts %}<span class="chip">{{ k }}</span>{% endfor %}</div>
<div class="scores">
{%- for dim in dimensions if dim in c.scores %}
<span>{{ dim }}</span>
<div class="track"><div class="fill {{ dim }}"
 style="width: {{ "%.1f" | format([[c.scores[dim], 0] | max, 1] | min * 100) }}%"></div></div>
<span class="v">{{ "%.2f" | format(c.scores[dim]) }}</span>
{%- endfor %}
</div>
{%- if c.critique or c.filtered %}
<div class="critique">
{%- if c.filtered %}<div><b>Filtered:</b> {{ c.filtered }}</div>{% endif %}
{%- if c.critique %}
<div><b>Critic:</b> {{ c.critique.rationale }}</div>
{%- if c.critique.risk_flags %}
<div class="chips">
{%- for f in c.critique.risk_flags %}<span class="chip flag">⚠ {{ f }}</span>{% endfor -%}
</div>
{%- endif %}
{%- endif %}
</div>
{%- endif %}
</div>
{%- endfor %}
</div>
{%- if rnd.recalled %}
{%- set n = rnd.recalled | length %}
<details><summary>{{ n }} recalled {{ n | noun('memory', 'memories') }}</summary>
<ul>
{%- for m in rnd.recalled %}
<li><span class="muted">{{ m.kind }} from run {{ m.run_id }}, round {{ m.round }}
({{ "%.2f" | format(m.score) }}):</span> {{ m.text }}</li>
{%- endfor %}
</ul>
</details>
{%- endif %}
{%- if rnd.lessons %}
{%- set n = rnd.lessons | length %}
<details><summary>{{ n }} {{ n | noun('lesson', 'lessons') }} from earlier tasks of this kind
</summary>
<ul>
{%- for m in rnd.lessons %}
<li><span class="muted">{{ m.task_kind }}, from run {{ m.run_id }}, round {{ m.round }}:</span>
{{ m.text }}</li>
{%- endfor %}
</ul>
</details>
{%- endif %}
</article>
{%- endfor %}
<footer>Generated by noetic {{ version }} from run {{ r.run_id }}. Self-contained: no scripts,
no network.</footer>
</main>
</body>
</html>
"""
