"""Our invoices as Factur-X XML (UN/CEFACT CII D16B, profile EN 16931), built with the `factur-x` library.

Why `facturx.generate_xml`: it writes the CII from a dict keyed by EN 16931 business terms and checks the
result against the official XSD; `parse_ubl_cii_xml` reads the same dict back, which gives us the round
trip test (issue → extract → same fields). The XSD check is always on. Schematron checks (the business
rules BR-xx) need a Saxon server (french-rules §1): they are OFF by default and run only when
`ETABLI_FACTURX_SCHEMATRON_URL` points to one.
"""

from __future__ import annotations

import os
from decimal import Decimal

from etabli.billing.models import DocType, Invoice
from etabli.billing.rules import OPERATION_CODES, UNIT_CODES, VATEX_CODES, terms_text
from etabli.common.formats import format_date

PROFILE = "en16931"
BT_24 = "urn:cen.eu:en16931:2017"
TYPE_CODES = {DocType.INVOICE: "380", DocType.DEPOSIT: "386", DocType.CREDIT_NOTE: "381"}


def _money(value) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


def _plain(value) -> str:
    """Decimal without exponent or trailing zeros: 2.0000 → "2", 5.50 → "5.5"."""
    text = f"{Decimal(value).normalize():f}"
    return text if text not in ("-0",) else "0"


def schematron_url() -> str | None:
    return os.environ.get("ETABLI_FACTURX_SCHEMATRON_URL") or None


def _address(prefix: dict, data: dict, keys: tuple[str, str, str, str, str]) -> None:
    line1, line2, postcode, city, country = keys
    if data.get(line1):
        prefix["addr_l1"] = data[line1][:200]
    if data.get(line2):
        prefix["addr_l2"] = data[line2][:200]
    if data.get(postcode):
        prefix["postcode"] = data[postcode]
    if data.get(city):
        prefix["city"] = data[city]
    prefix["country_code"] = data.get(country) or "FR"


def build_data(invoice: Invoice) -> dict:
    """The EN 16931 dict of an issued invoice (frozen snapshots only: rebuilding it later gives the same XML)."""
    seller, buyer, mentions = invoice.seller, invoice.buyer, invoice.legal_mentions or {}
    data: dict = {
        "BT-1": invoice.number,
        "BT-2": invoice.issue_date,
        "BT-3": TYPE_CODES[invoice.doc_type],
        "BT-5": invoice.currency,
        "BT-24": BT_24,
    }
    if invoice.due_date and invoice.doc_type != DocType.CREDIT_NOTE:
        data["BT-9"] = invoice.due_date
        data["BT-20"] = (
            f"{terms_text(invoice.payment_terms_days)} — échéance le {format_date(invoice.due_date)}"
        )
    if invoice.order_reference:
        data["BT-13"] = invoice.order_reference
    if invoice.quote_id:
        data["BT-14"] = invoice.quote.number
    if invoice.operation_category:
        data["BT-23"] = OPERATION_CODES[invoice.operation_category]
    # Date of supply: the delivery date when given, else the issue date. Always written: factur-x 7.8 emits
    # an empty, xsi:nil ApplicableHeaderTradeDelivery (refused by the XSD) when it has no child at all.
    data["BT-72"] = invoice.delivery_date or invoice.issue_date
    if invoice.vat_on_debits:
        data["BT-8"] = "invoice"
    notes = []
    for code, key in (
        ("PMD", "penalties"),
        ("PMT", "indemnity"),
        ("AAB", "discount"),
        ("REG", "seller"),
        ("TXD", "vat_on_debits"),
        ("AAI", "operation"),
        ("AAI", "extra"),
    ):
        if mentions.get(key):
            notes.append({"BT-21": code, "BT-22": mentions[key]})
    if invoice.notes:
        notes.append({"BT-21": "AAI", "BT-22": invoice.notes[:1000]})
    if notes:
        data["BG-1"] = notes
    if invoice.doc_type == DocType.CREDIT_NOTE and invoice.related_invoice_id:
        related = invoice.related_invoice
        data["BG-3"] = [{"BT-25": related.number, "BT-26": related.issue_date}]
    party = {"name": seller["legal_name"]}
    if seller.get("trade_name") and seller["trade_name"] != seller["legal_name"]:
        party["biz_name"] = seller["trade_name"]
    if seller.get("siren"):
        party.update(
            legal_identifier=seller["siren"],
            legal_identifier_schemeid="0002",
            einvoicing_addr=seller["siren"],
            einvoicing_addr_schemeid="0225",
        )
    if seller.get("siret"):
        party["identifiers"] = {"0009": seller["siret"]}
    if seller.get("vat_number"):
        party["vat_identifier"] = seller["vat_number"]
    if mentions.get("seller"):
        party["legal_info"] = mentions["seller"][:500]
    _address(party, seller, ("address_line1", "address_line2", "postcode", "city", "country"))
    contact = {k: seller[k] for k in ("email", "phone") if seller.get(k)}
    if contact:
        party["contacts"] = [contact]
    data["BG-4"] = party
    party = {"name": buyer["name"]}
    if buyer.get("siren"):
        party.update(
            legal_identifier=buyer["siren"],
            legal_identifier_schemeid="0002",
            einvoicing_addr=buyer["siren"],
            einvoicing_addr_schemeid="0225",
        )
    if buyer.get("vat_number"):
        party["vat_identifier"] = buyer["vat_number"]
    _address(party, buyer, ("address_line1", "address_line2", "postcode", "city", "country"))
    if buyer.get("email"):
        party["contacts"] = [{"email": buyer["email"]}]
    data["BG-7"] = party
    if buyer.get("delivery_line1"):
        delivery = {"name": buyer["name"]}
        _address(
            delivery, buyer, ("delivery_line1", "", "delivery_postcode", "delivery_city", "delivery_country")
        )
        data["BG-13"] = delivery
    if seller.get("iban") and invoice.doc_type != DocType.CREDIT_NOTE:
        data["BT-81"] = "58"
        data["BT-83"] = invoice.number
        data["BT-84"] = seller["iban"].replace(" ", "")
        if seller.get("bic"):
            data["BT-86"] = seller["bic"]
    data["BG-23"] = []
    for row in invoice.vat_breakdown:
        vat_row = {
            "BT-116": _money(row["base"]),
            "BT-117": _money(row["vat"]),
            "BT-118": row.get("category", "S"),
            "BT-119": _money(row["rate"]),
        }
        if row.get("category", "S") != "S":
            vat_row["BT-120"] = row.get("exemption") or mentions.get("vat_exemption", "Exonération")
            if row.get("category") in VATEX_CODES:
                vat_row["BT-121"] = VATEX_CODES[row["category"]]
        data["BG-23"].append(vat_row)
    lines = []
    for line in invoice.lines.all():
        item = {
            "BT-126": str(line.position + 1),
            "BT-129": _plain(line.quantity),
            "BT-130": UNIT_CODES.get(line.unit, "C62"),
            "BT-131": _money(line.net_amount),
            "BT-146": _plain(line.unit_price * (Decimal(100) - line.discount_percent) / Decimal(100)),
            "BT-151": line.vat_category,
            "BT-152": _money(line.vat_rate),
            "BT-153": line.description[:300],
        }
        if line.discount_percent:
            item["BT-148"] = _plain(line.unit_price)
        if line.sku:
            item["BT-155"] = line.sku
        lines.append(item)
    data["BG-25"] = lines
    data.update(
        {
            "BT-106": _money(invoice.total_ht),
            "BT-109": _money(invoice.total_ht),
            "BT-110": _money(invoice.total_tva),
            "BT-112": _money(invoice.total_ttc),
            "BT-113": _money(invoice.prepaid_amount),
            "BT-115": _money(invoice.total_ttc - invoice.prepaid_amount),
        }
    )
    return data


def build_xml(invoice: Invoice) -> bytes:
    """CII XML of the invoice, XSD-checked (schematron only with a configured Saxon server)."""
    from facturx import generate_xml

    url = schematron_url()
    return generate_xml(
        build_data(invoice),
        flavor="factur-x",
        level=PROFILE,
        check_xsd=True,
        check_schematron="base" if url else False,
        saxon_server_url=url,
        saxon_server_raise_if_http_error=bool(url),
    )
