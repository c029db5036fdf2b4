"""`arithmetic`: the answer's stated calculation is right and its final number is the result.

A 135M model writes "9 x 6 = 56" with confidence and no judgment of its own catches it; an
evaluator does, and its message ("9 * 6 is 54, not 56") is something the next round can use.
Expressions are evaluated on Python's syntax tree with numbers and + - * / only, never `eval`.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable

from noetic.agents.checks.base import Check
from noetic.record import CheckResult

_NUMBER = r"-?\d+(?:\.\d+)?"
_EQUATION = re.compile(
    rf"(?P<expr>\(?\s*{_NUMBER}(?:\s*[-+*/×÷x·]\s*\(?\s*{_NUMBER}\s*\)?)+)\s*=\s*(?=(?P<value>{_NUMBER}))"
)
_OPS: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_SYMBOLS = str.maketrans({"×": "*", "x": "*", "·": "*", "÷": "/", "−": "-", "–": "-"})
TOLERANCE = 1e-6


def evaluate(expression: str) -> float | None:
    """The value of an arithmetic expression; None for anything else (names, calls, powers,
    division by zero)."""
    try:
        tree = ast.parse(expression.translate(_SYMBOLS).strip(), mode="eval")
    except SyntaxError:
        return None

    def value(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return float(node.value)  # type: ignore[arg-type]  # int or float, not bool
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            inner = value(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](value(node.left), value(node.right))
        raise ValueError("not arithmetic")

    try:
        return value(tree.body)
    except (ValueError, ZeroDivisionError):
        return None


def _numbers(text: str) -> list[float]:
    """The numbers in `text`; a minus after a number or a bracket is the operator, not a sign
    ("17-3" holds 17 and 3)."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return [float(n) for n in re.findall(r"(?:(?<![\d)])-)?\d+(?:\.\d+)?", text)]


def _show(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:g}"


class Arithmetic(Check):
    """Three parts: a calculation is shown; every equation in it holds; the last number of the
    answer is the last equation's result. With `use_task_numbers` the calculation must also
    use every number in the task, so "2 + 2 = 4" does not pass for any question."""

    name = "arithmetic"
    description = "The stated calculation is right and the final number is its result."

    use_task_numbers: bool = True

    def run(self, task: str, text: str) -> CheckResult:
        cleaned = re.sub(r"(?<=\d),(?=\d{3})", "", text)
        found = [
            (m.group("expr").strip(), float(m.group("value")), evaluate(m.group("expr")))
            for m in _EQUATION.finditer(cleaned)
        ]
        equations = [(e, stated, true) for e, stated, true in found if true is not None]
        given = sorted({_show(n) for n in _numbers(task)}, key=float)
        if not equations:
            hint = f" using {', '.join(given)}" if given else ""
            return self.result(
                False, 0.0, f"show the calculation{hint} as 'a - b = c', then the final number"
            )
        wrong = [(e, s, t) for e, s, t in equations if abs(s - t) > TOLERANCE]
        problems = [f"{e} is {_show(t)}, not {_show(s)}" for e, s, t in wrong[:2]]
        result = equations[-1][2]
        final = _numbers(cleaned)[-1]
        if abs(final - result) > TOLERANCE:
            problems.append(f"end with the result {_show(result)}")
        used = {_show(n) for e, _, _ in equations for n in _numbers(e)}
        unused = [n for n in given if n not in used] if self.use_task_numbers else []
        if unused:
            problems.append(f"use the task's numbers {', '.join(unused)} in the calculation")
        parts = 3 if self.use_task_numbers else 2
        score = (1 - len(wrong) / len(equations)) + (abs(final - result) <= TOLERANCE)
        score += (1 - len(unused) / max(1, len(given))) if self.use_task_numbers else 0
        if problems:
            return self.result(False, score / parts, "; ".join(problems))
        return self.result(
            True, 1.0, f"the calculation holds: {equations[-1][0]} = {_show(result)}"
        )
