"""Forms of the banking pages, French labels and messages; dates typed JJ/MM/AAAA, amounts « 1 234,56 »."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from etabli.banking.constants import category_choices
from etabli.banking.models import BankAccount, Direction
from etabli.banking.services.accounts import HOLIDAY_SUBDIVISIONS
from etabli.engines.statements.csvfile import FIELDS

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"]
FIELD_LABELS = {
    "date": _("Date d'opération"), "label": _("Libellé"), "amount": _("Montant (signé)"), "debit": _("Débit"),
    "credit": _("Crédit"), "value_date": _("Date de valeur"), "reference": _("Référence"), "balance": _("Solde"),
    "counterparty_name": _("Tiers"), "extra_info": _("Informations complémentaires"),
}


def date_field(label, required=True, help_text=""):
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS, help_text=help_text,
                           widget=forms.TextInput(attrs={"placeholder": "JJ/MM/AAAA", "inputmode": "numeric"}))


def money_field(label, required=True, help_text=""):
    return forms.DecimalField(label=label, required=required, localize=True, max_digits=14, decimal_places=2,
                              help_text=help_text, widget=forms.TextInput(attrs={"inputmode": "decimal"}))


class StatementUploadForm(forms.Form):
    file = forms.FileField(label=_("Relevé bancaire"), help_text=_(
        "CFONB 120 (.txt, .dat, .cfo), camt.053 (.xml), OFX (.ofx) ou export CSV de la banque."))
    account = forms.ModelChoiceField(label=_("Compte"), queryset=BankAccount.objects.none(), required=False,
                                     empty_label=_("Celui indiqué dans le fichier"), help_text=_(
                                         "Obligatoire pour un fichier CSV (il ne dit pas de quel compte il s'agit)."))

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = BankAccount.objects.for_company(company).filter(is_active=True)


class AccountForm(forms.Form):
    name = forms.CharField(label=_("Nom du compte"), max_length=80, required=False,
                           help_text=_("Par exemple « Compte courant ». Laissez vide pour un nom automatique."))
    iban = forms.CharField(label=_("IBAN"), max_length=42, help_text=_("La clé RIB des IBAN français est vérifiée."))
    bic = forms.CharField(label=_("BIC"), max_length=15, required=False)
    balance = money_field(_("Solde affiché par la banque"), required=False)
    balance_date = date_field(_("à la date du"), required=False)


class AccountEditForm(forms.Form):
    name = forms.CharField(label=_("Nom du compte"), max_length=80)
    bic = forms.CharField(label=_("BIC"), max_length=15, required=False)
    balance = money_field(_("Solde affiché par la banque"), required=False,
                          help_text=_("Sert de point de départ : les opérations suivantes s'y ajoutent."))
    balance_date = date_field(_("à la date du"), required=False)
    is_active = forms.BooleanField(label=_("Compte actif (inclus dans la prévision)"), required=False)


class MappingForm(forms.Form):
    """The columns of a bank's CSV export: guessed, shown with a preview, confirmed once."""

    delimiter = forms.ChoiceField(label=_("Séparateur"), choices=[(";", "Point-virgule ;"), (",", "Virgule ,"),
                                                                   ("\t", "Tabulation"), ("|", "Barre verticale |")])
    decimal = forms.ChoiceField(label=_("Séparateur décimal des montants"), choices=[(",", "Virgule (1 234,56)"),
                                                                                      (".", "Point (1,234.56)")])
    date_format = forms.ChoiceField(label=_("Format des dates"), choices=[
        ("%d/%m/%Y", "JJ/MM/AAAA"), ("%d/%m/%y", "JJ/MM/AA"), ("%Y-%m-%d", "AAAA-MM-JJ"), ("%d-%m-%Y", "JJ-MM-AAAA"),
        ("%d.%m.%Y", "JJ.MM.AAAA")])
    encoding = forms.ChoiceField(label=_("Encodage"), choices=[("utf-8", "UTF-8"), ("cp1252", "Windows-1252 (ANSI)"),
                                                               ("latin-1", "Latin-1 (ISO-8859-1)")])
    header_row = forms.IntegerField(label=_("Ligne des intitulés (0 = première ligne)"), min_value=0, max_value=50)

    def __init__(self, *args, headers: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— absente —")] + [(h, h) for h in headers or [] if h]
        for name in FIELDS:
            self.fields[f"col_{name}"] = forms.ChoiceField(label=FIELD_LABELS[name], choices=choices, required=False)

    def mapping(self) -> dict:
        data = self.cleaned_data
        return {"delimiter": data["delimiter"], "decimal": data["decimal"], "date_format": data["date_format"],
                "encoding": data["encoding"], "header_row": data["header_row"], "currency": "EUR",
                "columns": {name: data.get(f"col_{name}") or None for name in FIELDS}}

    @classmethod
    def initial_from(cls, mapping: dict | None) -> dict:
        mapping = mapping or {}
        initial = {key: mapping.get(key) for key in ("delimiter", "decimal", "date_format", "encoding", "header_row")}
        initial = {k: v for k, v in initial.items() if v is not None}
        initial.setdefault("header_row", 0)
        for name, column in (mapping.get("columns") or {}).items():
            initial[f"col_{name}"] = column or ""
        return initial


class CategoryForm(forms.Form):
    category = forms.ChoiceField(label=_("Catégorie (compte PCG)"), choices=[])
    create_rule = forms.BooleanField(label=_("Classer pareil les prochaines opérations dont le libellé contient :"),
                                     required=False)
    pattern = forms.CharField(label=_("Motif de la règle"), max_length=80, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()


class MatchForm(forms.Form):
    invoices = forms.CharField(label=_("Numéros de facture"), max_length=500,
                               help_text=_("Séparés par des virgules si l'opération règle plusieurs factures."))


class RuleForm(forms.Form):
    pattern = forms.CharField(label=_("Le libellé contient"), max_length=80)
    category = forms.ChoiceField(label=_("Catégorie"), choices=[])
    direction = forms.ChoiceField(label=_("Sens"), choices=Direction.choices, initial=Direction.ANY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()


class SettingsForm(forms.Form):
    cash_threshold = money_field(_("Seuil d'alerte de trésorerie (€)"), help_text=_(
        "Une alerte prévient du premier jour où la trésorerie prévue passe sous ce montant (0 € par défaut)."))
    holiday_subdivision = forms.ChoiceField(label=_("Jours fériés"), choices=list(HOLIDAY_SUBDIVISIONS.items()),
                                            required=False)


class WhatIfTextForm(forms.Form):
    text = forms.CharField(label=_("Et si…"), max_length=300, widget=forms.TextInput(attrs={
        "placeholder": "achat véhicule 25 000 € le 15/01"}), help_text=_(
        "Exemples : « achat véhicule 25 000 € le 15/01 », « embauche 2 500 €/mois à partir de février », "
        "« perte du chantier Dupont 80 000 € », « décaler le paiement fournisseur Scierie au 30/01 »."))


class WhatIfForm(forms.Form):
    action = forms.ChoiceField(label=_("Changement"), choices=[("add", "Ajouter un flux"), ("remove", "Retirer un flux"),
                                                               ("move", "Décaler un flux")])
    direction = forms.ChoiceField(label=_("Sens"), choices=[("-1", "Sortie (dépense)"), ("1", "Entrée (encaissement)")])
    label = forms.CharField(label=_("Libellé ou tiers"), max_length=120, required=False,
                            help_text=_("Pour retirer ou décaler : le nom du client ou du fournisseur."))
    amount = money_field(_("Montant (€)"), required=False)
    day = date_field(_("Date"), required=False)
    monthly = forms.BooleanField(label=_("Tous les mois"), required=False)
    until = date_field(_("Jusqu'au"), required=False)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "add" and (data.get("amount") is None or data.get("day") is None):
            raise forms.ValidationError(_("Pour ajouter un flux, indiquez le montant et la date."))
        if action in ("remove", "move") and not (data.get("label") or "").strip():
            raise forms.ValidationError(_("Indiquez le client ou le fournisseur concerné."))
        if action == "move" and data.get("day") is None:
            raise forms.ValidationError(_("Indiquez la nouvelle date."))
        return data
