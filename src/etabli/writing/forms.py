"""Forms of the writing assistant (French labels and messages, keyboard- and screen-reader-friendly)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory

from etabli.engines.writing import LABELS_FR
from etabli.engines.writing.posts import NETWORKS, THEME_LABELS, THEMES
from etabli.writing.constants import MAX_CSV_BYTES, MAX_EMAIL_BYTES, MAX_POSTS
from etabli.writing.models import WritingProfile


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PostsForm(forms.Form):
    themes = forms.MultipleChoiceField(
        label="Thèmes", choices=[(t, THEME_LABELS[t]) for t in THEMES], widget=forms.CheckboxSelectMultiple,
        initial=["conseil", "temoignage", "offre"],
        error_messages={"required": "Choisissez au moins un thème."},
    )
    networks = forms.MultipleChoiceField(
        label="Réseaux", choices=[(key, rules.label) for key, rules in NETWORKS.items()],
        widget=forms.CheckboxSelectMultiple, error_messages={"required": "Choisissez au moins un réseau."},
        help_text="Chaque réseau a sa longueur conseillée et sa limite ; les hashtags sont adaptés.",
    )
    count = forms.IntegerField(label="Nombre de publications (facultatif)", required=False, min_value=1,
                               max_value=MAX_POSTS, help_text="Par défaut, une publication par thème.")
    week_start = forms.DateField(label="Semaine à partir du", widget=DateInput())


class ProductsForm(forms.Form):
    file = forms.FileField(label="Fichier CSV des produits",
                           help_text="Une ligne par produit ; colonne « nom » obligatoire, puis origine, notes, poids, "
                                     "matière, dimensions, couleur, prix… Séparateur « ; » ou « , ».")
    style = forms.ChoiceField(label="Style", required=False, choices=[
        ("", "Celui de la marque (réglages IA)"), ("chaleureux", "Chaleureux"), ("luxe", "Haut de gamme"),
        ("technique", "Technique"), ("fun", "Décontracté"),
    ])
    include_price = forms.BooleanField(label="Citer le prix dans la description", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise ValidationError(f"Fichier trop volumineux : la limite est de {MAX_CSV_BYTES // (1024 * 1024)} Mo. "
                                  "Découpez le catalogue en plusieurs fichiers.")
        return upload


class EmailForm(forms.Form):
    raw = forms.CharField(label="Courriel (collez le message, avec ses en-têtes si possible)", required=False,
                          widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}), strip=False)
    file = forms.FileField(label="… ou un fichier .eml", required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_EMAIL_BYTES:
            raise ValidationError(f"Fichier trop volumineux : la limite est de {MAX_EMAIL_BYTES // (1024 * 1024)} Mo. "
                                  "Enregistrez les pièces jointes à part et collez seulement le texte du message.")
        return upload

    def clean(self):
        data = super().clean()
        if not (data.get("raw") or "").strip() and not data.get("file") and not self.errors:
            raise ValidationError("Collez un courriel ou choisissez un fichier .eml.")
        return data


class BriefForm(forms.Form):
    brief = forms.CharField(label="Brief", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": "Le brief est vide : décrivez en une phrase ce qu'il faut rédiger."})


class ProfileForm(forms.ModelForm):
    class Meta:
        model = WritingProfile
        fields = ["trade", "city", "products", "website", "phone", "hashtags", "tips", "behind_the_scenes", "networks",
                  "offer_title", "offer_price", "offer_regular_price", "offer_start", "offer_end", "offer_conditions"]
        localized_fields = ["offer_price", "offer_regular_price"]
        widgets = {
            "products": forms.Textarea(attrs={"rows": 4}), "tips": forms.Textarea(attrs={"rows": 4}),
            "behind_the_scenes": forms.Textarea(attrs={"rows": 3}),
            "offer_start": DateInput(), "offer_end": DateInput(),
        }


class TestimonialForm(forms.Form):
    author = forms.CharField(label="Client", max_length=120, required=False)
    city = forms.CharField(label="Ville", max_length=100, required=False)
    text = forms.CharField(label="Témoignage (mot pour mot)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    consent = forms.BooleanField(label="Le client accepte d'être cité", required=False)

    def clean(self):
        data = super().clean()
        if (data.get("author") or data.get("text")) and not (data.get("author") and data.get("text")):
            raise ValidationError("Indiquez le nom du client et son témoignage, ou laissez les deux vides.")
        return data


class EventForm(forms.Form):
    title = forms.CharField(label="Événement", max_length=200, required=False)
    date = forms.DateField(label="Date", required=False, widget=DateInput())
    time = forms.CharField(label="Heure", max_length=20, required=False)
    place = forms.CharField(label="Lieu", max_length=200, required=False)
    description = forms.CharField(label="Description", max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if (data.get("title") or data.get("date")) and not (data.get("title") and data.get("date")):
            raise ValidationError("Indiquez le nom et la date de l'événement, ou laissez les deux vides.")
        return data


TestimonialFormSet = formset_factory(TestimonialForm, extra=1, can_delete=True, max_num=30)
EventFormSet = formset_factory(EventForm, extra=1, can_delete=True, max_num=20)


def kept_rows(formset) -> list[dict]:
    """The filled rows of a formset that are not marked for deletion."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("DELETE") or not any(v for k, v in data.items() if k != "DELETE"):
            continue
        rows.append({k: v for k, v in data.items() if k != "DELETE"})
    return rows


class DraftForm(forms.Form):
    text = forms.CharField(label="Texte", widget=forms.Textarea(attrs={"rows": 10}), strip=False,
                           error_messages={"required": "Le texte est vide : écrivez le texte ou rejetez le brouillon."})


class RejectForm(forms.Form):
    reason = forms.CharField(label="Motif (facultatif)", max_length=300, required=False)


class TriageForm(forms.Form):
    label = forms.ChoiceField(label="Classement", choices=list(LABELS_FR.items()))


def default_week_start(today: dt.date) -> dt.date:
    from etabli.writing.adapters import next_monday

    return next_monday(today)
