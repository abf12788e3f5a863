"""The search-box parser: every pattern of issue 4 with a fixed ``today``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from etabli.engines.query import ParsedQuery, QueryError, QueryParser, parse_number, parse_query

TODAY = date(2026, 2, 10)  # a Tuesday
NAMES = [
    "EDF",
    "Dupont SARL",
    "Menuiserie Dupont",
    "Garage Martin",
    "Martin Plomberie",
    "Leroy Merlin",
    "URSSAF",
]
TAGS = ["énergie", "loyer", "chantier Dupuis"]
INVOICES = ("facture_fournisseur", "facture_client")


def parse(phrase: str, today: date = TODAY) -> ParsedQuery:
    return parse_query(phrase, today=today, correspondents=NAMES, tags=TAGS)


def nbsp_free(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


# -- the three examples of the issue -----------------------------------------------------------------


def test_edf_invoices_over_500_in_2025() -> None:
    parsed = parse("factures EDF de plus de 500 € en 2025")
    assert parsed.doc_types == INVOICES
    assert parsed.correspondent == "EDF"
    assert parsed.amount_min == Decimal("500.00") and parsed.amount_min_strict
    assert parsed.amount_max is None
    assert (parsed.date_from, parsed.date_to) == (date(2025, 1, 1), date(2025, 12, 31))
    assert parsed.text == "" and parsed.not_understood == ()
    assert nbsp_free(parsed.summary) == "Factures · correspondant EDF · montant > 500 € · année 2025"


def test_contracts_dupont_known_and_unknown() -> None:
    known = parse("contrats Dupont")
    assert known.doc_types == ("contrat",)
    assert known.correspondents == ("Dupont SARL",)  # the exact name wins over « Menuiserie Dupont »
    unknown = parse_query("contrats Dupont", today=TODAY)
    assert unknown.doc_types == ("contrat",)
    assert unknown.correspondent is None and unknown.text == "Dupont"


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (date(2026, 2, 10), date(2025, 3, 1), date(2025, 3, 31)),  # March not yet come: last year's
        (date(2026, 3, 20), date(2026, 3, 1), date(2026, 3, 31)),  # current March
        (date(2026, 12, 1), date(2026, 3, 1), date(2026, 3, 31)),
    ],
)
def test_statements_of_march_relative_to_today(today: date, start: date, end: date) -> None:
    parsed = parse("relevés de mars", today=today)
    assert parsed.doc_types == ("releve_bancaire",)
    assert (parsed.date_from, parsed.date_to) == (start, end)
    assert parsed.period_label == f"mars {start.year}"


# -- amounts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "low", "high", "low_strict", "high_strict"),
    [
        ("factures de moins de 200 €", None, "200", False, True),
        ("devis entre 100 et 200 €", "100", "200", False, False),
        ("devis entre 100 € et 200 €", "100", "200", False, False),
        ("factures de 100 à 200 euros", "100", "200", False, False),
        ("factures de plus de 1 500 €", "1500", None, True, False),
        ("factures de plus de 1\u202f500 €", "1500", None, True, False),
        ("factures de plus de 1.500 €", "1500", None, True, False),
        ("facture de 1 500,50 €", "1500.50", "1500.50", False, False),
        ("facture 1500.50 €", "1500.50", "1500.50", False, False),
        ("avoirs d'au moins 300 €", "300", None, False, False),
        ("factures supérieures à 750 €", "750", None, True, False),
        ("factures inférieures à 80 EUR", None, "80", False, True),
        ("factures au-dessus de 2k€", "2000", None, True, False),
        ("factures maximum 99,99 €", None, "99.99", False, False),
        ("factures > 500", "500", None, True, False),
        ("factures < 100 €", None, "100", False, True),
        ("factures d'un montant de 250 €", "250", "250", False, False),
    ],
)
def test_amounts(phrase: str, low: str | None, high: str | None, low_strict: bool, high_strict: bool) -> None:
    parsed = parse(phrase)
    assert parsed.amount_min == (None if low is None else Decimal(low).quantize(Decimal("0.01")))
    assert parsed.amount_max == (None if high is None else Decimal(high).quantize(Decimal("0.01")))
    if low is not None:
        assert parsed.amount_min_strict is low_strict
    if high is not None:
        assert parsed.amount_max_strict is high_strict
    assert parsed.not_understood == ()
    assert parsed.text == ""


def test_amount_summaries() -> None:
    assert "montant entre 100 € et 200 €" in nbsp_free(parse("devis entre 100 et 200 €").summary)
    assert "montant = 1 500,50 €" in nbsp_free(parse("facture de 1 500,50 €").summary)
    assert "montant < 200 €" in nbsp_free(parse("factures de moins de 200 €").summary)
    assert "montant ≥ 300 €" in nbsp_free(parse("avoirs d'au moins 300 €").summary)


def test_a_bare_number_is_text_not_an_amount() -> None:
    parsed = parse("facture 562044387")
    assert parsed.amount_min is None and parsed.text == "562044387"


def test_years_between_are_a_period_not_an_amount() -> None:
    parsed = parse("factures entre 2023 et 2025")
    assert parsed.amount_min is None
    assert (parsed.date_from, parsed.date_to) == (date(2023, 1, 1), date(2025, 12, 31))
    amounts = parse("factures entre 2023 et 2025 €")
    assert (amounts.amount_min, amounts.amount_max) == (Decimal("2023.00"), Decimal("2025.00"))
    assert amounts.date_from is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("1 500,50", "1500.50"), ("1.500", "1500"), ("1500.5", "1500.50"), ("12", "12"), ("0,99", "0.99")],
)
def test_parse_number(text: str, value: str) -> None:
    assert parse_number(text) == Decimal(value).quantize(Decimal("0.01"))
    assert parse_number("2", "k") == Decimal("2000.00")


# -- dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "start", "end", "label"),
    [
        ("factures 2025", "2025-01-01", "2025-12-31", "année 2025"),
        ("factures en 2024", "2024-01-01", "2024-12-31", "année 2024"),
        ("factures mars 2025", "2025-03-01", "2025-03-31", "mars 2025"),
        ("factures de janvier", "2026-01-01", "2026-01-31", "janvier 2026"),
        ("factures en décembre", "2025-12-01", "2025-12-31", "décembre 2025"),
        ("factures 03/2025", "2025-03-01", "2025-03-31", "mars 2025"),
        ("factures depuis janvier", "2026-01-01", None, "depuis le 01/01/2026"),
        ("factures depuis mars", "2025-03-01", None, "depuis le 01/03/2025"),
        ("factures depuis le 15/03/2025", "2025-03-15", None, "depuis le 15/03/2025"),
        ("factures depuis 2024", "2024-01-01", None, "depuis le 01/01/2024"),
        ("factures à partir de février 2025", "2025-02-01", None, "depuis le 01/02/2025"),
        ("factures après juin 2025", "2025-07-01", None, "depuis le 01/07/2025"),
        ("factures avant 2024", None, "2023-12-31", "jusqu'au 31/12/2023"),
        ("factures avant le 1er mars 2025", None, "2025-02-28", "jusqu'au 28/02/2025"),
        ("factures jusqu'au 31/03/2025", None, "2025-03-31", "jusqu'au 31/03/2025"),
        ("factures le mois dernier", "2026-01-01", "2026-01-31", "mois dernier (janvier 2026)"),
        ("factures de ce mois-ci", "2026-02-01", "2026-02-28", "ce mois-ci (février 2026)"),
        ("factures cette année", "2026-01-01", "2026-12-31", "année 2026"),
        ("factures de l'an dernier", "2025-01-01", "2025-12-31", "année 2025"),
        ("factures de l'année dernière", "2025-01-01", "2025-12-31", "année 2025"),
        ("factures de l’an passé", "2025-01-01", "2025-12-31", "année 2025"),
        ("factures de cette semaine", "2026-02-09", "2026-02-15", "cette semaine"),
        ("factures de la semaine dernière", "2026-02-02", "2026-02-08", "semaine dernière"),
        ("factures d'aujourd'hui", "2026-02-10", "2026-02-10", "aujourd'hui"),
        ("factures d'hier", "2026-02-09", "2026-02-09", "hier"),
        ("factures des 3 derniers mois", "2025-11-10", "2026-02-10", "3 derniers mois"),
        ("factures des trente derniers jours", "2026-01-11", "2026-02-10", "30 derniers jours"),
        ("factures du 01/02/2025 au 15/03/2025", "2025-02-01", "2025-03-15", "du 01/02/2025 au 15/03/2025"),
        (
            "factures du 1er février au 15 mars 2025",
            "2025-02-01",
            "2025-03-15",
            "du 01/02/2025 au 15/03/2025",
        ),
        ("factures du 1er au 15 janvier", "2026-01-01", "2026-01-15", "du 01/01/2026 au 15/01/2026"),
        ("factures de janvier à mars 2025", "2025-01-01", "2025-03-31", "du 01/01/2025 au 31/03/2025"),
        ("factures d'octobre 2024 à février 2025", "2024-10-01", "2025-02-28", "du 01/10/2024 au 28/02/2025"),
        ("factures le 15/03/2025", "2025-03-15", "2025-03-15", "le 15/03/2025"),
        ("factures du 3 janvier", "2026-01-03", "2026-01-03", "le 03/01/2026"),
        ("factures T1 2025", "2025-01-01", "2025-03-31", "1er trimestre 2025"),
        ("factures Q4 2024", "2024-10-01", "2024-12-31", "4e trimestre 2024"),
        ("factures premier trimestre", "2026-01-01", "2026-03-31", "1er trimestre 2026"),
        ("factures du deuxième trimestre", "2025-04-01", "2025-06-30", "2e trimestre 2025"),
        ("factures 3e trimestre 2025", "2025-07-01", "2025-09-30", "3e trimestre 2025"),
        ("factures S2 2025", "2025-07-01", "2025-12-31", "2e semestre 2025"),
        ("factures premier semestre 2025", "2025-01-01", "2025-06-30", "1er semestre 2025"),
        ("factures du trimestre dernier", "2025-10-01", "2025-12-31", "4e trimestre 2025"),
    ],
)
def test_periods(phrase: str, start: str | None, end: str | None, label: str) -> None:
    parsed = parse(phrase)
    assert parsed.doc_types == INVOICES
    assert parsed.date_from == (date.fromisoformat(start) if start else None)
    assert parsed.date_to == (date.fromisoformat(end) if end else None)
    assert parsed.period_label == label
    assert parsed.text == "" and parsed.not_understood == ()


def test_month_takes_the_year_typed_elsewhere() -> None:
    parsed = parse("factures mars EDF 2024")
    assert (parsed.date_from, parsed.date_to) == (date(2024, 3, 1), date(2024, 3, 31))
    assert parsed.correspondent == "EDF"


def test_invalid_dates_are_reported_not_searched() -> None:
    parsed = parse("factures le 31/02/2025")
    assert parsed.date_from is None
    assert parsed.not_understood == ("le 31/02/2025",)
    assert parsed.text == ""


def test_contradictory_periods_are_reported() -> None:
    parsed = parse("factures de mars 2024 en 2025")
    assert parsed.date_from is None and parsed.date_to is None
    assert "période contradictoire" in parsed.not_understood


# -- types -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "types"),
    [
        ("facture", INVOICES),
        ("factures", INVOICES),
        ("factures fournisseurs", ("facture_fournisseur",)),
        ("factures d'achat", ("facture_fournisseur",)),
        ("factures clients", ("facture_client",)),
        ("factures de vente", ("facture_client",)),
        ("avoir", ("avoir",)),
        ("avoirs", ("avoir",)),
        ("notes de crédit", ("avoir",)),
        ("devis", ("devis",)),
        ("propositions commerciales", ("devis",)),
        ("bon de livraison", ("bon_de_livraison",)),
        ("bons de livraison", ("bon_de_livraison",)),
        ("BL", ("bon_de_livraison",)),
        ("contrat", ("contrat",)),
        ("baux", ("contrat",)),
        ("relevé", ("releve_bancaire",)),
        ("relevés de compte", ("releve_bancaire",)),
        ("relevés bancaires", ("releve_bancaire",)),
        ("fiche de paie", ("bulletin_de_paie",)),
        ("fiches de paye", ("bulletin_de_paie",)),
        ("bulletins de salaire", ("bulletin_de_paie",)),
        ("courrier", ("courrier_administratif",)),
        ("courriers administratifs", ("courrier_administratif",)),
        ("lettres", ("courrier_administratif",)),
        ("CV", ("cv",)),
        ("curriculum vitae", ("cv",)),
        ("candidatures", ("cv",)),
        ("tickets de caisse", ("facture_fournisseur",)),
        ("contrats et devis", ("contrat", "devis")),
    ],
)
def test_document_types(phrase: str, types: tuple[str, ...]) -> None:
    parsed = parse(phrase)
    assert parsed.doc_types == types
    assert parsed.text == ""


def test_type_summaries() -> None:
    assert parse("factures fournisseurs").summary == "Factures fournisseurs"
    assert parse("fiches de paie").summary == "Bulletins de paie"
    assert parse("contrats et devis").summary == "Contrats ou Devis"
    assert parse("").summary == "Tous les documents"
    assert parse("").is_empty


# -- tags, correspondents, text ----------------------------------------------------------------------


def test_tags_accent_and_plural_insensitive() -> None:
    assert parse("factures energie").tags == ("énergie",)
    assert parse("factures loyers 2025").tags == ("loyer",)
    assert parse("devis chantier dupuis").tags == ("chantier Dupuis",)
    assert parse("devis #chantier-dupuis").tags == ("chantier Dupuis",)
    assert parse("factures énergie").summary == "Factures · étiquette énergie"


def test_correspondents_fuzzy_and_accent_insensitive() -> None:
    assert parse("factures leroy merlin").correspondents == ("Leroy Merlin",)
    assert parse("factures Leroy Merlen").correspondents == ("Leroy Merlin",)
    assert parse("courriers de l'urssaf").correspondents == ("URSSAF",)
    assert parse("factures Menuiserie Dupont").correspondents == ("Menuiserie Dupont",)


def test_an_ambiguous_word_gives_every_matching_correspondent() -> None:
    parsed = parse("factures Martin")
    assert set(parsed.correspondents) == {"Garage Martin", "Martin Plomberie"}
    assert "correspondant Garage Martin ou Martin Plomberie" in parsed.summary


def test_several_correspondents() -> None:
    parsed = parse("factures EDF et Leroy Merlin")
    assert parsed.correspondents == ("EDF", "Leroy Merlin")


def test_leftover_words_go_to_full_text_search_as_typed() -> None:
    parsed = parse("facture chaudière Garage Martin 2025")
    assert parsed.correspondents == ("Garage Martin",)
    assert parsed.text == "chaudière"
    assert parsed.summary.endswith("texte « chaudière »")
    assert parse("tous les documents de mes fournisseurs").doc_types == ()


def test_unreadable_filters_are_reported_not_searched() -> None:
    parsed = parse("factures chaudière de plus de mille balles")
    assert parsed.text == "chaudière"
    assert parsed.not_understood == ("plus de mille balles",)
    assert parsed.amount_min is None


def test_as_filters_is_json_friendly() -> None:
    filters = parse("factures EDF de plus de 500 € en 2025").as_filters()
    assert filters == {
        "doc_types": list(INVOICES),
        "correspondent": "EDF",
        "correspondents": ["EDF"],
        "amount_min": "500.00",
        "amount_min_strict": True,
        "amount_max": None,
        "amount_max_strict": False,
        "date_from": "2025-01-01",
        "date_to": "2025-12-31",
        "tags": [],
        "text": "",
    }


def test_sources_say_the_rules_filled_the_fields() -> None:
    parsed = parse("factures EDF 2025")
    assert parsed.sources == {"doc_types": "règles", "correspondents": "règles", "dates": "règles"}


def test_parser_object_reused_for_many_phrases() -> None:
    parser = QueryParser(correspondents=NAMES, tags=TAGS)
    assert parser.parse("devis EDF", today=TODAY).correspondent == "EDF"
    assert parser.parse("devis Dupont SARL", today=TODAY).correspondent == "Dupont SARL"


@pytest.mark.parametrize("bad", [None, 12, ["facture"]])
def test_non_text_query_is_refused(bad: object) -> None:
    with pytest.raises(QueryError, match="chaîne de caractères"):
        parse_query(bad, today=TODAY)  # type: ignore[arg-type]


def test_too_long_query_is_refused() -> None:
    with pytest.raises(QueryError, match="trop longue"):
        parse_query("facture " * 100, today=TODAY)


def test_bad_names_are_refused() -> None:
    with pytest.raises(QueryError):
        QueryParser(correspondents=["EDF", 3])  # type: ignore[list-item]
