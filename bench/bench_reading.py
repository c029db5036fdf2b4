"""Checks read from tasks: precision and recall per check on the `instructions` suite, dev (the
readers were tuned on it) beside test (held out). No model; a second."""

from __future__ import annotations

import argparse

from noetic.evaluation.reading import reading_rows
from noetic.evaluation.suites import load_suite


def main(argv: list[str]) -> None:
    argparse.ArgumentParser(prog="bench_reading").parse_known_args(argv)
    halves = {
        split: reading_rows(load_suite("instructions", split=split)) for split in ("dev", "test")
    }
    print(
        "checks read from tasks (instructions suite): precision / recall, right of read / annotated"
    )
    print(f"{'check':<16}{'dev':>26}{'test':>26}")
    families = [row.family for row in halves["test"]]
    families += [f.family for f in halves["dev"] if f.family not in families]
    for family in sorted(families, key=lambda f: (f == "all", f)):
        cells = []
        for split in ("dev", "test"):
            row = next((r for r in halves[split] if r.family == family), None)
            cells.append(
                f"{row.precision:.2f} / {row.recall:.2f} ({row.right}/{row.read}/{row.annotated})"
                if row
                else "—"
            )
        print(f"{family:<16}{cells[0]:>26}{cells[1]:>26}")
