"""Validators for French identifiers, with French messages (python-stdnum does the arithmetic)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret
from stdnum.fr import tva as stdnum_tva

NAF_RE = re.compile(r"^\d{2}\.?\d{2}[A-Z]$")


def clean_identifier(value: str) -> str:
    """Remove spaces, dots and dashes people type in identifiers ("123 456 789" → "123456789")."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def validate_siren(value: str) -> None:
    if not value:
        return
    try:
        stdnum_siren.validate(clean_identifier(value))
    except stdnum_errors.InvalidLength as exc:
        raise ValidationError(_("Le SIREN doit comporter 9 chiffres."), code="invalid_siren") from exc
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _("Le SIREN « %(value)s » n'est pas valide (clé de contrôle incorrecte)."),
            code="invalid_siren",
            params={"value": value},
        ) from exc


def validate_siret(value: str) -> None:
    if not value:
        return
    try:
        stdnum_siret.validate(clean_identifier(value))
    except stdnum_errors.InvalidLength as exc:
        raise ValidationError(_("Le SIRET doit comporter 14 chiffres."), code="invalid_siret") from exc
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _("Le SIRET « %(value)s » n'est pas valide (clé de contrôle incorrecte)."),
            code="invalid_siret",
            params={"value": value},
        ) from exc


def validate_vat_number(value: str) -> None:
    """French VAT numbers are checked with their key; other EU numbers only for their shape."""
    if not value:
        return
    number = clean_identifier(value)
    if not number.startswith("FR"):
        if not re.fullmatch(r"[A-Z]{2}[0-9A-Z]{2,13}", number):
            raise ValidationError(
                _("Le numéro de TVA « %(value)s » n'a pas la forme d'un numéro intracommunautaire."),
                code="invalid_vat",
                params={"value": value},
            )
        return
    try:
        stdnum_tva.validate(number)
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _("Le numéro de TVA « %(value)s » n'est pas valide (clé ou SIREN incorrect)."),
            code="invalid_vat",
            params={"value": value},
        ) from exc


def validate_naf(value: str) -> None:
    if value and not NAF_RE.match(value.strip().upper()):
        raise ValidationError(
            _("Le code NAF « %(value)s » doit avoir la forme 16.23Z."), code="invalid_naf", params={"value": value}
        )


def normalise_naf(value: str) -> str:
    value = (value or "").strip().upper().replace(".", "")
    return f"{value[:2]}.{value[2:]}" if value else ""


def vat_matches_siren(vat_number: str, siren: str) -> bool:
    """A French VAT number embeds the SIREN: FR + key + SIREN."""
    vat = clean_identifier(vat_number)
    return not (vat.startswith("FR") and siren) or vat[-9:] == clean_identifier(siren)
