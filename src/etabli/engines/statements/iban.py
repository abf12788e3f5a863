"""IBAN and BIC validation through schwifty, with French messages (the RIB key of French IBANs included).

Why ``validate_bban=True``: schwifty only checks the two IBAN check digits by default; a French IBAN can
have correct check digits and still a wrong RIB key (the two last digits of the BBAN) when it was
computed from a mistyped RIB. The national check catches that.
"""

from __future__ import annotations

from dataclasses import dataclass

from schwifty import BIC, IBAN
from schwifty import exceptions as sx

from etabli.engines.statements.model import StatementError

_IBAN_MESSAGES: tuple[tuple[type[Exception], str], ...] = (
    (sx.InvalidBBANChecksum, "la clé RIB (deux derniers chiffres du compte) est incorrecte"),
    (sx.InvalidChecksumDigits, "la clé de contrôle de l'IBAN (3e et 4e caractères) est incorrecte"),
    (sx.InvalidCountryCode, "le code pays (deux premières lettres) est inconnu"),
    (sx.InvalidLength, "la longueur ne correspond pas à celle des IBAN de ce pays"),
    (sx.InvalidStructure, "il contient des caractères inattendus pour un IBAN de ce pays"),
    (sx.InvalidBankCode, "le code banque est invalide"),
    (sx.InvalidBranchCode, "le code guichet est invalide"),
    (sx.InvalidAccountCode, "le numéro de compte est invalide"),
)

_BIC_MESSAGES: tuple[tuple[type[Exception], str], ...] = (
    (sx.InvalidLength, "un BIC compte 8 ou 11 caractères"),
    (sx.InvalidCountryCode, "le code pays (5e et 6e caractères) est inconnu"),
    (sx.InvalidStructure, "il contient des caractères inattendus"),
)


@dataclass(frozen=True)
class IbanInfo:
    """A validated IBAN and what it tells about the account."""

    iban: str
    formatted: str
    country_code: str
    bank_code: str
    branch_code: str
    account_code: str
    bic: str
    bank_name: str


def _message(exc: Exception, table: tuple[tuple[type[Exception], str], ...]) -> str:
    for kind, message in table:
        if isinstance(exc, kind):
            return message
    return "il est invalide"


def iban_error(value: str) -> str | None:
    """The French reason why ``value`` is not a valid IBAN, or None when it is valid."""
    try:
        validate_iban(value)
    except StatementError as exc:
        return str(exc)
    return None


def validate_iban(value: str) -> IbanInfo:
    """Validate an IBAN (spaces allowed; RIB key checked for French ones) or raise StatementError."""
    text = (value or "").strip()
    if not text:
        raise StatementError("IBAN absent.")
    try:
        iban = IBAN(text, validate_bban=True)
    except sx.SchwiftyException as exc:
        raise StatementError(f"IBAN « {text} » invalide : {_message(exc, _IBAN_MESSAGES)}.") from None
    bic = iban.bic
    return IbanInfo(
        iban=iban.compact,
        formatted=iban.formatted,
        country_code=iban.country_code,
        bank_code=iban.bank_code,
        branch_code=iban.branch_code,
        account_code=iban.account_code,
        bic=str(bic) if bic else "",
        bank_name=iban.bank_name or "",
    )


def validate_bic(value: str, *, iban: str | None = None) -> str:
    """Validate a BIC (and, given an IBAN, that both are of the same country); returns it compact."""
    text = (value or "").strip().replace(" ", "").upper()
    if not text:
        raise StatementError("BIC absent.")
    try:
        bic = BIC(text)
        bic.validate()
    except sx.SchwiftyException as exc:
        raise StatementError(f"BIC « {text} » invalide : {_message(exc, _BIC_MESSAGES)}.") from None
    if iban:
        info = validate_iban(iban)
        if info.country_code != bic.country_code:
            raise StatementError(
                f"BIC « {text} » incohérent : il désigne une banque du pays {bic.country_code}, l'IBAN est "
                f"du pays {info.country_code}."
            )
    return bic.compact
