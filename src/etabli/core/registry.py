"""Registries through which apps plug into the core: modules (navigation + permissions), use cases and
time-saved actions (ROI), review handlers, webhook events and demo loaders.

Why registries rather than imports: the core must not import the apps built on it (layering), yet it shows
their menus, applies their proposals and counts their time saved. Apps register in AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

#: Navigation sections, in the guide's order. A section is shown only if one of its modules exists.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("administratif", "Administratif"),
    ("finances", "Finances"),
    ("clients", "Clients"),
    ("marketing", "Marketing"),
    ("ventes", "Ventes"),
    ("rh", "RH"),
    ("operations", "Opérations"),
    ("pilotage", "Pilotage"),
    ("conformite", "Conformité"),
)
ACTIONS: tuple[str, ...] = ("view", "edit", "approve", "export", "admin")
ACTION_LABELS = {
    "view": "Consulter",
    "edit": "Modifier",
    "approve": "Valider",
    "export": "Exporter",
    "admin": "Administrer",
}


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    section: str  # one of SECTIONS' keys, or "" for the top of the menu
    order: int = 100
    permission: str = ""  # defaults to "<module>.view"


@dataclass(frozen=True)
class ModuleSpec:
    """A module of the product: its permissions per role, and its menu entries."""

    key: str
    label: str
    actions: tuple[str, ...] = ("view",)
    # role → actions granted by default (the owner always has every action).
    defaults: dict[str, tuple[str, ...]] = field(default_factory=dict)
    menu: tuple[MenuEntry, ...] = ()


@dataclass(frozen=True)
class TimeSavedAction:
    key: str
    use_case: str
    label: str
    default_minutes: Decimal


@dataclass(frozen=True)
class EditField:
    """A payload key a person may edit before accepting a proposal."""

    name: str
    label: str
    kind: str = "text"  # text | textarea | decimal | date | integer | choice
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True


@dataclass(frozen=True)
class ReviewHandler:
    """How to apply (and describe) one kind of proposal.

    `apply(item, payload, user)` performs the action inside the acceptance transaction and returns a small
    JSON-able result; raising `ReviewApplyError` (French message) refuses it and rolls everything back.
    """

    kind: str
    label: str
    use_case: str
    apply: Callable[..., dict | None]
    permission: str = "reviews.approve"
    time_saved_action: str = ""
    edit_fields: tuple[EditField, ...] = ()
    on_reject: Callable[..., None] | None = None
    detail_template: str = ""
    auto_allowed: bool = True


@dataclass(frozen=True)
class WebhookEvent:
    name: str
    description: str


@dataclass
class Registry:
    modules: dict[str, ModuleSpec] = field(default_factory=dict)
    use_cases: dict[str, str] = field(default_factory=dict)
    time_saved_actions: dict[str, TimeSavedAction] = field(default_factory=dict)
    review_handlers: dict[str, ReviewHandler] = field(default_factory=dict)
    webhook_events: dict[str, WebhookEvent] = field(default_factory=dict)
    demo_loaders: list[tuple[int, str, Callable[..., Any]]] = field(default_factory=list)
    api_routers: list[tuple[str, Any]] = field(default_factory=list)
    home_cards: list[tuple[int, str, str, Callable[..., Any]]] = field(default_factory=list)


registry = Registry()


def register_module(spec: ModuleSpec) -> ModuleSpec:
    registry.modules[spec.key] = spec
    return spec


def register_use_case(key: str, label: str) -> None:
    registry.use_cases[key] = label


def use_case_label(key: str) -> str:
    return registry.use_cases.get(key, key)


def register_time_saved_action(key: str, *, use_case: str, label: str, default_minutes: float | str) -> None:
    registry.time_saved_actions[key] = TimeSavedAction(key, use_case, label, Decimal(str(default_minutes)))


def register_review_handler(handler: ReviewHandler) -> ReviewHandler:
    if handler.kind in registry.review_handlers and registry.review_handlers[handler.kind] is not handler:
        raise ValueError(f"A review handler for {handler.kind!r} is already registered")
    registry.review_handlers[handler.kind] = handler
    return handler


def get_review_handler(kind: str) -> ReviewHandler | None:
    return registry.review_handlers.get(kind)


def register_webhook_event(name: str, description: str) -> None:
    registry.webhook_events[name] = WebhookEvent(name, description)


def register_demo_loader(order: int, name: str, loader: Callable[..., Any]) -> None:
    """`loader(company, dataset, *, stdout)` stores the part of the demo dataset its app owns."""
    if all(existing != name for _, existing, _ in registry.demo_loaders):
        registry.demo_loaders.append((order, name, loader))
        registry.demo_loaders.sort(key=lambda item: item[0])


def register_api_router(prefix: str, router: Any) -> None:
    """A django-ninja Router mounted under /api/v1/<prefix> — or a function returning it, so that an app's API
    module (and what it imports) loads only when the URLs are built, not for every CLI command."""
    if all(existing != prefix for existing, _ in registry.api_routers):
        registry.api_routers.append((prefix, router))


@dataclass(frozen=True)
class HomeCard:
    """A module's figure on the "Aujourd'hui" page: one number, what it means, where to act."""

    title: str
    value: str
    detail: str = ""
    link_url: str = ""
    link_label: str = ""
    tone: str = ""  # "" | "warning" | "critical"


def register_home_card(order: int, key: str, permission: str, build: Callable[..., Any]) -> None:
    """`build(company)` returns a HomeCard (or None when it has nothing to say); shown to members holding
    `permission`, in `order`."""
    if all(existing != key for _, existing, _, _ in registry.home_cards):
        registry.home_cards.append((order, key, permission, build))
        registry.home_cards.sort(key=lambda item: item[0])
