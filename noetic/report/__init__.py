"""Seeing a run: a terminal tree (`tree`), a self-contained HTML report (`html`), and drawings of
the graph (`graph`). Import the module you need: the graph drawings load LangGraph, which
`noetic show` has no use for."""
