"""Billing: third parties (customers and suppliers), catalogue, quotes, invoices, credit notes, payments,
dunning and what was sent.

Why one `Invoice` model for sales and purchases: banking matches a bank line against "an invoice" whatever
its direction, the cash forecast reads both, and a payment is a payment. `direction` says which side we
are on; customer invoices get our gapless number when issued, supplier invoices keep their supplier's.

Legal immutability: once issued, an invoice's lines, amounts, parties (frozen in `seller`/`buyer`
snapshots) and PDF never change; only its payment state moves. A credit note is the only correction.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from etabli.core.models import CompanyScopedModel
from etabli.core.validators import validate_siren, validate_siret, validate_vat_number

ZERO = Decimal("0.00")


def money_field(label: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=2, default=ZERO, **kwargs)


# --- Choices --------------------------------------------------------------------------------------------


class PartnerKind(models.TextChoices):
    CUSTOMER = "customer", _("Client")
    SUPPLIER = "supplier", _("Fournisseur")


class LegalType(models.TextChoices):
    COMPANY = "company", _("Entreprise ou organisme")
    PERSON = "person", _("Particulier")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    LETTER = "courrier", _("Courrier")
    PHONE = "telephone", _("Téléphone")


class Tone(models.TextChoices):
    AUTO = "auto", _("Automatique (selon l'historique)")
    COURTEOUS = "courteous", _("Courtois")
    INFORMATIVE = "informative", _("Informatif")
    FIRM = "firm", _("Ferme")


class Unit(models.TextChoices):
    UNIT = "u", _("unité")
    HOUR = "h", _("heure")
    DAY = "j", _("jour")
    SQUARE_METRE = "m²", _("mètre carré")
    LINEAR_METRE = "ml", _("mètre linéaire")
    METRE = "m", _("mètre")
    KILOGRAM = "kg", _("kilogramme")
    LUMP_SUM = "forfait", _("forfait")
    LOT = "lot", _("lot")


class ItemKind(models.TextChoices):
    GOODS = "goods", _("Bien")
    SERVICE = "service", _("Prestation de services")


class VatCategory(models.TextChoices):
    """UNTDID 5305 codes used by EN 16931 (BT-118/BT-151)."""

    STANDARD = "S", _("Taux normal ou réduit")
    EXEMPT = "E", _("Exonéré (franchise, art. 261…)")
    REVERSE_CHARGE = "AE", _("Autoliquidation")
    INTRA_EU = "K", _("Livraison intracommunautaire")
    EXPORT = "G", _("Exportation hors UE")
    ZERO = "Z", _("Taux zéro")


class OperationCategory(models.TextChoices):
    """The 2026 mention "catégorie de l'opération" (décret 2022-1299): goods, services or both."""

    GOODS = "goods", _("Livraison de biens")
    SERVICES = "services", _("Prestation de services")
    MIXED = "mixed", _("Opération mixte (biens et services)")


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SENT = "sent", _("Envoyé")
    ACCEPTED = "accepted", _("Accepté")
    REFUSED = "refused", _("Refusé")
    EXPIRED = "expired", _("Expiré")
    INVOICED = "invoiced", _("Facturé")


class Direction(models.TextChoices):
    CUSTOMER = "customer", _("Vente (facture client)")
    SUPPLIER = "supplier", _("Achat (facture fournisseur)")


class DocType(models.TextChoices):
    INVOICE = "invoice", _("Facture")
    DEPOSIT = "deposit", _("Facture d'acompte")
    CREDIT_NOTE = "credit_note", _("Avoir")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    ISSUED = "issued", _("Émise")
    PARTIALLY_PAID = "partially_paid", _("Partiellement payée")
    PAID = "paid", _("Payée")
    OVERDUE = "overdue", _("En retard")
    CANCELLED = "cancelled", _("Annulée par avoir")


#: Statuses of an invoice that still expects money.
OPEN_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.OVERDUE)


class LineKind(models.TextChoices):
    NORMAL = "normal", _("Ligne")
    DEPOSIT_DEDUCTION = "deposit_deduction", _("Déduction d'acompte")


class PaymentMethod(models.TextChoices):
    TRANSFER = "virement", _("Virement")
    CHEQUE = "cheque", _("Chèque")
    CARD = "carte", _("Carte bancaire")
    CASH = "especes", _("Espèces")
    DIRECT_DEBIT = "prelevement", _("Prélèvement")
    OFFSET = "compensation", _("Compensation")
    OTHER = "autre", _("Autre")


class PaymentSource(models.TextChoices):
    MANUAL = "manual", _("Saisie manuelle")
    BANK = "bank", _("Rapprochement bancaire")
    IMPORT = "import", _("Import")
    DEMO = "demo", _("Démonstration")


class InvoiceSource(models.TextChoices):
    MANUAL = "manual", _("Saisie")
    QUOTE = "quote", _("Depuis un devis")
    EINVOICE = "einvoice", _("Facture électronique importée")
    DOCUMENT = "document", _("Document numérisé")
    DEMO = "demo", _("Démonstration")


class StepLevel(models.TextChoices):
    """What a dunning step is, whatever its delay: drives the template and whether it may be automatic."""

    COURTESY = "courtesy", _("Rappel de courtoisie (avant échéance)")
    REMINDER = "reminder", _("Relance")
    FIRM = "firm", _("Relance ferme")
    FORMAL_NOTICE = "formal_notice", _("Mise en demeure")


class ReminderStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposée (à valider)")
    SENT = "sent", _("Envoyée")
    REJECTED = "rejected", _("Refusée")
    CANCELLED = "cancelled", _("Sans objet (facture réglée)")
    FAILED = "failed", _("Échec d'envoi")


class SentKind(models.TextChoices):
    INVOICE = "invoice", _("Facture")
    QUOTE = "quote", _("Devis")
    REMINDER = "reminder", _("Relance")


# --- Third parties and catalogue ------------------------------------------------------------------------


class Partner(CompanyScopedModel):
    """A customer or a supplier ("tiers"): a company (SIREN/SIRET/VAT checked) or a private person."""

    kind = models.CharField(
        _("type de tiers"),
        max_length=10,
        choices=PartnerKind.choices,
        default=PartnerKind.CUSTOMER,
        db_index=True,
    )
    legal_type = models.CharField(
        _("nature"), max_length=10, choices=LegalType.choices, default=LegalType.COMPANY
    )
    name = models.CharField(_("nom ou raison sociale"), max_length=200)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren], db_index=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    vat_number = models.CharField(
        _("n° de TVA intracommunautaire"), max_length=20, blank=True, validators=[validate_vat_number]
    )
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    email = models.EmailField(_("e-mail de facturation"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    contact_name = models.CharField(_("contact"), max_length=120, blank=True)
    address_line1 = models.CharField(_("adresse de facturation"), max_length=200, blank=True)
    address_line2 = models.CharField(_("complément"), max_length=200, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    country = models.CharField(_("pays (code ISO)"), max_length=2, default="FR")
    delivery_line1 = models.CharField(
        _("adresse de livraison"),
        max_length=200,
        blank=True,
        help_text=_("Si elle diffère de l'adresse de facturation (mention 2026)."),
    )
    delivery_postal_code = models.CharField(_("code postal de livraison"), max_length=10, blank=True)
    delivery_city = models.CharField(_("ville de livraison"), max_length=100, blank=True)
    delivery_country = models.CharField(_("pays de livraison"), max_length=2, blank=True)
    payment_terms_days = models.PositiveSmallIntegerField(
        _("délai de paiement (jours)"),
        default=30,
        help_text=_("60 jours au plus après la date de facture (45 jours fin de mois par dérogation)."),
    )
    payment_terms_end_of_month = models.BooleanField(_("fin de mois"), default=False)
    preferred_channel = models.CharField(
        _("canal préféré"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    tone = models.CharField(_("ton des relances"), max_length=12, choices=Tone.choices, default=Tone.AUTO)
    sector = models.CharField(_("secteur d'activité"), max_length=80, blank=True)
    customer_since = models.DateField(_("client depuis"), null=True, blank=True)
    expense_account = models.CharField(_("compte de charge (PCG)"), max_length=10, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    external_key = models.CharField(max_length=60, blank=True, help_text="Clé de chargement (démonstration).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tiers")
        verbose_name_plural = _("tiers")
        ordering = ["name"]
        indexes = [models.Index(fields=["company", "kind", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_person(self) -> bool:
        return self.legal_type == LegalType.PERSON

    @property
    def has_delivery_address(self) -> bool:
        return bool(self.delivery_line1)

    def billing_address_lines(self) -> list[str]:
        lines = [self.address_line1, self.address_line2, f"{self.postal_code} {self.city}".strip()]
        if self.country and self.country != "FR":
            lines.append(self.country)
        return [line for line in lines if line]

    def delivery_address_lines(self) -> list[str]:
        lines = [self.delivery_line1, f"{self.delivery_postal_code} {self.delivery_city}".strip()]
        if self.delivery_country and self.delivery_country != "FR":
            lines.append(self.delivery_country)
        return [line for line in lines if line]


class Product(CompanyScopedModel):
    """A product or service of the catalogue: unit, price excluding VAT, VAT rate and exemption wording."""

    sku = models.CharField(_("référence"), max_length=40)
    name = models.CharField(_("désignation"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unité"), max_length=10, choices=Unit.choices, default=Unit.UNIT)
    unit_price = models.DecimalField(
        _("prix unitaire HT (€)"),
        max_digits=14,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
    )
    vat_rate = models.DecimalField(
        _("taux de TVA (%)"), max_digits=5, decimal_places=2, default=Decimal("20")
    )
    vat_category = models.CharField(
        _("régime de TVA"), max_length=2, choices=VatCategory.choices, default=VatCategory.STANDARD
    )
    vat_exemption_text = models.CharField(
        _("mention d'exonération"),
        max_length=200,
        blank=True,
        help_text=_("Ex. « TVA non applicable, art. 293 B du CGI » ou « Autoliquidation »."),
    )
    kind = models.CharField(_("nature"), max_length=10, choices=ItemKind.choices, default=ItemKind.GOODS)
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("article du catalogue")
        verbose_name_plural = _("catalogue")
        ordering = ["sku"]
        constraints = [models.UniqueConstraint(fields=["company", "sku"], name="billing_unique_product_sku")]

    def __str__(self) -> str:
        return f"{self.sku} — {self.name}"


# --- Settings, numbering --------------------------------------------------------------------------------


class BillingSettings(CompanyScopedModel):
    """One row per company: numbering prefixes, legal rates (as settings, never constants), dunning options."""

    invoice_prefix = models.CharField(_("préfixe des factures"), max_length=10, default="FA")
    credit_note_prefix = models.CharField(_("préfixe des avoirs"), max_length=10, default="AV")
    quote_prefix = models.CharField(_("préfixe des devis"), max_length=10, default="DE")
    default_payment_terms_days = models.PositiveSmallIntegerField(
        _("délai de paiement par défaut (jours)"), default=30
    )
    quote_validity_days = models.PositiveSmallIntegerField(_("validité des devis (jours)"), default=30)
    default_deposit_percent = models.DecimalField(
        _("acompte proposé (%)"), max_digits=5, decimal_places=2, default=Decimal("30")
    )
    ecb_rate = models.DecimalField(
        _("taux de refinancement de la BCE (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2.15"),
        help_text=_("Taux en vigueur au 1er janvier (1er semestre) ou au 1er juillet (2e semestre)."),
    )
    penalty_margin_points = models.DecimalField(
        _("majoration (points)"), max_digits=5, decimal_places=2, default=Decimal("10")
    )
    contractual_penalty_rate = models.DecimalField(
        _("taux contractuel de pénalités (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Laisser vide pour le taux légal (BCE + 10 points) ; jamais moins de 3 fois le taux "
            "d'intérêt légal."
        ),
    )
    recovery_indemnity = models.DecimalField(
        _("indemnité forfaitaire de recouvrement (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("40.00"),
    )
    early_payment_discount_text = models.CharField(
        _("conditions d'escompte"), max_length=200, default="Pas d'escompte pour paiement anticipé."
    )
    payment_iban = models.CharField(_("IBAN pour les règlements"), max_length=34, blank=True)
    payment_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    extra_mentions = models.TextField(
        _("mentions complémentaires"),
        blank=True,
        help_text=_("Ex. assurance décennale (nom de l'assureur, couverture géographique)."),
    )
    due_soon_days = models.PositiveSmallIntegerField(_("alerte avant échéance (jours)"), default=5)
    llm_rephrase = models.BooleanField(
        _("faire reformuler les relances par le modèle de langue (si configuré)"), default=False
    )
    reminder_signature = models.TextField(_("signature des relances"), blank=True)
    min_reminder_amount = models.DecimalField(
        _("montant minimal pour relancer (€)"), max_digits=10, decimal_places=2, default=Decimal("1.00")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réglages de facturation")
        verbose_name_plural = _("réglages de facturation")
        constraints = [models.UniqueConstraint(fields=["company"], name="billing_unique_settings")]

    @property
    def penalty_rate(self) -> Decimal:
        """Annual late-penalty rate in percent: the contract's, else ECB rate + 10 points (C. com. L441-10)."""
        if self.contractual_penalty_rate is not None:
            return self.contractual_penalty_rate
        return self.ecb_rate + self.penalty_margin_points


class NumberSequence(CompanyScopedModel):
    """The last number given in a series for a year. Locked row by row (SELECT … FOR UPDATE) when issuing,
    so that concurrent issues get consecutive numbers with no gap and no duplicate."""

    series = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)
    last_issue_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("séquence de numérotation")
        verbose_name_plural = _("séquences de numérotation")
        constraints = [
            models.UniqueConstraint(fields=["company", "series", "year"], name="billing_unique_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.series}-{self.year} ({self.last_number})"


# --- Quotes -----------------------------------------------------------------------------------------------


class Quote(CompanyScopedModel):
    number = models.CharField(_("numéro"), max_length=40, blank=True)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("client")
    )
    title = models.CharField(_("objet"), max_length=200, blank=True)
    issue_date = models.DateField(_("date du devis"))
    validity_days = models.PositiveSmallIntegerField(_("validité (jours)"), default=30)
    status = models.CharField(
        _("statut"), max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT, db_index=True
    )
    accepted_on = models.DateField(_("accepté le"), null=True, blank=True)
    refused_on = models.DateField(_("refusé le"), null=True, blank=True)
    order_reference = models.CharField(_("référence de commande du client"), max_length=60, blank=True)
    notes = models.TextField(_("conditions particulières"), blank=True)
    total_ht = money_field(_("total HT"))
    total_tva = money_field(_("total TVA"))
    total_ttc = money_field(_("total TTC"))
    external_key = models.CharField(max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("devis")
        verbose_name_plural = _("devis")
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"], condition=~Q(number=""), name="billing_unique_quote_number"
            )
        ]

    def __str__(self) -> str:
        return self.number or f"Devis brouillon n°{self.pk}"


class QuoteLine(CompanyScopedModel):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    description = models.CharField(_("désignation"), max_length=300)
    quantity = models.DecimalField(_("quantité"), max_digits=12, decimal_places=4)
    unit = models.CharField(_("unité"), max_length=10, default=Unit.UNIT)
    unit_price = models.DecimalField(_("prix unitaire HT"), max_digits=14, decimal_places=4)
    discount_percent = models.DecimalField(_("remise (%)"), max_digits=5, decimal_places=2, default=ZERO)
    vat_rate = models.DecimalField(_("TVA (%)"), max_digits=5, decimal_places=2)
    vat_category = models.CharField(max_length=2, choices=VatCategory.choices, default=VatCategory.STANDARD)
    vat_exemption_text = models.CharField(max_length=200, blank=True)
    item_kind = models.CharField(max_length=10, choices=ItemKind.choices, default=ItemKind.GOODS)
    net_amount = money_field(_("montant HT"))

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("ligne de devis")
        verbose_name_plural = _("lignes de devis")


# --- Invoices ---------------------------------------------------------------------------------------------


class Invoice(CompanyScopedModel):
    direction = models.CharField(
        _("sens"), max_length=10, choices=Direction.choices, default=Direction.CUSTOMER, db_index=True
    )
    doc_type = models.CharField(_("type"), max_length=12, choices=DocType.choices, default=DocType.INVOICE)
    number = models.CharField(_("numéro"), max_length=60, blank=True, db_index=True)
    series = models.CharField(max_length=10, blank=True)
    sequence_year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence_number = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT, db_index=True
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("tiers")
    )
    quote = models.ForeignKey(
        Quote,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices",
        verbose_name=_("devis"),
    )
    related_invoice = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("facture corrigée"),
        help_text=_("Pour un avoir : la facture qu'il corrige."),
    )
    issue_date = models.DateField(_("date d'émission"), null=True, blank=True)
    delivery_date = models.DateField(_("date de livraison ou d'exécution"), null=True, blank=True)
    due_date = models.DateField(_("échéance"), null=True, blank=True, db_index=True)
    payment_terms_days = models.PositiveSmallIntegerField(_("délai de paiement (jours)"), default=30)
    currency = models.CharField(_("devise"), max_length=3, default="EUR")
    order_reference = models.CharField(_("n° de commande du client"), max_length=60, blank=True)
    operation_category = models.CharField(
        _("catégorie de l'opération"), max_length=10, choices=OperationCategory.choices, blank=True
    )
    vat_on_debits = models.BooleanField(_("option pour la TVA d'après les débits"), default=False)
    deposit_percent = models.DecimalField(
        _("acompte (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    total_ht = money_field(_("total HT"))
    total_tva = money_field(_("total TVA"))
    total_ttc = money_field(_("total TTC"))
    prepaid_amount = money_field(_("déjà payé à l'émission"))
    amount_paid = money_field(_("encaissé"))
    amount_credited = money_field(_("avoirs imputés"))
    vat_breakdown = models.JSONField(_("TVA par taux"), default=list, blank=True)
    seller = models.JSONField(_("vendeur (figé à l'émission)"), default=dict, blank=True)
    buyer = models.JSONField(_("acheteur (figé à l'émission)"), default=dict, blank=True)
    legal_mentions = models.JSONField(_("mentions légales (figées à l'émission)"), default=dict, blank=True)
    pdf = models.FileField(_("PDF Factur-X"), upload_to="billing/invoices/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    source = models.CharField(
        _("origine"), max_length=10, choices=InvoiceSource.choices, default=InvoiceSource.MANUAL
    )
    source_document_id = models.PositiveBigIntegerField(_("document source"), null=True, blank=True)
    source_filename = models.CharField(max_length=255, blank=True)
    einvoice_xml = models.TextField(_("XML de la facture électronique reçue"), blank=True)
    einvoice_data = models.JSONField(
        _("données de la facture électronique reçue"),
        default=dict,
        blank=True,
        help_text="Syntaxe, profil, remises et frais de pied, notes, montants bruts.",
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    paid_at = models.DateField(_("soldée le"), null=True, blank=True)
    last_payment_date = models.DateField(null=True, blank=True)
    dunning_paused = models.BooleanField(_("relances suspendues"), default=False)
    # Late-payment risk (recomputed daily and at issue time by etabli.engines.scoring).
    late_probability = models.FloatField(_("probabilité de retard"), null=True, blank=True)
    risk_score = models.PositiveSmallIntegerField(_("score de risque"), null=True, blank=True)
    risk_status = models.CharField(max_length=30, blank=True)
    risk_reasons = models.JSONField(default=list, blank=True)
    expected_payment_date = models.DateField(_("paiement attendu le"), null=True, blank=True)
    expected_payment_date_optimistic = models.DateField(null=True, blank=True)
    expected_payment_date_pessimistic = models.DateField(null=True, blank=True)
    risk_computed_at = models.DateTimeField(null=True, blank=True)
    external_key = models.CharField(max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        ordering = ["-issue_date", "-id"]
        indexes = [
            models.Index(fields=["company", "direction", "status"]),
            models.Index(fields=["company", "partner", "issue_date"]),
        ]
        constraints = [
            # Our numbers are unique per company; a supplier's are unique per supplier.
            models.UniqueConstraint(
                fields=["company", "number"],
                condition=Q(direction="customer") & ~Q(number=""),
                name="billing_unique_customer_invoice_number",
            ),
            models.UniqueConstraint(
                fields=["company", "partner", "number"],
                condition=Q(direction="supplier") & ~Q(number=""),
                name="billing_unique_supplier_invoice_number",
            ),
            models.UniqueConstraint(
                fields=["company", "series", "sequence_year", "sequence_number"],
                condition=Q(sequence_number__isnull=False),
                name="billing_unique_sequence_number",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_doc_type_display()
        return f"{label} {self.number}" if self.number else f"{label} brouillon n°{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == InvoiceStatus.DRAFT

    @property
    def is_credit_note(self) -> bool:
        return self.doc_type == DocType.CREDIT_NOTE

    @property
    def amount_open(self) -> Decimal:
        """What is still expected (TTC − paid at issue − payments − credit notes), never below zero."""
        if self.status in (InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED):
            return ZERO
        value = self.total_ttc - self.prepaid_amount - self.amount_paid - self.amount_credited
        return value if value > 0 else ZERO


class InvoiceLine(CompanyScopedModel):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=LineKind.choices, default=LineKind.NORMAL)
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sku = models.CharField(_("référence"), max_length=40, blank=True)
    description = models.CharField(_("désignation"), max_length=300)
    quantity = models.DecimalField(_("quantité"), max_digits=12, decimal_places=4)
    unit = models.CharField(_("unité"), max_length=10, default=Unit.UNIT)
    unit_price = models.DecimalField(_("prix unitaire HT"), max_digits=14, decimal_places=4)
    discount_percent = models.DecimalField(_("remise (%)"), max_digits=5, decimal_places=2, default=ZERO)
    vat_rate = models.DecimalField(_("TVA (%)"), max_digits=5, decimal_places=2)
    vat_category = models.CharField(max_length=2, choices=VatCategory.choices, default=VatCategory.STANDARD)
    vat_exemption_text = models.CharField(max_length=200, blank=True)
    item_kind = models.CharField(max_length=10, choices=ItemKind.choices, default=ItemKind.GOODS)
    net_amount = money_field(_("montant HT"))
    deducted_invoice = models.ForeignKey(
        Invoice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deducted_in",
        help_text=_("Acompte déduit par cette ligne."),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("ligne de facture")
        verbose_name_plural = _("lignes de facture")


class Payment(CompanyScopedModel):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("montant"), max_digits=14, decimal_places=2)
    date = models.DateField(_("date"))
    method = models.CharField(
        _("moyen"), max_length=12, choices=PaymentMethod.choices, default=PaymentMethod.TRANSFER
    )
    reference = models.CharField(_("référence"), max_length=200, blank=True)
    source = models.CharField(
        _("origine"), max_length=10, choices=PaymentSource.choices, default=PaymentSource.MANUAL
    )
    external_ref = models.CharField(_("référence externe"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("règlement")
        verbose_name_plural = _("règlements")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "external_ref"],
                condition=~Q(external_ref=""),
                name="billing_unique_payment_external_ref",
            )
        ]

    def __str__(self) -> str:
        return f"Règlement de {self.amount} € du {self.date:%d/%m/%Y}"


# --- Dunning and sending ---------------------------------------------------------------------------------


class DunningStep(CompanyScopedModel):
    """One step of the company's dunning sequence: when (days from the due date) and what (its level)."""

    position = models.PositiveSmallIntegerField(default=0)
    offset_days = models.SmallIntegerField(
        _("jours par rapport à l'échéance"), help_text=_("Négatif avant l'échéance (−5 = cinq jours avant).")
    )
    level = models.CharField(_("nature"), max_length=16, choices=StepLevel.choices)
    label = models.CharField(_("libellé"), max_length=120)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["offset_days", "position"]
        verbose_name = _("étape de relance")
        verbose_name_plural = _("étapes de relance")

    def __str__(self) -> str:
        sign = "J" + (f"+{self.offset_days}" if self.offset_days >= 0 else str(self.offset_days))
        return f"{sign} — {self.label}"


class Reminder(CompanyScopedModel):
    """A reminder for one invoice at one step: proposed (review queue), then sent or rejected."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="reminders")
    step = models.ForeignKey(DunningStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    level = models.CharField(max_length=16, choices=StepLevel.choices)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=ReminderStatus.choices,
        default=ReminderStatus.PROPOSED,
        db_index=True,
    )
    tone = models.CharField(_("ton"), max_length=12, choices=Tone.choices)
    tone_reason = models.CharField(max_length=300, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    recipient = models.CharField(_("destinataire"), max_length=254, blank=True)
    subject = models.CharField(_("objet"), max_length=255)
    body = models.TextField(_("message"))
    principal = money_field(_("principal dû"))
    penalties = money_field(_("pénalités de retard"))
    indemnity = money_field(_("indemnité forfaitaire"))
    days_late = models.IntegerField(default=0)
    penalty_rate = models.DecimalField(max_digits=6, decimal_places=2, default=ZERO)
    generated_by_ai = models.BooleanField(default=False)
    generation_label = models.CharField(max_length=200, blank=True)
    fallback_reason = models.TextField(blank=True)
    review_item = models.ForeignKey(
        "core.ReviewItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled_for = models.DateField(_("prévue le"))
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("relance")
        verbose_name_plural = _("relances")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "step"],
                condition=Q(status__in=["proposed", "sent"]) & Q(step__isnull=False),
                name="billing_unique_live_reminder_per_step",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} — {self.invoice}"

    @property
    def total_claimed(self):
        return self.principal + self.penalties + self.indemnity


class SentEmail(CompanyScopedModel):
    """The log of what was sent to whom: a legal trail for invoices and reminders."""

    kind = models.CharField(max_length=10, choices=SentKind.choices)
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    quote = models.ForeignKey(Quote, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails")
    reminder = models.ForeignKey(
        Reminder, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    to = models.CharField(_("destinataire"), max_length=500)
    subject = models.CharField(_("objet"), max_length=255)
    body = models.TextField(_("message"))
    attachments = models.JSONField(default=list, blank=True)
    ok = models.BooleanField(default=True)
    error = models.TextField(blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
