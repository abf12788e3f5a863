"""The assistant's data: its profile per company, the knowledge base, conversations and suggestions.

Why conversations are stored: a hand-over to a person needs the whole exchange, the measures (share answered
without a human, response times, escalations by reason, satisfaction) are computed from them, and the AI Act
asks the deployer to keep the logs of an assistant (≥ 6 months). Retention is set per company and old
conversations are purged by a nightly task. Visitors' IP addresses are never stored, only a keyed hash used
for rate limiting.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etabli.core.models import CompanyScopedModel


def new_public_key() -> str:
    return secrets.token_urlsafe(15)


class Audience(models.TextChoices):
    CLIENTS = "clients", _("Clients (site web)")
    EQUIPE = "equipe", _("Équipe (assistant interne)")


class AssistantProfile(CompanyScopedModel):
    """One per company: how its assistant presents itself, where it may be embedded, when the team answers."""

    enabled = models.BooleanField(_("assistant public activé"), default=True)
    public_key = models.CharField(_("clé publique du widget"), max_length=40, unique=True, default=new_public_key)
    #: Part of the router cache's file names and checked on load: a cache file can never serve another company.
    instance_id = models.UUIDField(default=uuid.uuid4, editable=False)
    display_name = models.CharField(_("nom affiché"), max_length=120, blank=True)
    welcome_message = models.TextField(
        _("message d'accueil"), blank=True, max_length=600,
        help_text=_("Affiché après la mention « assistant automatique », qui reste toujours la première."),
    )
    allowed_origins = models.TextField(
        _("sites autorisés à intégrer le widget"), blank=True,
        help_text=_("Une adresse par ligne, par exemple https://www.mon-site.fr. Vide : tout site peut l'intégrer."),
    )
    #: {"0": [["08:00", "12:00"], ["13:30", "18:00"]], …, "6": []}: weekday (0 = Monday) → opening intervals.
    opening_hours = models.JSONField(_("horaires d'ouverture"), default=dict, blank=True)
    hours_note = models.CharField(_("précision sur les horaires"), max_length=300, blank=True)
    team_reply_minutes = models.PositiveIntegerField(
        _("délai de réponse de l'équipe pendant les heures d'ouverture (minutes)"), default=15
    )
    notify_by_email = models.BooleanField(_("prévenir par e-mail à chaque transfert"), default=True)
    llm_phrasing = models.BooleanField(
        _("reformuler les réponses avec le modèle de langue (si configuré)"), default=False
    )
    catalogue_prices = models.BooleanField(_("répondre aux questions de prix avec le catalogue"), default=True)
    retention_days = models.PositiveIntegerField(_("conservation des conversations (jours)"), default=365)
    kb_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profil de l'assistant")
        verbose_name_plural = _("profils de l'assistant")
        constraints = [models.UniqueConstraint(fields=["company"], name="unique_assistant_profile")]

    def __str__(self) -> str:
        return self.display_name or f"Assistant {self.company_id}"

    @property
    def origins(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.allowed_origins.splitlines() if line.strip()]


class EntryKind(models.TextChoices):
    FAQ = "faq", _("Question fréquente")
    FACT = "fait", _("Information pratique")


class EntryOrigin(models.TextChoices):
    MANUAL = "manuel", _("Saisie")
    IMPORT = "import", _("Import")
    SUGGESTION = "suggestion", _("Question sans réponse")
    DEMO = "demo", _("Démonstration")


class KnowledgeEntry(CompanyScopedModel):
    """A question the assistant knows: several ways to ask it, one answer written by the company."""

    audience = models.CharField(_("public"), max_length=10, choices=Audience.choices, default=Audience.CLIENTS)
    kind = models.CharField(_("type"), max_length=10, choices=EntryKind.choices, default=EntryKind.FAQ)
    topic = models.CharField(_("sujet"), max_length=40, blank=True)
    title = models.CharField(_("titre"), max_length=160)
    questions = models.JSONField(_("formulations de la question"), default=list)
    answer = models.TextField(_("réponse"), max_length=4000)
    links = models.JSONField(_("liens"), default=list, blank=True)
    is_active = models.BooleanField(_("utilisée par l'assistant"), default=True)
    quarantine_reason = models.TextField(_("mise à l'écart"), blank=True)
    origin = models.CharField(max_length=12, choices=EntryOrigin.choices, default=EntryOrigin.MANUAL)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("entrée de la base de connaissances")
        verbose_name_plural = _("entrées de la base de connaissances")
        ordering = ["audience", "kind", "title"]
        indexes = [models.Index(fields=["company", "audience", "is_active"])]

    def __str__(self) -> str:
        return self.title

    @property
    def usable(self) -> bool:
        return self.is_active and not self.quarantine_reason


class DocumentFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    MARKDOWN = "md", "Markdown"
    TEXT = "txt", _("Texte")


class KnowledgeDocument(CompanyScopedModel):
    """A procedure or conditions document, kept as text and cut into passages the assistant can quote."""

    audience = models.CharField(_("public"), max_length=10, choices=Audience.choices, default=Audience.EQUIPE)
    title = models.CharField(_("titre"), max_length=200)
    filename = models.CharField(_("fichier"), max_length=255, blank=True)
    file_format = models.CharField(_("format"), max_length=6, choices=DocumentFormat.choices)
    text = models.TextField(_("texte extrait"))
    is_active = models.BooleanField(_("utilisé par l'assistant"), default=True)
    quarantine_reason = models.TextField(_("mise à l'écart"), blank=True)
    origin = models.CharField(max_length=12, choices=EntryOrigin.choices, default=EntryOrigin.IMPORT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("document de la base de connaissances")
        verbose_name_plural = _("documents de la base de connaissances")
        ordering = ["audience", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def usable(self) -> bool:
        return self.is_active and not self.quarantine_reason


class KnowledgeChunk(CompanyScopedModel):
    """A passage of a document, titled by the headings above it ("Notes de frais › Justificatifs")."""

    document = models.ForeignKey(KnowledgeDocument, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField()

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        ordering = ["document_id", "index"]
        constraints = [models.UniqueConstraint(fields=["document", "index"], name="unique_chunk_index")]

    def __str__(self) -> str:
        return self.title or f"Passage {self.index + 1}"


class ConversationStatus(models.TextChoices):
    BOT = "bot", _("L'assistant répond")
    WAITING = "waiting", _("Transmise : attend une personne")
    HUMAN = "human", _("Prise en charge par l'équipe")
    CLOSED = "closed", _("Close")


class Channel(models.TextChoices):
    WIDGET = "widget", _("Widget du site")
    PAGE = "page", _("Page de discussion publique")
    INTERNAL = "interne", _("Assistant interne")
    API = "api", _("API")


class Conversation(CompanyScopedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    #: SHA-256 of the secret the visitor's browser keeps in memory (no cookie): it proves the visitor is the one
    #: who started the conversation. Internal conversations are checked by their user instead.
    token_hash = models.CharField(max_length=64, blank=True)
    audience = models.CharField(_("public"), max_length=10, choices=Audience.choices, default=Audience.CLIENTS)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices, default=Channel.WIDGET)
    status = models.CharField(
        _("statut"), max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.BOT, db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("salarié"),
    )
    origin = models.CharField(_("site d'origine"), max_length=200, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    contact = models.CharField(_("coordonnées laissées"), max_length=200, blank=True)
    lookup_state = models.JSONField(default=dict, blank=True)
    escalation_reasons = models.JSONField(_("motifs du transfert"), default=list, blank=True)
    escalation_detail = models.JSONField(default=list, blank=True)
    review_item = models.ForeignKey(
        "core.ReviewItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(_("transférée le"), null=True, blank=True)
    taken_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("prise en charge par"),
    )
    taken_over_at = models.DateTimeField(_("prise en charge le"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("début"), default=timezone.now, db_index=True)
    last_message_at = models.DateTimeField(_("dernier message"), default=timezone.now)
    customer_messages = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at"]
        indexes = [
            models.Index(fields=["company", "status", "-last_message_at"]),
            models.Index(fields=["company", "started_at"]),
        ]

    def __str__(self) -> str:
        return f"Conversation {str(self.public_id)[:8]}"

    @property
    def needs_person(self) -> bool:
        return self.status in (ConversationStatus.WAITING, ConversationStatus.HUMAN)

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256((token or "").encode()).hexdigest()

    def token_matches(self, token: str) -> bool:
        """Constant-time check of the visitor's secret against the stored digest."""
        return bool(self.token_hash) and hmac.compare_digest(self.token_hash, self.digest(token))


class Sender(models.TextChoices):
    CUSTOMER = "client", _("Visiteur")
    ASSISTANT = "assistant", _("Assistant automatique")
    HUMAN = "equipe", _("Équipe")
    SYSTEM = "systeme", _("Information")


class Message(CompanyScopedModel):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=Sender.choices)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    route = models.CharField(max_length=24, blank=True)
    kind = models.CharField(max_length=24, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    sources = models.JSONField(default=list, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    choices = models.JSONField(default=list, blank=True)
    generated_by_ai = models.BooleanField(default=False)
    label = models.CharField(max_length=120, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    feedback = models.SmallIntegerField(null=True, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    ai_decision = models.ForeignKey(
        "core.AIDecision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["company", "sender", "created_at"]),
            models.Index(fields=["ip_hash", "created_at"]),
            models.Index(fields=["conversation", "id"]),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def can_rate(self) -> bool:
        """Satisfaction thumbs are offered on the assistant's answers (not on its hand-over messages)."""
        return self.sender == Sender.ASSISTANT and self.route in ("answered", "answered_offer_human")


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("À traiter")
    ADDED = "added", _("Ajoutée à la base")
    DISMISSED = "dismissed", _("Écartée")


class Suggestion(CompanyScopedModel):
    """Questions the assistant could not answer (or whose answer was judged useless), grouped, for the owner."""

    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.CLIENTS)
    key = models.CharField(max_length=300)
    question = models.CharField(_("question"), max_length=500)
    examples = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=20, default="sans_reponse")
    occurrences = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN)
    entry = models.ForeignKey(KnowledgeEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    review_item = models.ForeignKey(
        "core.ReviewItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("question sans réponse")
        verbose_name_plural = _("questions sans réponse")
        ordering = ["-occurrences", "-last_seen"]
        indexes = [models.Index(fields=["company", "audience", "status"])]

    def __str__(self) -> str:
        return self.question
