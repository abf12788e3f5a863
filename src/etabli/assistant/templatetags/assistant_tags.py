"""Template filters of the assistant's pages."""

from django import template

from etabli.assistant.answering import category_label

register = template.Library()

ROUTE_LABELS = {
    "answered": "Répond",
    "answered_offer_human": "Répond et propose une personne",
    "clarify": "Demande de préciser",
    "escalated": "Transmet à l'équipe",
}


@register.filter
def route_label(route: str) -> str:
    return ROUTE_LABELS.get(route or "", route or "")


@register.filter
def reason_label(category: str) -> str:
    return category_label(category)
