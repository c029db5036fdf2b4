"""The run's record (`noetic.record`): candidate ids, and the record as the run store keeps it,
including runs stored before the record moved out of `noetic.agents.schemas`."""

from __future__ import annotations

import ormsgpack
from langgraph.checkpoint.serde.jsonplus import EXT_PYDANTIC_V2

from noetic.models.base import Usage
from noetic.record import Candidate, CheckResult, Critique, HumanDecision, RoundRecord
from noetic.stores.checkpoints import serializer


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
    state = {"history": [a_round()], "usage": Usage(prompt_tokens=3), "answer_checks": [verdict]}
    assert serde.loads_typed(serde.dumps_typed(state)) == state


def test_a_run_stored_before_the_record_moved_reads_back_as_the_record() -> None:
    fields = a_round().model_dump()
    stored = ("noetic.agents.schemas", "RoundRecord", fields, "model_validate_json")
    blob = ormsgpack.packb([ormsgpack.Ext(EXT_PYDANTIC_V2, ormsgpack.packb(stored))])
    assert serializer().loads_typed(("msgpack", blob)) == [a_round()]
