"""The judging signals on fixed texts and scripted models: each says what it should."""

from __future__ import annotations

import math

import pytest

from noetic.agents.concepts import grounded_concepts, grounded_focus, is_label, occurs
from noetic.agents.signals import Judge, degeneracy
from noetic.agents.signals.geval import DIGITS, expected_rating
from noetic.agents.signals.likelihood import likelihood_signals
from noetic.agents.signals.similarity import cosines, similarity
from noetic.agents.signals.text import text_signals
from noetic.models.base import TokenScores
from noetic.testing import HashingEmbedder, RoleScript, ScriptedModel

TASK = "Explain why the sky is blue on a clear day."
GOOD = (
    "Sunlight scatters off the molecules of the air, and short blue waves scatter far more than "
    "long red ones. So blue light reaches our eyes from every part of the sky."
)


def test_clean_text_has_full_integrity() -> None:
    found = degeneracy(GOOD, TASK)
    assert found.integrity == 1.0 and found.defects == []


@pytest.mark.parametrize(
    ("text", "defect"),
    [
        ("the sky is blue because the sky is blue because " * 4 + ".", "repeats itself"),
        (TASK, "echoes the task"),
        (GOOD[:70], "is cut off mid-sentence"),
        ("Blue.", "says almost nothing"),
        ("", "says almost nothing"),
    ],
)
def test_each_defect_lowers_integrity_and_is_named(text: str, defect: str) -> None:
    found = degeneracy(text, TASK)
    assert found.integrity < 1.0 and defect in found.defects


def test_fluency_follows_mean_logprob_and_pmi_the_gain_from_the_task() -> None:
    likely, unlikely = TokenScores(logprobs=[-1.0, -2.0]), TokenScores(logprobs=[-6.0, -7.0])
    neutral = TokenScores(logprobs=[-3.0, -3.0])
    fluent, broken = likelihood_signals([likely, unlikely, neutral, neutral])
    assert fluent["fluency"] > broken["fluency"]
    assert fluent["pmi"] > 0.5 > broken["pmi"]  # the task made one likelier, the other less


def test_expected_rating_reads_the_digit_distribution() -> None:
    sure_seven = {d: (0.0 if d == "7" else -30.0) for d in DIGITS}
    assert expected_rating(sure_seven) == pytest.approx(7 / 9)
    split = {d: (math.log(0.5) if d in {"2", "8"} else -30.0) for d in DIGITS}
    assert expected_rating(split) == pytest.approx(5 / 9, abs=1e-6)
    assert expected_rating({}) == 0.5


async def test_embedding_relevance_prefers_the_text_on_the_task() -> None:
    on, off = await similarity(
        HashingEmbedder(), TASK, [GOOD + " The sky is blue.", "Debt and origami fold money."]
    )
    assert on["embed_relevance"] >= off["embed_relevance"]
    assert "round_novelty" in on and "memory_novelty" not in on
    (alone,) = await similarity(HashingEmbedder(), TASK, [GOOD], memories=[GOOD])
    assert alone["memory_novelty"] == 0.0  # it is what memory already holds


def test_concepts_are_phrases_of_the_text() -> None:
    proposed = ["blue light", "SULLYPIS", "[, context:]", "r1c0", "molecules"]
    concepts = grounded_concepts(GOOD, proposed)
    assert concepts[:2] == ["blue light", "molecules"]
    assert all(occurs(c, GOOD) for c in concepts) and len(concepts) <= 5
    assert not any(is_label(c) for c in concepts)


def test_a_keyphrase_cut_across_a_chosen_concept_is_dropped() -> None:
    """YAKE's n-grams cut noun phrases; these texts and fragments come from a real round."""
    text = (
        "The myth of Sisyphus is a classic example of an AI fallacy, where the narrative relies "
        "on a false assumption about artificial general intelligence (AGI) and misuses language "
        "to create a misleading narrative."
    )
    concepts = grounded_concepts(text, [])
    assert "artificial general intelligence" in concepts and "false assumption" in concepts
    assert "assumption about artificial" not in concepts
    reimagined = "The myth of Sisyphus was reimagined as a hypothesis about AI."
    assert "sisyphus was reimagined" not in grounded_concepts(reimagined, ["myth of sisyphus"])
    # Two concepts that share a word but no span of the text both stay.
    both = "Machine learning needs data. The learning rate sets the step."
    assert grounded_concepts(both, ["machine learning", "learning rate"])[:2] == [
        "machine learning",
        "learning rate",
    ]


@pytest.mark.parametrize("label", ["r1c0", "round1", "deaf7c", "20261129", "run 3"])
def test_ids_and_labels_are_never_concepts(label: str) -> None:
    assert is_label(label)


def test_a_focus_is_used_only_when_grounded_in_the_task() -> None:
    assert grounded_focus("why blue light scatters more", TASK)
    assert not grounded_focus("continue.", TASK)
    assert not grounded_focus("Rounded to the nearest integer: {2}; {1.5}", TASK)
    assert not grounded_focus("rivers and their deltas", TASK)


async def test_judge_orders_candidates_by_the_scripted_ratings() -> None:
    script = RoleScript(critique=lambda text: (9, 9, 5) if "scatter" in text else (2, 2, 5))
    model = script.model()
    judge = Judge(model, HashingEmbedder())
    (good, bad), _ = await judge.judge(TASK, [GOOD, "I like turtles and tea a lot."])
    assert good.scores["pmi"] > bad.scores["pmi"] and good.scores["fluency"] > bad.scores["fluency"]
    assert good.critique.relevance == pytest.approx(10 * 8 / 9, abs=0.01)
    assert "Weakest" in bad.critique.rationale
    # two texts: each after the task and after the neutral request, then three ratings each
    assert len(model.score_requests) == 2 * 2 + 2 * 3


async def test_without_log_probabilities_the_model_signals_are_skipped() -> None:
    class NoScores:
        name = "server"

        async def complete(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("the judge never samples")

    (judgment,), usage = await Judge(NoScores(), HashingEmbedder()).judge(TASK, [GOOD])  # type: ignore[arg-type]
    # Read from the words: integrity and every registered text signal (no parts to cover).
    text_only = {"integrity", *(s.name for s in text_signals())} - {"coverage"}
    assert set(judgment.scores) == {"embed_relevance", *text_only}
    assert judgment.critique.relevance is None and usage.total_tokens == 0


async def test_flat_scores_make_model_signals_equal() -> None:
    model = ScriptedModel(lambda request: "")
    judgments, _ = await Judge(model).judge(TASK, [GOOD, GOOD.upper()])
    first, second = (j.scores for j in judgments)
    assert first["fluency"] == second["fluency"] and first["relevance"] == second["relevance"]


def test_every_weighed_signal_is_named_once() -> None:
    """A policy weighs, show prints and the report charts signals by the names the judge
    gives them: the built-in ones in `MODEL_SIGNALS`, the text signals by their registration."""
    from noetic.agents.signals.names import MODEL_SIGNALS
    from noetic.agents.signals.text import text_signals
    from noetic.policies.policy import SelectionWeights
    from noetic.report.series import DIMENSIONS

    texts = {s.name for s in text_signals()}
    assert not texts & set(MODEL_SIGNALS)
    assert set(SelectionWeights.model_fields) <= set(MODEL_SIGNALS) | texts
    assert set(DIMENSIONS) <= set(MODEL_SIGNALS) | texts


def test_cosines_match_the_formula_and_a_zero_vector_is_unrelated() -> None:
    rows = [[1.0, 0.0, 0.0], [3.0, 4.0, 0.0], [0.0, 0.0, 0.0]]
    cols = [[1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [-1.0, -1.0, 0.0]]
    got = cosines(rows, cols)
    for i, a in enumerate(rows):
        for j, b in enumerate(cols):
            norm = math.hypot(*a) * math.hypot(*b)
            expected = sum(x * y for x, y in zip(a, b, strict=True)) / norm if norm else 0.0
            assert got[i, j] == pytest.approx(expected, abs=1e-12)
