"""French text helpers and date expressions ("avant vendredi", "le 12/12", "sous 48 h")."""

from __future__ import annotations

import datetime as dt

from etabli.engines.writing._text import (
    address_violations,
    find_words,
    fold,
    hashtag,
    resolve_address,
    split_sentences,
    truncate_words,
)
from etabli.engines.writing.dates import find_dates

MONDAY = dt.date(2026, 11, 23)


def test_fold_keeps_offsets_and_drops_accents() -> None:
    text = "Très URGENT l’été"
    assert fold(text) == "tres urgent l'ete"
    assert len(fold(text)) == len(text)


def test_split_sentences_keeps_abbreviations_and_decimals() -> None:
    sentences = split_sentences("M. Dupont a payé 12.50 € hier. Le site www.exemple.fr est en ligne ! Merci")
    assert sentences == ["M. Dupont a payé 12.50 € hier.", "Le site www.exemple.fr est en ligne !", "Merci"]


def test_truncate_words_cuts_at_a_word_with_an_ellipsis() -> None:
    text = "Une phrase assez longue pour être coupée proprement"
    cut = truncate_words(text, 25)
    assert len(cut) <= 25 and cut.endswith("…") and not cut[:-1].endswith(" ")
    assert text.startswith(cut[:-1])
    assert truncate_words("court", 25) == "court"


def test_hashtag_is_accent_free_camel_case() -> None:
    assert hashtag("menuiserie à Évry") == "#MenuiserieAEvry"
    assert hashtag("!!") == ""


def test_words_to_avoid_match_plurals_and_accents() -> None:
    assert find_words("Nos PRIX CASSÉS et nos promos", ["prix cassé", "promo", "solde"]) == ["prix cassé", "promo"]


def test_address_markers_and_violations() -> None:
    template = "<<Découvrez|Découvre>> <<votre|ton>> offre"
    assert resolve_address(template, "vous") == "Découvrez votre offre"
    assert resolve_address(template, "tu") == "Découvre ton offre"
    assert address_violations("Merci pour ta confiance", "vous") == ["ta"]
    assert address_violations("Merci pour votre confiance, rendez-vous samedi", "tu") == ["votre"]
    assert address_violations("Un rendez-vous à ne pas manquer", "tu") == []


def test_weekday_deadline_resolves_to_the_coming_day() -> None:
    [mention] = find_dates("Merci de répondre avant vendredi.", MONDAY)
    assert mention.value == dt.date(2026, 11, 27) and mention.is_deadline and mention.text == "vendredi"


def test_numeric_and_textual_dates_with_time() -> None:
    mentions = find_dates("Livraison le 12/12 à 14h30, pose le mardi 5 janvier 2027.", MONDAY)
    assert [(m.value, m.time) for m in mentions] == [(dt.date(2026, 12, 12), "14h30"), (dt.date(2027, 1, 5), None)]


def test_relative_expressions() -> None:
    cases = {
        "d'ici la fin du mois": dt.date(2026, 11, 30),
        "sous 48h": dt.date(2026, 11, 25),
        "demain matin": dt.date(2026, 11, 24),
        "la semaine prochaine": dt.date(2026, 12, 4),
        "sous huitaine": dt.date(2026, 12, 1),
        "le 05/01": dt.date(2027, 1, 5),
        "fin janvier": dt.date(2027, 1, 31),
    }
    for text, expected in cases.items():
        mentions = find_dates(text, MONDAY)
        assert mentions and mentions[0].value == expected, text


def test_measures_and_phone_numbers_are_not_dates() -> None:
    assert find_dates("Tél 06.12.34.56.78, 3-4 jours, 2.5 kg, le lendemain", MONDAY) == []


def test_without_reference_the_words_are_kept_unresolved() -> None:
    [mention] = find_dates("avant vendredi")
    assert mention.value is None and mention.is_deadline


def test_de_elides_before_vowels_and_mute_h_only() -> None:
    from etabli.engines.writing._text import de

    assert [de(w) for w in ("expert-comptable", "Lyon", "Atelier Verdier", "horlogerie", "hêtre")] == [
        "d'expert-comptable", "de Lyon", "d'Atelier Verdier", "d'horlogerie", "de hêtre"]
