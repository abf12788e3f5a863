"""Forms of the core, with French labels and error messages."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from etabli.core.models import AuditAction, Company, Membership, Role
from etabli.core.permissions import all_permissions
from etabli.core.registry import ReviewHandler, registry

MAX_LOGO_BYTES = 2 * 1024 * 1024


class CompanyForm(forms.ModelForm):
    website = forms.URLField(label="Site web", required=False, assume_scheme="https")

    class Meta:
        model = Company
        fields = [
            "legal_name", "trade_name", "legal_form", "share_capital", "siren", "siret", "vat_number", "rcs_city",
            "naf_code", "address_line1", "address_line2", "postal_code", "city", "country", "email", "phone",
            "website", "vat_regime", "vat_on_debits", "fiscal_year_end_month", "fiscal_year_end_day", "logo",
            "hourly_cost", "employees_count",
        ]
        localized_fields = "__all__"  # French decimals: "42,50"
        widgets = {"fiscal_year_end_month": forms.Select(choices=[(i, f"{i:02d}") for i in range(1, 13)])}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "size") and logo.size > MAX_LOGO_BYTES:
            raise ValidationError("Le logo doit peser moins de 2 Mo.")
        return logo

    def _post_clean(self):
        # Company.full_clean runs in the service; here we only keep the field-level validation of ModelForm.
        try:
            super()._post_clean()
        except ValidationError as exc:  # pragma: no cover - ModelForm collects them itself
            self.add_error(None, exc)

    def cleaned_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("logo"):
            data.pop("logo", None)
        return data

    def add_validation_error(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc.messages)


class MemberForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail")
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    role = forms.ChoiceField(label="Rôle", choices=Role.choices, initial=Role.EMPLOYEE)


class PermissionOverridesForm(forms.Form):
    """One tri-state select per permission: role default, granted, revoked."""

    CHOICES = (("", "Selon le rôle"), ("1", "Autorisé"), ("0", "Interdit"))

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        current = membership.permission_overrides or {}
        for permission, module_label, action_label in all_permissions():
            value = current.get(permission)
            self.fields[permission] = forms.ChoiceField(
                label=f"{module_label} — {action_label}", choices=self.CHOICES, required=False,
                initial="" if value is None else ("1" if value else "0"),
            )

    def overrides(self) -> dict[str, bool]:
        return {k: v == "1" for k, v in self.cleaned_data.items() if v in ("0", "1")}


class RejectForm(forms.Form):
    reason = forms.CharField(label="Motif (facultatif)", required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class SnoozeForm(forms.Form):
    days = forms.TypedChoiceField(label="Reporter de", coerce=int,
                                  choices=((1, "1 jour"), (3, "3 jours"), (7, "1 semaine"), (30, "1 mois")))


class CostForm(forms.Form):
    use_case = forms.ChoiceField(label="Cas d'usage", required=False, choices=())
    monthly_cost = forms.DecimalField(label="Coût mensuel (€)", required=False, min_value=Decimal("0"),
                                      max_digits=10, decimal_places=2, localize=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["use_case"].choices = [("", "—"), *sorted(registry.use_cases.items(), key=lambda kv: kv[1])]


class AuditFilterForm(forms.Form):
    q = forms.CharField(label="Recherche", required=False)
    actor = forms.ChoiceField(label="Auteur", required=False)
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Toutes"), *AuditAction.choices])
    model = forms.CharField(label="Objet", required=False)
    date_from = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.filter(company=company).select_related("user")
        self.fields["actor"].choices = [("", "Tous"), *[(str(m.user_id), m.user.email) for m in members]]


class TokenForm(forms.Form):
    name = forms.CharField(label="Nom du jeton", max_length=100, help_text="Par exemple « n8n » ou « tableur ».")
    expires_in_days = forms.TypedChoiceField(
        label="Validité", coerce=int, initial=90,
        choices=((30, "30 jours"), (90, "90 jours"), (365, "1 an")),
    )
    read_only = forms.BooleanField(label="Lecture seule", required=False)


class WebhookForm(forms.Form):
    url = forms.URLField(label="Adresse de réception", max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(label="Événements (aucun coché = tous)", required=False,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, events: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [(e.name, f"{e.name} — {e.description}") for e in events.values()]


FIELD_KINDS = {
    "text": lambda f: forms.CharField(label=f.label, required=f.required, max_length=2000),
    "textarea": lambda f: forms.CharField(label=f.label, required=f.required, widget=forms.Textarea(attrs={"rows": 8})),
    "decimal": lambda f: forms.CharField(label=f.label, required=f.required),
    "integer": lambda f: forms.IntegerField(label=f.label, required=f.required),
    "date": lambda f: forms.CharField(label=f.label, required=f.required,
                                      widget=forms.DateInput(attrs={"type": "date"})),
    "choice": lambda f: forms.ChoiceField(label=f.label, required=f.required, choices=f.choices),
}


def edit_form_for(handler: ReviewHandler | None, payload: dict, data=None) -> forms.Form | None:
    """A form with the handler's editable payload fields, pre-filled with the current proposal."""
    if handler is None or not handler.edit_fields:
        return None
    form = forms.Form(data=data)
    for spec in handler.edit_fields:
        field = FIELD_KINDS[spec.kind](spec)
        field.initial = payload.get(spec.name)
        form.fields[spec.name] = field
    return form


class LLMSettingsForm(forms.ModelForm):
    url = forms.URLField(label="Adresse du serveur", required=False, assume_scheme="http",
                         help_text="Par exemple http://127.0.0.1:11434 (Ollama) ou http://127.0.0.1:8080 (llama.cpp).")
    api_key = forms.CharField(label="Clé d'API", required=False, widget=forms.PasswordInput(render_value=True))

    class Meta:
        from etabli.core.models import LLMSettings

        model = LLMSettings
        fields = ["provider", "url", "model", "api_key", "gguf_path", "remote_acknowledged", "monthly_token_limit",
                  "monthly_cost_limit", "warn_ratio", "input_price_per_million", "output_price_per_million", "tone",
                  "address", "words_to_avoid", "signature"]
        localized_fields = "__all__"
        widgets = {"words_to_avoid": forms.Textarea(attrs={"rows": 3}), "signature": forms.Textarea(attrs={"rows": 3})}

    def clean_warn_ratio(self):
        value = self.cleaned_data["warn_ratio"]
        if not 0.1 <= value <= 1:
            raise ValidationError("L'alerte se règle entre 0,1 et 1 (par exemple 0,8 pour 80 %).")
        return value

    def clean(self):
        data = super().clean()
        provider = data.get("provider")
        if provider == "openai-compatible" and not data.get("url"):
            self.add_error("url", "Indiquez l'adresse du serveur du modèle.")
        if provider == "gguf" and not data.get("gguf_path"):
            self.add_error("gguf_path", "Indiquez le chemin du fichier GGUF (ou « smollm2 » pour le petit modèle fourni).")
        return data
