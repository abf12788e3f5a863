"""Mandatory mentions of a French invoice, frozen at issue time.

Sources: CGI ann. II art. 242 nonies A, C. com. L441-9 and L441-10, D441-5 (€40), décret 2022-1299 (the
2026 mentions: customer SIREN, delivery address, category of operation, VAT-on-debits option).
`snapshot_*` freeze who the parties were; `legal_mentions` writes the sentences; `missing_mentions`
checks a document against the list (the completeness test and the issuing guard use it).
"""

from __future__ import annotations

from decimal import Decimal

from etabli.billing.models import BillingSettings, DocType, Invoice, OperationCategory, Partner
from etabli.billing.rules import format_rate, terms_text
from etabli.common.formats import format_eur, format_number
from etabli.core.models import Company, VatRegime


def snapshot_seller(company: Company, settings: BillingSettings) -> dict:
    return {
        "legal_name": company.legal_name,
        "trade_name": company.trade_name,
        "legal_form": company.legal_form,
        "share_capital": str(company.share_capital) if company.share_capital is not None else "",
        "siren": company.siren,
        "siret": company.siret,
        "vat_number": company.vat_number,
        "rcs_city": company.rcs_city,
        "address_line1": company.address_line1,
        "address_line2": company.address_line2,
        "postcode": company.postal_code,
        "city": company.city,
        "country": company.country or "FR",
        "email": company.email,
        "phone": company.phone,
        "website": company.website,
        "vat_regime": company.vat_regime,
        "iban": settings.payment_iban,
        "bic": settings.payment_bic,
        "logo": company.logo.name if company.logo else "",
    }


def snapshot_buyer(partner: Partner) -> dict:
    return {
        "name": partner.name,
        "legal_type": partner.legal_type,
        "siren": partner.siren,
        "siret": partner.siret,
        "vat_number": partner.vat_number,
        "address_line1": partner.address_line1,
        "address_line2": partner.address_line2,
        "postcode": partner.postal_code,
        "city": partner.city,
        "country": partner.country or "FR",
        "delivery_line1": partner.delivery_line1,
        "delivery_postcode": partner.delivery_postal_code,
        "delivery_city": partner.delivery_city,
        "delivery_country": partner.delivery_country or (partner.country or "FR"),
        "email": partner.email,
    }


def seller_legal_line(seller: dict) -> str:
    """ "Menuiserie Martin SARL — SARL au capital de 20 000,00 € — SIREN 123 456 789 — RCS Nantes — TVA FR…"."""
    parts = [seller.get("legal_name", "")]
    if seller.get("legal_form"):
        capital = seller.get("share_capital")
        parts.append(
            f"{seller['legal_form']} au capital de {format_eur(capital)}" if capital else seller["legal_form"]
        )
    if seller.get("siren"):
        parts.append(f"SIREN {seller['siren']}")
    if seller.get("siret"):
        parts.append(f"SIRET {seller['siret']}")
    if seller.get("rcs_city"):
        parts.append(f"RCS {seller['rcs_city']}")
    if seller.get("vat_number"):
        parts.append(f"TVA intracommunautaire {seller['vat_number']}")
    return " — ".join(p for p in parts if p)


def is_professional(buyer: dict) -> bool:
    return buyer.get("legal_type", "company") != "person"


def legal_mentions(
    *,
    invoice: Invoice,
    seller: dict,
    buyer: dict,
    settings: BillingSettings,
    exemptions: list[str] | None = None,
) -> dict[str, str]:
    """The sentences printed at the foot of the invoice (and in the Factur-X notes)."""
    mentions: dict[str, str] = {}
    mentions["seller"] = seller_legal_line(seller)
    if invoice.doc_type != DocType.CREDIT_NOTE:
        mentions["terms"] = terms_text(invoice.payment_terms_days)
        mentions["discount"] = settings.early_payment_discount_text
        if is_professional(buyer):
            rate = format_number(settings.penalty_rate, 2).rstrip("0").rstrip(",")
            basis = (
                f"taux contractuel de {rate} % l'an"
                if settings.contractual_penalty_rate is not None
                else f"taux de refinancement de la BCE majoré de {format_number(settings.penalty_margin_points, 0)}"
                f" points, soit {rate} % l'an"
            )
            mentions["penalties"] = (
                f"En cas de retard de paiement, pénalités exigibles sans rappel au {basis} "
                "(art. L441-10 du Code de commerce)."
            )
            mentions["indemnity"] = (
                f"Indemnité forfaitaire pour frais de recouvrement due en cas de retard : "
                f"{format_eur(settings.recovery_indemnity)} (art. D441-5 du Code de commerce)."
            )
        else:
            mentions["penalties"] = (
                "En cas de retard de paiement, des intérêts au taux légal pourront être "
                "appliqués après mise en demeure."
            )
    if invoice.operation_category:
        mentions["operation"] = (
            f"Catégorie de l'opération : {OperationCategory(invoice.operation_category).label}."
        )
    if invoice.vat_on_debits:
        mentions["vat_on_debits"] = "Option pour le paiement de la taxe d'après les débits."
    if exemptions is None:
        exemptions = sorted(
            {line.vat_exemption_text for line in invoice.lines.all() if line.vat_exemption_text}
        )
    if seller.get("vat_regime") == VatRegime.FRANCHISE and not exemptions:
        exemptions = ["TVA non applicable, art. 293 B du CGI"]
    if exemptions:
        mentions["vat_exemption"] = " ; ".join(exemptions) + "."
    if settings.extra_mentions.strip():
        mentions["extra"] = settings.extra_mentions.strip()
    return mentions


def missing_mentions(invoice: Invoice) -> list[str]:
    """French names of the mandatory mentions an issued (or about to be issued) invoice lacks."""
    seller, buyer, mentions = invoice.seller or {}, invoice.buyer or {}, invoice.legal_mentions or {}
    missing: list[str] = []

    def need(condition: object, label: str) -> None:
        if not condition:
            missing.append(label)

    need(seller.get("legal_name"), "raison sociale du vendeur")
    need(seller.get("address_line1") and seller.get("postcode") and seller.get("city"), "adresse du vendeur")
    need(seller.get("siren"), "SIREN du vendeur")
    if seller.get("vat_regime") != VatRegime.FRANCHISE:
        need(seller.get("vat_number"), "numéro de TVA du vendeur")
    if seller.get("legal_form") and seller.get("legal_form", "").upper() not in (
        "EI",
        "ENTREPRENEUR INDIVIDUEL",
    ):
        need(seller.get("share_capital"), "capital social du vendeur")
        need(seller.get("rcs_city"), "ville du RCS ou RM du vendeur")
    need(buyer.get("name"), "nom du client")
    need(buyer.get("address_line1") and buyer.get("city"), "adresse du client")
    if is_professional(buyer) and (buyer.get("country") or "FR") == "FR":
        need(buyer.get("siren"), "SIREN du client (mention obligatoire 2026)")
    if is_professional(buyer) and (buyer.get("country") or "FR") != "FR":
        need(buyer.get("vat_number"), "numéro de TVA intracommunautaire du client")
    need(invoice.number, "numéro de facture")
    need(invoice.issue_date, "date d'émission")
    need(invoice.operation_category, "catégorie de l'opération (mention 2026)")
    lines = list(invoice.lines.all())
    need(lines, "lignes (désignation, quantité, prix unitaire HT)")
    for line in lines:
        if not line.description.strip():
            missing.append(f"désignation de la ligne {line.position + 1}")
        if (
            line.vat_rate == 0
            and not line.vat_exemption_text
            and seller.get("vat_regime") != VatRegime.FRANCHISE
        ):
            missing.append(f"mention d'exonération de TVA de la ligne {line.position + 1}")
    need(invoice.vat_breakdown, "TVA par taux")
    if invoice.doc_type == DocType.CREDIT_NOTE:
        need(invoice.related_invoice_id, "facture corrigée par l'avoir")
    else:
        need(invoice.due_date, "date d'échéance")
        need(mentions.get("discount"), "conditions d'escompte")
        need(mentions.get("penalties"), "taux des pénalités de retard")
        if is_professional(buyer):
            need(mentions.get("indemnity"), "indemnité forfaitaire de 40 €")
    if invoice.vat_on_debits:
        need(mentions.get("vat_on_debits"), "option pour la TVA d'après les débits")
    return missing


def vat_rows_display(breakdown: list[dict]) -> list[dict]:
    return [
        {
            "rate": format_rate(row["rate"]),
            "base": Decimal(row["base"]),
            "vat": Decimal(row["vat"]),
            "category": row.get("category", "S"),
            "exemption": row.get("exemption", ""),
        }
        for row in breakdown
    ]
