"""Grounding check, labels, voice and prompt files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etabli.common.formats import format_eur
from etabli.engines.llm import (
    AI_LABEL,
    TEMPLATE_LABEL,
    LLMError,
    Voice,
    check_grounding,
    draft_label,
    load_prompt,
    render_prompt,
    render_text,
    review_label,
)
from etabli.engines.llm.guard import number_readings

SOURCES = {
    "produit": "Table basse en chêne massif",
    "prix_ttc": Decimal("1234.56"),
    "livraison_offerte_des": Decimal(1500),
    "remise": 15,
    "tva": Decimal("5.5"),
    "livraison": dt.date(2026, 11, 26),
    "cliente": "Mme Élodie Durand",
    "telephone": "06 12 34 56 78",
    "site": "https://menuiserie-martin.fr",
    "rendez_vous": dt.datetime(2026, 12, 1, 14, 30),
}


def kinds(text: str, sources: object = SOURCES) -> list[tuple[str, str]]:
    return [(m.kind, m.value) for m in check_grounding(text, sources).mismatches]


@pytest.mark.parametrize(
    "text",
    [
        "La table coûte 1 234,56 €.",
        "La table coûte 1234.56 EUR.",
        "La table coûte 1\u202f234,56\xa0€.",
        "Livraison offerte dès 1 500 € d'achat.",
        "Livraison offerte dès 1,5 k€.",
        "Remise de 15 % et TVA à 5,5 %.",
        "Remise de 15 pour cent.",
    ],
)
def test_amounts_and_percentages_match_by_value_whatever_the_format(text: str) -> None:
    report = check_grounding(text, SOURCES)
    assert report.ok, report.mismatches
    assert report.checked >= 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("La table coûte 1 250 €.", [("montant", "1 250 €")]),
        ("Remise exceptionnelle de 20 %.", [("pourcentage", "20 %")]),
        ("Livrée en 3 jours.", [("nombre", "3")]),
        ("Le prix est de €99.", [("montant", "€99")]),
    ],
)
def test_invented_figures_are_flagged_with_their_kind(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Livraison le 26/11/2026.",
        "Livraison le 26 novembre 2026.",
        "Livraison le jeudi 26 novembre.",
        "Livraison prévue 2026-11-26.",
        "Livraison en novembre 2026.",
        "Rendez-vous le 1er décembre à 14h30.",
    ],
)
def test_dates_match_in_every_french_format(text: str) -> None:
    report = check_grounding(text, SOURCES)
    assert report.ok, report.mismatches


def test_wrong_dates_and_inconsistent_weekdays_are_flagged() -> None:
    assert kinds("Livraison le 27/11/2026.") == [("date", "27/11/2026")]
    (mismatch,) = check_grounding("Livraison le lundi 26 novembre 2026.", SOURCES).mismatches
    assert mismatch.kind == "date"
    assert "jeudi" in mismatch.message_fr  # 26/11/2026 is a Thursday
    assert kinds("Rendez-vous à 16h.") == [("date", "16h")]


def test_names_must_come_from_the_sources_but_sentence_starts_are_not_names() -> None:
    assert check_grounding("Merci Madame Durand. Votre table arrive bientôt.", SOURCES).ok
    assert check_grounding("Bonjour Mme elodie DURAND !", SOURCES).ok  # case- and accent-insensitive
    assert kinds("Votre commande est suivie par Jean Dupont.") == [("nom", "Jean"), ("nom", "Dupont")]
    assert kinds("Fabriquée à Lyon.") == [("nom", "Lyon")]


def test_contact_details_are_checked_and_hashtags_ignored() -> None:
    assert check_grounding("Appelez le 06.12.34.56.78 ou visitez https://menuiserie-martin.fr.", SOURCES).ok
    assert kinds("Appelez le 07 98 76 54 32.") == [("nombre", "07 98 76 54 32")]
    assert kinds("Écrivez à contact@ailleurs.fr.") == [("nom", "contact@ailleurs.fr")]
    assert check_grounding("Nouveauté ! #Menuiserie #BoisMassif2026", SOURCES).ok


def test_sources_may_be_text_or_a_list_and_ambiguous_numbers_are_not_false_alarms() -> None:
    assert check_grounding("Stock : 1,500 pièces.", "Il reste 1500 pièces.").ok
    assert check_grounding("Commande n° 12 150.", ["commande 12", "quantité 150"]).ok
    assert not check_grounding("Prix 42 €", []).ok


def test_report_counts_checked_items_and_summarises_in_french() -> None:
    report = check_grounding("La table (1 234,56 €) arrive le 26/11/2026 chez Mme Durand.", SOURCES)
    assert report.ok and report.checked == 3
    bad = check_grounding("Prix : 10 €, 20 €.", SOURCES)
    assert "2 élément(s) non retrouvé(s)" in bad.summary_fr
    assert "10 €" in bad.summary_fr


def test_number_readings() -> None:
    assert number_readings("1 234,56") == [[Decimal("1234.56")]]
    assert number_readings("1.234.567") == [[Decimal(1234567)]]
    assert number_readings("1,234.56") == [[Decimal("1234.56")]]
    assert number_readings("12,5") == [[Decimal("12.5")]]
    assert number_readings("1,500") == [[Decimal("1.500")], [Decimal(1500)]]


def test_non_text_input_is_rejected() -> None:
    with pytest.raises(LLMError):
        check_grounding(None, SOURCES)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999.99"), places=2))
def test_any_amount_formatted_the_french_way_is_grounded_and_a_different_one_is_not(amount: Decimal) -> None:
    sources = {"montant": amount}
    assert check_grounding(f"Total : {format_eur(amount)}.", sources).ok
    other = amount + Decimal("1.00")
    report = check_grounding(f"Total : {format_eur(other)}.", sources)
    assert [m.kind for m in report.mismatches] == ["montant"]


def test_labels_follow_ai_act_article_50() -> None:
    assert AI_LABEL == "Brouillon généré par IA"
    assert draft_label(True) == AI_LABEL and draft_label(False) == TEMPLATE_LABEL
    assert review_label(True) == AI_LABEL
    assert "validé par Claire" in review_label(True, approved_by="Claire")
    assert "relu et modifié par Claire" in review_label(True, approved_by="Claire", edited=True)
    assert "IA" not in review_label(False, approved_by="Claire")


def test_voice_system_prompt_and_words_to_avoid() -> None:
    voice = Voice(
        tone="chaleureux",
        address="vous",
        words_to_avoid=("pas cher", " "),
        signature="Jean, Menuiserie Martin",
        company="Menuiserie Martin",
    )
    prompt = voice.system_prompt(extra="Écrivez trois phrases.")
    assert "Menuiserie Martin" in prompt and "Vouvoyez" in prompt and "« pas cher »" in prompt
    assert prompt.endswith("Écrivez trois phrases.")
    assert "$" not in prompt and "\n\n\n" not in prompt
    assert voice.words_to_avoid == ("pas cher",)
    assert voice.avoided_words_in("Des meubles PAS CHER !") == ["pas cher"]
    assert voice.avoided_words_in("Un prix juste.") == []
    assert "N'ajoutez pas de signature" in Voice().system_prompt()
    with pytest.raises(LLMError, match="vous"):
        Voice(address="toi")  # type: ignore[arg-type]


def test_prompt_files_are_french_text_under_version_control() -> None:
    folder = Path(__file__).resolve().parents[3] / "src" / "etabli" / "engines" / "llm" / "prompts"
    files = sorted(folder.glob("*.txt"))
    assert {f.stem for f in files} >= {"voix", "json_consigne", "json_correction"}
    for file in files:
        assert file.read_text(encoding="utf-8").strip()
    assert "JSON" in render_prompt("json_consigne", schema="{}")
    with pytest.raises(LLMError, match="introuvable"):
        load_prompt("inexistant")
    with pytest.raises(LLMError, match="Valeur manquante"):
        render_text("Bonjour $nom")


def test_signed_percentages_day_month_dates_list_markers_and_durations() -> None:
    assert kinds("Profitez de -20 % sur tout.") == [("pourcentage", "20 %")]
    assert check_grounding("Remise de -15 % jusqu'au 26/11.", SOURCES).ok
    assert kinds("Livraison le 27/11.") == [("date", "27/11")]
    listed = "Nos conseils :\n1. Cirer la table.\n2) Éviter le soleil.\n 3. Dépoussiérer."
    assert check_grounding(listed, SOURCES).ok
    assert check_grounding("Comptez 2 h de montage.", "Montage : 2 heures.").ok
