"""Tenancy: the company (tenant), users and their role in each company.

Why one user, many companies: an accountant (expert-comptable) serves several client companies from one
installation, with a different role in each. Every business row carries a `company` foreign key and is read
through `CompanyScopedModel.objects.for_company(company)`; nothing crosses tenants implicitly.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from etabli.core.validators import validate_naf, validate_siren, validate_siret, validate_vat_number


class Role(models.TextChoices):
    OWNER = "owner", _("Dirigeant")
    MANAGER = "manager", _("Responsable")
    ACCOUNTANT = "accountant", _("Expert-comptable")
    EMPLOYEE = "employee", _("Salarié")
    READONLY = "readonly", _("Lecture seule")


class VatRegime(models.TextChoices):
    REEL_NORMAL = "reel_normal", _("Réel normal (CA3 mensuelle)")
    REEL_SIMPLIFIE = "reel_simplifie", _("Réel simplifié (CA12 annuelle)")
    FRANCHISE = "franchise", _("Franchise en base (art. 293 B du CGI)")


class EtabliUserManager(UserManager):
    """Users log in with their e-mail address; the username is kept equal to it."""

    def _normalise(self, email: str) -> str:
        return self.normalize_email(email).lower()

    def create_user(self, email: str, password: str | None = None, **extra):  # type: ignore[override]
        email = self._normalise(email)
        extra.setdefault("username", email)
        return super().create_user(email=email, password=password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):  # type: ignore[override]
        email = self._normalise(email)
        extra.setdefault("username", email)
        return super().create_superuser(email=email, password=password, **extra)


class User(AbstractUser):
    """A person who logs in. Identity is the e-mail address."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    digest_opt_in = models.BooleanField(_("recevoir le résumé quotidien"), default=True)

    objects = EtabliUserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        self.username = self.email
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email

    def __str__(self) -> str:
        return self.display_name


class Company(models.Model):
    """The tenant: one legal entity (société, EI, association…) using Établi."""

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    legal_name = models.CharField(_("raison sociale"), max_length=200)
    trade_name = models.CharField(_("nom commercial"), max_length=200, blank=True)
    legal_form = models.CharField(_("forme juridique"), max_length=60, blank=True)
    share_capital = models.DecimalField(
        _("capital social (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren])
    siret = models.CharField(_("SIRET du siège"), max_length=14, blank=True, validators=[validate_siret])
    vat_number = models.CharField(
        _("numéro de TVA intracommunautaire"), max_length=20, blank=True, validators=[validate_vat_number]
    )
    rcs_city = models.CharField(_("ville du RCS ou RM"), max_length=80, blank=True)
    naf_code = models.CharField(_("code NAF/APE"), max_length=6, blank=True, validators=[validate_naf])
    address_line1 = models.CharField(_("adresse"), max_length=200, blank=True)
    address_line2 = models.CharField(_("complément d'adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    country = models.CharField(_("pays"), max_length=2, default="FR")
    email = models.EmailField(_("e-mail de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    website = models.URLField(_("site web"), blank=True)
    vat_regime = models.CharField(
        _("régime de TVA"), max_length=20, choices=VatRegime.choices, default=VatRegime.REEL_NORMAL
    )
    vat_on_debits = models.BooleanField(_("option pour le paiement de la TVA d'après les débits"), default=False)
    fiscal_year_end_month = models.PositiveSmallIntegerField(
        _("mois de clôture de l'exercice"), default=12, validators=[MinValueValidator(1)]
    )
    fiscal_year_end_day = models.PositiveSmallIntegerField(_("jour de clôture"), default=31)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    hourly_cost = models.DecimalField(
        _("coût horaire (€) utilisé pour le ROI"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("35.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Coût complet d'une heure de travail : il valorise le temps gagné par l'IA."),
    )
    require_2fa = models.BooleanField(_("double authentification obligatoire"), default=False)
    employees_count = models.PositiveIntegerField(_("effectif"), null=True, blank=True)
    settings = models.JSONField(_("réglages"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("entreprise")
        verbose_name_plural = _("entreprises")
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.trade_name or self.legal_name

    @property
    def display_name(self) -> str:
        return str(self)

    def setting(self, key: str, default=None):
        """A per-company setting with a default, e.g. company.setting("digest_hour", 7)."""
        return (self.settings or {}).get(key, default)


class Membership(models.Model):
    """A user's role in one company, with optional per-permission overrides set by the owner."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.EMPLOYEE)
    # {"billing.approve": true, "documents.edit": false}: grants or revokes beyond the role's defaults.
    permission_overrides = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("accès")
        verbose_name_plural = _("accès")
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="unique_membership")]
        ordering = ["company__legal_name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} — {self.company} ({self.get_role_display()})"

    def can(self, permission: str) -> bool:
        """Whether this member may do `module.action` (see etabli.core.permissions)."""
        from etabli.core.permissions import membership_has_permission

        return membership_has_permission(self, permission)


class CompanyQuerySet(models.QuerySet):
    def for_company(self, company: Company | int) -> CompanyQuerySet:
        company_id = company if isinstance(company, int) else company.pk
        return self.filter(company_id=company_id)


class CompanyScopedModel(models.Model):
    """Base of every business model: a company foreign key and a queryset that filters on it."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+", verbose_name=_("entreprise"))

    objects = CompanyQuerySet.as_manager()

    class Meta:
        abstract = True
