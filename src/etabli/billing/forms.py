"""Forms of the billing pages. They parse input only; rules live in the services (French refusals are
shown on the form through `apply_errors`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etabli.billing.errors import BillingError
from etabli.billing.models import (
    BillingSettings,
    Channel,
    Direction,
    DunningStep,
    ItemKind,
    Partner,
    PartnerKind,
    PaymentMethod,
    Product,
    StepLevel,
    Unit,
    VatCategory,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
VAT_CHOICES = (("20", "20 %"), ("10", "10 %"), ("5.5", "5,5 %"), ("2.1", "2,1 %"), ("0", "0 % (exonéré)"))


def apply_errors(form: forms.Form, error: BillingError) -> None:
    """Put a service refusal on the form: per field when possible, else as a form error."""
    placed = False
    for name, message in error.field_errors.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed or not error.field_errors:
        form.add_error(None, error.message)


class FrenchDecimalField(forms.DecimalField):
    """Accepts "1 234,56" as well as "1234.56", and shows "1234,56"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = [
            "kind",
            "legal_type",
            "name",
            "siren",
            "siret",
            "vat_number",
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
            "payment_terms_days",
            "payment_terms_end_of_month",
            "preferred_channel",
            "tone",
            "sector",
            "customer_since",
            "iban",
            "bic",
            "expense_account",
            "notes",
        ]
        widgets = {"customer_since": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("siren", "siret", "vat_number", "iban"):
            self.fields[name].validators = []  # checked (with French messages) by the service
            self.fields[name].max_length = 40
            self.fields[name].widget.attrs["maxlength"] = 40


class ProductForm(forms.ModelForm):
    unit_price = FrenchDecimalField(
        label=_("prix unitaire HT (€)"), min_value=Decimal("0"), decimal_places=4, max_digits=14
    )
    vat_rate = forms.ChoiceField(label=_("taux de TVA"), choices=VAT_CHOICES)

    class Meta:
        model = Product
        fields = [
            "sku",
            "name",
            "description",
            "unit",
            "unit_price",
            "vat_rate",
            "vat_category",
            "vat_exemption_text",
            "kind",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class LineForm(forms.Form):
    """One line of a quote or an invoice; an empty line is ignored."""

    product = forms.ModelChoiceField(label=_("Article"), queryset=Product.objects.none(), required=False)
    description = forms.CharField(label=_("Désignation"), max_length=300, required=False)
    quantity = FrenchDecimalField(label=_("Quantité"), required=False, max_digits=12, decimal_places=4)
    unit = forms.ChoiceField(label=_("Unité"), choices=[("", "—"), *Unit.choices], required=False)
    unit_price = FrenchDecimalField(label=_("PU HT"), required=False, max_digits=14, decimal_places=4)
    discount_percent = FrenchDecimalField(label=_("Remise %"), required=False, max_digits=5, decimal_places=2)
    vat_rate = forms.ChoiceField(label=_("TVA"), choices=[("", "—"), *VAT_CHOICES], required=False)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        if company is not None:
            self.fields["product"].queryset = Product.objects.for_company(company).filter(is_active=True)

    def as_line(self) -> dict | None:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if not data or not (data.get("product") or data.get("description")):
            return None
        line = {
            "description": data.get("description") or "",
            "quantity": data.get("quantity"),
            "unit": data.get("unit") or "",
            "unit_price": data.get("unit_price"),
            "discount_percent": data.get("discount_percent") or 0,
            "vat_rate": data.get("vat_rate") or None,
        }
        if data.get("product"):
            line["product_id"] = data["product"].pk
        if line["quantity"] is None:
            line["quantity"] = Decimal(1)
        return {k: v for k, v in line.items() if v not in ("", None)}


LineFormSet = formset_factory(LineForm, extra=3, max_num=200, validate_max=True)


def line_formset(company, data=None, initial=None, prefix="lignes"):
    return LineFormSet(data=data, initial=initial, prefix=prefix, form_kwargs={"company": company})


def lines_from(formset) -> list[dict]:
    return [line for form in formset.forms if (line := form.as_line())]


class PartnerChoiceMixin:
    def limit_partners(self, company, kind=PartnerKind.CUSTOMER):
        self.fields["partner"].queryset = Partner.objects.for_company(company).filter(
            kind=kind, is_active=True
        )


class QuoteForm(PartnerChoiceMixin, forms.Form):
    partner = forms.ModelChoiceField(label=_("Client"), queryset=Partner.objects.none())
    title = forms.CharField(label=_("Objet"), max_length=200, required=False)
    issue_date = forms.DateField(label=_("Date du devis"), widget=DATE, initial=timezone.localdate)
    validity_days = forms.IntegerField(label=_("Validité (jours)"), min_value=1, max_value=365, initial=30)
    order_reference = forms.CharField(label=_("Référence du client"), max_length=60, required=False)
    notes = forms.CharField(
        label=_("Conditions particulières"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_partners(company)


class InvoiceForm(PartnerChoiceMixin, forms.Form):
    partner = forms.ModelChoiceField(label=_("Client"), queryset=Partner.objects.none())
    order_reference = forms.CharField(label=_("N° de commande du client"), max_length=60, required=False)
    payment_terms_days = forms.IntegerField(
        label=_("Délai de paiement (jours)"),
        min_value=0,
        max_value=60,
        required=False,
        help_text=_("Vide : celui de la fiche client."),
    )
    delivery_date = forms.DateField(label=_("Date de livraison ou d'exécution"), widget=DATE, required=False)
    notes = forms.CharField(
        label=_("Notes imprimées"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_partners(company)


class IssueForm(forms.Form):
    issue_date = forms.DateField(label=_("Date d'émission"), widget=DATE, initial=timezone.localdate)


class PaymentForm(forms.Form):
    amount = FrenchDecimalField(label=_("Montant (€)"), max_digits=14, decimal_places=2)
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    method = forms.ChoiceField(
        label=_("Moyen"), choices=PaymentMethod.choices, initial=PaymentMethod.TRANSFER
    )
    reference = forms.CharField(label=_("Référence (n° de chèque, libellé…)"), max_length=200, required=False)


class CreditNoteForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Avoir"),
        choices=(("full", "Total (annule toute la facture)"), ("partial", "Partiel (lignes ci-dessous)")),
        widget=forms.RadioSelect,
        initial="full",
    )
    reason = forms.CharField(label=_("Motif"), max_length=500)


class DepositForm(forms.Form):
    percent = FrenchDecimalField(
        label=_("Acompte (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("99.99"),
        initial=Decimal("30"),
    )


class SendForm(forms.Form):
    to = forms.EmailField(label=_("Destinataire"))


class SettingsForm(forms.ModelForm):
    class Meta:
        model = BillingSettings
        fields = [
            "invoice_prefix",
            "credit_note_prefix",
            "quote_prefix",
            "default_payment_terms_days",
            "quote_validity_days",
            "default_deposit_percent",
            "ecb_rate",
            "penalty_margin_points",
            "contractual_penalty_rate",
            "recovery_indemnity",
            "early_payment_discount_text",
            "payment_iban",
            "payment_bic",
            "extra_mentions",
            "due_soon_days",
            "min_reminder_amount",
            "llm_rephrase",
            "reminder_signature",
        ]
        localized_fields = "__all__"  # "2,15" as the French write it
        widgets = {
            "extra_mentions": forms.Textarea(attrs={"rows": 2}),
            "reminder_signature": forms.Textarea(attrs={"rows": 3}),
        }


class StepForm(forms.ModelForm):
    class Meta:
        model = DunningStep
        fields = ["offset_days", "level", "label", "channel", "is_active"]


class AutoSendForm(forms.Form):
    """One checkbox per dunning level (formal notices always need a person)."""

    courtesy = forms.BooleanField(label=_("Rappels de courtoisie"), required=False)
    reminder = forms.BooleanField(label=_("Premières relances"), required=False)
    firm = forms.BooleanField(label=_("Relances fermes"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier (PDF Factur-X, XML UBL ou CII)"))
    direction = forms.ChoiceField(
        label=_("Sens"),
        choices=(
            ("auto", "Détecter (selon votre SIREN/TVA)"),
            (Direction.SUPPLIER, "Facture fournisseur (à payer)"),
            (Direction.CUSTOMER, "Facture client (à encaisser)"),
        ),
        initial=Direction.SUPPLIER,
    )


class CreditTermsForm(forms.Form):
    amount = FrenchDecimalField(
        label=_("Montant demandé à crédit (€)"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    requested_term_days = forms.IntegerField(
        label=_("Délai demandé (jours)"), min_value=0, max_value=365, initial=60
    )


class StepChoices:
    LEVELS = StepLevel.choices
    CHANNELS = Channel.choices
    CATEGORIES = VatCategory.choices
    KINDS = ItemKind.choices


def default_issue_date() -> dt.date:
    return timezone.localdate()
