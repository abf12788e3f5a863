"""Writing assistant API under /api/v1/writing/…: profile, generation requests (posts, products, e-mail,
job ad, blog outline), drafts (read, edit, approve, reject) and the product CSV export.

Thin: each route checks the permission, calls a service or selector, and answers the platform's error
shape (422 for bad input with the French message, 409 for a draft already decided, 404 for another
company's object).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import wraps

from django.http import HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from etabli.core.permissions import require
from etabli.engines.writing import WritingError
from etabli.writing import selectors, services
from etabli.writing.constants import MAX_CSV_BYTES, MAX_EMAIL_BYTES
from etabli.writing.models import Batch, Draft
from etabli.writing.payloads import batch_payload, draft_payload

router = Router(tags=["writing"])


def refusals(view):
    """French input errors → 422, decisions already taken → 409, other company's rows → 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        from django.http import Http404

        from etabli.api import ApiError

        try:
            return view(request, *args, **kwargs)
        except services.DraftConflict as exc:
            raise ApiError(409, "already_decided", str(exc)) from exc
        except WritingError as exc:
            raise ApiError(422, "invalid_input", str(exc)) from exc
        except (Batch.DoesNotExist, Draft.DoesNotExist) as exc:
            raise Http404 from exc

    return wrapper


class ErrorDetail(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorDetail


# --- profile -------------------------------------------------------------------------------------------
class TestimonialIn(Schema):
    author: str
    text: str
    city: str = ""
    consent: bool = False


class EventIn(Schema):
    title: str
    date: dt.date
    time: str = ""
    place: str = ""
    description: str = ""


class ProfileIn(Schema):
    trade: str
    city: str = ""
    products: list[str] = []
    website: str = ""
    phone: str = ""
    hashtags: str = ""
    tips: list[str] = []
    behind_the_scenes: list[str] = []
    networks: list[str] = ["facebook"]
    offer_title: str = ""
    offer_price: Decimal | None = None
    offer_regular_price: Decimal | None = None
    offer_start: dt.date | None = None
    offer_end: dt.date | None = None
    offer_conditions: str = ""
    testimonials: list[TestimonialIn] | None = None
    events: list[EventIn] | None = None


def _profile_payload(company) -> dict:
    profile = selectors.profile_for(company=company)
    if profile is None:
        return {"configured": False}
    return {
        "configured": True, "trade": profile.trade, "city": profile.city, "products": list(profile.product_list),
        "website": profile.website, "phone": profile.phone, "hashtags": profile.hashtags,
        "tips": list(profile.tip_list), "behind_the_scenes": list(profile.scene_list),
        "networks": list(profile.network_list), "offer_title": profile.offer_title,
        "offer_price": str(profile.offer_price) if profile.offer_price is not None else None,
        "offer_regular_price": str(profile.offer_regular_price) if profile.offer_regular_price is not None else None,
        "offer_start": profile.offer_start, "offer_end": profile.offer_end,
        "offer_conditions": profile.offer_conditions,
        "testimonials": [{"author": t.author, "text": t.text, "city": t.city, "consent": t.consent}
                         for t in selectors.testimonials(company=company)],
        "events": [{"title": e.title, "date": e.date, "time": e.time, "place": e.place, "description": e.description}
                   for e in selectors.events(company=company)],
    }


@router.get("/profile", summary="Profil de rédaction (métier, offre du mois, témoignages, événements)")
def profile_detail(request):
    require(request.membership, "writing.view")
    return _profile_payload(request.company)


@router.put("/profile", response={200: dict, 422: ErrorOut}, summary="Enregistrer le profil de rédaction")
@refusals
def profile_update(request, payload: ProfileIn):
    require(request.membership, "writing.edit")
    data = payload.dict()
    testimonials, events = data.pop("testimonials"), data.pop("events")
    for key in ("products", "tips", "behind_the_scenes"):
        data[key] = "\n".join(item.strip() for item in data[key] if item.strip())
    data["networks"] = ", ".join(data["networks"])
    services.save_profile(company=request.company, fields=data, testimonials=testimonials, events=events)
    return _profile_payload(request.company)


# --- generation requests --------------------------------------------------------------------------------
class PostsIn(Schema):
    themes: list[str]
    networks: list[str] | None = None
    count: int | None = None
    week_start: dt.date | None = None


class BriefIn(Schema):
    brief: str


class EmailIn(Schema):
    raw: str


@router.post("/posts", response={201: dict, 202: dict, 422: ErrorOut},
             summary="Publications de la semaine (thèmes, réseaux) — brouillons étiquetés")
@refusals
def posts_create(request, payload: PostsIn):
    require(request.membership, "writing.edit")
    batch = services.request_posts(company=request.company, themes=payload.themes, networks=payload.networks,
                                   count=payload.count, week_start=payload.week_start, user=request.user)
    return _batch_answer(batch)


@router.post("/products", response={202: dict, 201: dict, 422: ErrorOut},
             summary="Descriptions produits depuis un CSV (tâche avec progression)")
@refusals
def products_create(request, file: UploadedFile = File(...), style: str = Form(""), include_price: bool = Form(False)):
    require(request.membership, "writing.edit")
    if file.size > MAX_CSV_BYTES:
        raise WritingError(f"Fichier trop volumineux : la limite est de {MAX_CSV_BYTES // (1024 * 1024)} Mo.")
    batch = services.request_products(company=request.company, data=file.read(), filename=file.name or "produits.csv",
                                      style=style, include_price=include_price, user=request.user)
    return _batch_answer(batch)


@router.post("/email", response={201: dict, 202: dict, 422: ErrorOut},
             summary="Courriel : tri (avec raisons), 2–3 réponses, synthèse du fil")
@refusals
def email_create(request, payload: EmailIn):
    require(request.membership, "writing.edit")
    if len(payload.raw.encode("utf-8", errors="replace")) > MAX_EMAIL_BYTES * 3:
        raise WritingError("Courriel trop volumineux : collez seulement le texte du message, sans pièces jointes.")
    batch = services.request_email(company=request.company, raw=payload.raw, user=request.user)
    return _batch_answer(batch)


@router.post("/job-ad", response={201: dict, 202: dict, 422: ErrorOut}, summary="Annonce d'emploi depuis un brief")
@refusals
def job_ad_create(request, payload: BriefIn):
    require(request.membership, "writing.edit")
    return _batch_answer(services.request_job_ad(company=request.company, brief=payload.brief, user=request.user))


@router.post("/blog-outline", response={201: dict, 202: dict, 422: ErrorOut},
             summary="Plan d'article de blog depuis un brief")
@refusals
def blog_create(request, payload: BriefIn):
    require(request.membership, "writing.edit")
    return _batch_answer(services.request_blog_outline(company=request.company, brief=payload.brief,
                                                       user=request.user))


def _batch_answer(batch: Batch):
    from etabli.api import ApiError

    batch.refresh_from_db()
    if batch.status == "failed":
        raise ApiError(422, "generation_failed", batch.error)
    return Status(201 if batch.is_finished else 202, batch_payload(batch))


@router.get("/batches", response=list[dict], summary="Demandes de rédaction récentes")
@paginate(PageNumberPagination, page_size=50)
def batch_list(request, feature: str = ""):
    require(request.membership, "writing.view")
    return [batch_payload(b, with_drafts=False) for b in selectors.batches(company=request.company, feature=feature)]


@router.get("/batches/{batch_id}", response={200: dict, 404: ErrorOut},
            summary="Une demande : état, progression, brouillons")
@refusals
def batch_detail(request, batch_id: int):
    require(request.membership, "writing.view")
    return batch_payload(selectors.batch(company=request.company, batch_id=batch_id))


@router.get("/batches/{batch_id}/csv", summary="Export CSV des descriptions produits (colonnes d'origine gardées)")
@refusals
def batch_csv(request, batch_id: int):
    from etabli.api import ApiError

    require(request.membership, "writing.export")
    batch = selectors.batch(company=request.company, batch_id=batch_id)
    if batch.feature != "products":
        raise ApiError(422, "not_products", "Seules les descriptions produits s'exportent en CSV.")
    if batch.status != "done":
        raise ApiError(409, "not_ready", "La rédaction n'est pas terminée : réessayez dans un instant.")
    response = HttpResponse(("\ufeff" + selectors.export_products_csv(batch=batch)).encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="descriptions-{batch.pk}.csv"'
    return response


# --- drafts ---------------------------------------------------------------------------------------------
class TextIn(Schema):
    text: str


class ApproveIn(Schema):
    text: str | None = None


class RejectIn(Schema):
    reason: str = ""


@router.get("/drafts", response=list[dict], summary="Brouillons (filtres : feature, status)")
@paginate(PageNumberPagination, page_size=50)
def draft_list(request, feature: str = "", status: str = ""):
    require(request.membership, "writing.view")
    return [draft_payload(d) for d in selectors.drafts(company=request.company, feature=feature, status=status)]


@router.get("/drafts/{draft_id}", response={200: dict, 404: ErrorOut}, summary="Un brouillon")
@refusals
def draft_detail(request, draft_id: int):
    require(request.membership, "writing.view")
    return draft_payload(selectors.draft(company=request.company, draft_id=draft_id))


@router.patch("/drafts/{draft_id}", response={200: dict, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
              summary="Modifier le texte d'un brouillon")
@refusals
def draft_edit(request, draft_id: int, payload: TextIn):
    selectors.draft(company=request.company, draft_id=draft_id)
    require(request.membership, "writing.edit")
    draft = services.edit_draft(company=request.company, draft_id=draft_id, text=payload.text, user=request.user)
    return draft_payload(selectors.draft(company=request.company, draft_id=draft.pk))


@router.post("/drafts/{draft_id}/approve", response={200: dict, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Valider un brouillon (décision humaine tracée, temps gagné enregistré)")
@refusals
def draft_approve(request, draft_id: int, payload: ApproveIn):
    selectors.draft(company=request.company, draft_id=draft_id)
    require(request.membership, "writing.approve")
    draft = services.approve_draft(company=request.company, draft_id=draft_id, user=request.user, text=payload.text)
    return draft_payload(selectors.draft(company=request.company, draft_id=draft.pk))


@router.post("/drafts/{draft_id}/reject", response={200: dict, 404: ErrorOut, 409: ErrorOut},
             summary="Rejeter un brouillon")
@refusals
def draft_reject(request, draft_id: int, payload: RejectIn):
    selectors.draft(company=request.company, draft_id=draft_id)
    require(request.membership, "writing.approve")
    draft = services.reject_draft(company=request.company, draft_id=draft_id, user=request.user, reason=payload.reason)
    return draft_payload(selectors.draft(company=request.company, draft_id=draft.pk))
