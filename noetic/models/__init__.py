"""Model backends behind one async protocol. The llama.cpp backend is imported lazily
(`noetic.models.llama_cpp`) so unit tests and the CLI's quick commands never load it; the
scripted models for tests are in `noetic.testing`.

llama.cpp's OpenMP threads spin between calls by default, and two llama.cpp users on one host
(a run beside another run, or beside a local llama-server) then slow each other, up to a
hundredfold (`python -m bench`, `scale.omp`: beside a busy process with spinning threads, one
32-token generation took from 1.2 s to 55.8 s instead of 0.5 s, as the host scheduled them).
Every backend module is imported through this package, so the cooperative setting is made the
default here, before OpenMP starts; a value the user set is kept.
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from noetic.models.base import ChatModel, Completion, Embedder, Message, Sampling, Usage

__all__ = [
    "ChatModel",
    "Completion",
    "Embedder",
    "Message",
    "Sampling",
    "Usage",
]
