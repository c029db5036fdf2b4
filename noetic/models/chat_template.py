"""Chat messages to prompt text, exactly as llama-cpp-python's chat handler renders them.

The GGUF's own Jinja template (`tokenizer.chat_template`), with the model's BOS and EOS texts;
a file without one gets the high-level API's fallback, the Llama-2 format. Rendering the same
way keeps prompts, and so samples, comparable with the high-level API's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llama_cpp import llama_chat_format

from noetic.models.base import Message


class ChatTemplate:
    """Renders messages to (prompt text, whether the text already holds its special tokens)."""

    def __init__(self, template: str | None, bos_token: str, eos_token: str) -> None:
        self._format: Any = (
            llama_chat_format.Jinja2ChatFormatter(
                template=template, eos_token=eos_token, bos_token=bos_token
            )
            if template
            else llama_chat_format.format_llama2
        )

    def render(self, messages: Sequence[Message]) -> tuple[str, bool]:
        result = self._format(messages=[{"role": m.role, "content": m.content} for m in messages])
        return result.prompt, result.added_special
