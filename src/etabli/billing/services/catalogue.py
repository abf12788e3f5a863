"""The catalogue: products and services with unit, price excluding VAT and VAT rate (or exemption)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from etabli.billing.errors import BillingError
from etabli.billing.models import ItemKind, Product, Unit, VatCategory
from etabli.billing.rules import DEFAULT_EXEMPTION_TEXTS
from etabli.common.money import FRENCH_VAT_RATES, to_decimal
from etabli.core.models import Company


@transaction.atomic
def save_product(
    *,
    company: Company,
    product: Product | None,
    sku: str,
    name: str,
    unit_price,
    unit: str = "u",
    vat_rate=Decimal("20"),
    vat_category: str = VatCategory.STANDARD,
    vat_exemption_text: str = "",
    kind: str = ItemKind.GOODS,
    description: str = "",
    is_active: bool = True,
) -> Product:
    errors: dict[str, str] = {}
    sku, name = (sku or "").strip().upper()[:40], (name or "").strip()[:200]
    if not sku:
        errors["sku"] = "La référence est obligatoire."
    if not name:
        errors["name"] = "La désignation est obligatoire."
    try:
        price = to_decimal(unit_price)
        if price < 0:
            errors["unit_price"] = "Le prix ne peut pas être négatif."
    except (ValueError, TypeError, InvalidOperation):
        errors["unit_price"] = "Prix invalide."
        price = Decimal(0)
    try:
        rate = to_decimal(vat_rate)
    except (ValueError, TypeError, InvalidOperation):
        errors["vat_rate"] = "Taux invalide."
        rate = Decimal(0)
    if vat_category not in VatCategory.values:
        errors["vat_category"] = "Régime de TVA inconnu."
    elif vat_category == VatCategory.STANDARD and rate not in FRENCH_VAT_RATES[:-1]:
        errors["vat_rate"] = "Taux de TVA français : 20, 10, 5,5 ou 2,1 %."
    elif vat_category != VatCategory.STANDARD:
        if rate != 0:
            errors["vat_rate"] = "Une opération exonérée ou autoliquidée a un taux de 0 %."
        vat_exemption_text = vat_exemption_text or DEFAULT_EXEMPTION_TEXTS.get(vat_category, "")
    if unit not in Unit.values:
        errors["unit"] = "Unité inconnue."
    if kind not in ItemKind.values:
        errors["kind"] = "Nature inconnue (bien ou prestation)."
    duplicate = Product.objects.for_company(company).filter(sku=sku)
    if product is not None:
        duplicate = duplicate.exclude(pk=product.pk)
    if sku and duplicate.exists():
        errors["sku"] = f"La référence {sku} existe déjà."
    if errors:
        raise BillingError("L'article n'est pas valide : " + " ".join(errors.values()), field_errors=errors)
    if product is None:
        product = Product(company=company)
    elif product.company_id != company.pk:
        raise BillingError("Article introuvable.", code="not_found", status=404)
    product.sku, product.name, product.unit_price, product.unit = sku, name, price, unit
    product.vat_rate, product.vat_category, product.vat_exemption_text = (
        rate,
        vat_category,
        vat_exemption_text,
    )
    product.kind, product.description, product.is_active = kind, description, is_active
    product.save()
    return product
