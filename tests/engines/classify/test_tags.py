"""Tag suggestions: history, brands, keywords."""

from __future__ import annotations

import pytest

from etabli.engines.classify import ClassifyError, suggest_tags

from .samples import PAYSLIP, SUPPLIER_INVOICE_ENERGY


def _tags(suggestions: list) -> list[str]:
    return [s.tag for s in suggestions]


def test_brand_of_the_issuer() -> None:
    suggestions = suggest_tags("Votre facture", issuer_name="Orange Business Services")
    assert _tags(suggestions) == ["télécom"]
    assert suggestions[0].reason == "émetteur Orange Business Services : télécom"


def test_brand_in_the_letterhead_when_no_issuer_is_known() -> None:
    suggestions = suggest_tags(SUPPLIER_INVOICE_ENERGY)
    assert suggestions[0].tag == "énergie"
    assert suggestions[0].confidence >= 0.75


def test_keywords_quote_the_document() -> None:
    suggestions = suggest_tags(
        "QUITTANCE DE LOYER\nLoyer hors charges 850,00 €\nProvision pour charges 60,00 €"
    )
    assert suggestions[0].tag == "loyer"
    assert "« QUITTANCE »" in suggestions[0].reason or "« Loyer »" in suggestions[0].reason
    assert suggestions[0].confidence == pytest.approx(0.8)


def test_specific_patterns_avoid_false_tags_on_payslips() -> None:
    assert "assurance" not in _tags(suggest_tags(PAYSLIP))


def test_history_of_the_issuer_comes_first() -> None:
    history = {"ORANGE BUSINESS SAS": [["télécom"], ["télécom", "atelier"], ["mobile"]], "EDF": [["énergie"]]}
    suggestions = suggest_tags("Facture", issuer_name="Orange Business", history=history)
    assert suggestions[0].tag == "télécom"
    assert suggestions[0].confidence > 0.9
    assert "2 de vos 3 documents précédents" in suggestions[0].reason
    assert "atelier" not in _tags(suggestions)  # 1 of 3 documents only


def test_no_clue_no_tag() -> None:
    assert suggest_tags("Compte rendu de réunion, points divers.") == []


def test_limits_and_bad_input() -> None:
    text = "kWh consommation électricité, forfait mobile, loyer, police d'assurance n° 123"
    assert len(suggest_tags(text, max_tags=2)) == 2
    with pytest.raises(ClassifyError):
        suggest_tags(None)  # type: ignore[arg-type]
