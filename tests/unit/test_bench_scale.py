"""The scale benchmark's reading of llama-server's `/metrics` and its prediction from the engine
curve (the figures themselves come from `python -m bench`)."""

from __future__ import annotations

import pytest
from checkout_scripts import load_script

bench_scale = load_script("bench", "bench_scale")
parse_metrics, predicted_ratio = bench_scale.parse_metrics, bench_scale.predicted_ratio

METRICS = """# HELP llamacpp:n_decode_total Total number of llama_decode() calls
# TYPE llamacpp:n_decode_total counter
llamacpp:n_decode_total 1200
llamacpp:n_busy_slots_per_decode 2.5
llamacpp:spec_decode_num_accepted_tokens_per_pos_total{position="0"} 3
"""


def test_metrics_are_read_by_name_without_labelled_series() -> None:
    assert parse_metrics(METRICS) == {"n_decode_total": 1200.0, "n_busy_slots_per_decode": 2.5}


CURVE = {1: 50.0, 2: 70.0, 4: 100.0, 8: 100.0}


@pytest.mark.parametrize(
    ("slow", "fast", "ratio"),
    [
        (1.0, 8.0, 2.0),  # the engine's ceiling: 8 at once over 1
        (2.0, 6.0, 1.43),  # between points: 100 / 70
        (3.0, 4.0, 1.18),  # 3 slots read halfway from 70 to 100: 85
        (0.5, 12.0, 2.0),  # outside the curve: its ends
    ],
)
def test_the_prediction_reads_the_curve_at_both_widths(
    slow: float, fast: float, ratio: float
) -> None:
    assert predicted_ratio(CURVE, slow, fast) == ratio
