"""Valid filler for any output schema: a model that runs every role without a script.

A plugin author's first question is whether a role runs in a graph at all: that needs replies
that validate against the role's schema, whatever the schema, with nothing written per role.
`filler` builds the smallest valid instance of a JSON schema (required properties, lists of
their minimum length, the first enum value, numbers at their lower bound, strings of readable
words within their length bounds); `FillerModel` answers every request with it.
"""

from __future__ import annotations

import json
import math
from typing import Any

from noetic.testing.scripted import ScriptedModel, ScriptedRequest

LOREM = "lorem ipsum dolor sit amet consectetur adipiscing elit"
FORMATS = {
    "date-time": "2000-01-01T00:00:00Z",
    "date": "2000-01-01",
    "time": "00:00:00",
    "email": "filler@example.com",
    "uri": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
}
"""Values for the string formats pydantic validates (datetime, EmailStr, AnyUrl, UUID...)."""


def filler(schema: dict[str, Any], reply: int = 1) -> Any:
    """The smallest valid instance of JSON schema `schema` (a pydantic model's
    `model_json_schema()`, refs and all). Strings say which reply and property they fill
    (`"Reply 2, text: lorem ipsum ..."`), so replies differ and a reader sees where each came from.

    A string `pattern` cannot be filled generically: that is a `ValueError` saying to script
    the role instead.
    """
    return _fill(schema, schema.get("$defs", {}), f"Reply {reply}")


def filler_reply(request: ScriptedRequest, reply: int) -> str:
    """The reply text for a scripted request: JSON filler for its schema, else a sentence."""
    if request.json_schema is None:
        return _text({}, f"Reply {reply}")
    return json.dumps(filler(request.json_schema, reply))


class FillerModel(ScriptedModel):
    """Answers every schema with `filler` and scores every text alike (`flat_scores`): any
    role, built in or plugged in, runs on it. `requests` keeps what each role asked."""

    def __init__(self, name: str = "filler") -> None:
        super().__init__(self._reply, name=name)

    def _reply(self, request: ScriptedRequest) -> str:
        return filler_reply(request, len(self.requests))


def _fill(node: dict[str, Any], defs: dict[str, Any], label: str) -> Any:
    ref = node.get("$ref")
    if isinstance(ref, str):
        return _fill(defs[ref.rsplit("/", 1)[-1]], defs, label)
    if "const" in node:
        return node["const"]
    if "enum" in node:
        return node["enum"][0]
    for union in ("anyOf", "oneOf"):
        if union in node:
            return _fill(node[union][0], defs, label)
    kind = node.get("type", "object" if "properties" in node else None)
    if isinstance(kind, list):
        kind = kind[0]
    if kind == "object":
        properties = node.get("properties", {})
        return {
            key: _fill(properties.get(key, {}), defs, f"{label}, {key}")
            for key in node.get("required", [])
        }
    if kind == "array":
        prefix = node.get("prefixItems", [])
        items = node.get("items", {})
        count = max(node.get("minItems", 0), len(prefix))
        return [
            _fill(prefix[i] if i < len(prefix) else items, defs, f"{label} {i + 1}")
            for i in range(count)
        ]
    if kind == "string":
        return _text(node, label)
    if kind in ("integer", "number"):
        return _number(node, integer=kind == "integer")
    if kind == "boolean":
        return False
    return None  # "null", or no constraint at all


def _text(node: dict[str, Any], label: str) -> str:
    """Words, not one repeated letter: the degeneracy signal and the concept extractor read
    filler like prose. Cut at `maxLength`, never ending in a space (stripping would shorten it)."""
    if "pattern" in node:
        raise ValueError(
            f"cannot fill {label!r}: no generic value matches pattern {node['pattern']!r}; "
            "answer this role with a ScriptedModel script instead"
        )
    if node.get("format") in FORMATS:
        return FORMATS[node["format"]]
    low, high = node.get("minLength", 0), node.get("maxLength")
    text = f"{label}: {LOREM}"
    while len(text) + 1 < low:
        text += f" {LOREM}"
    text = f"{text}."[:high]
    return text[:-1] + "." if text.endswith(" ") else text


def _number(node: dict[str, Any], *, integer: bool) -> int | float:
    """The lower bound (just inside an exclusive one), else 0 or below the upper bound."""
    minimum, maximum = node.get("minimum"), node.get("maximum")
    above, below = node.get("exclusiveMinimum"), node.get("exclusiveMaximum")
    if integer:  # an exclusive integer bound is an inclusive one a step inside
        minimum = _tighter(minimum, None if above is None else math.floor(above) + 1, max)
        maximum = _tighter(maximum, None if below is None else math.ceil(below) - 1, min)
        above = below = None
    value: float
    if above is not None and (minimum is None or above >= minimum):
        ceiling = _tighter(maximum, below, min)
        value = above + 1 if ceiling is None or above + 1 < ceiling else (above + ceiling) / 2
    elif minimum is not None:
        value = minimum
    else:
        ceiling = _tighter(maximum, None if below is None else below - 1, min)
        value = 0 if ceiling is None else min(0, ceiling)
    if "multipleOf" in node:
        value = math.ceil(value / node["multipleOf"]) * node["multipleOf"]
    return int(value) if integer else value


def _tighter(bound: float | None, other: float | None, pick: Any) -> float | None:
    return other if bound is None else bound if other is None else pick(bound, other)
