"""Model backends behind one async protocol. The llama.cpp backend is imported lazily
(`noetic.models.llama_cpp`) so unit tests and the CLI's quick commands never load it; the
scripted models for tests are in `noetic.testing`."""

from noetic.models.base import ChatModel, Completion, Embedder, Message, Sampling, Usage

__all__ = [
    "ChatModel",
    "Completion",
    "Embedder",
    "Message",
    "Sampling",
    "Usage",
]
