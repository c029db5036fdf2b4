"""What a role is: a name, a prompt template, an output schema and an async call.

A role instance is a LangGraph node: `graph.add_node("critique", Critic())` works, and its call
receives the state and the runtime (whose `context` is a `DeliberationContext`). `sampling` is how
the role samples at the current stage, as the policy says; `ask` does the model call every role
needs: render the prompt, sample with the schema as constraint, validate; `ask_each` does it for
several prompts at once.
"""

from __future__ import annotations

import string
import tomllib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from noetic.models.base import Message, Request, Sampling, Usage, complete_each
from noetic.models.structured import generate_structured, generate_structured_each

if TYPE_CHECKING:
    from langgraph.runtime import Runtime

    from noetic.agents.runtime import DeliberationContext
    from noetic.agents.state import DeliberationState

OutputT = TypeVar("OutputT", bound=BaseModel)


class PromptTemplate(BaseModel):
    """A system and a user message with `$name` placeholders (string.Template syntax, so JSON
    braces in a prompt need no escaping)."""

    model_config = ConfigDict(frozen=True)

    system: str
    user: str

    @classmethod
    def from_file(cls, path: Path) -> PromptTemplate:
        with path.open("rb") as fh:
            return cls.model_validate(tomllib.load(fh))

    @classmethod
    def from_package(cls, package: str, name: str) -> PromptTemplate:
        """`prompts/<name>.toml` beside the given package's modules."""
        with resources.as_file(resources.files(package) / "prompts" / f"{name}.toml") as path:
            return cls.from_file(path)

    def render(self, **values: Any) -> list[Message]:
        """The messages, without a system message where the template has none."""
        system = string.Template(self.system).substitute(values).strip()
        user = Message(role="user", content=string.Template(self.user).substitute(values).strip())
        return [Message(role="system", content=system), user] if system else [user]


class Role(ABC, Generic[OutputT]):
    """Base class of every role, built-in or plugged in."""

    name: ClassVar[str]
    description: ClassVar[str]
    output_schema: type[OutputT]
    prompt: PromptTemplate
    max_tokens: ClassVar[int | None] = None
    """This role's reply length; None takes the policy's `sampling.max_tokens`."""

    def sampling(self, context: DeliberationContext, state: DeliberationState) -> Sampling:
        """How this role samples at the current stage: the mode's policy sampling with this
        role's `max_tokens` and the policy's `[roles.NAME]` table, seeded by run, round and role
        so that a resumed run samples the same."""
        policy = context.policy(state["mode"])
        sampling = policy.role_sampling(self.name, self.max_tokens)
        return sampling.model_copy(update={"seed": context.seed(state["round"], self.name)})

    async def ask(
        self,
        context: DeliberationContext,
        sampling: Sampling,
        *,
        n: int = 1,
        min_valid: int | None = None,
        **values: Any,
    ) -> tuple[list[OutputT], Usage]:
        """Sample `n` validated outputs from this role's model, within its token cap.

        `min_valid` lets a role that samples several go on without a reply bad twice.
        """
        return await generate_structured(
            context.model_for(self.name),
            self.prompt.render(**values),
            self.output_schema,
            self._capped(context, sampling),
            n=n,
            min_valid=min_valid,
        )

    async def ask_each(
        self, context: DeliberationContext, asks: Sequence[tuple[Sampling, dict[str, Any]]]
    ) -> tuple[list[OutputT], Usage]:
        """One validated output per (sampling, prompt values) pair, in order; the prompts
        decode together where the backend can batch them (they share the prompt's prefix)."""
        requests = [
            Request(messages=self.prompt.render(**values), sampling=self._capped(context, sampling))
            for sampling, values in asks
        ]
        return await generate_structured_each(
            context.model_for(self.name), requests, self.output_schema
        )

    async def say_each(
        self, context: DeliberationContext, asks: Sequence[tuple[Sequence[Message], Sampling]]
    ) -> tuple[list[str], Usage]:
        """One plain-text reply per (messages, sampling) pair, in order, stripped; decoded
        together where the backend can batch them."""
        requests = [
            Request(messages=list(messages), sampling=self._capped(context, sampling))
            for messages, sampling in asks
        ]
        completions = await complete_each(context.model_for(self.name), requests)
        texts = [c.texts[0].strip() for c in completions]
        return texts, sum((c.usage for c in completions), Usage())

    def _capped(self, context: DeliberationContext, sampling: Sampling) -> Sampling:
        """`sampling` within this role's token cap (`budget.stage_tokens`)."""
        cap = context.settings.budget.stage_tokens.get(self.name)
        if cap is not None and cap < sampling.max_tokens:
            return sampling.model_copy(update={"max_tokens": cap})
        return sampling

    @abstractmethod
    async def __call__(
        self, state: DeliberationState, runtime: Runtime[DeliberationContext]
    ) -> dict[str, Any]:
        """Read the state, act, and return the state update."""
