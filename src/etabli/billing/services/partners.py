"""Customers and suppliers: create, update, enrich — with identifiers checked by python-stdnum.

Why so strict on identifiers: from 2026 the customer's SIREN is a mandatory mention and the directory of
the e-invoicing reform routes invoices by SIREN; a wrong digit sends an invoice nowhere.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from etabli.billing.dto import FieldConflict, PartnerView
from etabli.billing.errors import BillingError
from etabli.billing.models import LegalType, Partner, PartnerKind
from etabli.billing.rules import check_terms
from etabli.billing.selectors import find_partner, normalise_iban, normalise_name, partner_view
from etabli.core.models import Company
from etabli.core.validators import clean_identifier, vat_matches_siren

IDENTIFIERS = ("siren", "siret", "vat_number")
EDITABLE_FIELDS = (
    "kind",
    "legal_type",
    "name",
    "siren",
    "siret",
    "vat_number",
    "iban",
    "bic",
    "email",
    "phone",
    "contact_name",
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "country",
    "delivery_line1",
    "delivery_postal_code",
    "delivery_city",
    "delivery_country",
    "payment_terms_days",
    "payment_terms_end_of_month",
    "preferred_channel",
    "tone",
    "sector",
    "customer_since",
    "expense_account",
    "notes",
    "is_active",
)


def normalise_fields(values: dict) -> dict:
    cleaned = {}
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        if name in IDENTIFIERS and value:
            value = clean_identifier(value)
        if name == "iban" and value:
            value = normalise_iban(value)
        if name == "bic" and value:
            value = value.replace(" ", "").upper()
        if name in ("country", "delivery_country") and value:
            value = value.upper()
        if name == "email" and value:
            value = value.lower()
        cleaned[name] = value
    return cleaned


def validate_partner(partner: Partner) -> None:
    """Every check at once, so the form shows all problems together (French messages)."""
    errors: dict[str, str] = {}
    try:
        partner.full_clean(exclude=["company"])
    except ValidationError as exc:
        errors.update({k: " ".join(str(m) for m in v) for k, v in exc.message_dict.items()})
    if partner.siret and partner.siren and partner.siret[:9] != partner.siren and "siret" not in errors:
        errors["siret"] = "Le SIRET doit commencer par le SIREN."
    if (
        partner.vat_number
        and partner.siren
        and not vat_matches_siren(partner.vat_number, partner.siren)
        and "vat_number" not in errors
    ):
        errors["vat_number"] = "Le numéro de TVA ne correspond pas au SIREN."
    if partner.iban:
        try:
            stdnum_iban.validate(partner.iban)
        except StdnumError:
            errors["iban"] = f"L'IBAN « {partner.iban} » n'est pas valide (clé de contrôle incorrecte)."
    problem = check_terms(partner.payment_terms_days, partner.payment_terms_end_of_month)
    if problem:
        errors["payment_terms_days"] = problem
    if partner.legal_type == LegalType.PERSON and (partner.siren or partner.vat_number):
        errors.setdefault(
            "siren", "Un particulier n'a ni SIREN ni numéro de TVA : choisissez « Entreprise »."
        )
    if not (partner.name or "").strip():
        errors["name"] = "Le nom est obligatoire."
    if errors:
        raise BillingError("Certaines informations du tiers ne sont pas valides.", field_errors=errors)


@transaction.atomic
def create_partner(*, company: Company, **values) -> Partner:
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise BillingError(f"Champs inconnus : {', '.join(sorted(unknown))}.")
    values = normalise_fields(values)
    if values.get("siren") is None and values.get("siret"):
        values["siren"] = values["siret"][:9]
    if not values.get("siren") and len(values.get("siret") or "") == 14:
        values["siren"] = values["siret"][:9]
    partner = Partner(company=company, **values)
    validate_partner(partner)
    if (
        partner.siren
        and Partner.objects.for_company(company).filter(kind=partner.kind, siren=partner.siren).exists()
    ):
        raise BillingError(
            f"Un tiers de ce type existe déjà avec le SIREN {partner.siren}.",
            field_errors={"siren": "SIREN déjà enregistré."},
            code="duplicate",
            status=409,
        )
    partner.save()
    return partner


@transaction.atomic
def update_partner(*, company: Company, partner: Partner, **values) -> Partner:
    if partner.company_id != company.pk:
        raise BillingError("Tiers introuvable.", code="not_found", status=404)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise BillingError(f"Champs inconnus : {', '.join(sorted(unknown))}.")
    locked = Partner.objects.select_for_update().get(pk=partner.pk, company=company)
    for name, value in normalise_fields(values).items():
        setattr(locked, name, value)
    validate_partner(locked)
    locked.save()
    return locked


def _same(field: str, existing: str, proposed: str) -> bool:
    if field in IDENTIFIERS:
        return clean_identifier(existing) == clean_identifier(proposed)
    if field == "iban":
        return normalise_iban(existing) == normalise_iban(proposed)
    if field == "name":
        return normalise_name(existing) == normalise_name(proposed)
    return existing.strip().lower() == proposed.strip().lower()


@transaction.atomic
def upsert_supplier(
    *,
    company: Company,
    name: str,
    siren: str = "",
    siret: str = "",
    vat_number: str = "",
    iban: str = "",
    address_line1: str = "",
    postal_code: str = "",
    city: str = "",
    email: str = "",
) -> PartnerView:
    """Find the supplier (identifiers first, then name) and fill in what we did not know; create it when
    unknown. A non-empty value that differs from ours is never overwritten: it comes back in `conflicts`
    for a person to decide."""
    proposed = normalise_fields(
        {
            "name": name,
            "siren": siren,
            "siret": siret,
            "vat_number": vat_number,
            "iban": iban,
            "address_line1": address_line1,
            "postal_code": postal_code,
            "city": city,
            "email": email,
        }
    )
    if not proposed["siren"] and len(proposed["siret"]) == 14:
        proposed["siren"] = proposed["siret"][:9]
    if (
        not proposed["siren"]
        and proposed["vat_number"].startswith("FR")
        and len(proposed["vat_number"]) == 13
    ):
        proposed["siren"] = proposed["vat_number"][-9:]
    if not proposed["name"]:
        raise BillingError("Le nom du fournisseur est obligatoire.", field_errors={"name": "Obligatoire."})
    found = find_partner(
        company=company,
        siren=proposed["siren"],
        siret=proposed["siret"],
        vat_number=proposed["vat_number"],
        iban=proposed["iban"],
        name=proposed["name"],
        kind=PartnerKind.SUPPLIER,
    )
    if found is None:
        partner = Partner(
            company=company,
            kind=PartnerKind.SUPPLIER,
            legal_type=LegalType.COMPANY,
            payment_terms_days=30,
            **proposed,
        )
        validate_partner(partner)
        partner.save()
        return partner_view(partner, created=True)
    partner = Partner.objects.select_for_update().get(pk=found.id, company=company)
    conflicts: list[FieldConflict] = []
    changed = False
    for field, value in proposed.items():
        if not value:
            continue
        current = getattr(partner, field) or ""
        if not current:
            setattr(partner, field, value)
            changed = True
        elif not _same(field, current, value):
            conflicts.append(FieldConflict(field, current, value))
    if changed:
        validate_partner(partner)
        partner.save()
    return partner_view(
        partner, created=False, conflicts=tuple(conflicts), match=found.match, match_score=found.match_score
    )
