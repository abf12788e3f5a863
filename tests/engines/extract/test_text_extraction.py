"""Generic extraction from text: labels, formats and traps, on small French invoices written here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from etabli.engines.extract import extract_from_text
from etabli.engines.extract.parsing import find_amounts, find_dates, fold, parse_number, prefers_month_first

BASIC = """\
Plomberie du Centre SARL
12 rue des Lilas 21000 Dijon
Facturé à :
Mairie de Saint-Jean
N° TVA client : FR01393642939
Facture n° FA-2025-0117 du 12 mars 2025
Date d'échéance : 11/04/2025
Bon de commande n° BC-4410
Main-d'œuvre   3   45,00 €   135,00 €
Total HT   1 250,00 €
TVA 20 %   250,00 €
Net à payer   1 500,00 €
IBAN : FR76 3000 6000 0112 3456 7890 189
Plomberie du Centre SARL au capital de 8 000 € - RCS Dijon 421 938 861 - TVA FR60421938861
"""


def test_reads_a_plain_french_invoice() -> None:
    extraction = extract_from_text(BASIC)
    value = extraction.value
    assert value("invoice_number") == "FA-2025-0117"
    assert value("issue_date") == date(2025, 3, 12)
    assert value("due_date") == date(2025, 4, 11)
    assert value("order_reference") == "BC-4410"
    assert (value("total_ht"), value("total_tva"), value("total_ttc")) == (
        Decimal("1250.00"),
        Decimal("250.00"),
        Decimal("1500.00"),
    )
    assert value("iban") == "FR7630006000011234567890189"
    assert value("siren") == "421938861"
    assert value("vat_number") == "FR60421938861"  # not the customer's FR01393642939
    assert value("issuer_name") == "Plomberie du Centre SARL"
    assert value("currency") == "EUR"
    assert extraction.doc_type == "facture"
    assert all(check.ok for check in extraction.checks), [c.message for c in extraction.checks if not c.ok]
    assert extraction.vat_breakdown[0].rate == Decimal(20) and extraction.vat_breakdown[0].base == Decimal(
        "1250.00"
    )


def test_consistent_totals_win_over_better_labelled_ones() -> None:
    text = """\
Facture FA-9
Sous-total 80,00 €
Sous-total 100,00 €
Total TVA 20,00 €
Total 120,00 €
Acompte versé 50,00 €
Total 70,00 €
"""
    value = extract_from_text(text).value
    assert (value("total_ht"), value("total_tva"), value("total_ttc")) == (
        Decimal("100.00"),
        Decimal("20.00"),
        Decimal("120.00"),
    )


def test_related_invoice_is_not_the_number_nor_the_date() -> None:
    text = """\
AVOIR AV-2024-0031
Date : 05/02/2024
Facture liée FA-2024-0007 du 10/01/2024
Total HT -100,00 €
TVA -20,00 €
Total TTC -120,00 €
"""
    extraction = extract_from_text(text)
    assert extraction.doc_type == "avoir"
    assert extraction.value("invoice_number") == "AV-2024-0031"
    assert extraction.value("issue_date") == date(2024, 2, 5)
    # Credit notes are reported with positive magnitudes, the type carrying the sign.
    assert extraction.value("total_ttc") == Decimal("120.00")


def test_micro_entrepreneur_without_vat() -> None:
    text = """\
Jean Dupont - Entrepreneur individuel
Facture N°2024-015
Date : 3 juin 2024
Prestation de conseil   600,00 €
Total à payer   600,00 €
TVA non applicable, art. 293 B du CGI
SIRET : 732 829 320 00074
"""
    extraction = extract_from_text(text)
    value = extraction.value
    assert value("total_ttc") == Decimal("600.00")
    assert value("total_ht") == Decimal("600.00") and value("total_tva") == Decimal("0.00")
    assert extraction.fields["total_ht"].source == "derived"
    assert value("siret") == "73282932000074" and value("siren") == "732829320"
    assert value("vat_number") is None


def test_month_first_document_and_english_labels() -> None:
    text = """\
Invoice No: 2024-77
Invoice Date: 03/04/2024
Due Date: 05/20/2024
Subtotal $100.00
Tax $8.25
Total Due $108.25
"""
    value = extract_from_text(text).value
    assert value("issue_date") == date(2024, 3, 4)  # 05/20 only reads month first: so does 03/04
    assert value("due_date") == date(2024, 5, 20)
    assert value("currency") == "USD"
    assert value("total_ttc") == Decimal("108.25")


def test_missing_fields_stay_missing() -> None:
    extraction = extract_from_text("Bonjour,\nmerci pour votre visite.\n")
    assert extraction.fields == {} or all(name in ("issuer_name",) for name in extraction.fields)
    assert extraction.doc_type == "autre"


def test_quote_is_recognised() -> None:
    assert extract_from_text("DEVIS N° D-2025-004\nTotal TTC 1 200,00 €\n").doc_type == "devis"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234,56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("29.99", "29.99"),
        ("1939", "1939"),
        ("3.441.812", "3441812"),
        ("120 000,00", "120000.00"),
        ("0,5", "0.5"),
    ],
)
def test_parse_number(text: str, value: str) -> None:
    assert parse_number(text) == Decimal(value)


def test_find_amounts_skips_dates_percentages_and_references() -> None:
    text = "Le 02/07/2015, FA-2017-0010 : TVA 20,0 % soit 16,38 € sur $ 81.90 ; Rs 1939"
    found = [(str(a.value), a.plausible_total) for a in find_amounts(text)]
    assert ("16.38", True) in found and ("81.90", True) in found and ("1939.00", True) in found
    assert not any(value in ("2015.00", "2017.00", "20.00", "20.0") for value, _ in found)


def test_find_dates_formats() -> None:
    text = "02 Juillet 2015, August 3 , 2014, 2015-07-02, 19 april 2014, 1er mars 2024, 15-10-2015, 12.03.17"
    resolved = [m.resolve(False) for m in find_dates(text)]
    assert resolved == [
        date(2015, 7, 2),
        date(2014, 8, 3),
        date(2015, 7, 2),
        date(2014, 4, 19),
        date(2024, 3, 1),
        date(2015, 10, 15),
        date(2017, 3, 12),
    ]


def test_month_first_is_chosen_only_on_evidence() -> None:
    assert not prefers_month_first(find_dates("05/04/2024 07/08/2024"))
    assert prefers_month_first(find_dates("05/04/2024 07/28/2024"))


def test_fold_keeps_length() -> None:
    for text in ("Échéance — n°12 l’été", "TVA intracommunautaire", "ﬁn ½"):
        assert len(fold(text)) == len(text)
    assert fold("Échéance") == "echeance"


def test_ocr_misread_iban_check_digits_are_repaired() -> None:
    """OCR reads "NL50" as "NLSO": the check digits are fixed only if the whole IBAN then validates."""
    extraction = extract_from_text("Factuurnummer: 993548900\nIBAN NLSOINGB0683251309\n")
    iban = extraction.fields["iban"]
    assert iban.value == "NL50INGB0683251309" and iban.confidence < 0.9
    assert "iban" not in extract_from_text("IBAN NLSOINGB0683251308\n").fields


def test_including_tax_column_is_a_ttc_column() -> None:
    text = "Artikel   Prijs incl. BTW\nExclusief BTW € 100,00   Subtotaal € 121,00\nTotaal € 121,00\n"
    value = extract_from_text(text).value
    assert (value("total_ht"), value("total_ttc")) == (Decimal("100.00"), Decimal("121.00"))
    assert value("total_tva") == Decimal("21.00")
