"""Seed the shared vector memory with background notes, then deliberate and show the recall.

Every run recalls from the memory under `NOETIC_HOME` before it diverges. A memory is filed under
the task it served, and recall brings back only memories filed under the same subject whose
embedding relevance clears `memory.min_relevance` (another task's answer, copied by a small
model, is what memory used to do harm with). So these notes are filed under the question they
were gathered for; the record keeps their provenance (run id, round, kind), a refinement prompt
only their text.

    NOETIC_HOME=/tmp/noetic-demo NOETIC_ROUNDS=1 python examples/memory_seeded_run.py
"""

from __future__ import annotations

import asyncio

from noetic import adeliberate, load_settings
from noetic.memory import MemoryRecord
from noetic.models.factory import load_embedder
from noetic.stores.shared import open_stores

TASK = "How could a city listen to its citizens?"
NOTES = (
    "Bats map their surroundings by echoes: for them, hearing is seeing.",
    "Ancient assemblies met in theatres built so one voice reached every seat.",
    "Whale songs change across an ocean like a fashion spreading between groups.",
)


def seed_records() -> list[MemoryRecord]:
    """The notes as memories of one pseudo-run, `seed`, so they can be told apart (and forgotten
    with `noetic memory forget --run seed`)."""
    return [
        MemoryRecord(
            run_id="seed",
            task=TASK,
            round=0,
            role="librarian",
            mode="safe",
            kind="thought",
            text=note,
            index=index,
        )
        for index, note in enumerate(NOTES)
    ]


async def main() -> None:
    settings = load_settings()
    embedder = load_embedder(settings)  # loaded once, shared by the seeding and the run
    with open_stores(settings, embedder) as stores:
        if stores.memory is None:
            raise SystemExit("memory is disabled: set memory.enabled = true")
        await stores.memory.add(seed_records())
        print(f"seeded {len(NOTES)} notes; memory now holds {stores.memory.count()} memories")

    result = await adeliberate(TASK, settings=settings, embedder=embedder)
    for record in result.rounds:
        for recalled in record.recalled:
            print(f"round {record.round} recalled [{recalled.run_id}] {recalled.text}")
    print("answer:", result.answer)


if __name__ == "__main__":
    asyncio.run(main())
