"""Time-saved ledger: each automated step records the minutes it saved, so ROI is computed, not claimed."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from etabli.core.models.tenancy import CompanyScopedModel


class TimeSaved(CompanyScopedModel):
    use_case = models.CharField(_("cas d'usage"), max_length=80, db_index=True)
    action = models.CharField(_("action"), max_length=80)
    minutes = models.DecimalField(_("minutes gagnées"), max_digits=8, decimal_places=2)
    automated = models.BooleanField(_("sans intervention"), default=False)
    occurred_at = models.DateTimeField(_("date"), db_index=True)
    object_ref = models.CharField(_("objet"), max_length=120, blank=True)
    review_item = models.ForeignKey(
        "core.ReviewItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("temps gagné")
        verbose_name_plural = _("temps gagné")
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["company", "occurred_at"])]


class UseCaseCost(CompanyScopedModel):
    """What a use case costs each month (subscription share, LLM tokens, set-up amortised), for the ROI."""

    use_case = models.CharField(_("cas d'usage"), max_length=80)
    monthly_cost = models.DecimalField(
        _("coût mensuel (€)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("coût d'un cas d'usage")
        verbose_name_plural = _("coûts des cas d'usage")
        constraints = [models.UniqueConstraint(fields=["company", "use_case"], name="unique_usecase_cost")]
