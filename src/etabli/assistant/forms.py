"""Forms of the assistant's pages (French labels; validation messages say what to fix)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from etabli.assistant import hours
from etabli.assistant.conf import limits
from etabli.assistant.knowledge import FACT_TOPICS
from etabli.assistant.models import AssistantProfile, Audience, EntryKind

AUDIENCE_CHOICES = Audience.choices


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class EntryForm(forms.Form):
    audience = forms.ChoiceField(label=_("Pour qui"), choices=AUDIENCE_CHOICES)
    kind = forms.ChoiceField(label=_("Type"), choices=EntryKind.choices)
    title = forms.CharField(label=_("Titre"), max_length=160, required=False,
                            help_text=_("Montré au visiteur quand l'assistant lui propose plusieurs sujets."))
    questions = forms.CharField(
        label=_("Formulations de la question"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Une par ligne : les façons dont vos clients posent cette question (3 à 6, c'est idéal)."),
    )
    answer = forms.CharField(label=_("Réponse"), widget=forms.Textarea(attrs={"rows": 6}), max_length=4000,
                             help_text=_("Donnée telle quelle par l'assistant. N'y mettez que ce que vous tenez."))
    links = forms.CharField(label=_("Liens (facultatif)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("Un par ligne : « Libellé | https://… »."))
    is_active = forms.BooleanField(label=_("Utilisée par l'assistant"), required=False, initial=True)

    def clean_questions(self) -> list[str]:
        questions = _lines(self.cleaned_data["questions"])
        if not questions:
            raise forms.ValidationError(_("Indiquez au moins une formulation."))
        return questions

    def clean_links(self) -> list[dict]:
        links = []
        for line in _lines(self.cleaned_data.get("links", "")):
            label, _sep, url = line.rpartition("|")
            links.append({"label": label.strip() or url.strip(), "url": url.strip()})
        return links

    @classmethod
    def initial_for(cls, entry) -> dict:
        return {
            "audience": entry.audience, "kind": entry.kind, "title": entry.title,
            "questions": "\n".join(entry.questions), "answer": entry.answer, "is_active": entry.is_active,
            "links": "\n".join(f"{link['label']} | {link['url']}" for link in entry.links or []),
        }


class PreviewForm(forms.Form):
    question = forms.CharField(label=_("Question à tester"), max_length=2000)
    audience = forms.ChoiceField(label=_("Posée par"), choices=AUDIENCE_CHOICES, initial=Audience.CLIENTS)


class FactsForm(forms.Form):
    """Opening hours (one line per weekday) and the answer of each practical topic."""

    hours_note = forms.CharField(label=_("Précision sur les horaires"), required=False, max_length=300,
                                 help_text=_("Par exemple : fermé trois semaines en août."))

    def __init__(self, *args, profile: AssistantProfile | None = None, answers: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        grid = hours.normalise(profile.opening_hours if profile else {})
        for day, name in enumerate(hours.WEEKDAYS):
            self.fields[f"day_{day}"] = forms.CharField(
                label=name.capitalize(), required=False, max_length=80,
                initial=hours.intervals_text(grid[str(day)]),
                help_text=_("Ex. : 8h-12h, 13h30-18h ; vide = fermé.") if day == 0 else "",
            )
        if profile is not None:
            self.fields["hours_note"].initial = profile.hours_note
        for topic, (title, _questions) in FACT_TOPICS.items():
            if topic == "horaires":
                continue
            self.fields[f"topic_{topic}"] = forms.CharField(
                label=title, required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                initial=(answers or {}).get(topic, ""),
            )

    def clean(self):
        data = super().clean()
        opening: dict[str, list[list[str]]] = {}
        for day in range(7):
            try:
                opening[str(day)] = [list(i) for i in hours.parse_intervals(data.get(f"day_{day}", ""))]
            except hours.HoursError as exc:
                self.add_error(f"day_{day}", str(exc))
        data["opening_hours"] = opening
        data["answers"] = {topic: data.get(f"topic_{topic}", "") for topic in FACT_TOPICS if topic != "horaires"}
        return data

    def hour_fields(self):
        return [self[f"day_{day}"] for day in range(7)]

    def topic_fields(self):
        return [self[name] for name in self.fields if name.startswith("topic_")]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier CSV"), help_text=_(
        "Colonnes « question,answer » (les lignes qui partagent une réponse deviennent une seule entrée), ou "
        "« utterance,intent » avec le fichier des réponses ci-dessous."))
    answers = forms.FileField(label=_("Fichier des réponses (intent,answer)"), required=False)
    audience = forms.ChoiceField(label=_("Pour qui"), choices=AUDIENCE_CHOICES)
    replace = forms.BooleanField(label=_("Remplacer les entrées importées auparavant"), required=False)


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"), help_text=_("PDF, Word (.docx), Markdown (.md) ou texte (.txt), 10 Mo au plus."))
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    audience = forms.ChoiceField(label=_("Pour qui"), choices=AUDIENCE_CHOICES, initial=Audience.EQUIPE)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = AssistantProfile
        fields = ["enabled", "display_name", "welcome_message", "allowed_origins", "team_reply_minutes",
                  "notify_by_email", "catalogue_prices", "llm_phrasing", "retention_days"]
        widgets = {"welcome_message": forms.Textarea(attrs={"rows": 2}),
                   "allowed_origins": forms.Textarea(attrs={"rows": 3})}

    def clean_retention_days(self):
        value = self.cleaned_data["retention_days"]
        if value < 183:
            raise forms.ValidationError(_("Au moins 183 jours : l'AI Act demande de garder les journaux 6 mois."))
        return value


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, max_chars: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        cap = max_chars or limits().max_chars
        self.fields["text"].max_length = cap
        self.fields["text"].widget.attrs["maxlength"] = str(cap)


class SuggestionAnswerForm(forms.Form):
    title = forms.CharField(label=_("Question"), max_length=160)
    answer = forms.CharField(label=_("Réponse de l'entreprise"), widget=forms.Textarea(attrs={"rows": 4}),
                             max_length=4000)
