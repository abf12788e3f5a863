"""The writing assistant's data: the company's writing profile, and every draft it proposed.

Why drafts are stored: a generated text is a proposal, not a publication (AI Act art. 50). It keeps its
"brouillon généré par IA" label until a person edits or approves it, and the approval (who, when, with
what changes) is part of the record, next to the model that wrote it and the checks it passed or failed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from etabli.core.models.tenancy import CompanyScopedModel
from etabli.engines.llm import AI_LABEL, TEMPLATE_LABEL
from etabli.writing.constants import BatchFeature, BatchStatus, DraftFeature, DraftStatus


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


class WritingProfile(CompanyScopedModel):
    """The brand facts posts may cite — and nothing else (ch. 6.1: "ancré dans la réalité de l'entreprise")."""

    trade = models.CharField(_("métier"), max_length=120, help_text=_("Par exemple « menuiserie » ou « plomberie »."))
    city = models.CharField(_("ville"), max_length=100, blank=True)
    products = models.TextField(_("produits et services (un par ligne)"), blank=True)
    website = models.CharField(_("site web"), max_length=200, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    hashtags = models.CharField(_("hashtags de la marque"), max_length=300, blank=True,
                                help_text=_("Séparés par des espaces, par exemple #MenuiserieNantes #SurMesure."))
    tips = models.TextField(_("conseils de métier (un par ligne)"), blank=True,
                            help_text=_("Sous la forme « Titre : conseil », sans chiffre que vous ne pourriez justifier."))
    behind_the_scenes = models.TextField(_("coulisses : faits de la semaine (un par ligne)"), blank=True)
    networks = models.CharField(_("réseaux par défaut"), max_length=100, default="facebook",
                                help_text=_("facebook, instagram, linkedin, x — séparés par des virgules."))
    offer_title = models.CharField(_("offre du mois : intitulé"), max_length=200, blank=True)
    offer_price = models.DecimalField(_("prix de l'offre (€ TTC)"), max_digits=10, decimal_places=2, null=True,
                                      blank=True)
    offer_regular_price = models.DecimalField(_("prix habituel (€ TTC)"), max_digits=10, decimal_places=2,
                                              null=True, blank=True)
    offer_start = models.DateField(_("début de l'offre"), null=True, blank=True)
    offer_end = models.DateField(_("fin de l'offre"), null=True, blank=True)
    offer_conditions = models.CharField(_("conditions de l'offre"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profil de rédaction")
        constraints = [models.UniqueConstraint(fields=["company"], name="unique_writing_profile")]

    def __str__(self) -> str:
        return f"Profil de rédaction ({self.trade})"

    @property
    def product_list(self) -> tuple[str, ...]:
        return _lines(self.products)

    @property
    def tip_list(self) -> tuple[str, ...]:
        return _lines(self.tips)

    @property
    def scene_list(self) -> tuple[str, ...]:
        return _lines(self.behind_the_scenes)

    @property
    def hashtag_list(self) -> tuple[str, ...]:
        return tuple(tag if tag.startswith("#") else f"#{tag}" for tag in (self.hashtags or "").replace(",", " ").split())

    @property
    def network_list(self) -> tuple[str, ...]:
        return tuple(n.strip() for n in (self.networks or "").replace(";", ",").split(",") if n.strip())


class Testimonial(CompanyScopedModel):
    """A real customer's words; quoted only with their consent (a made-up review is a deceptive practice)."""

    author = models.CharField(_("client"), max_length=120, help_text=_("Par exemple « Camille D. »."))
    text = models.TextField(_("témoignage (mot pour mot)"))
    city = models.CharField(_("ville"), max_length=100, blank=True)
    consent = models.BooleanField(_("le client accepte d'être cité"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("témoignage client")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} : {self.text[:40]}"


class Event(CompanyScopedModel):
    """An event the company takes part in (open day, fair, workshop), announced by the "événement" theme."""

    title = models.CharField(_("événement"), max_length=200)
    date = models.DateField(_("date"))
    time = models.CharField(_("heure"), max_length=20, blank=True, help_text=_("Par exemple « 10h »."))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("événement")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"


class Batch(CompanyScopedModel):
    """One request to the assistant (the week's posts, a product file, an e-mail, a brief) and its outcome."""

    feature = models.CharField(_("demande"), max_length=20, choices=BatchFeature.choices)
    title = models.CharField(_("titre"), max_length=200)
    inputs = models.JSONField(_("paramètres"), default=dict, blank=True)
    source_name = models.CharField(_("fichier"), max_length=255, blank=True)
    source_text = models.TextField(_("texte fourni"), blank=True)
    status = models.CharField(max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    result = models.JSONField(_("résultat"), default=dict, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    provider = models.CharField(_("fournisseur"), max_length=40, blank=True)
    model = models.CharField(_("modèle"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("demande de rédaction")
        verbose_name_plural = _("demandes de rédaction")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["company", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (BatchStatus.DONE, BatchStatus.FAILED)


class Draft(CompanyScopedModel):
    """One proposed text. ``text`` is what the assistant wrote and never changes; a person's version goes
    to ``edited_text``. A draft the grounding check flagged keeps the model's words in ``rejected_text``
    and offers the template text instead."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="drafts")
    feature = models.CharField(_("type"), max_length=20, choices=DraftFeature.choices)
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("titre"), max_length=200)
    inputs = models.JSONField(_("données d'entrée"), default=dict, blank=True)
    text = models.TextField(_("texte proposé"))
    edited_text = models.TextField(_("texte modifié"), blank=True)
    provider = models.CharField(_("fournisseur"), max_length=40, blank=True)
    model = models.CharField(_("modèle"), max_length=120, blank=True)
    generated_by_ai = models.BooleanField(_("généré par IA"), default=False)
    label = models.CharField(_("mention"), max_length=120)
    warnings = models.JSONField(_("avertissements"), default=list, blank=True)
    fallback_reason = models.TextField(_("raison du modèle de texte"), blank=True)
    flagged = models.BooleanField(_("brouillon de l'IA écarté"), default=False)
    grounding_warnings = models.JSONField(_("éléments non vérifiés"), default=list, blank=True)
    rejected_text = models.TextField(_("proposition de l'IA écartée"), blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=DraftStatus.choices, default=DraftStatus.DRAFT)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    edited_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(_("motif du rejet"), max_length=300, blank=True)
    decision = models.ForeignKey("core.AIDecision", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("brouillon")
        ordering = ["batch_id", "position", "pk"]
        indexes = [models.Index(fields=["company", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def current_text(self) -> str:
        """What a person would copy or publish now: their edited version, else the proposal."""
        return self.edited_text or self.text

    @property
    def is_edited(self) -> bool:
        return bool(self.edited_text) and self.edited_text != self.text

    @property
    def is_final(self) -> bool:
        return self.status in (DraftStatus.APPROVED, DraftStatus.REJECTED)

    @property
    def needs_label(self) -> bool:
        """True while no person has edited or approved the text: the generated label must show (art. 50)."""
        return self.status == DraftStatus.DRAFT

    @property
    def display_label(self) -> str:
        """The mention to show (and publish) with the text in its current state."""
        from etabli.engines.llm import review_label

        if self.status == DraftStatus.APPROVED and self.approved_by is not None:
            return review_label(self.generated_by_ai, approved_by=self.approved_by.display_name, edited=self.is_edited)
        if self.status == DraftStatus.EDITED and self.edited_by is not None:
            origin = "Rédigé avec l'aide de l'IA" if self.generated_by_ai else "Rédigé à partir d'un modèle de texte"
            return f"{origin}, modifié par {self.edited_by.display_name} (à valider)"
        if self.status == DraftStatus.REJECTED:
            return f"Rejeté — {self.label}"
        return self.label or (AI_LABEL if self.generated_by_ai else TEMPLATE_LABEL)

    def provenance(self) -> dict:
        """Machine-readable marking of the text (AI Act art. 50(2)), exported with it."""
        return {
            "generateur": "etabli",
            "genere_par_ia": self.generated_by_ai,
            "fournisseur": self.provider,
            "modele": self.model,
            "fonction": f"writing.{self.feature}",
            "mention": self.display_label,
            "relu_par_humain": self.status in (DraftStatus.EDITED, DraftStatus.APPROVED),
            "valide": self.status == DraftStatus.APPROVED,
        }
