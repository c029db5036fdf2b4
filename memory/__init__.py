"""The two shared structures every role reads and writes: the vector memory and the accumulator."""

from noetic.memory.accumulator import Accumulator, ConceptWeight, RoundConcepts
from noetic.memory.accumulator_local import ACCUMULATOR_FILE, WeightAccumulator
from noetic.memory.records import MemoryKind, MemoryRecord, MemoryStats, Recalled
from noetic.memory.vector_memory import VectorMemory

__all__ = [
    "ACCUMULATOR_FILE",
    "Accumulator",
    "ConceptWeight",
    "MemoryKind",
    "MemoryRecord",
    "MemoryStats",
    "Recalled",
    "RoundConcepts",
    "VectorMemory",
    "WeightAccumulator",
]
