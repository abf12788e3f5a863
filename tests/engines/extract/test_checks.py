"""Each cross-check, passing and failing, and how it moves the confidence of the fields involved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from etabli.engines.extract import Check, FieldValue, VatRateLine, apply_checks, run_checks


def fields(source: str = "text", confidence: float = 0.8, **values: object) -> dict[str, FieldValue]:
    return {name: FieldValue(value, confidence, source) for name, value in values.items()}  # type: ignore[arg-type]


def by_name(checks: list[Check], name: str) -> list[Check]:
    return [check for check in checks if check.name == name]


def D(text: str) -> Decimal:
    return Decimal(text)


def test_totals_consistent_ok_and_failing() -> None:
    ok = run_checks(fields(total_ht=D("100.00"), total_tva=D("20.00"), total_ttc=D("120.00")), [])
    assert [c.ok for c in by_name(ok, "totals_consistent")] == [True]
    bad = run_checks(fields(total_ht=D("100.00"), total_tva=D("20.00"), total_ttc=D("1200.00")), [])
    check = by_name(bad, "totals_consistent")[0]
    assert not check.ok
    assert "≠" in check.message and "1 200,00" in check.message.replace("\u202f", " ")
    assert check.fields == ("total_ht", "total_tva", "total_ttc")


def test_totals_check_needs_all_three_amounts() -> None:
    assert (
        by_name(run_checks(fields(total_ht=D("100.00"), total_ttc=D("120.00")), []), "totals_consistent")
        == []
    )


@pytest.mark.parametrize(
    ("row", "ok"),
    [
        (VatRateLine(Decimal(20), D("81.90"), D("16.38")), True),
        (VatRateLine(Decimal("5.5"), D("543.00"), D("29.87")), True),
        (VatRateLine(Decimal(20), D("100.00"), D("19.00")), False),
    ],
)
def test_vat_per_rate(row: VatRateLine, ok: bool) -> None:
    check = by_name(run_checks({}, [row]), "vat_per_rate")[0]
    assert check.ok is ok
    assert "TVA à" in check.message
    if not ok:
        assert "attendue est 20,00" in check.message


def test_vat_breakdown_sum() -> None:
    rows = [
        VatRateLine(Decimal(20), D("81.90"), D("16.38")),
        VatRateLine(Decimal("5.5"), D("543.00"), D("29.87")),
    ]
    good = run_checks(fields(total_ht=D("624.90"), total_tva=D("46.25"), total_ttc=D("671.15")), rows)
    assert by_name(good, "vat_breakdown_sum")[0].ok
    bad = run_checks(fields(total_ht=D("700.00"), total_tva=D("46.25"), total_ttc=D("746.25")), rows)
    assert not by_name(bad, "vat_breakdown_sum")[0].ok


def test_siren_and_siret_keys() -> None:
    good = run_checks(fields(siren="421938861", siret="42193886100047"), [])
    assert by_name(good, "siren_checksum")[0].ok
    bad = run_checks(fields(siren="421938862", siret="42193886100048"), [])
    assert not by_name(bad, "siren_checksum")[0].ok
    assert not by_name(bad, "siret_checksum")[0].ok
    assert "invalide" in by_name(bad, "siren_checksum")[0].message


def test_la_poste_siret_exception_is_valid() -> None:
    """La Poste establishments fail Luhn but pass the digit-sum rule (french-rules §4)."""
    check = by_name(run_checks(fields(siret="35600000000048"), []), "siret_checksum")[0]
    assert check.ok


def test_siret_must_start_with_the_siren() -> None:
    checks = run_checks(fields(siren="421938861", siret="73282932000074"), [])
    assert not by_name(checks, "siret_matches_siren")[0].ok


def test_french_vat_key_and_consistency_with_siren() -> None:
    good = run_checks(fields(siren="421938861", vat_number="FR60421938861"), [])
    assert by_name(good, "vat_number_key")[0].ok and by_name(good, "vat_matches_siren")[0].ok
    wrong_key = run_checks(fields(vat_number="FR61421938861"), [])
    assert not by_name(wrong_key, "vat_number_key")[0].ok
    other_company = run_checks(fields(siren="421938861", vat_number="FR44732829320"), [])
    assert by_name(other_company, "vat_number_key")[0].ok
    assert not by_name(other_company, "vat_matches_siren")[0].ok


def test_foreign_vat_number() -> None:
    assert by_name(run_checks(fields(vat_number="NL810433941B01"), []), "vat_number_key")[0].ok
    assert not by_name(run_checks(fields(vat_number="NL810433942B01"), []), "vat_number_key")[0].ok


@pytest.mark.parametrize(
    ("iban", "ok", "reason"),
    [
        ("FR7630006000011234567890189", True, ""),
        ("FR7630006000011234567890188", False, "clé"),  # IBAN check digits wrong
        ("FR2012421242124212421242124", False, "clé RIB"),  # mod-97 fine, French RIB key wrong
        ("US1234567890", False, "code pays"),
    ],
)
def test_iban(iban: str, ok: bool, reason: str) -> None:
    check = by_name(run_checks(fields(iban=iban), []), "iban_checksum")[0]
    assert check.ok is ok
    assert reason in check.message


def test_due_date_after_issue_date() -> None:
    good = run_checks(fields(issue_date=date(2026, 3, 1), due_date=date(2026, 3, 31)), [])
    assert by_name(good, "due_after_issue")[0].ok
    bad = by_name(
        run_checks(fields(issue_date=date(2026, 3, 31), due_date=date(2026, 3, 1)), []), "due_after_issue"
    )[0]
    assert not bad.ok and "antérieure" in bad.message and "31/03/2026" in bad.message


def test_failed_check_lowers_confidence_and_passed_check_raises_it() -> None:
    start = fields(
        confidence=0.8, total_ht=D("100.00"), total_tva=D("20.00"), total_ttc=D("999.00"), siren="421938861"
    )
    checks = run_checks(start, [])
    adjusted = apply_checks(start, checks)
    assert adjusted["total_ttc"].confidence == pytest.approx(0.4)
    assert adjusted["total_ht"].confidence == pytest.approx(0.4)
    assert adjusted["siren"].confidence == pytest.approx(0.9)


def test_xml_fields_keep_full_confidence_even_when_a_check_fails() -> None:
    start = fields(
        source="xml", confidence=1.0, total_ht=D("100.00"), total_tva=D("20.00"), total_ttc=D("999.00")
    )
    checks = run_checks(start, [])
    assert not checks[0].ok
    assert all(field.confidence == 1.0 for field in apply_checks(start, checks).values())


def test_check_as_dict_is_the_cli_shape() -> None:
    check = run_checks(fields(total_ht=D("1.00"), total_tva=D("0.20"), total_ttc=D("1.20")), [])[0]
    assert check.as_dict() == {"name": "totals_consistent", "ok": True, "message": check.message}
