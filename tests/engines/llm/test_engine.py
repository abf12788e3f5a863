"""LLMEngine: compose's fallback rules, budget, decision-log records, streaming — with a scripted provider."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest

from etabli.engines.llm import (
    AI_LABEL,
    NO_MODEL_REASON,
    TEMPLATE_LABEL,
    BudgetExceeded,
    CallRecord,
    CancelToken,
    InMemoryBudget,
    LLMEngine,
    LLMError,
    Pricing,
    ProviderTimeout,
    ProviderUnavailable,
    TemplateOnly,
    TemplateProvider,
    UngroundedDraft,
    Voice,
)
from tests.engines.llm.scripted import ScriptedProvider

FACTS = {
    "produit": "Table basse en chêne massif",
    "prix": Decimal("1234.56"),
    "remise": 15,
    "livraison": dt.date(2026, 11, 26),
    "cliente": "Mme Durand",
}
PROMPT = "Rédige un court message pour annoncer la livraison de la table à la cliente."


def template_text() -> str:
    return "Bonjour Madame Durand, votre table basse en chêne massif sera livrée le 26/11/2026."


def compose(engine: LLMEngine, **overrides: object):
    kwargs = {"prompt": PROMPT, "template": template_text, "facts": FACTS}
    kwargs.update(overrides)
    return engine.compose("livraison", **kwargs)


def test_template_provider_gives_the_template_text_labelled_without_ai(records: list[CallRecord]) -> None:
    engine = LLMEngine(TemplateProvider(), on_call=records.append)
    result = compose(engine)
    assert result.text == template_text()
    assert result.generated_by_ai is False
    assert result.label == TEMPLATE_LABEL
    assert result.used_provider == "template"
    assert result.fallback_reason == NO_MODEL_REASON
    assert result.needs_review is True
    assert [(r.provider, r.ok, r.used_template, r.feature) for r in records] == [
        ("template", True, True, "livraison")
    ]


def test_grounded_model_draft_is_offered_and_labelled_as_ai(records: list[CallRecord]) -> None:
    draft = (
        "Bonne nouvelle Madame Durand : votre table basse en chêne massif (1 234,56 €, remise de 15 %) "
        "arrive le jeudi 26 novembre 2026."
    )
    provider = ScriptedProvider(draft, prompt_tokens=40, completion_tokens=30)
    engine = LLMEngine(provider, on_call=records.append)
    result = compose(engine)
    assert result.text == draft
    assert result.generated_by_ai is True
    assert result.label == AI_LABEL
    assert result.fallback_reason is None
    assert result.grounding.ok and result.grounding.checked >= 4
    assert result.used_provider == "scripted" and result.model == "scripted-1"
    (record,) = records
    assert (record.ok, record.used_template, record.prompt_tokens, record.completion_tokens) == (
        True,
        False,
        40,
        30,
    )
    assert record.kind == "compose" and record.error is None


def test_draft_with_a_wrong_price_is_not_offered_and_says_why(records: list[CallRecord]) -> None:
    draft = "Votre table basse en chêne massif coûte 1 250 € et arrive le 26/11/2026."
    engine = LLMEngine(ScriptedProvider(draft), on_call=records.append)
    result = compose(engine)
    assert result.text == template_text()
    assert result.generated_by_ai is False
    assert result.label == TEMPLATE_LABEL
    assert result.rejected_draft == draft
    assert [m.kind for m in result.grounding.mismatches] == ["montant"]
    assert "1 250 €" in result.fallback_reason and "n'est pas proposé tel quel" in result.fallback_reason
    assert records[0].ok is False and records[0].used_template is True and "1 250 €" in records[0].error


def test_draft_inventing_a_person_is_rejected() -> None:
    draft = "Notre livreur Kevin Martin passera le 26/11/2026 avec votre table basse en chêne massif."
    result = compose(LLMEngine(ScriptedProvider(draft)))
    assert not result.generated_by_ai
    assert {m.value for m in result.grounding.mismatches} >= {"Kevin", "Martin"}


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ProviderUnavailable("Le serveur est injoignable."), "indisponible"),
        (ProviderTimeout("délai de 5 s dépassé"), "n'a pas répondu à temps"),
    ],
)
def test_provider_failures_fall_back_to_the_template(
    error: Exception, expected: str, records: list[CallRecord]
) -> None:
    engine = LLMEngine(ScriptedProvider(error), on_call=records.append)
    result = compose(engine)
    assert result.text == template_text()
    assert expected in result.fallback_reason
    assert str(error) in result.fallback_reason
    assert records[0].ok is False and records[0].error == str(error)


def test_without_fallback_provider_errors_and_ungrounded_drafts_raise() -> None:
    engine = LLMEngine(ScriptedProvider(ProviderUnavailable("arrêté")), fallback_to_template=False)
    with pytest.raises(ProviderUnavailable):
        compose(engine)
    engine = LLMEngine(ScriptedProvider("Prix : 999 €."), fallback_to_template=False)
    with pytest.raises(UngroundedDraft) as excinfo:
        compose(engine)
    assert excinfo.value.draft == "Prix : 999 €."
    assert excinfo.value.report.mismatches[0].kind == "montant"


def test_budget_warning_at_80_percent_then_hard_cap_falls_back(records: list[CallRecord]) -> None:
    budget = InMemoryBudget(limit_tokens=1000)
    grounded = "Votre table basse en chêne massif arrive le 26/11/2026."
    provider = ScriptedProvider(grounded, grounded, prompt_tokens=400, completion_tokens=450)
    engine = LLMEngine(provider, budget=budget, on_call=records.append)

    first = compose(engine, max_tokens=100)
    assert first.generated_by_ai is True
    assert budget.spent_this_month().tokens == 850
    assert first.budget_warning is True and engine.budget_status().warning is True
    assert records[0].budget_warning is True

    second = compose(engine, max_tokens=200)  # 850 spent + ~20 prompt + 200 > 1000
    assert second.generated_by_ai is False
    assert "Budget IA mensuel" in second.fallback_reason
    assert len(provider.calls) == 1, "the provider must not be called above the cap"
    assert records[1].ok is False and "Budget" in records[1].error
    assert budget.spent_this_month().tokens == 850


def test_generate_refuses_above_the_cap_with_a_french_error() -> None:
    budget = InMemoryBudget(limit_tokens=50)
    engine = LLMEngine(ScriptedProvider("non appelé"), budget=budget)
    with pytest.raises(BudgetExceeded, match="Budget IA mensuel"):
        engine.generate("Bonjour", max_tokens=100)


def test_cost_cap_uses_pricing() -> None:
    budget = InMemoryBudget(limit_cost=Decimal("0.01"))
    pricing = Pricing(input_per_million=Decimal(2), output_per_million=Decimal(6))
    provider = ScriptedProvider("Bonjour.", "Bonjour.", prompt_tokens=1000, completion_tokens=1000)
    engine = LLMEngine(provider, budget=budget, pricing=pricing)
    engine.generate("Bonjour", max_tokens=10)
    assert budget.spent_this_month().cost == Decimal("0.008")
    with pytest.raises(BudgetExceeded):
        engine.generate("Bonjour", max_tokens=1000)  # 1000 more output tokens would cost 0.006 €


def test_budgets_are_per_company() -> None:
    provider = ScriptedProvider("Bonjour.", "Bonjour.", prompt_tokens=50, completion_tokens=50)
    company_a = LLMEngine(provider, budget=InMemoryBudget(limit_tokens=150))
    company_b = LLMEngine(provider, budget=InMemoryBudget(limit_tokens=150))
    company_a.generate("Bonjour", max_tokens=10)
    with pytest.raises(BudgetExceeded):
        company_a.generate("Bonjour", max_tokens=60)
    assert company_b.generate("Bonjour", max_tokens=10).text == "Bonjour."
    assert company_b.budget.spent_this_month().tokens == 100


def test_voice_goes_into_the_system_prompt_and_avoided_words_reject_the_draft() -> None:
    voice = Voice(tone="familier", address="tu", words_to_avoid=("pas cher",), signature="L'équipe")
    provider = ScriptedProvider("Ta table basse en chêne massif, pas cher du tout, arrive le 26/11/2026.")
    result = compose(LLMEngine(provider), voice=voice)
    system = provider.calls[0][0][0]
    assert system.role == "system" and "Tutoyez" in system.content and "L'équipe" in system.content
    assert result.generated_by_ai is False
    assert "pas cher" in result.fallback_reason


def test_structured_compose_returns_json_and_checks_its_values() -> None:
    schema = {
        "type": "object",
        "properties": {"titre": {"type": "string"}, "prix": {"type": "number"}},
        "required": ["titre", "prix"],
    }
    good = {"titre": "Table basse en chêne massif", "prix": 1234.56}
    result = compose(
        LLMEngine(ScriptedProvider(good)), schema=schema, template=lambda: {"titre": "x", "prix": 0}
    )
    assert result.generated_by_ai and result.json == good
    assert json.loads(result.text) == good

    bad = {"titre": "Table basse en chêne massif", "prix": 99.0}
    fallback = compose(
        LLMEngine(ScriptedProvider(bad)),
        schema=schema,
        template=lambda: {"titre": "Table basse", "prix": 1234.56},
    )
    assert not fallback.generated_by_ai
    assert fallback.json == {"titre": "Table basse", "prix": 1234.56}


def test_each_call_is_recorded_with_a_sha256_prompt_digest(records: list[CallRecord]) -> None:
    engine = LLMEngine(ScriptedProvider("un", "deux", ProviderUnavailable("arrêté")), on_call=records.append)
    engine.generate("Bonjour", system="Sois bref.", feature="essai")
    engine.chat([{"role": "user", "content": "Bonjour"}], feature="essai")
    with pytest.raises(ProviderUnavailable):
        engine.generate("Bonjour", system="Sois bref.", feature="essai")
    canonical = json.dumps(
        [{"role": "system", "content": "Sois bref."}, {"role": "user", "content": "Bonjour"}],
        ensure_ascii=False,
        sort_keys=True,
    )
    assert records[0].prompt_digest == hashlib.sha256(canonical.encode()).hexdigest()
    assert records[0].prompt_digest == records[2].prompt_digest != records[1].prompt_digest
    assert [(r.kind, r.ok) for r in records] == [("generate", True), ("chat", True), ("generate", False)]
    assert records[2].error == "arrêté"


def test_template_provider_direct_calls_say_no_model_is_configured(records: list[CallRecord]) -> None:
    engine = LLMEngine(TemplateProvider(), on_call=records.append)
    with pytest.raises(TemplateOnly, match="Aucun modèle"):
        engine.generate("Bonjour")
    assert records[0].ok is False and records[0].provider == "template"


def test_stream_yields_chunks_and_records_once_at_the_end(records: list[CallRecord]) -> None:
    engine = LLMEngine(ScriptedProvider("un deux trois quatre"), on_call=records.append)
    chunks = list(engine.stream("Compte jusqu'à quatre", feature="compter"))
    assert "".join(chunks).split() == ["un", "deux", "trois", "quatre"]
    assert len(records) == 1 and records[0].ok and records[0].kind == "stream"
    assert records[0].completion_tokens > 0


def test_closing_or_cancelling_a_stream_stops_it_and_records_why(records: list[CallRecord]) -> None:
    engine = LLMEngine(ScriptedProvider("a b c d e f", "a b c d e f"), on_call=records.append)
    stream = engine.stream("Dis des lettres")
    assert next(stream) == "a "
    stream.close()
    token = CancelToken()
    received = []
    for chunk in engine.stream("Dis des lettres", cancel=token):
        received.append(chunk)
        token.cancel()
    assert received == ["a "]
    assert [r.error for r in records] == ["Génération arrêtée avant la fin (annulation)."] * 2


def test_stream_over_budget_fails_at_the_call_not_at_first_chunk() -> None:
    engine = LLMEngine(ScriptedProvider("x"), budget=InMemoryBudget(limit_tokens=10))
    with pytest.raises(BudgetExceeded):
        engine.stream("Bonjour", max_tokens=100)


def test_bad_inputs_raise_french_errors() -> None:
    engine = LLMEngine(TemplateProvider())
    with pytest.raises(LLMError, match="consigne"):
        engine.compose("posts", prompt="   ", template=template_text, facts=FACTS)
    with pytest.raises(LLMError, match="feature"):
        engine.compose("", prompt=PROMPT, template=template_text, facts=FACTS)
    with pytest.raises(LLMError, match="n'a rien produit"):
        engine.compose("posts", prompt=PROMPT, template=lambda: "  ", facts=FACTS)
    with pytest.raises(LLMError, match="Schéma JSON invalide"):
        engine.compose("posts", prompt=PROMPT, template=template_text, facts=FACTS, schema={"type": 12})
    with pytest.raises(LLMError, match="jetons"):
        LLMEngine(ScriptedProvider("x")).generate("Bonjour", max_tokens=0)
    with pytest.raises(LLMError, match="Température"):
        LLMEngine(ScriptedProvider("x")).generate("Bonjour", temperature=5)


def test_a_failing_decision_log_is_not_silenced() -> None:
    def broken_log(record: CallRecord) -> None:
        raise RuntimeError("journal indisponible")

    engine = LLMEngine(TemplateProvider(), on_call=broken_log)
    with pytest.raises(RuntimeError, match="journal indisponible"):
        compose(engine)


def test_provenance_marks_generated_content() -> None:
    result = compose(LLMEngine(ScriptedProvider("Votre table basse en chêne massif arrive le 26/11/2026.")))
    marking = result.provenance()
    assert marking["genere_par_ia"] is True
    assert marking["mention"] == AI_LABEL
    assert marking["modele"] == "scripted-1"
    assert len(marking["empreinte_consigne"]) == 64


def test_an_unexpected_provider_bug_is_logged_and_raised_not_hidden(records: list[CallRecord]) -> None:
    engine = LLMEngine(ScriptedProvider(KeyError("choices")), on_call=records.append)
    with pytest.raises(KeyError):
        compose(engine)
    assert records[0].ok is False and "KeyError" in records[0].error
