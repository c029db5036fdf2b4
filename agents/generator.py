"""The associative generator: N candidate answers in plain text; the critic reads their concepts.

Round 1 asks the model the task exactly as the user wrote it, as one plain answer would (the
prompt `single` uses, with the mode's sampling; the first candidate greedy): so a round always
holds what the plain model says, and the judge can only pick something as good or better. When
memory recalled work this task continues (another task naming the same place, character or
product of the user's own), the task comes after notes of that work (its tasks and chosen
answers): its facts are the user's. Other recalled answers on the subject reach only the
refinement prompt, where the draft anchors the answer to this task.
From round 2 on, half the candidates refine the best answer so far from the judge's concrete
fixes (failed checks, the parts it leaves out, "only restates the task"); the rest sample the
task afresh. Plain text, because a 135M model asked for JSON behind a long prompt writes about
the answer instead of the answer; its concepts are the keyphrases the overlay extracts, which the
critic reads while the model scores the candidates.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from noetic.agents.base import PromptTemplate, Role
from noetic.agents.checks import task_kind
from noetic.agents.history import best_so_far, recollections, to_fix
from noetic.agents.schemas import Thought
from noetic.agents.signals.substance import continues
from noetic.agents.signals.task_parts import answer_tokens
from noetic.models.base import Message, Sampling
from noetic.policies.strategies import GREEDY, REFINE, draw
from noetic.record import Candidate

if TYPE_CHECKING:
    from langgraph.runtime import Runtime

    from noetic.agents.runtime import DeliberationContext
    from noetic.agents.state import DeliberationState


class AssociativeGenerator(Role[Thought]):
    """Plain-text candidates: the task as written in round 1, then refinements beside fresh
    samples. `output_schema` stays `Thought` for roles that subclass it and ask in JSON."""

    name = "generator"
    description = "Proposes N candidate answers in plain text."
    output_schema = Thought
    prompt = PromptTemplate.from_package(__package__, "generator")
    with_notes = PromptTemplate.from_package(__package__, "generator_notes")
    guided = PromptTemplate.from_package(__package__, "generator_guided")

    async def __call__(
        self, state: DeliberationState, runtime: Runtime[DeliberationContext]
    ) -> dict[str, Any]:
        context = runtime.context
        round_ = state["round"]
        task = state["task"]
        policy = context.policy(state["mode"])
        n = policy.candidates(context.settings.candidates)
        sampling = self.sampling(context, state)
        sampling = sampling.model_copy(
            update={"max_tokens": answer_tokens(task, sampling.max_tokens)}
        )
        earlier = [r for r in state.get("recalled", []) if continues(task, r.task)]
        plain = (
            self.with_notes.render(task=task, notes=recollections(earlier))
            if earlier
            else [Message(role="user", content=task)]
        )
        best = best_so_far(state.get("history", []))
        refine = n // 2 if best is not None else 0
        asks: list[tuple[list[Message], Sampling]] = []
        drawn: list[str] = []
        if refine:
            messages = self.prompt.render(
                task=task,
                previous=best.text if best else "",
                fix=self._fixes(state, best),
            )
            asks += [(messages, self._seeded(sampling, i)) for i in range(refine)]
            drawn += [REFINE] * refine
        greedy = 1 if round_ == 1 else 0
        if greedy:
            asks.append((plain, self._seeded(sampling.model_copy(update={"temperature": 0.0}), 0)))
            drawn.append(GREEDY)
        # One strategy needs no tallies to draw it.
        learns = context.accumulator is not None and len(policy.strategies) > 1
        tallies = (
            context.accumulator.strategies().get(task_kind(context.checks), [])
            if learns and context.accumulator is not None
            else []
        )
        rng = random.Random(f"{sampling.seed}:{state['run_id']}:{round_}")
        for i, name in enumerate(
            draw(policy.strategies, tallies, n - refine - greedy, rng), start=refine + greedy
        ):
            strategy = policy.strategies[name]
            prompt = self._guided(plain, context, state) if strategy.prompt == "guided" else plain
            temperature = strategy.temperature
            draw_sampling = (
                sampling
                if temperature is None
                else sampling.model_copy(update={"temperature": temperature})
            )
            asks.append((prompt, self._seeded(draw_sampling, i)))
            drawn.append(name)
        texts, usage = await self.say_each(context, asks)
        candidates = [
            Candidate.proposed(round_, i, text, []).model_copy(update={"strategy": name})
            for i, (text, name) in enumerate(zip(texts, drawn, strict=True))
        ]
        return {"candidates": candidates, "usage": usage}

    @staticmethod
    def _seeded(sampling: Sampling, i: int) -> Sampling:
        return sampling.model_copy(update={"seed": (sampling.seed or 0) + i})

    def _guided(
        self, plain: list[Message], context: DeliberationContext, state: DeliberationState
    ) -> list[Message]:
        """`plain` with what to keep in mind: the run's checks as instructions, lessons from
        earlier tasks of its kind; else what any answer needs."""
        # A check read from the task words it as the task does; one given (`--check`) as its
        # fix for an empty answer ("write exactly 2 sentences"), where an empty one fails it.
        lines = []
        for check in context.checks:
            empty = check.run(state["task"], "")
            if check.source or not empty.passed:
                lines.append(f"- {check.source or empty.message}")
        lines += [f"- {lesson.text}" for lesson in state.get("lessons", [])]
        if not lines:
            lines = ["- Give a specific detail, example or reason; do not repeat the question."]
        *head, ask = plain
        guided = self.guided.render(ask=ask.content, guidance="\n".join(dict.fromkeys(lines)))
        return [*head, *guided]

    @staticmethod
    def _fixes(state: DeliberationState, best: Candidate | None) -> str:
        """What the next answer should do better: the judge's fixes, a person's note, the
        focus the meta-thinker set, lessons from earlier tasks of its kind (what failed there and
        what fixed it), and earlier answers on the same subject."""
        lines = []
        if (fix := to_fix(best)) != "nothing":
            lines.append(f"Fix this: {fix}")
        else:
            lines.append("Say more than the draft: add a specific detail, example or reason.")
        if note := state.get("note"):
            lines.append(f"A person's note: {note}")
        focus = state.get("focus") or state["task"]
        if focus.strip() != state["task"].strip():
            lines.append(f"Focus on: {focus}")
        if lessons := state.get("lessons", []):
            said = "\n".join(f"- {lesson.text}" for lesson in lessons)
            lines.append(f"Lessons from earlier tasks like this:\n{said}")
        if recalled := state.get("recalled", []):
            lines.append(f"Earlier answers on this subject:\n{recollections(recalled)}")
        return "\n".join(lines)
