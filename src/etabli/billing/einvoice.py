"""Read incoming e-invoices exactly: Factur-X PDF (embedded CII), CII D16B, UBL 2.1, legacy ZUGFeRD 1.0.

Why the `factur-x` library first: its `parse_ubl_cii_xml` reads the EN 16931 business terms (BT-1 number,
BT-2 date, BT-109/110/112 totals, BG-23 VAT breakdown, BG-25 lines…) for both CII and UBL, the same dict
our issuing code gives to `generate_xml` — one vocabulary both ways. ZUGFeRD 1.0 (2014, a different
namespace) is read by a small XPath reader. Order-X files are orders, not invoices, and are refused.

Amounts are kept as written (Decimal from the XML text): "every field exact" means no recomputation. The
XML is parsed without entities, DTD or network (XXE-safe); malformed files get a French refusal.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from etabli.billing.errors import BillingError

MAX_BYTES = 20 * 1024 * 1024
CREDIT_NOTE_CODES = {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "502", "503", "532"}
DEPOSIT_CODES = {"386"}

NS_CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NS_UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_UBL_CREDIT = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_ZUGFERD1 = "urn:ferd:CrossIndustryDocument:invoice:1p0"
NS_ORDERX = "urn:un:unece:uncefact:data:SCRDMCCBDACIOMessageStructure:100"


@dataclass
class ParsedParty:
    name: str = ""
    siren: str = ""
    siret: str = ""
    vat_number: str = ""
    address_line1: str = ""
    address_line2: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    email: str = ""


@dataclass
class ParsedLine:
    line_id: str
    description: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal | None
    net_amount: Decimal
    vat_rate: Decimal | None
    vat_category: str
    sku: str = ""


@dataclass
class ParsedInvoice:
    syntax: str  # cii | ubl | zugferd1
    profile: str
    number: str
    type_code: str
    issue_date: dt.date
    due_date: dt.date | None
    currency: str
    seller: ParsedParty
    buyer: ParsedParty
    total_ht: Decimal
    total_tva: Decimal
    total_ttc: Decimal
    amount_due: Decimal
    prepaid: Decimal
    rounding: Decimal
    breakdown: list[dict]  # {"category", "rate", "base", "vat", "exemption"}
    lines: list[ParsedLine]
    order_reference: str = ""
    delivery_date: dt.date | None = None
    payment_iban: str = ""
    payment_terms: str = ""
    business_process: str = ""
    preceding_invoices: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    allowances: list[dict] = field(default_factory=list)
    charges: list[dict] = field(default_factory=list)
    xml: bytes = b""

    @property
    def doc_type(self) -> str:
        if self.type_code in CREDIT_NOTE_CODES:
            return "credit_note"
        if self.type_code in DEPOSIT_CODES:
            return "deposit"
        return "invoice"


def _safe_root(xml: bytes) -> etree._Element:
    if b"<!ENTITY" in xml or b"<!DOCTYPE" in xml:
        raise BillingError(
            "Le fichier XML déclare un DOCTYPE ou des entités : refusé par précaution.",
            code="malformed_einvoice",
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        return etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise BillingError(
            "Le fichier XML est mal formé et ne peut pas être lu.", code="malformed_einvoice"
        ) from exc


def extract_xml(data: bytes, filename: str = "") -> bytes:
    """The e-invoice XML of a file: the file itself, or the XML embedded in a Factur-X/ZUGFeRD PDF."""
    if not data:
        raise BillingError("Le fichier est vide.", code="malformed_einvoice")
    if len(data) > MAX_BYTES:
        raise BillingError("Le fichier dépasse 20 Mo.", code="too_large", status=413)
    if data.lstrip()[:5] == b"%PDF-":
        from facturx import get_xml_from_pdf

        try:
            _name, xml = get_xml_from_pdf(io.BytesIO(data), check_xsd=False)
        except Exception as exc:
            raise BillingError("Ce PDF est illisible ou endommagé.", code="malformed_einvoice") from exc
        if not xml:
            raise BillingError(
                "Ce PDF ne contient pas de facture électronique (aucun XML Factur-X joint) : déposez-le dans les "
                "documents pour une lecture par OCR.",
                code="not_einvoice",
            )
        return xml
    head = data.lstrip()[:200]
    if not (head.startswith(b"<") or head.startswith(b"\xef\xbb\xbf")):
        raise BillingError(
            f"« {filename or 'fichier'} » n'est ni un PDF Factur-X ni un fichier XML (UBL ou CII).",
            code="not_einvoice",
        )
    return data.lstrip(b"\xef\xbb\xbf \r\n\t")


def parse_einvoice(data: bytes, filename: str = "") -> ParsedInvoice:
    xml = extract_xml(data, filename)
    root = _safe_root(xml)
    namespace = etree.QName(root).namespace
    if namespace == NS_ORDERX:
        raise BillingError(
            "Ce fichier est une commande (Order-X), pas une facture : il ne peut pas être importé "
            "comme facture.",
            code="not_einvoice",
        )
    if namespace == NS_ZUGFERD1:
        parsed = _parse_zugferd1(root)
    elif namespace in (NS_CII, NS_UBL_INVOICE, NS_UBL_CREDIT):
        parsed = _parse_en16931(xml, "cii" if namespace == NS_CII else "ubl")
    else:
        raise BillingError(
            "Format XML non reconnu : seules les factures UBL 2.1, CII (Factur-X) et ZUGFeRD sont acceptées.",
            code="not_einvoice",
        )
    parsed.xml = xml
    _check(parsed)
    return parsed


# --- EN 16931 (CII and UBL) through the factur-x library ----------------------------------------------------


def _dec(value: Any, default: Decimal | None = None) -> Decimal | None:
    if value in (None, ""):
        return default
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise BillingError(
            f"Montant illisible dans la facture électronique : « {value} ».", code="malformed_einvoice"
        ) from None


def _str(value: Any) -> str:
    return str(value).strip() if value not in (None, "") else ""


def _party(data: dict | None) -> ParsedParty:
    data = data or {}
    identifiers = data.get("identifiers") or {}
    legal = _str(data.get("legal_identifier")).replace(" ", "")
    scheme = _str(data.get("legal_identifier_schemeid"))
    siren = siret = ""
    if legal:
        if scheme == "0009" or len(legal) == 14:
            siret = legal
        elif scheme in ("0002", "") and len(legal) == 9:
            siren = legal
    if not siret and identifiers.get("0009"):
        siret = _str(identifiers["0009"]).replace(" ", "")
    if not siren and siret:
        siren = siret[:9]
    contacts = data.get("contacts") or []
    email = next((_str(c.get("email")) for c in contacts if c.get("email")), "")
    if not email and _str(data.get("einvoicing_addr_schemeid")) == "EM":
        email = _str(data.get("einvoicing_addr"))
    return ParsedParty(
        name=_str(data.get("name")),
        siren=siren if siren.isdigit() else "",
        siret=siret if siret.isdigit() else "",
        vat_number=_str(data.get("vat_identifier")).replace(" ", ""),
        address_line1=_str(data.get("addr_l1")),
        address_line2=" ".join(filter(None, [_str(data.get("addr_l2")), _str(data.get("addr_l3"))])),
        postcode=_str(data.get("postcode")),
        city=_str(data.get("city")),
        country=_str(data.get("country_code")),
        email=email,
    )


def _parse_en16931(xml: bytes, syntax: str) -> ParsedInvoice:
    from facturx import parse_ubl_cii_xml

    try:
        data = parse_ubl_cii_xml(xml)
    except Exception as exc:
        raise BillingError(
            f"Facture électronique illisible : {exc}"[:300], code="malformed_einvoice"
        ) from exc
    issue_date = data.get("BT-2")
    if not isinstance(issue_date, dt.date):
        raise BillingError(
            "La facture électronique n'a pas de date d'émission lisible.", code="malformed_einvoice"
        )
    total_ttc = _dec(data.get("BT-112"))
    total_ht = _dec(data.get("BT-109"))
    if total_ttc is None or total_ht is None:
        raise BillingError(
            "La facture électronique n'indique pas ses totaux HT et TTC.", code="malformed_einvoice"
        )
    total_tva = _dec(data.get("BT-110"), Decimal("0.00"))
    prepaid = _dec(data.get("BT-113"), Decimal("0.00"))
    rounding = _dec(data.get("BT-114"), Decimal("0.00"))
    amount_due = _dec(data.get("BT-115"), total_ttc - prepaid + rounding)
    breakdown = [
        {
            "category": _str(row.get("BT-118")) or "S",
            "rate": str(_dec(row.get("BT-119"), Decimal("0"))),
            "base": str(_dec(row.get("BT-116"), Decimal("0.00"))),
            "vat": str(_dec(row.get("BT-117"), Decimal("0.00"))),
            "exemption": _str(row.get("BT-120")),
            "exemption_code": _str(row.get("BT-121")),
        }
        for row in data.get("BG-23") or []
    ]
    lines = []
    for index, row in enumerate(data.get("BG-25") or []):
        base_quantity = _dec(row.get("BT-149"), Decimal(1)) or Decimal(1)
        price = _dec(row.get("BT-146"))
        lines.append(
            ParsedLine(
                line_id=_str(row.get("BT-126")) or str(index + 1),
                description=_str(row.get("BT-153")) or _str(row.get("BT-154")) or f"Ligne {index + 1}",
                quantity=_dec(row.get("BT-129"), Decimal(1)),
                unit_code=_str(row.get("BT-130")) or "C62",
                unit_price=(price / base_quantity) if price is not None else None,
                net_amount=_dec(row.get("BT-131"), Decimal("0.00")),
                vat_rate=_dec(row.get("BT-152")),
                vat_category=_str(row.get("BT-151")) or "S",
                sku=_str(row.get("BT-155")),
            )
        )
    notes = [_str(n.get("BT-22")) for n in data.get("BG-1") or [] if n.get("BT-22")]
    return ParsedInvoice(
        syntax=syntax,
        profile=_str(data.get("BT-24")),
        number=_str(data.get("BT-1")),
        type_code=_str(data.get("BT-3")) or "380",
        issue_date=issue_date,
        due_date=data.get("BT-9") if isinstance(data.get("BT-9"), dt.date) else None,
        currency=_str(data.get("BT-5")) or "EUR",
        seller=_party(data.get("BG-4")),
        buyer=_party(data.get("BG-7")),
        total_ht=total_ht,
        total_tva=total_tva,
        total_ttc=total_ttc,
        amount_due=amount_due,
        prepaid=prepaid,
        rounding=rounding,
        breakdown=breakdown,
        lines=lines,
        order_reference=_str(data.get("BT-13")),
        delivery_date=data.get("BT-72") if isinstance(data.get("BT-72"), dt.date) else None,
        payment_iban=_str(data.get("BT-84")).replace(" ", ""),
        payment_terms=_str(data.get("BT-20")),
        business_process=_str(data.get("BT-23")),
        preceding_invoices=[_str(r.get("BT-25")) for r in data.get("BG-3") or [] if r.get("BT-25")],
        notes=notes,
        allowances=[{k: str(v) for k, v in a.items()} for a in data.get("BG-20") or []],
        charges=[{k: str(v) for k, v in c.items()} for c in data.get("BG-21") or []],
    )


# --- ZUGFeRD 1.0 ------------------------------------------------------------------------------------------


def _x(node: etree._Element, path: str) -> list:
    """XPath by local names ("a/b/c" → */*[local-name()='a']/…), namespace-agnostic."""
    steps = [f"*[local-name()='{step}']" if not step.startswith("@") else step for step in path.split("/")]
    return node.xpath("./" + "/".join(steps))


def _t(node: etree._Element, path: str) -> str:
    found = _x(node, path)
    if not found:
        return ""
    value = found[0]
    return (value if isinstance(value, str) else (value.text or "")).strip()


def _zdate(text: str) -> dt.date | None:
    text = (text or "").strip()
    if len(text) >= 8 and text[:8].isdigit():
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    return None


def _zparty(node: etree._Element | None) -> ParsedParty:
    if node is None:
        return ParsedParty()
    vat = ""
    for registration in _x(node, "SpecifiedTaxRegistration/ID"):
        if registration.get("schemeID") == "VA":
            vat = (registration.text or "").strip().replace(" ", "")
    return ParsedParty(
        name=_t(node, "Name"),
        vat_number=vat,
        address_line1=_t(node, "PostalTradeAddress/LineOne"),
        address_line2=_t(node, "PostalTradeAddress/LineTwo"),
        postcode=_t(node, "PostalTradeAddress/PostcodeCode"),
        city=_t(node, "PostalTradeAddress/CityName"),
        country=_t(node, "PostalTradeAddress/CountryID"),
    )


def _parse_zugferd1(root: etree._Element) -> ParsedInvoice:
    header = (_x(root, "HeaderExchangedDocument") or [None])[0]
    transaction = (_x(root, "SpecifiedSupplyChainTradeTransaction") or [None])[0]
    if header is None or transaction is None:
        raise BillingError(
            "Facture ZUGFeRD incomplète (en-tête ou transaction absents).", code="malformed_einvoice"
        )
    agreement = (_x(transaction, "ApplicableSupplyChainTradeAgreement") or [None])[0]
    settlement = (_x(transaction, "ApplicableSupplyChainTradeSettlement") or [None])[0]
    if agreement is None or settlement is None:
        raise BillingError(
            "Facture ZUGFeRD incomplète (parties ou règlement absents).", code="malformed_einvoice"
        )
    issue_date = _zdate(_t(header, "IssueDateTime/DateTimeString"))
    if issue_date is None:
        raise BillingError(
            "La facture électronique n'a pas de date d'émission lisible.", code="malformed_einvoice"
        )
    summation = (_x(settlement, "SpecifiedTradeSettlementMonetarySummation") or [None])[0]
    if summation is None:
        raise BillingError("La facture électronique n'indique pas ses totaux.", code="malformed_einvoice")
    total_ttc = _dec(_t(summation, "GrandTotalAmount"))
    total_ht = _dec(_t(summation, "TaxBasisTotalAmount"))
    if total_ttc is None or total_ht is None:
        raise BillingError(
            "La facture électronique n'indique pas ses totaux HT et TTC.", code="malformed_einvoice"
        )
    prepaid = _dec(_t(summation, "TotalPrepaidAmount"), Decimal("0.00"))
    breakdown = [
        {
            "category": _t(tax, "CategoryCode") or "S",
            "rate": str(_dec(_t(tax, "ApplicablePercent"), Decimal("0"))),
            "base": str(_dec(_t(tax, "BasisAmount"), Decimal("0.00"))),
            "vat": str(_dec(_t(tax, "CalculatedAmount"), Decimal("0.00"))),
            "exemption": _t(tax, "ExemptionReason"),
            "exemption_code": "",
        }
        for tax in _x(settlement, "ApplicableTradeTax")
    ]
    lines = []
    for index, item in enumerate(_x(transaction, "IncludedSupplyChainTradeLineItem")):
        quantity_node = (_x(item, "SpecifiedSupplyChainTradeDelivery/BilledQuantity") or [None])[0]
        price = _dec(_t(item, "SpecifiedSupplyChainTradeAgreement/NetPriceProductTradePrice/ChargeAmount"))
        base_quantity = _dec(
            _t(item, "SpecifiedSupplyChainTradeAgreement/NetPriceProductTradePrice/BasisQuantity"), Decimal(1)
        ) or Decimal(1)
        rate = _t(item, "SpecifiedSupplyChainTradeSettlement/ApplicableTradeTax/ApplicablePercent")
        lines.append(
            ParsedLine(
                line_id=_t(item, "AssociatedDocumentLineDocument/LineID") or str(index + 1),
                description=_t(item, "SpecifiedTradeProduct/Name") or f"Ligne {index + 1}",
                quantity=_dec(quantity_node.text if quantity_node is not None else "", Decimal(1)),
                unit_code=(quantity_node.get("unitCode") if quantity_node is not None else "") or "C62",
                unit_price=(price / base_quantity) if price is not None else None,
                net_amount=_dec(
                    _t(
                        item,
                        "SpecifiedSupplyChainTradeSettlement/SpecifiedTradeSettlementMonetarySummation/"
                        "LineTotalAmount",
                    ),
                    Decimal("0.00"),
                ),
                vat_rate=_dec(rate) if rate else None,
                vat_category=_t(item, "SpecifiedSupplyChainTradeSettlement/ApplicableTradeTax/CategoryCode")
                or "S",
                sku=_t(item, "SpecifiedTradeProduct/SellerAssignedID"),
            )
        )
    allowances, charges = [], []
    for node in _x(settlement, "SpecifiedTradeAllowanceCharge"):
        entry = {
            "amount": _t(node, "ActualAmount"),
            "reason": _t(node, "Reason"),
            "vat_rate": _t(node, "CategoryTradeTax/ApplicablePercent"),
        }
        (charges if _t(node, "ChargeIndicator/Indicator").lower() == "true" else allowances).append(entry)
    return ParsedInvoice(
        syntax="zugferd1",
        profile=_t(root, "SpecifiedExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter/ID"),
        number=_t(header, "ID"),
        type_code=_t(header, "TypeCode") or "380",
        issue_date=issue_date,
        due_date=_zdate(_t(settlement, "SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString")),
        currency=_t(settlement, "InvoiceCurrencyCode") or "EUR",
        seller=_zparty((_x(agreement, "SellerTradeParty") or [None])[0]),
        buyer=_zparty((_x(agreement, "BuyerTradeParty") or [None])[0]),
        total_ht=total_ht,
        total_tva=_dec(_t(summation, "TaxTotalAmount"), Decimal("0.00")),
        total_ttc=total_ttc,
        amount_due=_dec(_t(summation, "DuePayableAmount"), total_ttc - prepaid),
        prepaid=prepaid,
        rounding=Decimal("0.00"),
        breakdown=breakdown,
        lines=lines,
        order_reference=_t(agreement, "BuyerOrderReferencedDocument/ID"),
        delivery_date=_zdate(
            _t(
                transaction,
                "ApplicableSupplyChainTradeDelivery/ActualDeliverySupplyChainEvent/"
                "OccurrenceDateTime/DateTimeString",
            )
        ),
        payment_iban=_t(
            settlement, "SpecifiedTradeSettlementPaymentMeans/PayeePartyCreditorFinancialAccount/IBANID"
        ),
        payment_terms=_t(settlement, "SpecifiedTradePaymentTerms/Description"),
        notes=[(n.text or "").strip() for n in _x(header, "IncludedNote/Content") if (n.text or "").strip()],
        allowances=allowances,
        charges=charges,
    )


# --- Consistency ------------------------------------------------------------------------------------------


def _check(parsed: ParsedInvoice) -> None:
    if not parsed.number:
        raise BillingError("La facture électronique n'a pas de numéro (BT-1).", code="malformed_einvoice")
    if not parsed.seller.name and not parsed.seller.vat_number and not parsed.seller.siren:
        raise BillingError("La facture électronique n'identifie pas le vendeur.", code="malformed_einvoice")
    if parsed.currency != "EUR":
        raise BillingError(
            f"Devise {parsed.currency} : seules les factures en euros sont prises en charge.",
            code="unsupported_currency",
        )
    if parsed.total_ht + parsed.total_tva != parsed.total_ttc:
        raise BillingError(
            f"Totaux incohérents dans la facture électronique : HT {parsed.total_ht} + TVA {parsed.total_tva} ≠ "
            f"TTC {parsed.total_ttc}.",
            code="malformed_einvoice",
        )
