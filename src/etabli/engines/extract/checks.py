"""Cross-checks on extracted fields, and how they move the fields' confidence.

Each check is arithmetic or a checksum that a correctly read invoice passes: HT + TVA = TTC (in total
and per rate), SIREN/SIRET Luhn keys, the French VAT key, the IBAN check digits (and French RIB key
through schwifty), the VAT number carrying the SIREN, and a due date not before the issue date. A
failure is shown to the owner (``message`` in French) and halves the confidence of the fields involved;
a success raises the confidence of fields read from text, since noise rarely produces a consistent set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret
from stdnum.fr import tva as fr_tva

from etabli.common.formats import format_date, format_number
from etabli.common.money import round_cents
from etabli.engines.extract.models import Check, FieldValue, VatRateLine

CENT = Decimal("0.01")
FAILURE_FACTOR = 0.5
SUCCESS_PULL = 0.5


def run_checks(fields: dict[str, FieldValue], breakdown: Iterable[VatRateLine]) -> list[Check]:
    checks: list[Check] = []
    value = {name: field.value for name, field in fields.items()}
    checks += _totals(value)
    checks += _per_rate(list(breakdown), value)
    checks += _identifiers(value)
    checks += _dates(value)
    return checks


def _money(amount: object) -> str:
    return format_number(amount) if isinstance(amount, Decimal) else str(amount)


def _totals(value: dict[str, object]) -> list[Check]:
    ht, tva, ttc = value.get("total_ht"), value.get("total_tva"), value.get("total_ttc")
    if not all(isinstance(v, Decimal) for v in (ht, tva, ttc)):
        return []
    assert isinstance(ht, Decimal) and isinstance(tva, Decimal) and isinstance(ttc, Decimal)
    ok = abs(ht + tva - ttc) <= CENT
    relation = "=" if ok else "≠"
    return [
        Check(
            "totals_consistent",
            ok,
            f"Total HT {_money(ht)} + TVA {_money(tva)} {relation} total TTC {_money(ttc)}",
            ("total_ht", "total_tva", "total_ttc"),
        )
    ]


def _per_rate(rows: list[VatRateLine], value: dict[str, object]) -> list[Check]:
    checks: list[Check] = []
    for row in rows:
        if row.base is None or row.vat is None:
            continue
        expected = round_cents(row.base * row.rate / 100)
        ok = abs(expected - row.vat) <= CENT
        rate = f"{row.rate}".replace(".", ",")
        checks.append(
            Check(
                "vat_per_rate",
                ok,
                f"TVA à {rate} % : base {_money(row.base)} + TVA {_money(row.vat)} = "
                f"{_money(row.base + row.vat)} TTC"
                + ("" if ok else f" ; la TVA attendue est {_money(expected)}"),
                ("total_tva",),
            )
        )
    complete = rows and all(r.base is not None and r.vat is not None for r in rows)
    ht, tva = value.get("total_ht"), value.get("total_tva")
    if complete and isinstance(ht, Decimal) and isinstance(tva, Decimal):
        bases = sum((r.base for r in rows if r.base is not None), Decimal(0))
        vats = sum((r.vat for r in rows if r.vat is not None), Decimal(0))
        ok = abs(bases - ht) <= CENT and abs(vats - tva) <= CENT * len(rows)
        checks.append(
            Check(
                "vat_breakdown_sum",
                ok,
                f"Somme des bases par taux {_money(bases)} et des TVA {_money(vats)} "
                + (
                    "conformes aux totaux"
                    if ok
                    else f"différentes des totaux HT {_money(ht)} / TVA {_money(tva)}"
                ),
                ("total_ht", "total_tva"),
            )
        )
    return checks


def _identifiers(value: dict[str, object]) -> list[Check]:
    checks: list[Check] = []
    siren, siret, vat, iban = (value.get(k) for k in ("siren", "siret", "vat_number", "iban"))
    if isinstance(siren, str):
        ok = fr_siren.is_valid(siren)
        checks.append(
            Check(
                "siren_checksum",
                ok,
                f"SIREN {siren} : clé de contrôle (Luhn) {'valide' if ok else 'invalide'}",
                ("siren",),
            )
        )
    if isinstance(siret, str):
        ok = fr_siret.is_valid(siret)
        checks.append(
            Check(
                "siret_checksum",
                ok,
                f"SIRET {siret} : clé de contrôle {'valide' if ok else 'invalide'}",
                ("siret",),
            )
        )
        if isinstance(siren, str):
            ok = siret[:9] == siren
            checks.append(
                Check(
                    "siret_matches_siren",
                    ok,
                    f"Le SIRET {'commence' if ok else 'ne commence pas'} par le SIREN {siren}",
                    ("siret", "siren"),
                )
            )
    if isinstance(vat, str):
        if vat.startswith("FR"):
            ok = fr_tva.is_valid(vat)
            checks.append(
                Check(
                    "vat_number_key",
                    ok,
                    f"N° de TVA {vat} : clé {'valide' if ok else 'invalide'}",
                    ("vat_number",),
                )
            )
            if isinstance(siren, str) and len(vat) == 13:
                ok = vat[4:] == siren
                checks.append(
                    Check(
                        "vat_matches_siren",
                        ok,
                        f"Le n° de TVA {vat} {'contient' if ok else 'ne contient pas'} le SIREN {siren}",
                        ("vat_number", "siren"),
                    )
                )
        else:
            ok = eu_vat.is_valid(vat)
            checks.append(
                Check(
                    "vat_number_key",
                    ok,
                    f"N° de TVA {vat} : format et clé {'valides' if ok else 'invalides'}",
                    ("vat_number",),
                )
            )
    if isinstance(iban, str):
        try:
            IBAN(iban, validate_bban=True)
            checks.append(Check("iban_checksum", True, f"IBAN {iban} : clés de contrôle valides", ("iban",)))
        except (SchwiftyException, ValueError) as exc:
            checks.append(
                Check("iban_checksum", False, f"IBAN {iban} invalide ({_iban_reason(exc)})", ("iban",))
            )
    return checks


def _iban_reason(exc: Exception) -> str:
    name = type(exc).__name__
    return {
        "InvalidChecksumDigits": "clé IBAN erronée",
        "InvalidBBANChecksum": "clé RIB erronée",
        "InvalidLength": "longueur incorrecte",
        "InvalidCountryCode": "code pays inconnu",
        "InvalidStructure": "structure incorrecte",
    }.get(name, "format incorrect")


def _dates(value: dict[str, object]) -> list[Check]:
    issue, due = value.get("issue_date"), value.get("due_date")
    if not (isinstance(issue, date) and isinstance(due, date)):
        return []
    ok = due >= issue
    return [
        Check(
            "due_after_issue",
            ok,
            f"Échéance du {format_date(due)} {'postérieure ou égale' if ok else 'antérieure'} à la date de facture du {format_date(issue)}",
            ("issue_date", "due_date"),
        )
    ]


def apply_checks(fields: dict[str, FieldValue], checks: Iterable[Check]) -> dict[str, FieldValue]:
    """Confidence after the checks: failures halve it, successes pull text-read fields towards 1.

    Fields read from an e-invoice's XML keep 1.0: they are exactly what the issuer sent, and a failed
    check on them is the issuer's error, reported as such.
    """
    adjusted = dict(fields)
    for check in checks:
        for name in check.fields:
            field = adjusted.get(name)
            if field is None or field.source == "xml":
                continue
            if check.ok:
                confidence = field.confidence + (1 - field.confidence) * SUCCESS_PULL
            else:
                confidence = field.confidence * FAILURE_FACTOR
            adjusted[name] = replace(field, confidence=round(confidence, 3))
    return adjusted
