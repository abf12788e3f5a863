"""Bank accounts, imported statements and their lines, reconciliation links, category rules, settings and
the latest forecast / spending analyses of a company.

Why invoice ids are plain integers and not foreign keys: invoices belong to the billing app, which banking
reads only through `etabli.billing.selectors` and writes through `etabli.billing.services`; a foreign key
would tie our tables to billing's. The numbers and names are copied at match time so that the history stays
readable even if billing renames a partner.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from etabli.banking.constants import category_label
from etabli.core.models import CompanyScopedModel


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class BankAccount(CompanyScopedModel):
    """One bank account of the company. The IBAN (RIB key included) is checked with schwifty.

    The balance is anchored on the last balance the bank announced (a statement's closing balance, or one
    typed by the owner): balance on a day = anchor + the lines between the anchor date and that day.
    """

    name = models.CharField(_("nom du compte"), max_length=80)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    bank_name = models.CharField(_("banque"), max_length=120, blank=True)
    bank_code = models.CharField(_("code banque"), max_length=12, blank=True)
    branch_code = models.CharField(_("code guichet"), max_length=12, blank=True)
    account_number = models.CharField(_("numéro de compte"), max_length=30, blank=True)
    rib_key = models.CharField(_("clé RIB"), max_length=2, blank=True)
    currency = models.CharField(_("devise"), max_length=3, default="EUR")
    balance = money_field(_("dernier solde connu"), null=True, blank=True)
    balance_date = models.DateField(_("date du dernier solde connu"), null=True, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("compte bancaire")
        verbose_name_plural = _("comptes bancaires")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "iban"], name="banking_unique_account_iban"),
            models.UniqueConstraint(fields=["company", "name"], name="banking_unique_account_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def iban_display(self) -> str:
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


class ImportStatus(models.TextChoices):
    AWAITING_MAPPING = "awaiting_mapping", _("Colonnes à indiquer")
    IMPORTED = "imported", _("Importé")


class SourceFormat(models.TextChoices):
    CFONB120 = "cfonb120", _("CFONB 120")
    CAMT053 = "camt053", _("camt.053 (ISO 20022)")
    OFX = "ofx", _("OFX")
    CSV = "csv", _("CSV")
    DEMO = "demo", _("Démonstration")


class StatementImport(CompanyScopedModel):
    """One uploaded file. A CSV without a known column mapping waits here (status awaiting_mapping) until
    the owner confirms the columns; every other file is imported at once, in one transaction."""

    account = models.ForeignKey(BankAccount, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="imports", verbose_name=_("compte"))
    status = models.CharField(_("statut"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.IMPORTED)
    file = models.FileField(_("fichier"), upload_to="banking/statements/%Y/%m/", blank=True)
    filename = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    source_format = models.CharField(_("format"), max_length=10, choices=SourceFormat.choices)
    csv_mapping = models.JSONField(_("correspondance des colonnes"), null=True, blank=True)
    lines_total = models.PositiveIntegerField(_("lignes lues"), default=0)
    lines_new = models.PositiveIntegerField(_("lignes ajoutées"), default=0)
    lines_duplicate = models.PositiveIntegerField(_("lignes déjà importées"), default=0)
    matched_auto = models.PositiveIntegerField(_("rapprochées automatiquement"), default=0)
    proposed = models.PositiveIntegerField(_("propositions créées"), default=0)
    categorised = models.PositiveIntegerField(_("catégorisées"), default=0)
    warnings = models.JSONField(_("avertissements"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("import de relevé")
        verbose_name_plural = _("imports de relevés")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename or f"Import n° {self.pk}"


class BalanceStatus(models.TextChoices):
    OK = "ok", _("Soldes cohérents")
    GAP = "gap", _("Écart")
    UNVERIFIABLE = "unverifiable", _("Contrôle impossible")


class Statement(CompanyScopedModel):
    """One statement of a file (a CFONB 01…07 block, a camt Stmt, an OFX statement, a CSV export) and the
    result of its balance check: a gap is stored and shown, never hidden."""

    statement_import = models.ForeignKey(StatementImport, on_delete=models.CASCADE, related_name="statements")
    account = models.ForeignKey(BankAccount, on_delete=models.CASCADE, related_name="statements")
    statement_id = models.CharField(_("identifiant du relevé"), max_length=120, blank=True)
    start_date = models.DateField(_("du"), null=True, blank=True)
    end_date = models.DateField(_("au"), null=True, blank=True)
    opening_balance = money_field(_("solde d'ouverture"), null=True, blank=True)
    closing_balance = money_field(_("solde de clôture"), null=True, blank=True)
    total = money_field(_("total des mouvements"), default=Decimal("0.00"))
    balance_status = models.CharField(_("contrôle des soldes"), max_length=14, choices=BalanceStatus.choices)
    balance_message = models.TextField(_("résultat du contrôle"), blank=True)
    gap = money_field(_("écart"), null=True, blank=True)
    continuity_message = models.TextField(_("continuité avec le compte"), blank=True)
    lines_total = models.PositiveIntegerField(default=0)
    lines_new = models.PositiveIntegerField(default=0)
    lines_duplicate = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("relevé")
        verbose_name_plural = _("relevés")
        ordering = ["-end_date", "-id"]

    def __str__(self) -> str:
        return f"Relevé {self.account} du {self.start_date} au {self.end_date}"


class LineStatus(models.TextChoices):
    UNMATCHED = "unmatched", _("À traiter")
    PROPOSED = "proposed", _("Proposition à valider")
    MATCHED = "matched", _("Rapprochée")
    CATEGORISED = "categorised", _("Catégorisée")


class BankLine(CompanyScopedModel):
    """One movement on an account (credit > 0). Its fingerprint (engine-computed) makes re-imports of an
    overlapping statement harmless: the unique constraint refuses a second copy."""

    account = models.ForeignKey(BankAccount, on_delete=models.CASCADE, related_name="lines")
    statement = models.ForeignKey(Statement, null=True, blank=True, on_delete=models.SET_NULL, related_name="lines")
    date = models.DateField(_("date"), db_index=True)
    value_date = models.DateField(_("date de valeur"), null=True, blank=True)
    amount = money_field(_("montant"))
    label = models.CharField(_("libellé"), max_length=255)
    reference = models.CharField(_("référence"), max_length=140, blank=True)
    counterparty_name = models.CharField(_("tiers"), max_length=140, blank=True)
    counterparty_iban = models.CharField(_("IBAN du tiers"), max_length=34, blank=True)
    extra_info = models.JSONField(_("informations complémentaires"), default=list, blank=True)
    bank_operation_code = models.CharField(_("code opération"), max_length=40, blank=True)
    fingerprint = models.CharField(max_length=64)
    source_format = models.CharField(_("format"), max_length=10, choices=SourceFormat.choices)
    source_line = models.PositiveIntegerField(_("ligne du fichier"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=LineStatus.choices, default=LineStatus.UNMATCHED,
                              db_index=True)
    # Category (lines that are not invoice payments), with where it came from.
    category = models.CharField(_("catégorie"), max_length=40, blank=True)
    pcg_account = models.CharField(_("compte PCG"), max_length=10, blank=True)
    category_source = models.CharField(_("origine de la catégorie"), max_length=20, blank=True)
    category_confidence = models.FloatField(_("confiance de la catégorie"), null=True, blank=True)
    category_reason = models.CharField(_("raison"), max_length=300, blank=True)
    category_confirmed = models.BooleanField(_("catégorie confirmée"), default=False)
    # Reconciliation summary (details in LineMatch).
    matched_kind = models.CharField(max_length=10, blank=True)  # customer | supplier
    matched_partner_id = models.IntegerField(null=True, blank=True)
    matched_partner_name = models.CharField(max_length=200, blank=True)
    document_date = models.DateField(_("date de la facture réglée"), null=True, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    review_item_id = models.IntegerField(null=True, blank=True)
    rejected = models.JSONField(_("propositions refusées"), default=list, blank=True)
    minutes_saved = models.DecimalField(_("minutes gagnées"), max_digits=8, decimal_places=2, default=Decimal(0))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opération bancaire")
        verbose_name_plural = _("opérations bancaires")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "account", "fingerprint"], name="banking_unique_line_fingerprint"),
        ]
        indexes = [models.Index(fields=["company", "account", "date"]),
                   models.Index(fields=["company", "status", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.label} {self.amount}"

    @property
    def is_credit(self) -> bool:
        return self.amount > 0

    @property
    def category_name(self) -> str:
        return category_label(self.category) if self.category else ""

    @property
    def text(self) -> str:
        return " ".join(part for part in (self.label, self.reference, self.counterparty_name, *self.extra_info) if part)


class MatchSource(models.TextChoices):
    AUTO = "auto", _("Automatique")
    VALIDATED = "validated", _("Validé")
    DEMO = "demo", _("Démonstration")


class LineMatch(CompanyScopedModel):
    """How much of a bank line settles one invoice (billing's id and number, copied)."""

    line = models.ForeignKey(BankLine, on_delete=models.CASCADE, related_name="matches")
    invoice_id = models.IntegerField(_("facture (id)"))
    invoice_number = models.CharField(_("facture"), max_length=60)
    invoice_kind = models.CharField(max_length=10)  # customer | supplier
    partner_id = models.IntegerField(null=True, blank=True)
    partner_name = models.CharField(_("tiers"), max_length=200, blank=True)
    amount = money_field(_("montant imputé"))
    issue_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    payment_id = models.IntegerField(null=True, blank=True)
    external_ref = models.CharField(max_length=120, blank=True)
    writeoff_amount = money_field(_("écart passé en charge"), default=Decimal("0.00"))
    writeoff_account = models.CharField(max_length=10, blank=True)
    source = models.CharField(max_length=10, choices=MatchSource.choices)
    confidence = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rapprochement")
        verbose_name_plural = _("rapprochements")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "partner_id"])]

    def __str__(self) -> str:
        return f"{self.line} ↔ {self.invoice_number}"


class Direction(models.TextChoices):
    ANY = "any", _("Débit ou crédit")
    DEBIT = "debit", _("Débits (sorties)")
    CREDIT = "credit", _("Crédits (entrées)")


class CategoryRule(CompanyScopedModel):
    """The owner's rule « libellé contient … → catégorie » (wins over learned and default rules)."""

    pattern = models.CharField(_("le libellé contient"), max_length=80)
    category = models.CharField(_("catégorie"), max_length=40)
    direction = models.CharField(_("sens"), max_length=6, choices=Direction.choices, default=Direction.ANY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("règle de catégorie")
        verbose_name_plural = _("règles de catégorie")
        ordering = ["pattern"]
        constraints = [models.UniqueConstraint(fields=["company", "pattern", "direction"],
                                               name="banking_unique_rule_pattern")]

    def __str__(self) -> str:
        return f"« {self.pattern} » → {self.category}"


class CsvMapping(CompanyScopedModel):
    """The column mapping of one bank's CSV export, remembered after the owner confirmed it once."""

    bank_code = models.CharField(_("code banque"), max_length=12)
    bank_name = models.CharField(_("banque"), max_length=120, blank=True)
    mapping = models.JSONField(_("correspondance"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("correspondance des colonnes CSV")
        verbose_name_plural = _("correspondances des colonnes CSV")
        constraints = [models.UniqueConstraint(fields=["company", "bank_code"], name="banking_unique_csv_mapping")]

    def __str__(self) -> str:
        return f"CSV {self.bank_name or self.bank_code}"


class BankingSettings(CompanyScopedModel):
    """The owner's settings of the module (one row per company)."""

    cash_threshold = money_field(_("seuil d'alerte de trésorerie"), default=Decimal("0.00"),
                                 help_text=_("Une alerte est levée dès que la trésorerie prévue passe sous ce montant."))
    forecast_days = models.PositiveSmallIntegerField(_("horizon de prévision (jours)"), default=90)
    holiday_subdivision = models.CharField(
        _("jours fériés"), max_length=8, blank=True, default="",
        help_text=_("Vide : France métropolitaine ; 57 : Moselle ; 6AE : Alsace (Vendredi saint et 26 décembre)."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réglages banque et trésorerie")
        verbose_name_plural = _("réglages banque et trésorerie")
        constraints = [models.UniqueConstraint(fields=["company"], name="banking_unique_settings")]

    def __str__(self) -> str:
        return "Réglages banque et trésorerie"


class AnalysisKind(models.TextChoices):
    FORECAST = "forecast", _("Prévision de trésorerie")
    SPENDING = "spending", _("Surveillance des dépenses")


class AnalysisRun(CompanyScopedModel):
    """The result of one forecast or spending analysis (JSON as the engines give it), kept to show the
    latest one without recomputing and to tell when an alert first appeared."""

    kind = models.CharField(max_length=10, choices=AnalysisKind.choices)
    as_of = models.DateField(_("à la date du"))
    horizon_days = models.PositiveSmallIntegerField(default=0)
    threshold = money_field(_("seuil"), null=True, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("analyse")
        verbose_name_plural = _("analyses")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.as_of:%d/%m/%Y}"

