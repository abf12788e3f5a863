"""The optional LLM helper: asked only when the rules leave words unread, validated, never required."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from etabli.engines.query import QueryLLM, QueryParser

TODAY = date(2026, 2, 10)


class FakeLLM:
    """A stand-in for a configured LLM: returns a fixed answer and records the calls."""

    def __init__(self, answer: Mapping[str, object] | None = None, error: Exception | None = None) -> None:
        self.answer = answer
        self.error = error
        self.calls: list[str] = []

    def parse_query(
        self,
        query: str,
        *,
        today: date,
        doc_types: Sequence[str],
        correspondents: Sequence[str],
        tags: Sequence[str],
    ) -> Mapping[str, object] | None:
        self.calls.append(query)
        if self.error:
            raise self.error
        return self.answer


def test_fake_llm_follows_the_protocol() -> None:
    assert isinstance(FakeLLM(), QueryLLM)


def test_llm_not_asked_when_the_rules_understood_everything() -> None:
    llm = FakeLLM({"doc_types": ["devis"]})
    parsed = QueryParser(correspondents=["EDF"], llm=llm).parse("factures EDF 2025", today=TODAY)
    assert llm.calls == []
    assert parsed.doc_types == ("facture_fournisseur", "facture_client")


def test_llm_fills_what_the_rules_left_and_is_validated() -> None:
    llm = FakeLLM(
        {
            "doc_types": ["bulletin_de_paie", "brochure"],
            "correspondents": ["Garage Martin", "Inconnu SA"],
            "amount_min": "1000",
            "date_from": "2025-06-01",
            "date_to": "not a date",
            "tags": ["énergie", "hors liste"],
            "text": "",
        }
    )
    parser = QueryParser(correspondents=["Garage Martin"], tags=["énergie"], llm=llm)
    parsed = parser.parse("les papiers de salaire du garagiste quand ça a dépassé mille balles", today=TODAY)
    assert llm.calls
    assert parsed.doc_types == ("bulletin_de_paie",)
    assert parsed.correspondents == ("Garage Martin",)
    assert parsed.tags == ("énergie",)
    assert str(parsed.amount_min) == "1000.00"
    assert parsed.date_from == date(2025, 6, 1) and parsed.date_to is None
    assert parsed.sources["doc_types"] == "llm"
    assert parsed.summary.startswith("Bulletins de paie")


def test_rules_win_over_the_llm() -> None:
    llm = FakeLLM({"doc_types": ["contrat"], "date_from": "2020-01-01"})
    parsed = QueryParser(llm=llm).parse("devis 2025 chaudière", today=TODAY)
    assert llm.calls
    assert parsed.doc_types == ("devis",)
    assert parsed.date_from == date(2025, 1, 1)
    assert parsed.sources["doc_types"] == "règles"


def test_a_failing_llm_never_breaks_the_search() -> None:
    llm = FakeLLM(error=TimeoutError("pas de réponse"))
    parsed = QueryParser(llm=llm).parse("devis chaudière", today=TODAY)
    assert parsed.doc_types == ("devis",)
    assert parsed.text == "chaudière"
    assert parsed.notes == ("l'assistant IA n'a pas pu aider (TimeoutError)",)


def test_an_empty_llm_answer_changes_nothing() -> None:
    without = QueryParser().parse("devis chaudière", today=TODAY)
    with_llm = QueryParser(llm=FakeLLM(None)).parse("devis chaudière", today=TODAY)
    assert with_llm == without
