"""Writes of the writing assistant: profile, generation requests, and the human decisions on drafts.

Generation goes through the company's language-model engine (``core.services.llm.engine_for``: its
provider, monthly budget, AI decision log and template fallback). Every request is validated first on
the template path (cheap, no model, no network): bad input is refused before anything is stored. The
drafts of a request are written together at the end (one transaction), so a failure never leaves half a
result. Approving a draft is the human decision of the AI Act: it is logged (AI decision override,
audit entry) and the time it saved is recorded.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from etabli.common.formats import format_date
from etabli.core import selectors as core_selectors
from etabli.core.models import AuditAction, Company, Override
from etabli.core.services import ailog, audit, jobs, ledger, llm
from etabli.engines.llm import (
    ProviderResponseError,
    ProviderTimeout,
    ProviderUnavailable,
)
from etabli.engines.writing import (
    LABELS,
    LABELS_FR,
    WritingError,
    describe_products,
    draft_replies,
    outline_blog_post,
    parse_email,
    read_products_csv,
    summarize_thread,
    triage_email,
    write_job_ad,
    write_posts,
)
from etabli.engines.writing.posts import NETWORKS, THEME_LABELS
from etabli.writing import adapters, selectors
from etabli.writing.adapters import DraftSpec, offer_draft
from etabli.writing.constants import (
    MAX_CSV_BYTES,
    MAX_EMAIL_BYTES,
    MAX_POSTS,
    MAX_PRODUCTS,
    TIME_SAVED_ACTIONS,
    USE_CASES,
    BatchFeature,
    BatchStatus,
    DraftFeature,
    DraftStatus,
)
from etabli.writing.models import Batch, Draft, Event, Testimonial, WritingProfile

logger = logging.getLogger(__name__)

JOB_KIND = "writing.generate"
Progress = Callable[..., None]


class DraftConflict(WritingError):
    """The draft is not in a state that allows this action (already approved, rejected…)."""


# ==================================================================================================
# Profile
# ==================================================================================================
PROFILE_FIELDS = (
    "trade", "city", "products", "website", "phone", "hashtags", "tips", "behind_the_scenes", "networks",
    "offer_title", "offer_price", "offer_regular_price", "offer_start", "offer_end", "offer_conditions",
)


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(f"{field} : {' '.join(messages)}" for field, messages in exc.message_dict.items())
    return " ".join(exc.messages)


@transaction.atomic
def save_profile(
    *,
    company: Company,
    fields: dict[str, Any],
    testimonials: Sequence[dict[str, Any]] | None = None,
    events: Sequence[dict[str, Any]] | None = None,
) -> WritingProfile:
    """Create or update the company's writing profile; ``testimonials``/``events``, when given, replace
    the current lists (what the profile page submits). Invalid data raises ``WritingError`` (French) and
    nothing is written."""
    profile = WritingProfile.objects.for_company(company).first() or WritingProfile(company=company)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise WritingError(f"Champ(s) inconnu(s) du profil : {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(profile, name, "" if value is None and name not in ("offer_price", "offer_regular_price",
                                                                     "offer_start", "offer_end") else value)
    if profile.networks:
        adapters.check_networks(adapters.parse_list(profile.networks))
    if profile.offer_start and profile.offer_end and profile.offer_end < profile.offer_start:
        raise WritingError("La fin de l'offre précède son début : vérifiez les dates de l'offre du mois.")
    if profile.offer_price is not None and profile.offer_price < 0:
        raise WritingError("Le prix de l'offre ne peut pas être négatif.")
    if (profile.offer_price is not None or profile.offer_start or profile.offer_end) and not profile.offer_title.strip():
        raise WritingError("Donnez un intitulé à l'offre du mois (prix et dates seuls ne suffisent pas).")
    try:
        profile.full_clean(exclude=["company"])
    except ValidationError as exc:
        raise WritingError(f"Profil invalide : {_validation_message(exc)}") from exc
    profile.save()
    if testimonials is not None:
        Testimonial.objects.for_company(company).delete()
        for item in testimonials:
            testimonial = Testimonial(company=company, author=(item.get("author") or "").strip(),
                                      text=(item.get("text") or "").strip(), city=(item.get("city") or "").strip(),
                                      consent=bool(item.get("consent")))
            if not testimonial.author or not testimonial.text:
                raise WritingError("Chaque témoignage a besoin du nom du client et de son texte.")
            _full_clean(testimonial, "Témoignage invalide")
            testimonial.save()
    if events is not None:
        Event.objects.for_company(company).delete()
        for item in events:
            event = Event(company=company, title=(item.get("title") or "").strip(), date=item.get("date"),
                          time=(item.get("time") or "").strip(), place=(item.get("place") or "").strip(),
                          description=(item.get("description") or "").strip())
            if not event.title or not event.date:
                raise WritingError("Chaque événement a besoin d'un nom et d'une date.")
            _full_clean(event, "Événement invalide")
            event.save()
    return profile


def _full_clean(instance, what: str) -> None:
    try:
        instance.full_clean(exclude=["company"])
    except ValidationError as exc:
        raise WritingError(f"{what} : {_validation_message(exc)}") from exc


# ==================================================================================================
# The company's engine, with a circuit breaker and the link to each logged call
# ==================================================================================================
class _Breaker:
    """Stops asking a provider that just failed (down, too slow, answering garbage) for the rest of a
    request. Why: a hanging server would otherwise cost its full timeout for every post or product; the
    first failure already proves the template path is needed, and says so in French."""

    def __init__(self, provider: Any) -> None:
        self._inner = provider
        self.tripped: str | None = None

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def model(self) -> str:
        return self._inner.model

    @property
    def is_local(self) -> bool:
        return self._inner.is_local

    def generate(self, prompt: str, **kwargs: Any):
        if self.tripped is not None:
            raise ProviderUnavailable(self.tripped)
        try:
            return self._inner.generate(prompt, **kwargs)
        except (ProviderTimeout, ProviderUnavailable, ProviderResponseError) as exc:
            self.tripped = f"le modèle a déjà échoué plus tôt dans cette demande ({exc}), il n'est pas sollicité à nouveau"
            raise

    def count_tokens(self, text: str) -> int:
        return self._inner.count_tokens(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _Run:
    """One request's use of the engine: which AI decision row each call produced (in call order)."""

    def __init__(self, company: Company, use_case: str) -> None:
        self.company = company
        self.use_case = use_case
        self.engine = llm.engine_for(company, use_case=use_case)
        self.template_only = self.engine.uses_template_only
        if not self.template_only:
            self.engine.provider = _Breaker(self.engine.provider)
        self._log = self.engine.on_call
        self.engine.on_call = self._on_call
        self._decisions: list[Any] = []

    def _on_call(self, record) -> None:
        if self._log is not None:
            self._log(record)
        digest = ailog.input_digest(record.prompt_digest)
        decision = (core_selectors.ai_decisions(company=self.company, use_case=self.use_case)
                    .filter(input_digest=digest).order_by("-pk").first())
        self._decisions.append(decision)

    def take(self) -> list[Any]:
        """The decisions logged since the last call (one per composed draft)."""
        taken, self._decisions = self._decisions, []
        return taken


def _decision_at(decisions: list[Any], index: int, expected: int) -> Any:
    return decisions[index] if len(decisions) == expected else None


def uses_model(company: Company) -> bool:
    """True when a language model (not only the templates) would write this company's drafts."""
    return not llm.engine_for(company, use_case="writing").uses_template_only


# ==================================================================================================
# Requests
# ==================================================================================================
def _today() -> dt.date:
    return timezone.localdate()


def _create_batch(*, company: Company, feature: str, title: str, inputs: dict, user=None, source_name: str = "",
                  source_text: str = "") -> Batch:
    return Batch.objects.create(
        company=company, feature=feature, title=title[:200], inputs=inputs, source_name=source_name[:255],
        source_text=source_text.replace("\x00", ""),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


def _dispatch(batch: Batch, run: str, user=None) -> Batch:
    """Run now, in a background job, or as a job in this process (CLI progress bar on stderr).

    "auto": now when only templates write (instant), in the background when a model does (seconds to
    minutes per text, the page shows a progress bar meanwhile).
    """
    if run == "auto":
        run = "job" if uses_model(batch.company) else "inline"
    if run == "inline":
        return run_batch(batch)
    if run == "job":
        job = jobs.start_job(company=batch.company, kind=JOB_KIND, label=batch.title,
                             params={"batch_id": batch.pk}, user=user)
        Batch.objects.filter(pk=batch.pk).update(job=job)
        batch.refresh_from_db()  # an immediate queue (tests, ETABLI_JOBS_IMMEDIATE) may have run it already
        return batch
    if run == "foreground":
        jobs.run_in_foreground(company=batch.company, kind=JOB_KIND, label=batch.title, params={"batch_id": batch.pk})
        batch.refresh_from_db()
        return batch
    raise ValueError(f"Unknown run mode {run!r}")


def request_posts(
    *,
    company: Company,
    themes: Sequence[str] | str,
    networks: Sequence[str] | str | None = None,
    count: int | None = None,
    week_start: dt.date | None = None,
    user=None,
    run: str = "auto",
) -> Batch:
    """The week's posts (ch. 6.1 A): one per theme (or ``count`` cycling the themes) for each network."""
    theme_keys = adapters.check_themes(adapters.parse_list(themes))
    profile = selectors.profile_for(company=company)
    network_keys = adapters.check_networks(
        adapters.parse_list(networks) or list(profile.network_list if profile else ()) or ["facebook"])
    if count is not None and not 1 <= int(count) <= MAX_POSTS:
        raise WritingError(f"Le nombre de publications doit être compris entre 1 et {MAX_POSTS} par semaine.")
    week_start = week_start or adapters.next_monday(_today())
    inputs = {"themes": theme_keys, "networks": network_keys, "count": int(count) if count else None,
              "week_start": week_start.isoformat()}
    _posts(company, inputs, engine=None)  # validation on the template path: French errors before storing
    title = f"Publications de la semaine du {format_date(week_start)}"
    batch = _create_batch(company=company, feature=BatchFeature.POSTS, title=title, inputs=inputs, user=user)
    return _dispatch(batch, run, user)


def request_products(
    *,
    company: Company,
    data: bytes | str,
    filename: str = "produits.csv",
    style: str = "",
    include_price: bool = False,
    user=None,
    run: str = "job",
) -> Batch:
    """Descriptions for every row of a product CSV (ch. 6.1 C), as a job with progress."""
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_CSV_BYTES:
        raise WritingError(
            f"Fichier trop volumineux ({_mo(size)}) : la limite est de {_mo(MAX_CSV_BYTES)}. "
            "Découpez le catalogue en plusieurs fichiers."
        )
    table = read_products_csv(data)
    if len(table.rows) > MAX_PRODUCTS:
        raise WritingError(f"Trop de produits dans un seul fichier ({len(table.rows)}) : {MAX_PRODUCTS} au plus, "
                           "découpez le catalogue en plusieurs fichiers.")
    text = data if isinstance(data, str) else _decode_csv(data)
    inputs = {"style": (style or "").strip()[:100], "include_price": bool(include_price), "rows": len(table.rows),
              "columns": list(table.columns), "delimiter": table.delimiter}
    title = f"Descriptions produits — {filename or 'fichier CSV'} ({len(table.rows)} produit{'s' if len(table.rows) > 1 else ''})"
    batch = _create_batch(company=company, feature=BatchFeature.PRODUCTS, title=title, inputs=inputs, user=user,
                          source_name=filename or "produits.csv", source_text=text)
    return _dispatch(batch, run, user)


def _mo(size: int) -> str:
    """Bytes as French megabytes ("5,2 Mo")."""
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


def _decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def request_email(*, company: Company, raw: str | bytes, filename: str = "", user=None, run: str = "auto") -> Batch:
    """Triage, 2–3 reply drafts and a thread summary for one pasted or uploaded e-mail (ch. 4.3)."""
    if isinstance(raw, bytes) and len(raw) > MAX_EMAIL_BYTES:
        raise WritingError(
            f"Fichier trop volumineux ({_mo(len(raw))}) : un courriel de plus de {_mo(MAX_EMAIL_BYTES)} contient "
            "des pièces jointes ; enregistrez-les à part et collez seulement le texte du message."
        )
    parsed = parse_email(raw)  # French error for an empty or over-large message
    if isinstance(raw, bytes):
        source, encoding = raw.decode("latin-1"), "bytes"  # latin-1 keeps every byte: re-encoded exactly later
    else:
        source, encoding = raw, "text"
    subject = parsed.subject or "(sans objet)"
    inputs = {"encoding": encoding, "subject": parsed.subject, "sender": parsed.sender_address,
              "sender_name": parsed.sender_name}
    batch = _create_batch(company=company, feature=BatchFeature.EMAIL, title=f"Courriel : {subject}", inputs=inputs,
                          user=user, source_name=filename, source_text=source)
    return _dispatch(batch, run, user)


def request_job_ad(*, company: Company, brief: str, user=None, run: str = "auto") -> Batch:
    """A job ad from a one-line brief (ch. 8.1: "aide à la rédaction d'annonces")."""
    brief = (brief or "").strip()
    ad = write_job_ad(brief, voice=llm.voice_for(company), company=str(company))  # validates the brief
    batch = _create_batch(company=company, feature=BatchFeature.JOB_AD, title=f"Annonce : {ad.title}",
                          inputs={"brief": brief}, user=user)
    return _dispatch(batch, run, user)


def request_blog_outline(*, company: Company, brief: str, user=None, run: str = "auto") -> Batch:
    """A blog post outline from a short brief (ch. 6.1 B)."""
    brief = (brief or "").strip()
    outline = outline_blog_post(brief, voice=llm.voice_for(company), company=str(company))
    batch = _create_batch(company=company, feature=BatchFeature.BLOG_OUTLINE, title=f"Plan : {outline.h1}",
                          inputs={"brief": brief}, user=user)
    return _dispatch(batch, run, user)


# ==================================================================================================
# Running a request
# ==================================================================================================
def run_batch(batch: Batch, progress: Progress | None = None) -> Batch:
    """Generate the drafts of ``batch`` and store them all at once (or none, with the French reason)."""
    if batch.status == BatchStatus.DONE:
        return batch
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
    batch.status = BatchStatus.RUNNING
    run = _Run(batch.company, USE_CASES[batch.feature])
    try:
        specs, result = _RUNNERS[batch.feature](batch, run, progress)
    except WritingError as exc:
        _fail(batch, str(exc))
        return batch
    except Exception as exc:
        logger.exception("Writing batch %s failed", batch.pk)
        _fail(batch, f"Erreur inattendue pendant la rédaction ({exc.__class__.__name__}) : rien n'a été enregistré.")
        raise
    ai_specs = [spec for spec in specs if spec.generated_by_ai]
    reasons = list(dict.fromkeys(spec.fallback_reason for spec in specs if spec.fallback_reason))
    status = llm.status(batch.company)["budget"]
    result.update({
        "fallback_reasons": reasons,
        "flagged": sum(1 for spec in specs if spec.flagged),
        "budget_warning": bool(status.warning),
        "budget_message": status.message_fr,
    })
    with transaction.atomic():
        drafts = [
            Draft(company=batch.company, batch=batch, feature=spec.feature, position=position, title=spec.title[:200],
                  inputs=spec.inputs, text=spec.text, provider=spec.provider[:40], model=spec.model[:120],
                  generated_by_ai=spec.generated_by_ai, label=spec.label[:120], warnings=spec.warnings,
                  fallback_reason=spec.fallback_reason, flagged=spec.flagged,
                  grounding_warnings=spec.grounding_warnings, rejected_text=spec.rejected_text,
                  metadata=spec.metadata, decision=spec.decision)
            for position, spec in enumerate(specs)
        ]
        Draft.objects.bulk_create(drafts)
        batch.status = BatchStatus.DONE
        batch.result = result
        batch.error = ""
        batch.provider = ai_specs[0].provider if ai_specs else adapters.TEMPLATE_PROVIDER
        batch.model = (ai_specs[0].model if ai_specs else adapters.TEMPLATE_MODEL)[:120]
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "result", "error", "provider", "model", "finished_at"])
        audit.record(action=AuditAction.CREATE, company=batch.company, model="writing.Draft", object_id=batch.pk,
                     object_repr=f"{len(drafts)} brouillon(s) rédigé(s) : {batch.title}"[:255],
                     changes={"brouillons": [None, len(drafts)], "generes_par_ia": [None, len(ai_specs)]})
    return batch


def _fail(batch: Batch, message: str) -> None:
    batch.status = BatchStatus.FAILED
    batch.error = message
    batch.finished_at = timezone.now()
    Batch.objects.filter(pk=batch.pk).update(status=batch.status, error=message, finished_at=batch.finished_at)


def run_generation_job(job, progress) -> dict:
    """Job kind ``writing.generate``: run a request in the worker (or in the CLI with a progress bar)."""
    batch = Batch.objects.for_company(job.company).filter(pk=(job.params or {}).get("batch_id")).first()
    if batch is None:
        raise jobs.JobError("Demande de rédaction introuvable.")
    Batch.objects.filter(pk=batch.pk).update(job=job)
    batch = run_batch(batch, progress)
    if batch.status == BatchStatus.FAILED:
        raise jobs.JobError(batch.error)
    return {"batch_id": batch.pk, "drafts": batch.drafts.count(), "provider": batch.provider}


def _progress(progress: Progress | None, what: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None

    def report(done: int, total: int) -> None:
        progress(done, total, f"{what} {done}/{total}")

    return report


# --- posts -----------------------------------------------------------------------------------------------
def _posts(company: Company, inputs: dict, *, engine, seed: int = 0, progress=None):
    week_start = dt.date.fromisoformat(inputs["week_start"])
    profile = selectors.profile_for(company=company)
    facts = adapters.company_profile(company, profile, selectors.testimonials(company=company),
                                     selectors.events(company=company), week_start=week_start,
                                     themes=inputs["themes"])
    return write_posts(facts, inputs["themes"], networks=inputs["networks"], count=inputs.get("count"),
                       week_start=week_start, voice=llm.voice_for(company), engine=engine, seed=seed,
                       progress=progress)


def _run_posts(batch: Batch, run: _Run, progress: Progress | None) -> tuple[list[DraftSpec], dict]:
    result = _posts(batch.company, batch.inputs, engine=run.engine, seed=batch.pk,
                    progress=_progress(progress, "Publication"))
    decisions = run.take()
    template = result if run.template_only else _posts(batch.company, batch.inputs, engine=None, seed=batch.pk)
    specs = []
    for index, (post, plain) in enumerate(zip(result.posts, template.posts, strict=True)):
        spec = offer_draft(post.draft, plain.draft)
        rules = NETWORKS[post.network]
        spec.feature = DraftFeature.POST
        spec.title = f"{THEME_LABELS[post.theme]} — {rules.label}"
        spec.inputs = {"theme": post.theme, "network": post.network}
        source = post if not spec.flagged or spec.text == post.text else plain
        spec.metadata = {
            "theme": post.theme, "theme_label": THEME_LABELS[post.theme], "network": post.network,
            "network_label": rules.label, "hashtags": list(source.hashtags),
            "suggested_at": adapters.iso(post.suggested_at), "suggested_slot": post.suggested_slot,
            "length": len(spec.text), "limit": rules.limit, "target": rules.target,
        }
        spec.decision = _decision_at(decisions, index, len(result.posts))
        specs.append(spec)
    return specs, {"week_start": batch.inputs["week_start"], "warnings": list(result.warnings)}


# --- products -------------------------------------------------------------------------------------------
def _product_kwargs(batch: Batch) -> dict:
    return {"company": str(batch.company), "voice": llm.voice_for(batch.company), "style": batch.inputs.get("style", ""),
            "include_price": bool(batch.inputs.get("include_price")), "seed": batch.pk}


def _run_products(batch: Batch, run: _Run, progress: Progress | None) -> tuple[list[DraftSpec], dict]:
    table = read_products_csv(batch.source_text)
    kwargs = _product_kwargs(batch)
    results = describe_products(table, engine=run.engine, progress=_progress(progress, "Produit"), **kwargs)
    decisions = run.take()
    template = results if run.template_only else describe_products(table, engine=None, **kwargs)
    described = [r for r in results if r.ok]
    specs: list[DraftSpec] = []
    row_errors = []
    ok_index = 0
    for item, plain in zip(results, template, strict=True):
        if not item.ok:
            row_errors.append({"index": item.index, "message": item.error})
            continue
        spec = offer_draft(item.draft, plain.draft)
        spec.feature = DraftFeature.PRODUCT
        spec.title = item.name
        spec.inputs = dict(item.row)
        spec.metadata = {"index": item.index, "title_seo": item.title_seo,
                         "meta_description": plain.meta_description if spec.flagged else item.meta_description}
        spec.decision = _decision_at(decisions, ok_index, len(described))
        ok_index += 1
        specs.append(spec)
    return specs, {"rows": len(results), "described": len(specs), "row_errors": row_errors,
                   "columns": list(table.columns), "delimiter": table.delimiter}


# --- e-mail ---------------------------------------------------------------------------------------------
def _raw_email(batch: Batch) -> str | bytes:
    if batch.inputs.get("encoding") == "bytes":
        return batch.source_text.encode("latin-1")
    return batch.source_text


def _run_email(batch: Batch, run: _Run, progress: Progress | None) -> tuple[list[DraftSpec], dict]:
    company = batch.company
    parsed = parse_email(_raw_email(batch))
    today = _today()
    voice = llm.voice_for(company)
    steps = 3
    if progress:
        progress(0, steps, "Tri du courriel")
    triage = triage_email(parsed, engine=run.engine, today=today)
    run.take()
    triage_decision = ailog.log_decision(
        company=company, use_case=run.use_case, engine="writing.triage",
        engine_version=triage.provider if triage.generated_by_ai else "règles",
        input_data={"from": parsed.sender_address, "subject": parsed.subject, "body": parsed.analysed_body},
        input_summary=f"Tri du courriel « {parsed.subject or '(sans objet)'} »",
        output={"label": triage.label, "scores": triage.scores}, confidence=float(triage.confidence),
        explanation=list(triage.reasons), generated_text=False,
    )
    if progress:
        progress(1, steps, "Réponses")
    replies = draft_replies(parsed, voice=voice, engine=run.engine, today=today)
    decisions = run.take()
    template = replies if run.template_only else draft_replies(parsed, voice=voice, engine=None, today=today)
    specs: list[DraftSpec] = []
    for index, (reply, plain) in enumerate(zip(replies.drafts, template.drafts, strict=True)):
        spec = offer_draft(reply.draft, plain.draft)
        spec.feature = DraftFeature.EMAIL_REPLY
        spec.title = reply.title
        spec.inputs = {"subject": parsed.subject, "sender": parsed.sender_address}
        spec.metadata = {"kind": reply.kind, "intent": replies.intent, "intent_fr": replies.intent_fr}
        spec.decision = _decision_at(decisions, index, len(replies.drafts))
        specs.append(spec)
    if progress:
        progress(2, steps, "Synthèse")
    summary_error = ""
    try:
        summary = summarize_thread(parsed, voice=voice, engine=run.engine, today=today)
        decisions = run.take()
        plain_summary = summary if run.template_only else summarize_thread(parsed, voice=voice, engine=None, today=today)
    except WritingError as exc:
        run.take()
        summary, summary_error = None, str(exc)
    if summary is not None:
        spec = offer_draft(summary.draft, plain_summary.draft)
        spec.feature = DraftFeature.THREAD_SUMMARY
        spec.title = f"Synthèse : {summary.subject or parsed.subject or '(sans objet)'}"
        spec.inputs = {"subject": parsed.subject, "messages": summary.messages}
        spec.metadata = {
            "participants": list(summary.participants), "messages": summary.messages, "points": list(summary.points),
            "decisions": list(summary.decisions),
            "actions": [{"what": a.what, "owner": a.owner, "due": adapters.iso(a.due), "due_text": a.due_text,
                         "author": a.author, "text": a.as_text()} for a in summary.actions],
        }
        spec.decision = _decision_at(decisions, 0, 1)
        specs.append(spec)
    if progress:
        progress(3, steps, "Terminé")
    result = {
        "triage": {"label": triage.label, "label_fr": triage.label_fr, "confidence": round(float(triage.confidence), 2),
                   "reasons": list(triage.reasons), "provider": triage.provider, "generated_by_ai": triage.generated_by_ai,
                   "warnings": list(triage.warnings), "decision_id": triage_decision.pk},
        "intent": replies.intent, "intent_fr": replies.intent_fr, "warnings": list(replies.warnings),
        "email": {"sender": parsed.sender_address, "sender_name": parsed.sender_name, "subject": parsed.subject,
                  "date": adapters.iso(parsed.date), "attachments": list(parsed.attachments),
                  "excerpt": parsed.body[:1500]},
        "summary_error": summary_error,
    }
    return specs, result


# --- job ad and blog outline ----------------------------------------------------------------------------
def _run_job_ad(batch: Batch, run: _Run, progress: Progress | None) -> tuple[list[DraftSpec], dict]:
    voice, name = llm.voice_for(batch.company), str(batch.company)
    ad = write_job_ad(batch.inputs["brief"], voice=voice, engine=run.engine, company=name)
    decisions = run.take()
    plain = ad if run.template_only else write_job_ad(batch.inputs["brief"], voice=voice, company=name)
    spec = offer_draft(ad.draft, plain.draft)
    spec.feature, spec.title = DraftFeature.JOB_AD, ad.title
    spec.inputs = {"brief": batch.inputs["brief"]}
    brief = ad.brief
    spec.metadata = {"brief": {"title": brief.title, "contract": brief.contract, "location": brief.location,
                               "salary": brief.salary, "start": brief.start, "hours": brief.hours,
                               "profile": list(brief.profile), "missions": list(brief.missions)}}
    spec.decision = _decision_at(decisions, 0, 1)
    if progress:
        progress(1, 1, "Annonce rédigée")
    return [spec], {}


def _run_blog(batch: Batch, run: _Run, progress: Progress | None) -> tuple[list[DraftSpec], dict]:
    voice, name = llm.voice_for(batch.company), str(batch.company)
    outline = outline_blog_post(batch.inputs["brief"], voice=voice, engine=run.engine, company=name)
    decisions = run.take()
    plain = outline if run.template_only else outline_blog_post(batch.inputs["brief"], voice=voice, company=name)
    spec = offer_draft(outline.draft, plain.draft)
    spec.feature, spec.title = DraftFeature.BLOG_OUTLINE, outline.h1
    spec.inputs = {"brief": batch.inputs["brief"]}
    spec.metadata = {"seo_title": outline.seo_title, "meta_description": outline.meta_description,
                     "slug": outline.slug, "faq": list(outline.faq),
                     "sections": [{"heading": s.heading, "points": list(s.points), "words": s.words}
                                  for s in outline.sections]}
    spec.decision = _decision_at(decisions, 0, 1)
    if progress:
        progress(1, 1, "Plan rédigé")
    return [spec], {}


_RUNNERS = {
    BatchFeature.POSTS: _run_posts,
    BatchFeature.PRODUCTS: _run_products,
    BatchFeature.EMAIL: _run_email,
    BatchFeature.JOB_AD: _run_job_ad,
    BatchFeature.BLOG_OUTLINE: _run_blog,
}


# ==================================================================================================
# Human decisions on drafts (AI Act art. 14 and 50)
# ==================================================================================================
def _locked(company: Company, draft_id: int) -> Draft:
    draft = (Draft.objects.for_company(company).select_for_update().filter(pk=draft_id).first())
    if draft is None:
        raise Draft.DoesNotExist("Brouillon introuvable dans cette entreprise.")
    return draft


def _clean_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def _apply_edit(draft: Draft, text: str, user) -> bool:
    """Store a person's version; True when the text changed."""
    text = _clean_text(text)
    if not text:
        raise WritingError("Le texte est vide : écrivez le texte ou rejetez le brouillon.")
    if text == _clean_text(draft.current_text):
        return False
    draft.edited_text = "" if text == _clean_text(draft.text) else text
    draft.edited_by, draft.edited_at = _user(user), timezone.now()
    draft.status = DraftStatus.EDITED if draft.edited_text else DraftStatus.DRAFT
    return True


def _check_open(draft: Draft) -> None:
    if draft.status == DraftStatus.APPROVED:
        raise DraftConflict("Ce texte est déjà validé : il n'est plus modifiable.")
    if draft.status == DraftStatus.REJECTED:
        raise DraftConflict("Ce brouillon a été rejeté : relancez une rédaction pour obtenir un nouveau texte.")


def edit_draft(*, company: Company, draft_id: int, text: str, user=None) -> Draft:
    """Save a person's version of the text (the generated label then gives way to "modifié par …")."""
    with transaction.atomic():
        draft = _locked(company, draft_id)
        _check_open(draft)
        if _apply_edit(draft, text, user):
            draft.save()
    return draft


def approve_draft(*, company: Company, draft_id: int, user=None, text: str | None = None) -> Draft:
    """Approve a draft (optionally with the person's final text): logged as the human decision on the AI
    output (accepted, or edited then accepted), audited, and its time saved recorded once."""
    with transaction.atomic():
        draft = _locked(company, draft_id)
        _check_open(draft)
        if text is not None:
            _apply_edit(draft, text, user)
        if not draft.current_text.strip():
            raise WritingError("Le texte à valider est vide.")
        before = draft.display_label
        draft.status = DraftStatus.APPROVED
        draft.approved_by, draft.approved_at = _user(user), timezone.now()
        draft.save()
        edited = draft.is_edited
        if draft.decision_id:
            ailog.record_override(
                decision=draft.decision, override=Override.EDITED if edited else Override.ACCEPTED, user=user,
                note=("Brouillon modifié puis validé" if edited else "Brouillon validé tel quel") + f" : {draft.title}",
            )
        ledger.record_time_saved(company=company, action_key=TIME_SAVED_ACTIONS[draft.feature],
                                 object_ref=f"writing.Draft:{draft.pk}")
        audit.record(action=AuditAction.DECISION, company=company, model="writing.Draft", object_id=draft.pk,
                     object_repr=f"Brouillon validé : {draft.title}"[:255],
                     changes={"statut": [None, "approved"], "mention": [before, draft.display_label],
                              "modifie": [None, edited]})
        if draft.feature == DraftFeature.EMAIL_REPLY:
            for sibling in (Draft.objects.for_company(company).select_for_update()
                            .filter(batch_id=draft.batch_id, feature=DraftFeature.EMAIL_REPLY,
                                    status__in=(DraftStatus.DRAFT, DraftStatus.EDITED)).exclude(pk=draft.pk)):
                _reject(sibling, user, "Une autre réponse a été choisie.")
    return draft


def reject_draft(*, company: Company, draft_id: int, user=None, reason: str = "") -> Draft:
    """Reject a draft: nobody will publish it; the refusal is logged on the AI decision."""
    with transaction.atomic():
        draft = _locked(company, draft_id)
        _check_open(draft)
        _reject(draft, user, reason.strip() or "Rejeté sans motif.")
    return draft


def _reject(draft: Draft, user, reason: str) -> None:
    draft.status = DraftStatus.REJECTED
    draft.rejected_by, draft.rejected_at = _user(user), timezone.now()
    draft.rejection_reason = reason[:300]
    draft.save()
    if draft.decision_id:
        ailog.record_override(decision=draft.decision, override=Override.REJECTED, user=user, note=reason)
    audit.record(action=AuditAction.DECISION, company=draft.company, model="writing.Draft", object_id=draft.pk,
                 object_repr=f"Brouillon rejeté : {draft.title}"[:255], changes={"statut": [None, "rejected"],
                                                                                 "motif": [None, reason]})


@dataclass(frozen=True)
class BulkOutcome:
    draft_id: int
    ok: bool
    message: str


def approve_drafts(*, company: Company, draft_ids: Sequence[int], user=None) -> list[BulkOutcome]:
    """Approve several drafts as they are (each one atomically); flagged ones are refused: a draft the
    facts check set aside deserves a look of its own."""
    outcomes = []
    for draft_id in dict.fromkeys(int(i) for i in draft_ids):
        draft = Draft.objects.for_company(company).filter(pk=draft_id).first()
        if draft is None:
            outcomes.append(BulkOutcome(draft_id, False, "Brouillon introuvable."))
            continue
        if draft.flagged and draft.status == DraftStatus.DRAFT:
            outcomes.append(BulkOutcome(draft_id, False, f"« {draft.title} » : brouillon signalé, à relire un par un."))
            continue
        try:
            approve_draft(company=company, draft_id=draft_id, user=user)
        except WritingError as exc:
            outcomes.append(BulkOutcome(draft_id, False, f"« {draft.title} » : {exc}"))
        else:
            outcomes.append(BulkOutcome(draft_id, True, f"« {draft.title} » validé."))
    return outcomes


def correct_triage(*, company: Company, batch_id: int, label: str, user=None) -> Batch:
    """A person corrects the e-mail's triage label: stored with the batch, logged on the triage decision."""
    if label not in LABELS:
        raise WritingError(f"Catégorie inconnue : « {label} ». Catégories : {', '.join(LABELS_FR.values())}.")
    with transaction.atomic():
        batch = Batch.objects.for_company(company).select_for_update().filter(pk=batch_id,
                                                                               feature=BatchFeature.EMAIL).first()
        if batch is None or not batch.result.get("triage"):
            raise Batch.DoesNotExist("Courriel introuvable dans cette entreprise.")
        triage = dict(batch.result["triage"])
        previous = triage.get("corrected_label") or triage["label"]
        if label == previous:
            return batch
        triage["corrected_label"], triage["corrected_label_fr"] = label, LABELS_FR[label]
        triage["corrected_by"] = getattr(user, "display_name", "") or "ligne de commande"
        batch.result = {**batch.result, "triage": triage}
        batch.save(update_fields=["result"])
        decision = core_selectors.ai_decisions(company=company).filter(pk=triage.get("decision_id")).first()
        if decision is not None:
            override = Override.ACCEPTED if label == triage["label"] else Override.EDITED
            ailog.record_override(decision=decision, override=override, user=user,
                                  note=f"Classé « {LABELS_FR[label]} » (proposition : « {triage['label_fr']} »)")
    return batch
