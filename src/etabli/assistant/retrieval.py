"""Per-company, per-audience retrieval models: built from the knowledge base, cached, rebuilt in the background.

Why a cache with versions: fitting the FAQ router (variants, character n-grams, classifier, calibration) takes
seconds, answering a question takes milliseconds. Every change to the knowledge base bumps the company's
`kb_version` and queues a rebuild job; meanwhile questions are answered with the previous model (a few
seconds stale at most). A model is kept in memory per process and pickled under the data directory, so the
web workers and the CLI pick up what the job built without fitting again. Each file is named and stamped with
the company id and the profile's random instance id, both checked on load: a model can never answer for
another company, even if ids were reused after a restore.

Audiences: the customers' model sees only customer-facing content; the employees' model sees both (an
employee may ask what a customer would), never the reverse.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from etabli.assistant import integrations
from etabli.assistant.knowledge import catalogue_answer, catalogue_questions
from etabli.assistant.models import (
    AssistantProfile,
    Audience,
    KnowledgeChunk,
    KnowledgeEntry,
)
from etabli.engines.search import FaqEntry, IntentRouter, Passage, PassageIndex

logger = logging.getLogger(__name__)

FORMAT = 1
JOB_KIND = "assistant.rebuild"
#: Catalogue prices live in billing: a model that quotes them is refreshed at least this often.
CATALOGUE_TTL_SECONDS = 30 * 60


@dataclass
class KnowledgeBundle:
    """Everything needed to answer without touching the database: the models and what their ids point to."""

    company_id: int
    instance_id: str
    audience: str
    version: int
    router: IntentRouter
    sources: dict[str, dict]
    passages: PassageIndex
    passage_sources: dict[str, dict]
    built_at: float = field(default_factory=time.time)
    build_seconds: float = 0.0
    uses_catalogue: bool = False
    format: int = FORMAT

    @property
    def n_entries(self) -> int:
        return len(self.router.entries)

    @property
    def n_passages(self) -> int:
        return len(self.passages)


def visible_audiences(audience: str) -> tuple[str, ...]:
    return (Audience.EQUIPE, Audience.CLIENTS) if audience == Audience.EQUIPE else (Audience.CLIENTS,)


def profile_for(company) -> AssistantProfile:
    """The company's assistant profile, created with defaults on first use."""
    profile = AssistantProfile.objects.filter(company=company).first()
    if profile is None:
        profile, _ = AssistantProfile.objects.get_or_create(
            company=company, defaults={"display_name": f"Assistant de {company}"}
        )
    return profile


def entry_source(entry: KnowledgeEntry) -> dict:
    return {"type": entry.kind, "id": entry.pk, "title": entry.title, "links": list(entry.links or [])}


def build_bundle(company, audience: str, profile: AssistantProfile | None = None,
                 *, extra_entries: list[KnowledgeEntry] | None = None,
                 exclude_entry_ids: set[int] | None = None) -> KnowledgeBundle:
    """Fit the models of one audience from the company's usable rows (plus unsaved entries, for the preview)."""
    started = time.perf_counter()
    profile = profile or profile_for(company)
    version = profile.kb_version
    audiences = visible_audiences(audience)
    entries = [
        e for e in KnowledgeEntry.objects.for_company(company).filter(
            audience__in=audiences, is_active=True, quarantine_reason=""
        ).order_by("pk")
        if not exclude_entry_ids or e.pk not in exclude_entry_ids
    ]
    faq_entries: list[FaqEntry] = []
    sources: dict[str, dict] = {}
    for entry in [*entries, *(extra_entries or [])]:
        questions = tuple(q for q in (entry.questions or []) if isinstance(q, str) and q.strip())
        if not questions or not entry.answer.strip():
            continue
        entry_id = f"e{entry.pk}" if entry.pk else "e-apercu"
        faq_entries.append(FaqEntry(entry_id, questions, entry.answer, entry.title))
        sources[entry_id] = entry_source(entry)
    uses_catalogue = False
    if profile.catalogue_prices:
        items = integrations.catalogue(company=company)
        if items is not None:
            uses_catalogue = True
            for item in items:
                entry_id = f"c{item.reference}"
                if entry_id in sources:
                    continue
                faq_entries.append(FaqEntry(entry_id, catalogue_questions(item), catalogue_answer(item),
                                            f"Prix : {item.name}"))
                sources[entry_id] = {"type": "catalogue", "id": item.reference, "title": f"Catalogue : {item.name}",
                                     "links": []}
    chunks = (
        KnowledgeChunk.objects.for_company(company)
        .filter(document__audience__in=audiences, document__is_active=True, document__quarantine_reason="")
        .select_related("document").order_by("document_id", "index")
    )
    passages: list[Passage] = []
    passage_sources: dict[str, dict] = {}
    for chunk in chunks:
        passage_id = f"d{chunk.document_id}-{chunk.index}"
        passages.append(Passage(passage_id, chunk.title, chunk.text))
        passage_sources[passage_id] = {
            "type": "document", "id": chunk.document_id, "chunk": chunk.index,
            "title": chunk.title or chunk.document.title, "links": [],
        }
    router = IntentRouter().fit(faq_entries)
    index = PassageIndex().fit(passages)
    return KnowledgeBundle(
        company_id=company.pk, instance_id=str(profile.instance_id), audience=audience, version=version,
        router=router, sources=sources, passages=index, passage_sources=passage_sources,
        build_seconds=time.perf_counter() - started, uses_catalogue=uses_catalogue,
    )


# --- Cache --------------------------------------------------------------------------------------------------

_memory: dict[tuple[int, str], KnowledgeBundle] = {}
_memory_lock = threading.Lock()
_build_locks: dict[tuple[int, str], threading.Lock] = {}


def cache_dir() -> Path:
    path = Path(settings.DATA_DIR) / "assistant" / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _prefix(company_id: int, instance_id: str, audience: str) -> str:
    return f"{company_id}-{instance_id}-{audience}-v"


def save_bundle(bundle: KnowledgeBundle) -> Path:
    """Write atomically (temporary file, then rename) and drop the older versions of the same model."""
    directory = cache_dir()
    prefix = _prefix(bundle.company_id, bundle.instance_id, bundle.audience)
    target = directory / f"{prefix}{bundle.version}.pkl"
    with tempfile.NamedTemporaryFile(dir=directory, delete=False, suffix=".tmp") as handle:
        pickle.dump(bundle, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary = Path(handle.name)
    os.replace(temporary, target)
    for old in directory.glob(f"{prefix}*.pkl"):
        if old != target and _version_of(old, prefix) < bundle.version:
            old.unlink(missing_ok=True)
    return target


def _version_of(path: Path, prefix: str) -> int:
    try:
        return int(path.name[len(prefix):-len(".pkl")])
    except ValueError:
        return -1


def _load_latest(company_id: int, instance_id: str, audience: str) -> KnowledgeBundle | None:
    prefix = _prefix(company_id, instance_id, audience)
    files = sorted(cache_dir().glob(f"{prefix}*.pkl"), key=lambda p: _version_of(p, prefix), reverse=True)
    for path in files:
        try:
            with path.open("rb") as handle:
                bundle = pickle.load(handle)
        except Exception:  # noqa: BLE001 - a corrupt or foreign file is skipped, never trusted
            logger.warning("Unreadable assistant model %s: ignored", path)
            continue
        if (
            isinstance(bundle, KnowledgeBundle)
            and bundle.format == FORMAT
            and bundle.company_id == company_id
            and bundle.instance_id == instance_id
            and bundle.audience == audience
        ):
            return bundle
        logger.warning("Assistant model %s belongs to another company or format: ignored", path)
    return None


def _fresh(bundle: KnowledgeBundle, profile: AssistantProfile) -> bool:
    if bundle.version != profile.kb_version or bundle.instance_id != str(profile.instance_id):
        return False
    return not bundle.uses_catalogue or time.time() - bundle.built_at < CATALOGUE_TTL_SECONDS


def get_bundle(company, audience: str, profile: AssistantProfile | None = None,
               *, sync: bool = False) -> KnowledgeBundle:
    """The model to answer with now. `sync=True` (CLI, owner's preview) rebuilds at once if it is stale;
    otherwise a stale model answers while a rebuild job runs, and only a missing one is built inline."""
    profile = profile or profile_for(company)
    key = (company.pk, audience)
    instance_id = str(profile.instance_id)
    bundle = _memory.get(key)
    if bundle is not None and bundle.instance_id != instance_id:
        bundle = None
    if bundle is not None and _fresh(bundle, profile):
        return bundle
    on_disk = _load_latest(company.pk, instance_id, audience)
    if on_disk is not None and (bundle is None or on_disk.version > bundle.version or on_disk.built_at > bundle.built_at):
        bundle = on_disk
        with _memory_lock:
            _memory[key] = bundle
    if bundle is not None and _fresh(bundle, profile):
        return bundle
    if bundle is not None and not sync:
        schedule_rebuild(company)
        return bundle
    with _memory_lock:
        lock = _build_locks.setdefault(key, threading.Lock())
    with lock:  # fifty first questions at once must not fit fifty models
        current = _memory.get(key)
        if current is not None and current.instance_id == instance_id and _fresh(current, profile):
            return current
        bundle = build_bundle(company, audience, profile)
        save_bundle(bundle)
        with _memory_lock:
            _memory[key] = bundle
        return bundle


def forget(company_id: int) -> None:
    """Drop a company's models from this process's memory (tests, company deletion)."""
    with _memory_lock:
        for key in [k for k in _memory if k[0] == company_id]:
            del _memory[key]


def bump_version(company) -> None:
    """The knowledge base changed: new version, rebuild queued when the transaction commits. Many changes in
    one transaction queue one job (schedule_rebuild skips when one is waiting, and the job skips the fit when
    the models are already current)."""
    from django.db import transaction

    profile_for(company)
    AssistantProfile.objects.filter(company=company).update(kb_version=F("kb_version") + 1, updated_at=timezone.now())
    transaction.on_commit(lambda: schedule_rebuild(company))


def schedule_rebuild(company) -> None:
    """Queue one rebuild job unless one is already waiting or running for this company."""
    from etabli.core.models import Job, JobStatus
    from etabli.core.services import jobs

    recent = timezone.now() - timezone.timedelta(minutes=5)
    if Job.objects.filter(company=company, kind=JOB_KIND, status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
                          created_at__gte=recent).exists():
        return
    jobs.start_job(company=company, kind=JOB_KIND, label="Mise à jour des réponses de l'assistant")


def rebuild_now(company) -> dict:
    """Fit and save both audiences for the current version (the job, the CLI, the demo)."""
    result = {}
    for _attempt in range(3):  # the knowledge base may change while we fit: fit again, at most twice more
        profile = profile_for(company)
        for audience in (Audience.CLIENTS, Audience.EQUIPE):
            bundle = build_bundle(company, audience, profile)
            save_bundle(bundle)
            with _memory_lock:
                _memory[(company.pk, audience)] = bundle
            result[audience] = {"version": bundle.version, "entries": bundle.n_entries,
                                "passages": bundle.n_passages, "seconds": round(bundle.build_seconds, 2)}
        if profile_for(company).kb_version == profile.kb_version:
            break
    return result


def up_to_date(company) -> bool:
    """Both audiences already have a fresh model on disk (the demo builds them itself, for instance)."""
    profile = profile_for(company)
    for audience in (Audience.CLIENTS, Audience.EQUIPE):
        bundle = _load_latest(company.pk, str(profile.instance_id), audience)
        if bundle is None or not _fresh(bundle, profile):
            return False
    return True


def run_rebuild_job(job, progress) -> dict:
    if up_to_date(job.company):
        return {"skipped": "Les réponses de l'assistant sont déjà à jour."}
    progress(0, 2, "Apprentissage des réponses")
    result = rebuild_now(job.company)
    progress(2, 2, "Réponses à jour")
    return result
