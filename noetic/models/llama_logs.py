"""llama.cpp's native log lines go into Noetic's structured logs at debug level.

llama.cpp prints loader chatter and context warnings straight to stderr, some of them at error
level though harmless (an embedding context that asks for mean pooling logs one). They would
break through the progress display, so they become `llama_cpp` debug events instead (see them
with `log_level = "debug"`). Real failures still surface as exceptions, which the backends turn
into one-line errors.
"""

from __future__ import annotations

import ctypes

import llama_cpp
import structlog

log = structlog.get_logger("llama_cpp")


@llama_cpp.llama_log_callback
def _to_structlog(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
    message = text.decode("utf-8", errors="replace").strip()
    if message:
        log.debug("llama_cpp", level=level, message=message)


def quiet_llama_logs() -> None:
    """Install the callback (idempotent; the module keeps the ctypes callback alive)."""
    llama_cpp.llama_log_set(_to_structlog, ctypes.c_void_p(0))
