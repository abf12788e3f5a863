"""Companies and their members: creation, settings, roles and per-member permission overrides."""

from __future__ import annotations

import secrets

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from etabli.core.models import Company, Membership, Role, User
from etabli.core.permissions import split_permission
from etabli.core.validators import clean_identifier, normalise_naf, vat_matches_siren

IDENTIFIER_FIELDS = ("siren", "siret", "vat_number")


class CompanyError(ValueError):
    """A French, user-facing reason why a company or membership change was refused."""


def unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "entreprise"
    slug, n = base, 2
    while Company.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def normalise_company_fields(fields: dict) -> dict:
    cleaned = dict(fields)
    for name in IDENTIFIER_FIELDS:
        if name in cleaned and cleaned[name]:
            cleaned[name] = clean_identifier(cleaned[name])
    if cleaned.get("naf_code"):
        cleaned["naf_code"] = normalise_naf(cleaned["naf_code"])
    return cleaned


def check_consistency(company: Company) -> None:
    """Cross-field checks python-stdnum cannot do on one field: SIRET and VAT must carry the SIREN."""
    errors = {}
    if company.siret and company.siren and company.siret[:9] != company.siren:
        errors["siret"] = "Le SIRET doit commencer par le SIREN de l'entreprise."
    if company.vat_number and company.siren and not vat_matches_siren(company.vat_number, company.siren):
        errors["vat_number"] = "Le numéro de TVA ne correspond pas au SIREN de l'entreprise."
    if not 1 <= company.fiscal_year_end_month <= 12:
        errors["fiscal_year_end_month"] = "Le mois de clôture doit être compris entre 1 et 12."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_company(*, legal_name: str, owner: User | None = None, slug: str = "", **fields) -> Company:
    company = Company(legal_name=legal_name.strip(), slug=slug or unique_slug(legal_name), **normalise_company_fields(fields))
    company.full_clean()
    check_consistency(company)
    company.save()
    if owner is not None:
        Membership.objects.create(user=owner, company=company, role=Role.OWNER)
    return company


@transaction.atomic
def update_company(*, company: Company, **fields) -> Company:
    for name, value in normalise_company_fields(fields).items():
        setattr(company, name, value)
    company.full_clean()
    check_consistency(company)
    company.save()
    return company


def owners_count(company: Company) -> int:
    return Membership.objects.filter(company=company, role=Role.OWNER, is_active=True).count()


@transaction.atomic
def add_member(*, company: Company, email: str, role: str, first_name: str = "", last_name: str = "") -> Membership:
    """Give someone access; a new person gets an account without password (they set it from the e-mail)."""
    if role not in Role.values:
        raise CompanyError(f"Rôle inconnu : {role}")
    email = User.objects.normalize_email(email).strip().lower()
    from django.core.validators import validate_email

    try:
        validate_email(email)
    except ValidationError as exc:
        raise CompanyError(f"L'adresse e-mail « {email} » n'est pas valide.") from exc
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, first_name=first_name, last_name=last_name)
    membership, created = Membership.objects.get_or_create(
        user=user, company=company, defaults={"role": role}
    )
    if not created:
        if membership.is_active:
            raise CompanyError(f"{email} a déjà accès à cette entreprise.")
        membership.is_active = True
        membership.role = role
        membership.save()
    return membership


@transaction.atomic
def change_role(*, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise CompanyError(f"Rôle inconnu : {role}")
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.role == Role.OWNER and role != Role.OWNER and owners_count(locked.company) <= 1:
        raise CompanyError("L'entreprise doit garder au moins un dirigeant.")
    locked.role = role
    locked.save(update_fields=["role"])
    return locked


@transaction.atomic
def remove_member(*, membership: Membership) -> None:
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.role == Role.OWNER and owners_count(locked.company) <= 1:
        raise CompanyError("Impossible de retirer le dernier dirigeant de l'entreprise.")
    locked.is_active = False
    locked.save(update_fields=["is_active"])


@transaction.atomic
def set_permission_overrides(*, membership: Membership, overrides: dict[str, bool]) -> Membership:
    for permission in overrides:
        try:
            split_permission(permission)
        except ValueError as exc:
            raise CompanyError(f"Permission inconnue : {permission}") from exc
    membership.permission_overrides = {k: bool(v) for k, v in overrides.items()}
    membership.save(update_fields=["permission_overrides"])
    return membership


def password_setup_token(user: User) -> str:
    return default_token_generator.make_token(user)


def random_password() -> str:
    return secrets.token_urlsafe(12)
