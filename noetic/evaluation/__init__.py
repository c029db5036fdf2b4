"""Evaluation: does the overlay make a model think better, and at what cost?

`noetic eval` runs a shipped suite through configurations side by side (one sample, majority
vote over samples, the full deliberation; on one model or several) and reports accuracy or
open measures with 95% intervals, tokens and seconds.
"""

from noetic.evaluation.configs import ConfigSpec, plan_configs
from noetic.evaluation.grader import Grader
from noetic.evaluation.harness import Evaluation, ModelPool
from noetic.evaluation.output import prepare_folder, rows_json, write_outputs
from noetic.evaluation.records import EvalReport, EvalRow, ItemRecord
from noetic.evaluation.suites import SUITES, SuiteItem, load_suite

__all__ = [
    "SUITES",
    "ConfigSpec",
    "EvalReport",
    "EvalRow",
    "Evaluation",
    "ItemRecord",
    "Grader",
    "ModelPool",
    "SuiteItem",
    "load_suite",
    "plan_configs",
    "prepare_folder",
    "rows_json",
    "write_outputs",
]
