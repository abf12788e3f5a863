"""Documents (GED IA): every file received, what was read in it, and what the owner decided.

Why these tables:
- ``Document`` is created as soon as the original is safely stored (content-addressed, checksum first):
  from then on the file can never be lost, whatever happens to processing. Its ``status`` says where it
  stands (reçu → lecture → à valider → classé, or « à vérifier » with the reason, in quarantine).
- ``DocumentPage`` keeps each page's words with their boxes, so the validation screen highlights where a
  field was read and a click on a word fills a field.
- ``Tag``/``DocumentTag`` are the owner's labels (suggested by the classifier, confirmed by a person).
- ``DocumentSettings``, ``MailAccount`` and ``WatchedFolder`` configure intake per company;
  ``ClassifierState`` keeps the company's trained document-type model and the fingerprint of the data it
  was trained on (a retrain with nothing new is skipped).

Cross-app links (billing partner, supplier invoice) are plain ids: this app reaches billing only through
its services and selectors, never its tables.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etabli.core.models import CompanyScopedModel
from etabli.core.models.tenancy import CompanyQuerySet


def fold_key(text: str) -> str:
    """Lower case, no accents, single spaces: « Électricité de France » → « electricite de france »."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    folded = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(folded.split())[:200]


class DocumentStatus(models.TextChoices):
    RECEIVED = "received", _("Reçu")
    PROCESSING = "processing", _("Lecture en cours")
    TO_VALIDATE = "to_validate", _("À valider")
    FILED = "filed", _("Classé")
    NEEDS_ATTENTION = "needs_attention", _("À vérifier")


#: Statuses in which the worker still owes the document some work.
PENDING_STATUSES = (DocumentStatus.RECEIVED, DocumentStatus.PROCESSING)

#: The classifier's document types (``etabli.engines.classify.labels``), copied here so that loading the
#: models does not import the classifier and scikit-learn (a test checks both lists stay equal).
DOC_TYPE_CHOICES = [
    ("facture_fournisseur", "Facture fournisseur"),
    ("facture_client", "Facture client"),
    ("avoir", "Avoir"),
    ("devis", "Devis"),
    ("bon_de_livraison", "Bon de livraison"),
    ("contrat", "Contrat"),
    ("releve_bancaire", "Relevé bancaire"),
    ("bulletin_de_paie", "Bulletin de paie"),
    ("courrier_administratif", "Courrier administratif"),
    ("cv", "CV"),
    ("autre", "Autre"),
]
DOC_TYPE_LABELS = dict(DOC_TYPE_CHOICES)
DOC_TYPES = tuple(code for code, _ in DOC_TYPE_CHOICES)


class Source(models.TextChoices):
    UPLOAD = "upload", _("Dépôt dans le navigateur")
    FOLDER = "folder", _("Dossier surveillé")
    EMAIL = "email", _("Pièce jointe d'e-mail")
    CLI = "cli", _("Ligne de commande")
    API = "api", _("API")
    DEMO = "demo", _("Démonstration")


class EntryStatus(models.TextChoices):
    NONE = "", _("Aucune")
    PROPOSED = "proposed", _("Proposée")
    BOOKED = "booked", _("Comptabilisée")
    REJECTED = "rejected", _("Refusée")


class DocumentQuerySet(CompanyQuerySet):
    """Company-scoped documents; a full-text search may carry a cheaper SQL for its count (``count_sql``).

    Why: counting the matches of a frequent word through the list's plan (walking the date index) costs
    ~5× more than counting them from the full-text index; the search sets the cheap query when the text
    is the only criterion, and any further ``filter()`` drops it.
    """

    count_sql: tuple[str, list] | None = None

    def _clone(self):
        clone = super()._clone()
        clone.count_sql = self.count_sql
        return clone

    def _filter_or_exclude(self, negate, args, kwargs):
        clone = super()._filter_or_exclude(negate, args, kwargs)
        clone.count_sql = None
        return clone

    def extra(self, *args, **kwargs):
        clone = super().extra(*args, **kwargs)
        clone.count_sql = None
        return clone

    def count(self) -> int:
        if self.count_sql is not None and self._result_cache is None:
            from django.db import connections

            with connections[self.db].cursor() as cursor:
                cursor.execute(*self.count_sql)
                return int(cursor.fetchone()[0])
        return super().count()


class Document(CompanyScopedModel):
    # --- The original, stored first ----------------------------------------------------------------------
    title = models.CharField(_("titre"), max_length=255)
    original_filename = models.CharField(_("nom du fichier reçu"), max_length=255)
    checksum = models.CharField(_("empreinte SHA-256"), max_length=64)
    size = models.BigIntegerField(_("taille (octets)"), default=0)
    mime_type = models.CharField(_("type de fichier"), max_length=100, blank=True)
    file = models.FileField(_("original"), max_length=500)
    archive_file = models.FileField(_("copie consultable (PDF/A)"), max_length=500, blank=True)
    source = models.CharField(_("provenance"), max_length=10, choices=Source.choices, default=Source.UPLOAD)
    source_detail = models.CharField(_("détail de la provenance"), max_length=500, blank=True)
    sender_email = models.CharField(_("expéditeur"), max_length=254, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_count = models.PositiveIntegerField(_("reçu (fois)"), default=1)
    last_received_at = models.DateTimeField(_("dernière réception"), null=True, blank=True)

    # --- Processing state --------------------------------------------------------------------------------
    status = models.CharField(
        _("état"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.RECEIVED, db_index=True
    )
    status_reason_code = models.CharField(_("code du motif"), max_length=40, blank=True)
    status_reason = models.TextField(_("motif"), blank=True)
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    progress_message = models.CharField(_("étape"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives de lecture"), default=0)
    processing_started_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(_("lu le"), null=True, blank=True)
    processing_seconds = models.FloatField(_("durée de lecture (s)"), null=True, blank=True)

    # --- Reading -----------------------------------------------------------------------------------------
    read_kind = models.CharField(_("mode de lecture"), max_length=20, blank=True)  # text_pdf | ocr | einvoice_xml
    einvoice_format = models.CharField(max_length=20, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    ocr_confidence = models.FloatField(_("confiance de l'OCR"), null=True, blank=True)
    content = models.TextField(_("texte"), blank=True)
    content_checksum = models.CharField(_("empreinte du texte"), max_length=64, blank=True)
    warnings = models.JSONField(_("avertissements"), default=list, blank=True)

    # --- Understanding -----------------------------------------------------------------------------------
    doc_type = models.CharField(_("type"), max_length=40, choices=DOC_TYPE_CHOICES, blank=True, db_index=True)
    doc_type_confidence = models.FloatField(_("confiance du type"), null=True, blank=True)
    doc_type_source = models.CharField(_("origine du type"), max_length=20, blank=True)  # rules|model|human|…
    doc_type_reasons = models.JSONField(_("raisons du type"), default=list, blank=True)
    doc_type_alternatives = models.JSONField(default=list, blank=True)
    doc_type_uncertain = models.BooleanField(_("type incertain (« je ne sais pas »)"), default=False)
    partner_id = models.BigIntegerField(_("tiers (facturation)"), null=True, blank=True)
    correspondent_name = models.CharField(_("correspondant"), max_length=200, blank=True)
    correspondent_key = models.CharField(max_length=200, blank=True, editable=False)  # folded, for search
    correspondent_match = models.CharField(_("correspondant reconnu par"), max_length=20, blank=True)
    correspondent_confidence = models.FloatField(null=True, blank=True)

    # --- Invoice fields ----------------------------------------------------------------------------------
    # {name: {"value": str, "confidence": float, "source": "xml|text|derived|human", "location": {...}|None,
    #  "evidence": str, "edited": bool}} — values as strings (dates ISO, amounts "1234.56").
    fields = models.JSONField(_("champs"), default=dict, blank=True)
    vat_breakdown = models.JSONField(_("TVA par taux"), default=list, blank=True)
    checks = models.JSONField(_("contrôles"), default=list, blank=True)
    # Denormalised copies of the main fields, for filters, sorting and duplicate detection.
    doc_date = models.DateField(_("date du document"), null=True, blank=True)
    # The document's date when it was read, else the day it was received: what period filters and sorting use.
    sort_date = models.DateField(null=True, blank=True, editable=False)
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    amount_ht = models.DecimalField(_("total HT"), max_digits=14, decimal_places=2, null=True, blank=True)
    amount_tva = models.DecimalField(_("total TVA"), max_digits=14, decimal_places=2, null=True, blank=True)
    amount_ttc = models.DecimalField(_("total TTC"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("devise"), max_length=3, blank=True)
    reference = models.CharField(_("numéro"), max_length=100, blank=True)
    issuer_siren = models.CharField(_("SIREN de l'émetteur"), max_length=9, blank=True)

    # --- Decisions ----------------------------------------------------------------------------------------
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates",
        verbose_name=_("doublon probable de"),
    )
    duplicate_reasons = models.JSONField(_("raisons du doublon"), default=list, blank=True)
    filing_review = models.ForeignKey(
        "core.ReviewItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entry_review = models.ForeignKey(
        "core.ReviewItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ai_decision = models.ForeignKey(
        "core.AIDecision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    human_required_reasons = models.JSONField(_("validation humaine obligatoire"), default=list, blank=True)
    accounting_entry = models.JSONField(_("écriture comptable"), default=dict, blank=True)
    entry_status = models.CharField(
        _("écriture"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.NONE, blank=True
    )
    supplier_invoice_id = models.BigIntegerField(_("facture fournisseur (facturation)"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)

    search_body = models.TextField(blank=True)  # what full-text search indexes (see search.py)
    # PostgreSQL only (GIN index created by a migration); SQLite uses the FTS5 table documents_fts instead.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    objects = DocumentQuerySet.as_manager()
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "checksum"], name="unique_document_checksum"),
        ]
        indexes = [
            models.Index(fields=["company", "status", "-created_at"], name="doc_company_status"),
            models.Index(fields=["company", "doc_type", "sort_date"], name="doc_company_type_date"),
            models.Index(fields=["company", "sort_date"], name="doc_company_date"),
            models.Index(fields=["company", "correspondent_key"], name="doc_company_corr"),
            models.Index(fields=["company", "-created_at"], name="doc_company_created"),
            models.Index(fields=["company", "partner_id"], name="doc_company_partner"),
            models.Index(fields=["company", "amount_ttc"], name="doc_company_amount"),
            models.Index(fields=["company", "doc_type", "amount_ttc"], name="doc_company_type_amount"),
            models.Index(fields=["company", "reference"], name="doc_company_reference"),
            models.Index(fields=["company", "issuer_siren", "reference"], name="doc_company_issuer_ref"),
            models.Index(fields=["status", "processing_started_at"], name="doc_status_started"),
            models.Index(fields=["company", "content_checksum"], name="doc_company_content"),
        ]

    def __str__(self) -> str:
        return self.title or self.original_filename

    def save(self, *args, **kwargs):
        self.refresh_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "correspondent_key", "sort_date"}
        super().save(*args, **kwargs)

    def refresh_derived(self) -> None:
        """Columns computed from others, kept in step on every save (search filters use them)."""
        self.correspondent_key = fold_key(self.correspondent_name)
        received = self.created_at or timezone.now()
        self.sort_date = self.doc_date or timezone.localtime(received).date()

    @property
    def doc_type_label(self) -> str:
        return DOC_TYPE_LABELS.get(self.doc_type, "Type inconnu") if self.doc_type else "Type inconnu"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    @property
    def is_invoice_like(self) -> bool:
        return self.doc_type in ("facture_fournisseur", "facture_client", "avoir")

    def field_value(self, name: str) -> str | None:
        entry = (self.fields or {}).get(name)
        return None if not entry else entry.get("value")

    def field_confidence(self, name: str) -> float:
        entry = (self.fields or {}).get(name)
        return 0.0 if not entry else float(entry.get("confidence") or 0.0)

    @property
    def failed_checks(self) -> list[dict]:
        return [check for check in self.checks or [] if not check.get("ok")]


class DocumentPage(CompanyScopedModel):
    """One page as displayed: size in points and its words ``[text, x0, top, x1, bottom]`` (top-left origin)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(_("page"))
    width = models.FloatField()
    height = models.FloatField()
    source = models.CharField(max_length=10, blank=True)  # text | ocr
    confidence = models.FloatField(null=True, blank=True)
    words = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("page de document")
        verbose_name_plural = _("pages de documents")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_document_page")]


class Tag(CompanyScopedModel):
    name = models.CharField(_("étiquette"), max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("étiquette")
        verbose_name_plural = _("étiquettes")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="unique_tag_name")]

    def __str__(self) -> str:
        return self.name


class TagSource(models.TextChoices):
    SUGGESTED = "suggested", _("Suggérée")
    HUMAN = "human", _("Ajoutée par une personne")


class DocumentTag(CompanyScopedModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="document_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="document_tags")
    source = models.CharField(max_length=10, choices=TagSource.choices, default=TagSource.SUGGESTED)
    confidence = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("étiquette d'un document")
        verbose_name_plural = _("étiquettes des documents")
        constraints = [models.UniqueConstraint(fields=["document", "tag"], name="unique_document_tag")]
        indexes = [models.Index(fields=["company", "tag"], name="doctag_company_tag")]


class DocumentSettings(CompanyScopedModel):
    """Per-company intake settings (one row, created on first use)."""

    human_validation_amount = models.DecimalField(
        _("montant au-delà duquel une personne valide toujours (€ TTC)"),
        max_digits=12, decimal_places=2, default=Decimal("1000.00"),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Guide, ch. 10.6 : « 1 500 € lu comme 15 000 € ». Au-delà de ce montant, le mode "
                    "automatique ne classe jamais seul."),
    )
    type_threshold = models.FloatField(
        _("confiance minimale du type"), default=0.6,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("En dessous, l'IA répond « je ne sais pas » et vous demande le type."),
    )
    ocr_enabled = models.BooleanField(_("reconnaissance de texte (OCR) des scans et photos"), default=True)
    default_expense_account = models.CharField(
        _("compte de charge par défaut"), max_length=10, default="606",
        help_text=_("Utilisé quand ni le fournisseur ni la nature de l'achat n'indiquent un compte."),
    )
    # {"<partner id>": "601"}: the expense account last booked for each supplier (learned from validations).
    supplier_accounts = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réglages des documents")
        verbose_name_plural = _("réglages des documents")
        constraints = [models.UniqueConstraint(fields=["company"], name="unique_document_settings")]


class MailAccount(CompanyScopedModel):
    """An IMAP mailbox whose attachments are taken in (invoices@, the owner's box…)."""

    label = models.CharField(_("nom"), max_length=100)
    host = models.CharField(_("serveur IMAP"), max_length=200)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(
        _("sécurité"), max_length=10, default="ssl",
        choices=[("ssl", _("SSL/TLS (993)")), ("starttls", _("STARTTLS (143)")), ("none", _("Aucune (réseau local)"))],
    )
    username = models.CharField(_("identifiant"), max_length=200)
    password_encrypted = models.TextField(blank=True)
    folder = models.CharField(_("dossier"), max_length=200, default="INBOX")
    enabled = models.BooleanField(_("actif"), default=True)
    uid_validity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_checked_at = models.DateTimeField(_("dernière relève"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("boîte aux lettres")
        verbose_name_plural = _("boîtes aux lettres")
        ordering = ["label"]

    def __str__(self) -> str:
        return f"{self.label} ({self.username}@{self.host})"


class WatchedFolder(CompanyScopedModel):
    """A folder on the server (a scanner's output, a synced share) whose files are taken in."""

    path = models.CharField(_("dossier"), max_length=500)
    enabled = models.BooleanField(_("actif"), default=True)
    move_processed = models.BooleanField(
        _("ranger les fichiers pris dans un sous-dossier « importés »"), default=True,
        help_text=_("Sinon les fichiers restent en place (un fichier déjà reçu n'est jamais reçu deux fois)."),
    )
    last_scan_at = models.DateTimeField(_("dernier passage"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dossier surveillé")
        verbose_name_plural = _("dossiers surveillés")
        constraints = [models.UniqueConstraint(fields=["company", "path"], name="unique_watched_folder")]

    def __str__(self) -> str:
        return self.path


class ClassifierState(CompanyScopedModel):
    """The company's trained document classifier and what it was trained on."""

    model_blob = models.BinaryField(blank=True, null=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    samples = models.PositiveIntegerField(default=0)
    engine_version = models.CharField(max_length=40, blank=True)
    trained_at = models.DateTimeField(null=True, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    retrain_requested_at = models.DateTimeField(null=True, blank=True)
    skipped_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("modèle de classement")
        verbose_name_plural = _("modèles de classement")
        constraints = [models.UniqueConstraint(fields=["company"], name="unique_classifier_state")]
