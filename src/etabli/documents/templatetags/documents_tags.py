"""Template helpers of the documents pages: confidence colours, highlight boxes, the document of a proposal."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def confidence_class(value) -> str:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "conf-low"
    if value >= 0.85:
        return "conf-high"
    if value >= 0.6:
        return "conf-mid"
    return "conf-low"


@register.filter
def box(location) -> str:
    """"x0,top,x1,bottom" of a stored location (points), for the highlight drawn by documents.js."""
    if not location:
        return ""
    return ",".join(f"{float(location[key]):.1f}" for key in ("x0", "top", "x1", "bottom"))


@register.simple_tag
def document_for_review(item):
    """The document a proposal is about (same company only), for the review queue's detail page."""
    from etabli.documents.models import Document

    document_id = (item.payload or {}).get("document_id")
    if not document_id:
        return None
    return Document.objects.filter(company_id=item.company_id, pk=document_id).first()


@register.filter
def doc_field(document, name: str):
    from etabli.documents.fields import display

    return display(name, document.field_value(name))
