"""Forms of the documents pages (French labels, accessible through core/_form.html)."""

from __future__ import annotations

from django import forms

from etabli.documents.models import DOC_TYPE_CHOICES, DocumentSettings, DocumentStatus, MailAccount


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Fichiers (PDF, photos, factures électroniques)",
        help_text="Plusieurs fichiers à la fois ; 50 Mo au plus par envoi (au-delà : dossier surveillé ou "
                  "commande « etabli documents ingest »).",
        widget=MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.tif,.tiff,.xml,application/pdf,image/*"}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder":
                                                      "ex. factures EDF de plus de 500 € en 2025, contrats Dupont…",
                                                      "autocomplete": "off"}))
    type = forms.ChoiceField(label="Type", required=False, choices=[("", "Tous les types"), *DOC_TYPE_CHOICES])
    statut = forms.ChoiceField(label="État", required=False,
                               choices=[("", "Tous les états"), *DocumentStatus.choices])
    correspondant = forms.CharField(label="Correspondant", required=False)
    du = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    montant_min = forms.DecimalField(label="Montant TTC min. (€)", required=False, min_value=0, localize=True)
    montant_max = forms.DecimalField(label="Montant TTC max. (€)", required=False, min_value=0, localize=True)
    etiquette = forms.CharField(label="Étiquette", required=False)
    tri = forms.ChoiceField(label="Tri", required=False, choices=[
        ("", "Pertinence / plus récents"), ("-date", "Date (récent d'abord)"), ("date", "Date (ancien d'abord)"),
        ("-amount", "Montant décroissant"), ("amount", "Montant croissant")])


class CorrectionForm(forms.Form):
    doc_type = forms.ChoiceField(label="Type", choices=DOC_TYPE_CHOICES)
    title = forms.CharField(label="Titre", max_length=255)
    correspondent_name = forms.CharField(label="Correspondant", max_length=200, required=False)
    tags = forms.CharField(label="Étiquettes (séparées par des virgules)", required=False)


class DocumentSettingsForm(forms.ModelForm):
    class Meta:
        model = DocumentSettings
        fields = ["human_validation_amount", "type_threshold", "ocr_enabled", "default_expense_account"]
        localized_fields = "__all__"


class MailAccountForm(forms.ModelForm):
    password = forms.CharField(label="Mot de passe", required=False, widget=forms.PasswordInput(render_value=False),
                               help_text="Laissez vide pour garder le mot de passe enregistré.")

    class Meta:
        model = MailAccount
        fields = ["label", "host", "port", "security", "username", "folder", "enabled"]


class FolderForm(forms.Form):
    path = forms.CharField(label="Chemin du dossier sur le serveur", max_length=500,
                           widget=forms.TextInput(attrs={"placeholder": "/srv/scans/entreprise"}))
    move_processed = forms.BooleanField(label="Ranger les fichiers pris dans « importés/AAAA-MM »", required=False,
                                        initial=True)
