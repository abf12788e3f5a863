"""Fields of an e-invoice read exactly from its XML (Factur-X/CII, UBL, and legacy ZUGFeRD 1.0).

First choice: the ``factur-x`` library's ``parse_ubl_cii_xml`` (EN 16931 business terms: BT-1 number,
BT-2 date, BT-109/110/112 totals…). It is strict — it refuses, for instance, the UBL files Odoo embeds
in its PDFs (no ``CustomizationID``) and ZUGFeRD 1.0 — so a small namespace-agnostic XPath reader takes
over for those, reading the same business terms. Every value present in the XML gets confidence 1.0.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from etabli.common.money import round_cents
from etabli.engines.extract.models import FieldValue, VatRateLine
from etabli.engines.ocr.einvoice import parse_xml

CREDIT_NOTE_CODES = frozenset({"381", "261", "262", "296", "308", "396", "420", "458", "532"})


class EInvoiceError(ValueError):
    """An XML e-invoice whose content cannot be read (the message is French)."""


def read_einvoice_fields(
    xml: bytes, syntax: str | None = None
) -> tuple[dict[str, FieldValue], tuple[VatRateLine, ...], str]:
    """Fields, VAT breakdown and document type (facture/avoir) of an XML e-invoice."""
    root = parse_xml(xml)
    syntax = syntax or _syntax(root)
    raw: dict[str, Any] | None = None
    if syntax in ("cii", "ubl"):
        try:
            raw, breakdown, type_code = _read_with_facturx(xml)
        except Exception:  # noqa: BLE001 - the library raises bare exceptions on XML it finds incomplete
            raw = None
    if raw is None:
        raw, breakdown, type_code = _read_with_xpath(root, syntax)
    if not raw.get("invoice_number") and not raw.get("total_ttc"):
        raise EInvoiceError("La facture électronique ne contient ni numéro ni montant lisibles.")
    fields = {
        name: FieldValue(value=value, confidence=1.0, source="xml", evidence="facture électronique (XML)")
        for name, value in raw.items()
        if value not in (None, "")
    }
    credit_note = type_code in CREDIT_NOTE_CODES or etree.QName(root).localname == "CreditNote"
    return fields, breakdown, "avoir" if credit_note else "facture"


def _syntax(root: etree._Element) -> str:
    name = etree.QName(root).localname
    if name == "CrossIndustryDocument":
        return "zugferd1"
    if name in ("Invoice", "CreditNote"):
        return "ubl"
    return "cii"


def _read_with_facturx(xml: bytes) -> tuple[dict[str, Any], tuple[VatRateLine, ...], str | None]:
    from facturx import parse_ubl_cii_xml

    data = parse_ubl_cii_xml(xml)
    seller = data.get("BG-4") or {}
    siren, siret = legal_ids(
        seller.get("legal_identifier"),
        seller.get("legal_identifier_schemeid"),
        (seller.get("identifiers") or {}).get("0009"),
    )
    raw: dict[str, Any] = {
        "issuer_name": _text(seller.get("name")),
        "siren": siren,
        "siret": siret,
        "vat_number": _compact(seller.get("vat_identifier")),
        "invoice_number": _text(data.get("BT-1")),
        "issue_date": _date(data.get("BT-2")),
        "due_date": _date(data.get("BT-9")),
        "currency": _text(data.get("BT-5")),
        "total_ht": _amount(data.get("BT-109")),
        "total_tva": _amount(data.get("BT-110")),
        "total_ttc": _amount(data.get("BT-112")),
        "iban": _compact(data.get("BT-84")),
        "order_reference": _text(data.get("BT-13")),
    }
    breakdown = tuple(
        VatRateLine(
            rate=_rate(row.get("BT-119")), base=_amount(row.get("BT-116")), vat=_amount(row.get("BT-117"))
        )
        for row in data.get("BG-23") or []
        if row.get("BT-119") is not None
    )
    return raw, breakdown, _text(data.get("BT-3"))


def legal_ids(
    legal_id: str | None, scheme: str | None, siret_id: str | None
) -> tuple[str | None, str | None]:
    """SIREN and SIRET of the seller: scheme 0002 is the SIREN, 0009 the SIRET (14-digit ids are SIRETs)."""
    siren = siret = None
    digits = re.sub(r"\D", "", legal_id or "")
    if legal_id and scheme in (None, "", "0002", "0009"):
        if len(digits) == 14:
            siret, siren = digits, digits[:9]
        elif len(digits) == 9:
            siren = digits
    extra = re.sub(r"\D", "", siret_id or "")
    if len(extra) == 14:
        siret = siret or extra
        siren = siren or extra[:9]
    return siren, siret


# --- namespace-agnostic reader -----------------------------------------------------------------------


def _p(*steps: str) -> str:
    """An XPath from local names: _p("A", "B") → /*[local-name()='A']/*[local-name()='B']."""
    return "".join(f"/*[local-name()='{step}']" if step != "**" else "/" for step in steps)


_CII_SETTLEMENT = "//" + _p("ApplicableHeaderTradeSettlement")[1:]
_CII_SELLER = "//" + _p("ApplicableHeaderTradeAgreement", "SellerTradeParty")[1:]
_ZF1_SETTLEMENT = "//" + _p("ApplicableSupplyChainTradeSettlement")[1:]
_ZF1_SELLER = "//" + _p("ApplicableSupplyChainTradeAgreement", "SellerTradeParty")[1:]
_UBL_SUPPLIER = "/*" + _p("AccountingSupplierParty", "Party")

_PATHS: dict[str, dict[str, tuple[str, ...]]] = {
    "cii": {
        "invoice_number": ("/*" + _p("ExchangedDocument", "ID"),),
        "type_code": ("/*" + _p("ExchangedDocument", "TypeCode"),),
        "issue_date": ("/*" + _p("ExchangedDocument", "IssueDateTime", "DateTimeString"),),
        "due_date": (
            _CII_SETTLEMENT + _p("SpecifiedTradePaymentTerms", "DueDateDateTime", "DateTimeString"),
        ),
        "currency": (_CII_SETTLEMENT + _p("InvoiceCurrencyCode"),),
        "issuer_name": (_CII_SELLER + _p("Name"),),
        "legal_id": (_CII_SELLER + _p("SpecifiedLegalOrganization", "ID"),),
        "siret_id": (_CII_SELLER + "/*[local-name()='GlobalID'][@schemeID='0009']",),
        "vat_number": (
            _CII_SELLER + _p("SpecifiedTaxRegistration") + "/*[local-name()='ID'][@schemeID='VA']",
        ),
        "total_ht": (
            _CII_SETTLEMENT + _p("SpecifiedTradeSettlementHeaderMonetarySummation", "TaxBasisTotalAmount"),
        ),
        "total_tva": (
            _CII_SETTLEMENT + _p("SpecifiedTradeSettlementHeaderMonetarySummation", "TaxTotalAmount"),
        ),
        "total_ttc": (
            _CII_SETTLEMENT + _p("SpecifiedTradeSettlementHeaderMonetarySummation", "GrandTotalAmount"),
        ),
        "iban": (
            _CII_SETTLEMENT
            + _p("SpecifiedTradeSettlementPaymentMeans", "PayeePartyCreditorFinancialAccount", "IBANID"),
        ),
        "order_reference": (
            "//"
            + _p("ApplicableHeaderTradeAgreement", "BuyerOrderReferencedDocument", "IssuerAssignedID")[1:],
        ),
        "tax_rows": (_CII_SETTLEMENT + _p("ApplicableTradeTax"),),
    },
    "zugferd1": {
        "invoice_number": ("/*" + _p("HeaderExchangedDocument", "ID"),),
        "type_code": ("/*" + _p("HeaderExchangedDocument", "TypeCode"),),
        "issue_date": ("/*" + _p("HeaderExchangedDocument", "IssueDateTime", "DateTimeString"),),
        "due_date": (
            _ZF1_SETTLEMENT + _p("SpecifiedTradePaymentTerms", "DueDateDateTime", "DateTimeString"),
        ),
        "currency": (_ZF1_SETTLEMENT + _p("InvoiceCurrencyCode"),),
        "issuer_name": (_ZF1_SELLER + _p("Name"),),
        "legal_id": (_ZF1_SELLER + _p("SpecifiedLegalOrganization", "ID"),),
        "siret_id": (_ZF1_SELLER + "/*[local-name()='GlobalID'][@schemeID='0009']",),
        "vat_number": (
            _ZF1_SELLER + _p("SpecifiedTaxRegistration") + "/*[local-name()='ID'][@schemeID='VA']",
        ),
        "total_ht": (
            _ZF1_SETTLEMENT + _p("SpecifiedTradeSettlementMonetarySummation", "TaxBasisTotalAmount"),
        ),
        "total_tva": (_ZF1_SETTLEMENT + _p("SpecifiedTradeSettlementMonetarySummation", "TaxTotalAmount"),),
        "total_ttc": (_ZF1_SETTLEMENT + _p("SpecifiedTradeSettlementMonetarySummation", "GrandTotalAmount"),),
        "iban": (
            _ZF1_SETTLEMENT
            + _p("SpecifiedTradeSettlementPaymentMeans", "PayeePartyCreditorFinancialAccount", "IBANID"),
        ),
        "order_reference": (
            "//" + _p("ApplicableSupplyChainTradeAgreement", "BuyerOrderReferencedDocument", "ID")[1:],
        ),
        "tax_rows": (_ZF1_SETTLEMENT + _p("ApplicableTradeTax"),),
    },
    "ubl": {
        "invoice_number": ("/*" + _p("ID"),),
        "type_code": ("/*" + _p("InvoiceTypeCode"), "/*" + _p("CreditNoteTypeCode")),
        "issue_date": ("/*" + _p("IssueDate"),),
        "due_date": ("/*" + _p("DueDate"), "/*" + _p("PaymentMeans", "PaymentDueDate")),
        "currency": ("/*" + _p("DocumentCurrencyCode"),),
        "issuer_name": (
            _UBL_SUPPLIER + _p("PartyLegalEntity", "RegistrationName"),
            _UBL_SUPPLIER + _p("PartyName", "Name"),
        ),
        "legal_id": (_UBL_SUPPLIER + _p("PartyLegalEntity", "CompanyID"),),
        "siret_id": (
            _UBL_SUPPLIER + "/*[local-name()='PartyIdentification']/*[local-name()='ID'][@schemeID='0009']",
        ),
        "vat_number": (_UBL_SUPPLIER + _p("PartyTaxScheme", "CompanyID"),),
        "total_ht": ("/*" + _p("LegalMonetaryTotal", "TaxExclusiveAmount"),),
        "total_tva": ("/*" + _p("TaxTotal", "TaxAmount"),),
        "total_ttc": ("/*" + _p("LegalMonetaryTotal", "TaxInclusiveAmount"),),
        "iban": ("/*" + _p("PaymentMeans", "PayeeFinancialAccount", "ID"),),
        "order_reference": ("/*" + _p("OrderReference", "ID"),),
        "tax_rows": ("/*" + _p("TaxTotal", "TaxSubtotal"),),
    },
}
_ROW_PATHS = {
    "cii": ("RateApplicablePercent", "BasisAmount", "CalculatedAmount"),
    "zugferd1": ("ApplicablePercent", "BasisAmount", "CalculatedAmount"),
    "ubl": ("Percent", "TaxableAmount", "TaxAmount"),
}


def _read_with_xpath(
    root: etree._Element, syntax: str
) -> tuple[dict[str, Any], tuple[VatRateLine, ...], str | None]:
    paths = _PATHS.get(syntax)
    if paths is None:
        raise EInvoiceError("Format de facture électronique inconnu.")

    def first(name: str) -> str | None:
        for path in paths[name]:
            for node in root.xpath(path):
                if node.text and node.text.strip():
                    return str(node.text.strip())
        return None

    legal_nodes = [n for path in paths["legal_id"] for n in root.xpath(path)]
    scheme = legal_nodes[0].get("schemeID") if legal_nodes else None
    siren, siret = legal_ids(first("legal_id"), scheme, first("siret_id"))
    try:
        raw: dict[str, Any] = {
            "issuer_name": first("issuer_name"),
            "siren": siren,
            "siret": siret,
            "vat_number": _compact(first("vat_number")),
            "invoice_number": first("invoice_number"),
            "issue_date": _date(first("issue_date")),
            "due_date": _date(first("due_date")),
            "currency": first("currency"),
            "total_ht": _amount(first("total_ht")),
            "total_tva": _amount(first("total_tva")),
            "total_ttc": _amount(first("total_ttc")),
            "iban": _compact(first("iban")),
            "order_reference": first("order_reference"),
        }
        rows = tuple(_tax_row(node, _ROW_PATHS[syntax]) for node in root.xpath(paths["tax_rows"][0]))
    except (InvalidOperation, ValueError) as exc:
        raise EInvoiceError(f"La facture électronique contient une valeur illisible : {exc}") from exc
    return raw, tuple(row for row in rows if row is not None), first("type_code")


def _tax_row(node: etree._Element, names: tuple[str, str, str]) -> VatRateLine | None:
    def child(name: str) -> str | None:
        found = node.xpath(f".//*[local-name()='{name}']")
        return found[0].text if found and found[0].text else None

    rate_name, base_name, vat_name = names
    rate = child(rate_name)
    if rate is None:
        return None
    return VatRateLine(rate=_rate(rate), base=_amount(child(base_name)), vat=_amount(child(vat_name)))


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _compact(value: object) -> str | None:
    text = _text(value)
    return re.sub(r"\s+", "", text).upper() if text else None


def _amount(value: object) -> Decimal | None:
    text = _text(value)
    return None if text is None else round_cents(Decimal(text))


def _rate(value: object) -> Decimal:
    rate = Decimal(str(value).strip())
    return rate.quantize(Decimal(1)) if rate == rate.to_integral() else rate.normalize()


def _date(value: object) -> date | None:
    if value is None or isinstance(value, datetime):
        return value.date() if isinstance(value, datetime) else None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{8}", text):
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    return None
