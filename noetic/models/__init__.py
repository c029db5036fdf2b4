"""Model backends behind one async protocol. The llama.cpp backend is imported lazily
(`noetic.models.llama_cpp`) so unit tests and the CLI's quick commands never load it."""

from noetic.models.base import ChatModel, Completion, Embedder, Message, Sampling, Usage
from noetic.models.scripted import ScriptedModel, ScriptedRequest

__all__ = [
    "ChatModel",
    "Completion",
    "Embedder",
    "Message",
    "Sampling",
    "ScriptedModel",
    "ScriptedRequest",
    "Usage",
]
