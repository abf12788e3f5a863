"""What every page of the shell needs: the menu for this member, the company switcher, the counters."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from etabli.core.models import ReviewItem, ReviewStatus
from etabli.core.registry import SECTIONS, registry


def navigation(membership) -> list[dict]:
    """Menu groups in the guide's order, with only the modules that exist and that this member may see."""
    if membership is None:
        return []
    entries: dict[str, list[dict]] = {key: [] for key, _ in [("", ""), *SECTIONS]}
    for spec in registry.modules.values():
        for entry in spec.menu:
            permission = entry.permission or f"{spec.key}.view"
            if not membership.can(permission):
                continue
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue
            entries.setdefault(entry.section, []).append({"label": entry.label, "url": url, "order": entry.order})
    groups = [{"key": "", "label": "", "entries": sorted(entries[""], key=lambda e: e["order"])}]
    for key, label in SECTIONS:
        if entries.get(key):
            groups.append({"key": key, "label": label, "entries": sorted(entries[key], key=lambda e: e["order"])})
    return groups


def shell(request) -> dict:
    membership = getattr(request, "membership", None)
    company = getattr(request, "company", None)
    pending = 0
    if company is not None:
        pending = ReviewItem.objects.filter(company=company, status=ReviewStatus.PENDING).count()
    return {
        "active_company": company,
        "active_membership": membership,
        "user_memberships": getattr(request, "memberships", []),
        "nav_groups": navigation(membership),
        "pending_reviews_count": pending,
    }
