"""The two shared structures every role reads and writes: the vector memory and the accumulator."""

from noetic.memory.accumulator import (
    ACCUMULATOR_FILE,
    ConceptWeight,
    RoundConcepts,
    WeightAccumulator,
)
from noetic.memory.records import MemoryKind, MemoryRecord, MemoryStats, Recalled
from noetic.memory.vector_memory import VectorMemory

__all__ = [
    "ACCUMULATOR_FILE",
    "ConceptWeight",
    "MemoryKind",
    "MemoryRecord",
    "MemoryStats",
    "Recalled",
    "RoundConcepts",
    "VectorMemory",
    "WeightAccumulator",
]
