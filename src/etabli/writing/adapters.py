"""Turn the app's rows into the writing engine's inputs, and the engine's results into draft rows.

Why a module of its own: the engine (``etabli.engines.writing``) is pure Python and knows nothing of
companies, profiles or users; the services stay readable when the translation lives here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from etabli.common.formats import format_date
from etabli.engines.llm import TEMPLATE_LABEL
from etabli.engines.writing import CompanyProfile, Event, Offer, Testimonial, WritingError
from etabli.engines.writing import Draft as EngineDraft
from etabli.engines.writing.posts import NETWORKS, normalise_network, normalise_theme

FACT_WARNING_PREFIX = "Fait non vérifié"
TEMPLATE_PROVIDER = "template"
TEMPLATE_MODEL = "modele-de-texte"
UNGROUNDED_REASON = (
    "Le brouillon de l'IA cite des éléments absents de vos données, il n'est pas proposé tel quel. "
    "Le brouillon proposé vient du modèle de texte."
)


def next_monday(today: dt.date) -> dt.date:
    """The week to plan: this Monday when today is Monday, else the next one."""
    return today + dt.timedelta(days=(7 - today.weekday()) % 7)


def parse_list(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """"conseil, témoignage;offre" or a list → ["conseil", "témoignage", "offre"]."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).replace(";", ",").split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def check_themes(themes: list[str]) -> list[str]:
    if not themes:
        raise WritingError("Aucun thème choisi : indiquez par exemple « conseil, témoignage, offre du mois ».")
    return [normalise_theme(theme) for theme in themes]


def check_networks(networks: list[str]) -> list[str]:
    return [normalise_network(network).key for network in networks] or ["facebook"]


def company_profile(company, profile, testimonials, events, *, week_start: dt.date, themes: list[str]) -> CompanyProfile:
    """The engine's ``CompanyProfile`` for this week, with French errors for what a theme needs but lacks.

    Only testimonials the customer agreed to see quoted are used; only events of this week or later are
    announced; an offer that ended before the week starts is refused (announcing it would mislead).
    """
    if profile is None or not (profile.trade or "").strip():
        raise WritingError(
            "Profil de rédaction incomplet : indiquez au moins le métier de l'entreprise (Rédaction → Profil)."
        )
    offer = None
    if profile.offer_title.strip():
        offer = Offer(
            title=profile.offer_title.strip(),
            price=profile.offer_price,
            regular_price=profile.offer_regular_price,
            start=profile.offer_start,
            end=profile.offer_end,
            conditions=profile.offer_conditions.strip(),
        )
    if "offre" in themes:
        if offer is None:
            raise WritingError(
                "Thème « offre du mois » demandé sans offre : renseignez l'offre (intitulé, prix, dates) dans le profil."
            )
        if offer.end is not None and offer.end < week_start:
            raise WritingError(
                f"L'offre du mois « {offer.title} » s'est terminée le {format_date(offer.end)}, avant la semaine du "
                f"{format_date(week_start)} : mettez l'offre à jour dans le profil de rédaction."
            )
        if offer.start is not None and offer.start > week_start + dt.timedelta(days=6):
            raise WritingError(
                f"L'offre du mois « {offer.title} » ne commence que le {format_date(offer.start)}, après la semaine "
                f"du {format_date(week_start)} : choisissez une autre semaine ou un autre thème."
            )
    upcoming = [event for event in events if event.date >= week_start]
    if "evenement" in themes and not upcoming:
        raise WritingError(
            "Thème « événement » demandé sans événement à venir : ajoutez-en un (nom, date) dans le profil de rédaction."
        )
    return CompanyProfile(
        name=str(company),
        trade=profile.trade.strip(),
        city=(profile.city or company.city or "").strip(),
        products=profile.product_list,
        offer=offer,
        website=(profile.website or company.website or "").strip(),
        phone=(profile.phone or company.phone or "").strip(),
        hashtags=profile.hashtag_list,
        tips=profile.tip_list,
        testimonials=tuple(Testimonial(t.author, t.text, t.city) for t in testimonials if t.consent),
        behind_the_scenes=profile.scene_list,
        events=tuple(Event(e.title, e.date, e.time, e.place, e.description) for e in upcoming),
    )


def network_rules(key: str):
    return NETWORKS[key]


@dataclass
class DraftSpec:
    """Everything needed to store one draft (built from the engine's result, stored by the service)."""

    feature: str
    title: str
    text: str
    provider: str
    model: str
    generated_by_ai: bool
    label: str
    warnings: list[str] = field(default_factory=list)
    fallback_reason: str = ""
    flagged: bool = False
    grounding_warnings: list[str] = field(default_factory=list)
    rejected_text: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    decision: Any = None


def offer_draft(result: EngineDraft, template: EngineDraft | None = None) -> DraftSpec:
    """Apply the rule "a model draft whose facts fail the check is flagged and not offered as-is".

    Two cases: the llm engine already rejected the model's text (``rejected_draft`` set, the template
    text offered, the mismatches in ``fallback_reason``); or the engine kept it but the feature's own
    facts check found an element absent from the input ("Fait non vérifié …") — then the template text
    (``template``, the same feature run without a model) is offered and the model's text kept aside.
    """
    warnings = list(dict.fromkeys(result.warnings))
    spec = DraftSpec(
        feature="", title="", text=result.text, provider=result.provider or TEMPLATE_PROVIDER,
        model=result.model or (TEMPLATE_MODEL if not result.generated_by_ai else ""),
        generated_by_ai=result.generated_by_ai, label=result.label, warnings=warnings,
        fallback_reason=result.fallback_reason or "",
    )
    if result.rejected_draft:
        spec.flagged = True
        spec.rejected_text = result.rejected_draft
        spec.grounding_warnings = rejection_items(result.fallback_reason or UNGROUNDED_REASON)
        return spec
    ungrounded = [w for w in warnings if w.startswith(FACT_WARNING_PREFIX)]
    if result.generated_by_ai and ungrounded and template is not None:
        spec.flagged = True
        spec.rejected_text = result.text
        spec.grounding_warnings = ungrounded
        spec.text = template.text
        spec.warnings = list(dict.fromkeys(template.warnings))
        spec.generated_by_ai = False
        spec.provider, spec.model, spec.label = TEMPLATE_PROVIDER, TEMPLATE_MODEL, TEMPLATE_LABEL
        spec.fallback_reason = UNGROUNDED_REASON
    return spec


def rejection_items(reason: str) -> list[str]:
    """The llm engine's rejection sentence as a list: one line per element not found in the data."""
    from etabli.engines.llm.engine import TEMPLATE_SUFFIX

    body = reason.removesuffix(TEMPLATE_SUFFIX).strip()
    head, sep, items = body.partition(" : ")
    if sep and head.startswith("Le brouillon de l'IA cite des éléments absents"):
        parts = [item.strip() for item in items.split("; ") if item.strip()]
        return [part if part.endswith(".") else part + "." for part in parts] or [body]
    return [body]


def iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
