"""The only place where the documents app calls another app (billing), through its public contract.

Why a module of small functions: billing's selectors/services are the contract (``find_partner``,
``partners``, ``upsert_supplier``, ``create_supplier_invoice``, ``import_einvoice``); keeping every call here
means one file to read to know what documents expects from billing, and one place to adapt if it moves.
Billing's refusals (``BillingError``) become :class:`PartnerServiceError` with the same French message.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from decimal import Decimal
from typing import Any

from etabli.core.models import Company


class PartnerServiceError(ValueError):
    """Billing refused (French message, optional field errors)."""

    def __init__(self, message: str, field_errors: dict[str, str] | None = None, code: str = "invalid"):
        self.message = message
        self.field_errors = field_errors or {}
        self.code = code
        super().__init__(message)


READS = ("find_partner", "partners", "open_invoices")


def _billing(name: str) -> Any:
    """A function of billing's contract: reads in ``etabli.billing.selectors``, writes in
    ``etabli.billing.services``."""
    modules = ("etabli.billing.selectors",) if name in READS else ("etabli.billing.services",)
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        function = getattr(module, name, None)
        if callable(function) and not inspect.ismodule(function):
            return function
    raise PartnerServiceError(f"La facturation ne propose pas encore « {name} » : module facturation absent.")


def _call(function_name: str, /, **kwargs) -> Any:
    function = _billing(function_name)
    try:
        return function(**kwargs)
    except ValueError as exc:  # BillingError is a ValueError with .message/.field_errors
        if exc.__class__.__name__ == "BillingError" or hasattr(exc, "field_errors"):
            raise PartnerServiceError(getattr(exc, "message", str(exc)), getattr(exc, "field_errors", {}),
                                      getattr(exc, "code", "invalid")) from exc
        raise


def find_partner(
    *, company: Company, siren: str = "", siret: str = "", vat_number: str = "", iban: str = "", name: str = "",
    kind: str | None = None,
):
    """A billing partner (PartnerView) by identifiers then fuzzy name, or None."""
    try:
        function = _billing("find_partner")
    except PartnerServiceError:
        return None
    return function(company=company, siren=siren or None, siret=siret or None, vat_number=vat_number or None,
                    iban=iban or None, name=name or None, kind=kind)


def partners(*, company: Company, kind: str | None = None) -> list:
    try:
        function = _billing("partners")
    except PartnerServiceError:
        return []
    return list(function(company=company, kind=kind))


def partner_by_id(*, company: Company, partner_id: int | None):
    if not partner_id:
        return None
    return next((p for p in partners(company=company) if p.id == partner_id), None)


def upsert_supplier(*, company: Company, name: str, siren: str = "", siret: str = "", vat_number: str = "",
                    iban: str = "", address_line1: str = "", postal_code: str = "", city: str = "",
                    email: str = ""):
    return _call("upsert_supplier", company=company, name=name, siren=siren, siret=siret, vat_number=vat_number,
                 iban=iban, address_line1=address_line1, postal_code=postal_code, city=city, email=email)


def create_supplier_invoice(
    *, company: Company, supplier_id: int, number: str, issue_date: dt.date, due_date: dt.date,
    total_ht: Decimal, total_tva: Decimal, total_ttc: Decimal, vat_breakdown: list[dict], currency: str = "EUR",
    order_reference: str = "", source_document_id: int | None = None,
):
    return _call("create_supplier_invoice", company=company, supplier_id=supplier_id, number=number,
                 issue_date=issue_date, due_date=due_date, currency=currency, total_ht=total_ht,
                 total_tva=total_tva, total_ttc=total_ttc, vat_breakdown=vat_breakdown,
                 order_reference=order_reference, source_document_id=source_document_id)


def open_supplier_invoice(*, company: Company, supplier_id: int, number: str):
    """The supplier invoice already recorded in billing with this number (still open), or None."""
    try:
        function = _billing("open_invoices")
    except PartnerServiceError:
        return None
    wanted = (number or "").replace(" ", "").casefold()
    for invoice in function(company=company, kind="supplier"):
        if invoice.partner_id == supplier_id and invoice.number.replace(" ", "").casefold() == wanted:
            return invoice
    return None


def import_einvoice(*, company: Company, data: bytes, filename: str, direction: str = "supplier"):
    return _call("import_einvoice", company=company, data=data, filename=filename, direction=direction)
