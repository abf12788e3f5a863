"""Permissions per module and action, from the member's role plus the owner's per-member overrides.

A permission is "module.action" (e.g. "billing.approve"). Roles grant defaults declared by each module;
the owner always has everything. Overrides in Membership.permission_overrides win over the role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from etabli.core.registry import ACTIONS, registry

if TYPE_CHECKING:
    from etabli.core.models import Membership

OWNER = "owner"


class PermissionDenied(Exception):
    """Raised by services when the acting member lacks a permission (views turn it into a 403)."""

    def __init__(self, permission: str, message: str | None = None):
        self.permission = permission
        super().__init__(message or "Vous n'avez pas le droit d'effectuer cette action.")


def split_permission(permission: str) -> tuple[str, str]:
    module, _, action = permission.partition(".")
    if not module or action not in ACTIONS:
        raise ValueError(f"Invalid permission {permission!r}: expected 'module.action' with action in {ACTIONS}")
    return module, action


def role_grants(role: str, permission: str) -> bool:
    module_key, action = split_permission(permission)
    if role == OWNER:
        return True
    spec = registry.modules.get(module_key)
    if spec is None:
        return False
    return action in spec.defaults.get(role, ())


def membership_has_permission(membership: Membership | None, permission: str) -> bool:
    if membership is None or not membership.is_active:
        return False
    split_permission(permission)
    if membership.role == OWNER:
        return True
    override = (membership.permission_overrides or {}).get(permission)
    if override is not None:
        return bool(override)
    return role_grants(membership.role, permission)


def require(membership: Membership | None, permission: str) -> None:
    if not membership_has_permission(membership, permission):
        raise PermissionDenied(permission)


def all_permissions() -> list[tuple[str, str, str]]:
    """(permission, module label, action label) for the owner's permission grid."""
    from etabli.core.registry import ACTION_LABELS

    rows = []
    for spec in sorted(registry.modules.values(), key=lambda s: s.label):
        for action in spec.actions:
            rows.append((f"{spec.key}.{action}", spec.label, ACTION_LABELS[action]))
    return rows
