"""The run's record (`noetic.record`): candidate ids, and the record as the run store keeps it,
including runs stored before the record moved out of `noetic.agents.schemas`."""

from __future__ import annotations

from typing import Any, get_args, get_type_hints

import ormsgpack
from langgraph.checkpoint.serde.jsonplus import EXT_PYDANTIC_V2
from pydantic import BaseModel

from noetic.agents.state import DeliberationState
from noetic.models.base import Usage
from noetic.record import Candidate, CheckResult, Critique, HumanDecision, Lesson, RoundRecord
from noetic.stores.checkpoints import STATE_TYPES, serializer


def a_round() -> RoundRecord:
    candidate = Candidate.proposed(2, 1, "A thought about the task.", ["thought"])
    judged = candidate.model_copy(
        update={
            "critique": Critique(rationale="fine"),
            "checks": [CheckResult(name="form", passed=True, score=1.0, message="ok")],
        }
    )
    return RoundRecord(
        round=2, mode="safe", focus="f", candidates=[judged], selected=0, human=HumanDecision()
    )


def test_a_proposed_candidate_is_named_by_round_and_index() -> None:
    candidate = Candidate.proposed(2, 1, "text", ["c"])
    assert (candidate.id, candidate.round, candidate.concepts) == ("r2c1", 2, ["c"])


def test_the_record_round_trips_through_the_run_store() -> None:
    serde = serializer()
    verdict = CheckResult(
        name="words", passed=False, score=0.5, message="m", source="at most 5 words"
    )
    lesson = Lesson(text="Failed: words. Fixed by a shorter answer.", task_kind="words", run_id="a")
    state = {
        "history": [a_round()],
        "usage": Usage(prompt_tokens=3),
        "answer_checks": [verdict],
        "lessons": [lesson],
    }
    assert serde.loads_typed(serde.dumps_typed(state)) == state


def _models(annotation: Any, seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    """The pydantic models an annotation holds, and those their fields hold."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in seen:
            seen.add(annotation)
            for field in annotation.model_fields.values():
                _models(field.annotation, seen)
    for arg in get_args(annotation):
        _models(arg, seen)
    return seen


def test_every_model_the_state_holds_is_allowed_back_out_of_the_run_store() -> None:
    """LangGraph refuses to read back a stored type it was not told of (it logs "Blocked
    deserialization" and the value is lost on resume): the lessons were, once."""
    held: set[type[BaseModel]] = set()
    for hint in get_type_hints(DeliberationState, include_extras=True).values():
        _models(hint, held)
    assert Lesson in held
    assert held <= set(STATE_TYPES), held - set(STATE_TYPES)


def test_a_run_stored_before_the_record_moved_reads_back_as_the_record() -> None:
    fields = a_round().model_dump()
    stored = ("noetic.agents.schemas", "RoundRecord", fields, "model_validate_json")
    blob = ormsgpack.packb([ormsgpack.Ext(EXT_PYDANTIC_V2, ormsgpack.packb(stored))])
    assert serializer().loads_typed(("msgpack", blob)) == [a_round()]
