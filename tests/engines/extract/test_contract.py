"""The JSON contract of `etabli documents extract --json` (issue 4, §7)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from etabli.engines.extract import CONTRACT_FIELDS, extract_file_contract, extract_from_text, to_contract

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_contract_shape_with_missing_fields_as_null() -> None:
    extraction = extract_from_text("Facture n° F-12\nDate : 02/01/2026\nTotal TTC 1 200,50 €\n")
    contract = to_contract(extraction, "f.pdf")
    assert list(contract) == ["file", "doc_type", "fields", "confidence", "checks"]
    assert contract["file"] == "f.pdf" and contract["doc_type"] == "facture"
    assert list(contract["fields"]) == list(CONTRACT_FIELDS)
    assert list(contract["confidence"]) == list(CONTRACT_FIELDS)
    fields = contract["fields"]
    assert fields["invoice_number"] == "F-12"
    assert fields["issue_date"] == "2026-01-02"
    assert fields["total_ttc"] == 1200.5 and isinstance(fields["total_ttc"], float)
    assert fields["siren"] is None and fields["iban"] is None and fields["due_date"] is None
    assert contract["confidence"]["siren"] == 0.0
    assert 0 < contract["confidence"]["total_ttc"] <= 1
    assert isinstance(contract["checks"], list)
    json.dumps(contract)  # serialisable as is


def test_contract_amounts_round_trip_to_exact_decimals() -> None:
    contract = extract_file_contract(FIXTURES / "facture_cii_en16931.xml")
    text = json.dumps(contract)
    again = json.loads(text, parse_float=Decimal)
    assert again["fields"]["total_ttc"] == Decimal("405.5")
    assert again["fields"]["total_tva"] == Decimal("55.5")
    assert all(
        value == 1.0 for name, value in contract["confidence"].items() if contract["fields"][name] is not None
    )
    assert {check["name"] for check in contract["checks"]} >= {
        "totals_consistent",
        "vat_per_rate",
        "siren_checksum",
    }
    assert all(set(check) == {"name", "ok", "message"} for check in contract["checks"])
