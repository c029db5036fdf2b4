"""llama.cpp's own server (`llama-server`): the scale-out backend that also reads log-probabilities.

It decodes many requests together (`--parallel N`, continuous batching), so concurrent runs
overlap where llama-cpp-python's server queues them. It is an OpenAI-compatible server with one
addition Noetic uses: with `logprobs`, each token's log-probability comes from the model's raw
distribution, before sampling and grammar. So the judging signals (`ScoringModel`) read the same
numbers as in process:

- a continuation is scored by forcing its tokens (as the server's `/tokenize` splits it, the
  split the in-process backend scores) with a grammar of token ids, and reading the
  log-probability of each token the model was made to produce. llama.cpp's grammar cannot follow
  tokens that split one character's bytes (rare symbols), so such a text is forced as text
  instead: the model may then spell it in other tokens, and its figure is close, not equal;
- options are the likeliest next tokens after the continuation (the continuation is prefilled as
  the assistant's reply). An option not among the `TOP_OPTIONS` likeliest is left out; its
  probability is below theirs, and the ratings renormalize over the options present.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from noetic.models.base import Message, Sampling, ScoreRequest, TokenScores, Usage
from noetic.models.concurrent import gather_or_cancel
from noetic.models.openai_compat import OpenAICompatModel
from noetic.models.openai_wire import ScoredReply, chat_request

TOP_OPTIONS = 100
"""Likeliest next tokens asked for. On the default model the ten rating digits are all among the
top 50 after a rating question, and only about half among the top 20 (OpenAI's cap)."""


def token_grammar(tokens: Sequence[int]) -> str:
    """A GBNF grammar that accepts exactly these token ids, in order (a text grammar would let
    the model spell the text in other, likelier tokens)."""
    return "root ::= " + " ".join(f"<[{token}]>" for token in tokens)


def text_grammar(text: str) -> str:
    """A GBNF grammar that accepts exactly `text`, in whatever tokens the model picks."""
    escaped = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    body = "".join(
        escaped.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x20 or ord(c) == 0x7F else c)
        for c in text
    )
    return f'root ::= "{body}"'


class _Piece(BaseModel):
    id: int
    piece: str | list[int]
    """The token's text, or its bytes where they are part of a character."""


class _Tokens(BaseModel):
    tokens: list[_Piece]


class LlamaServerModel(OpenAICompatModel):
    """A `ChatModel` on llama-server that is also a `ScoringModel`."""

    async def score_each(self, requests: Sequence[ScoreRequest]) -> list[TokenScores]:
        """Each request's continuation and option log-probabilities, requests side by side."""
        return await gather_or_cancel(self._score(request) for request in requests)

    async def _score(self, request: ScoreRequest) -> TokenScores:
        scores = TokenScores()
        if request.continuation:
            scores.logprobs, usage = await self._continuation(request)
            scores.usage += usage
        if request.options:
            prefilled = [*request.messages]
            if request.continuation:
                prefilled.append(Message(role="assistant", content=request.continuation))
            after = await self._scored(prefilled, max_tokens=1, top=TOP_OPTIONS)
            likeliest = {t.token: t.logprob for t in after.tokens[0].top_logprobs}
            scores.options = {o: likeliest[o] for o in request.options if o in likeliest}
            scores.usage += after.token_usage
        return scores

    async def _continuation(self, request: ScoreRequest) -> tuple[list[float], Usage]:
        text = request.continuation
        root = self.server.url.removesuffix("/v1")  # llama-server's own routes are not under /v1
        body = {"content": text, "add_special": False, "with_pieces": True}
        pieces = (await self.server.post(f"{root}/tokenize", body, _Tokens)).tokens
        if all(isinstance(p.piece, str) for p in pieces):
            grammar, max_tokens = token_grammar([p.id for p in pieces]), len(pieces)
        else:
            grammar, max_tokens = text_grammar(text), len(text.encode())
        forced = await self._scored(request.messages, max_tokens=max_tokens, top=1, grammar=grammar)
        wanted, spelled, logprobs = len(text.encode()), 0, []
        for token in forced.tokens:
            if spelled >= wanted:
                break
            logprobs.append(token.logprob)
            spelled += len(token.bytes)
        return logprobs, forced.token_usage

    async def _scored(
        self, messages: Sequence[Message], *, max_tokens: int, top: int, grammar: str | None = None
    ) -> ScoredReply:
        body = chat_request(
            model=self.api_model,
            messages=messages,
            sampling=Sampling(temperature=0.0, max_tokens=min(max_tokens, 8192)),
            seed=0,
            n=1,
            json_schema=None,
            flavor=self.flavor,
        )
        body |= {"logprobs": True, "top_logprobs": top}
        if grammar is not None:
            body["grammar"] = grammar
        return await self.server.post("/chat/completions", body, ScoredReply)
