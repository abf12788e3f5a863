"""What every page of the shell needs: the menu for this member, the company switcher, the counters."""

from __future__ import annotations

import json

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from etabli.core.registry import SECTIONS, registry

# Menus already built, by (role, overrides, modules, URL configuration). A menu depends on nothing else, and
# building one reverses some thirty URLs: done once per process instead of on every page.
_MENUS: dict[tuple, list[dict]] = {}
_MENUS_MAX = 256


def navigation(membership) -> list[dict]:
    """Menu groups in the guide's order, with only the modules that exist and that this member may see."""
    if membership is None:
        return []
    key = (
        membership.role,
        membership.is_active,
        json.dumps(membership.permission_overrides or {}, sort_keys=True),
        tuple(registry.modules),
        get_urlconf(),
        get_script_prefix(),
    )
    menu = _MENUS.get(key)
    if menu is None:
        menu = _build_navigation(membership)
        if len(_MENUS) >= _MENUS_MAX:
            _MENUS.clear()
        _MENUS[key] = menu
    return menu


def _build_navigation(membership) -> list[dict]:
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


def pending_reviews_count(request) -> int:
    """Proposals waiting for a decision in the active company, counted once per request (menu badge, home)."""
    if not hasattr(request, "_pending_reviews_count"):
        from etabli.core.selectors import pending_reviews

        company = getattr(request, "company", None)
        request._pending_reviews_count = pending_reviews(company=company).count() if company is not None else 0
    return request._pending_reviews_count


def shell(request) -> dict:
    membership = getattr(request, "membership", None)
    return {
        "active_company": getattr(request, "company", None),
        "active_membership": membership,
        "user_memberships": getattr(request, "memberships", []),
        "nav_groups": navigation(membership),
        "pending_reviews_count": pending_reviews_count(request),
    }
