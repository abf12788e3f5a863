"""The company's document classifier: seed model on day one, retrained in the background from corrections.

- Day one: :meth:`DocumentClassifier.seed` (rules + a model trained on a synthetic French corpus). Training
  it takes ~20 s, so it is built once per installation and kept in a cache file (``var/cache/``); every
  process then loads it in milliseconds.
- Corrections: every document whose type a person chose or confirmed (filed documents, corrected ones) is
  a :class:`Correction`. A correction queues a retraining; the retraining compares the fingerprint of the
  corrections with the one the stored model was trained on and does nothing when they are equal
  (« skip when nothing changed »). The trained model is stored per company (``ClassifierState``).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from etabli.core.models import Company
from etabli.documents.models import ClassifierState, Document, DocumentStatus
from etabli.engines.classify.classifier import ENGINE_VERSION, DocumentClassifier, corrections_fingerprint
from etabli.engines.classify.errors import ClassifyError
from etabli.engines.classify.models import Correction, DocumentMeta

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_seed: DocumentClassifier | None = None
_company_cache: dict[int, tuple[str, DocumentClassifier]] = {}


def engine_version() -> str:
    return ENGINE_VERSION


def seed_size() -> int:
    return int(os.environ.get("ETABLI_CLASSIFY_SEED_PER_CLASS", "120"))


def cache_dir() -> Path:
    folder = Path(os.environ.get("ETABLI_CLASSIFY_CACHE", str(Path(settings.DATA_DIR) / "cache")))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def seed_classifier() -> DocumentClassifier:
    """The day-one classifier, trained once per installation and engine version, then loaded from disk."""
    global _seed
    with _lock:
        if _seed is not None:
            return _seed
        safe_version = "".join(c if c.isalnum() or c in "-_." else "_" for c in ENGINE_VERSION)
        path = cache_dir() / f"classify-seed-{safe_version}-{seed_size()}.bin"
        if path.exists():
            try:
                _seed = DocumentClassifier.from_bytes(path.read_bytes())
                return _seed
            except ClassifyError:
                logger.warning("Seed classifier cache %s unreadable: rebuilding it", path)
        started = time.monotonic()
        _seed = DocumentClassifier.seed(n_per_class=seed_size())
        tmp = path.with_suffix(f".{os.getpid()}.part")
        tmp.write_bytes(_seed.to_bytes())
        os.replace(tmp, path)
        logger.info("Seed classifier trained in %.1f s", time.monotonic() - started)
        return _seed


def classifier_for(company: Company) -> DocumentClassifier:
    """The company's own model when it has learned from corrections, else the seed model."""
    state = ClassifierState.objects.filter(company=company).only("fingerprint", "trained_at").first()
    if state is None or not state.trained_at:
        return seed_classifier()
    key = f"{state.fingerprint}:{state.trained_at.isoformat()}"
    cached = _company_cache.get(company.pk)
    if cached and cached[0] == key:
        return cached[1]
    blob = ClassifierState.objects.filter(pk=state.pk).values_list("model_blob", flat=True).first()
    try:
        classifier = DocumentClassifier.from_bytes(bytes(blob)) if blob else seed_classifier()
    except ClassifyError:
        logger.warning("Classifier of company %s unreadable: using the seed model", company.pk)
        return seed_classifier()
    _company_cache[company.pk] = (key, classifier)
    return classifier


def classifier_source(classifier: DocumentClassifier) -> str:
    return "model" if classifier.corrections_ else "rules"


def training_corrections(company: Company) -> list[Correction]:
    """Documents whose type a person decided: filed ones, and pending ones whose type was corrected."""
    from etabli.documents.services.understanding import document_meta, issuer_is_company

    rows = (Document.objects.for_company(company)
            .filter(doc_type__gt="")
            .exclude(content="")
            .filter(models_q_human())
            .order_by("pk"))
    corrections = []
    for document in rows.iterator(chunk_size=100):
        fields = {name: (entry or {}).get("value") for name, entry in (document.fields or {}).items()}
        issuer_us = issuer_is_company(company, None, fields)
        meta = document_meta(document, fields, issuer_us)
        corrections.append(Correction(text=document.content, label=document.doc_type, meta=meta,
                                      document_id=document.pk))
    return corrections


def models_q_human():
    from django.db.models import Q

    return Q(status=DocumentStatus.FILED) | Q(doc_type_source="human")


def request_retrain(company: Company) -> None:
    """A person corrected or confirmed a type: retrain in the background (after the commit)."""
    ClassifierState.objects.get_or_create(company=company)
    ClassifierState.objects.filter(company=company).update(retrain_requested_at=timezone.now())

    def _enqueue() -> None:
        from etabli.documents.tasks import retrain_classifier_task

        try:
            retrain_classifier_task(company.pk)
        except Exception:  # the nightly pass retrains anyway
            logger.exception("Could not queue the retraining of company %s", company.pk)

    transaction.on_commit(_enqueue)


def retrain(company: Company, *, force: bool = False) -> dict:
    """Retrain the company's classifier on all its corrections; skipped when they did not change."""
    corrections = training_corrections(company)
    fingerprint = corrections_fingerprint(corrections)
    state, _ = ClassifierState.objects.get_or_create(company=company)
    current = classifier_for(company)
    if not force and state.trained_at and state.fingerprint == fingerprint and not current.needs_retrain(fingerprint):
        ClassifierState.objects.filter(pk=state.pk).update(skipped_count=state.skipped_count + 1)
        return {"retrained": False, "reason": "Aucune correction nouvelle : modèle inchangé.",
                "samples": len(corrections)}
    if not corrections:
        ClassifierState.objects.filter(pk=state.pk).update(skipped_count=state.skipped_count + 1)
        return {"retrained": False, "reason": "Aucune correction : le modèle de départ reste utilisé.", "samples": 0}
    started = time.monotonic()
    classifier = DocumentClassifier.from_bytes(seed_classifier().to_bytes()).refit(corrections)
    seconds = round(time.monotonic() - started, 1)
    labels = sorted({c.label for c in corrections})
    ClassifierState.objects.filter(pk=state.pk).update(
        model_blob=classifier.to_bytes(), fingerprint=fingerprint, samples=len(corrections),
        engine_version=ENGINE_VERSION, trained_at=timezone.now(),
        metrics={"seconds": seconds, "labels": labels},
    )
    _company_cache.pop(company.pk, None)
    return {"retrained": True, "samples": len(corrections), "seconds": seconds}


def meta_for(document: Document) -> DocumentMeta:
    from etabli.documents.services.understanding import document_meta

    fields = {name: (entry or {}).get("value") for name, entry in (document.fields or {}).items()}
    return document_meta(document, fields, None)
