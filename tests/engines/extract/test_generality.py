"""Generic extraction on invoices the extractor has never seen: generated French invoices and the
public invoice2data samples (the issue's acceptance example among them)."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from etabli.engines.extract import extract_invoice, to_contract
from etabli.engines.ocr import read_document
from tests.engines.extract.factory import LAYOUTS, generate

INVOICE2DATA = Path(__file__).resolve().parents[4] / "shared" / "datasets" / "invoices" / "invoice2data"
needs_dataset = pytest.mark.skipif(
    not INVOICE2DATA.exists(),
    reason="jeu de données partagé absent (../shared/datasets/invoices/invoice2data)",
)
SEEDS = [7, 11, 23, 42, 64, 77, 90, 101, 133, 150]


def normalised_name(name: object) -> str:
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(
        w for w in words if w not in {"sarl", "sas", "sasu", "eurl", "sa", "ei", "bv", "inc", "ltd", "pvt"}
    )


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("seed", SEEDS[:2])
def test_every_layout_is_read_exactly(layout: str, seed: int) -> None:
    invoice = generate(seed, layout)
    extraction = extract_invoice(read_document(invoice.pdf))
    for field, expected in invoice.truth.items():
        got = extraction.doc_type if field == "doc_type" else extraction.value(field)
        if field == "issuer_name":
            assert normalised_name(got) == normalised_name(expected), field
        else:
            assert got == expected, f"{layout}/{seed}: {field}"


@pytest.mark.parametrize("seed", SEEDS[2:])
def test_random_invoices_are_read_exactly_and_located(seed: int) -> None:
    invoice = generate(seed)
    extraction = extract_invoice(read_document(invoice.pdf))
    for field in ("invoice_number", "issue_date", "total_ttc", "iban", "siren"):
        assert extraction.value(field) == invoice.truth[field], f"{invoice.layout}/{seed}: {field}"
    located = extraction.fields["invoice_number"].location
    assert located is not None and located.page == 1 and 0 <= located.x0 < located.x1 <= 596
    assert extraction.fields["total_ttc"].confidence >= 0.8
    assert all(check.ok for check in extraction.checks), [c.message for c in extraction.checks if not c.ok]


def test_vat_breakdown_of_a_multi_rate_invoice() -> None:
    invoice = generate(5, "multi_rate")
    extraction = extract_invoice(read_document(invoice.pdf))
    assert sorted((r.rate, r.base, r.vat) for r in extraction.vat_breakdown) == sorted(invoice.breakdown)
    assert any(c.name == "vat_per_rate" and c.ok for c in extraction.checks)
    assert any(c.name == "vat_breakdown_sum" and c.ok for c in extraction.checks)


@needs_dataset
def test_acceptance_free_fiber() -> None:
    """Issue 4 acceptance: number 562044387, 2015-07-02, TTC 29.99, VAT FR60421938861."""
    path = INVOICE2DATA / "free_fiber.pdf"
    contract = to_contract(extract_invoice(read_document(path)), str(path))
    fields = contract["fields"]
    assert fields["invoice_number"] == "562044387"
    assert fields["issue_date"] == "2015-07-02"
    assert fields["total_ttc"] == 29.99
    assert fields["vat_number"] == "FR60421938861"
    assert fields["siren"] == "421938861" and fields["due_date"] == "2015-07-05"
    assert contract["doc_type"] == "facture"
    assert json.loads(json.dumps(contract), parse_float=Decimal)["fields"]["total_ht"] == Decimal("24.99")


@needs_dataset
@pytest.mark.parametrize("stem", ["AmazonWebServices", "AzureInterior", "coolblue1", "free_fiber", "oyo"])
def test_invoice2data_samples(stem: str) -> None:
    """Every expected field except issuer names that are brands rather than the printed company."""
    truth = json.loads((INVOICE2DATA / f"{stem}.json").read_text())[0]
    extraction = extract_invoice(read_document(INVOICE2DATA / f"{stem}.pdf"))
    value = extraction.value
    assert value("total_ttc") == Decimal(str(truth["amount"])).quantize(Decimal("0.01"))
    assert value("issue_date") == date.fromisoformat(truth["date"])
    assert str(value("invoice_number")) == truth["invoice_number"]
    assert value("currency") == truth["currency"]
    if "amount_untaxed" in truth:
        assert value("total_ht") == Decimal(str(truth["amount_untaxed"])).quantize(Decimal("0.01"))
    if "vat" in truth:
        assert value("vat_number") == truth["vat"]
    if "iban" in truth:
        assert value("iban") == truth["iban"]
    if "date_due" in truth:
        assert value("due_date") == date.fromisoformat(truth["date_due"])
