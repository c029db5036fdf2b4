"""llama.cpp's own log lines (context warnings, loader chatter) reach users through
llama-cpp-python's `llama-cpp-python` logger; keep only its errors, so stderr carries Noetic's
structured logs and progress display rather than native noise."""

from __future__ import annotations

import logging

import llama_cpp._logger as llama_logger


def quiet_llama_logs() -> None:
    llama_logger.logger.setLevel(logging.ERROR)
