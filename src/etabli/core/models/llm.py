"""Per-company language-model settings, voice and monthly budget (ch. 13.2: "pas de limite de consommation des
API" is a risk: a hard cap and a warning at 80 % protect the owner)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from etabli.core.models.tenancy import CompanyScopedModel


class ProviderChoice(models.TextChoices):
    SERVER = "env", _("Configuration du serveur (variables ETABLI_LLM_*)")
    NONE = "none", _("Aucun modèle : modèles de texte uniquement")
    OPENAI = "openai-compatible", _("Serveur compatible OpenAI (Ollama, llama.cpp, vLLM, Mistral…)")
    GGUF = "gguf", _("Modèle local dans le processus (fichier GGUF)")


class Address(models.TextChoices):
    VOUS = "vous", _("Vouvoiement")
    TU = "tu", _("Tutoiement")


class LLMSettings(CompanyScopedModel):
    provider = models.CharField(_("modèle de langage"), max_length=20, choices=ProviderChoice.choices,
                                default=ProviderChoice.SERVER)
    url = models.URLField(_("adresse du serveur"), max_length=300, blank=True)
    model = models.CharField(_("nom du modèle"), max_length=120, blank=True)
    api_key = models.CharField(_("clé d'API"), max_length=300, blank=True)
    gguf_path = models.CharField(_("chemin du fichier GGUF"), max_length=500, blank=True)
    remote_acknowledged = models.BooleanField(
        _("J'accepte que les données envoyées au modèle quittent cette machine"), default=False)
    monthly_token_limit = models.PositiveBigIntegerField(_("plafond mensuel de jetons"), null=True, blank=True)
    monthly_cost_limit = models.DecimalField(_("plafond mensuel (€)"), max_digits=10, decimal_places=2,
                                             null=True, blank=True)
    warn_ratio = models.FloatField(_("alerte à (part du plafond)"), default=0.8)
    input_price_per_million = models.DecimalField(_("prix par million de jetons envoyés (€)"), max_digits=10,
                                                  decimal_places=4, default=Decimal("0"))
    output_price_per_million = models.DecimalField(_("prix par million de jetons générés (€)"), max_digits=10,
                                                   decimal_places=4, default=Decimal("0"))
    tone = models.CharField(_("ton"), max_length=120, default="chaleureux et professionnel", blank=True)
    address = models.CharField(_("adresse aux clients"), max_length=4, choices=Address.choices, default=Address.VOUS)
    words_to_avoid = models.TextField(_("mots à éviter (un par ligne)"), blank=True)
    signature = models.TextField(_("signature"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réglages du modèle de langage")
        constraints = [models.UniqueConstraint(fields=["company"], name="unique_llm_settings")]

    def __str__(self) -> str:
        return f"{self.get_provider_display()}"


class LLMUsage(CompanyScopedModel):
    month = models.DateField(_("mois"))
    tokens = models.PositiveBigIntegerField(default=0)
    cost = models.DecimalField(max_digits=14, decimal_places=6, default=Decimal("0"))
    calls = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("consommation du modèle de langage")
        constraints = [models.UniqueConstraint(fields=["company", "month"], name="unique_llm_usage_month")]
