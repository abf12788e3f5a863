"""Understanding a read document: its type, its correspondent, its tags — with confidence and reasons.

- Type: :mod:`etabli.engines.classify` (rules + seed model, then the company's own model retrained from its
  corrections). Under the company's threshold the answer is « je ne sais pas » and a person chooses.
- Correspondent: billing's partners (``billing.selectors.partners``), matched by SIRET, VAT number, SIREN,
  IBAN, then fuzzy name (``etabli.engines.classify.match_correspondent``); for a document the company issued itself, the partners named in the
  text. An unknown issuer is kept by name and created at filing time (supplier invoices).
- Tags: the engine's suggestions (keywords, brands, the tags this correspondent's documents got before) plus
  the company's own tags whose name appears in the text.
Each decision is logged in the AI decision log (engine, version, input digest, output, confidence, reasons).
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from etabli.core.models import AIDecision, Company
from etabli.core.services import ailog
from etabli.documents import adapters
from etabli.documents.fields import typed
from etabli.documents.models import Document, DocumentTag, Tag, TagSource
from etabli.documents.services import learning
from etabli.documents.services.config import get_settings
from etabli.engines.classify import KnownPartner, PartnerEvidence
from etabli.engines.classify import match_correspondent as match_partner
from etabli.engines.classify import suggest_tags as engine_suggest_tags
from etabli.engines.classify.labels import DOC_TYPE_LABELS, FACTURE_FOURNISSEUR
from etabli.engines.classify.models import DocumentMeta
from etabli.engines.extract import InvoiceExtraction
from etabli.engines.ocr import ReadResult

USE_CASE = "documents.intake"


@dataclass(frozen=True)
class TypeGuess:
    label: str
    confidence: float
    reasons: tuple[str, ...]
    alternatives: tuple[tuple[str, float], ...]
    abstain: bool
    question: str | None
    source: str  # "model" | "rules" | "einvoice"
    engine_version: str = ""


@dataclass(frozen=True)
class CorrespondentGuess:
    partner_id: int | None
    name: str
    match: str  # siren | siret | vat_number | iban | name | text | new | ""
    confidence: float
    reasons: tuple[str, ...] = ()
    kind: str = ""


@dataclass
class Understanding:
    type_guess: TypeGuess
    correspondent: CorrespondentGuess
    tags: list[tuple[str, float]] = field(default_factory=list)
    issuer_is_company: bool | None = None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return re.sub(r"\s+", " ", "".join(c for c in decomposed if not unicodedata.combining(c)).lower()).strip()


def issuer_is_company(company: Company, extraction: InvoiceExtraction | None, fields: dict) -> bool | None:
    """True when the issuer read on the document is the company itself (an invoice it issued)."""
    siren = fields.get("siren") or ""
    siret = fields.get("siret") or ""
    vat = fields.get("vat_number") or ""
    known = company.siren or ""
    if known and (siren == known or siret[:9] == known or vat[-9:] == known):
        return True
    if (siren or siret or vat) and known:
        return False
    name = fields.get("issuer_name") or ""
    if name:
        own = [n for n in (company.legal_name, company.trade_name) if n]
        return any(fuzz.token_set_ratio(_fold(name), _fold(n)) >= 90 for n in own)
    return None


def document_meta(document: Document, fields: dict, issuer_is_us: bool | None,
                  einvoice_type: str | None = None) -> DocumentMeta:
    return DocumentMeta(
        filename=document.original_filename, sender_email=document.sender_email, issuer_is_company=issuer_is_us,
        fields={k: v for k, v in fields.items() if v not in (None, "")}, einvoice_type=einvoice_type,
    )


def predict_type(company: Company, text: str, meta: DocumentMeta, classifier=None) -> TypeGuess:
    """The document type from the company's classifier (seed model until it learned from corrections)."""
    config = get_settings(company)
    classifier = classifier or learning.classifier_for(company)
    prediction = classifier.predict(text, meta)
    abstain = bool(prediction.abstain) or prediction.confidence < config.type_threshold
    question = prediction.question
    if abstain and not question:
        question = (f"Je ne sais pas : est-ce bien « {DOC_TYPE_LABELS.get(prediction.label, prediction.label)} » ? "
                    "Choisissez le type de ce document.")
    return TypeGuess(
        label=prediction.label, confidence=float(prediction.confidence), reasons=tuple(prediction.reasons),
        alternatives=tuple((a.label, float(a.confidence)) for a in prediction.alternatives),
        abstain=abstain, question=question if abstain else None,
        source="einvoice" if meta.einvoice_type else learning.classifier_source(classifier),
        engine_version=learning.engine_version(),
    )


_METHODS = {"siret": "siret", "siren": "siren", "vat": "vat_number", "iban": "iban", "name": "name"}


def known_partners(company: Company) -> tuple[list[KnownPartner], dict]:
    """Billing's customers and suppliers as the matcher's ``KnownPartner`` (read through billing's selectors)."""
    views = adapters.partners(company=company)
    known = [
        KnownPartner(id=p.id, name=p.name, siren=p.siren or None, sirets=(p.siret,) if p.siret else (),
                     vat_numbers=(p.vat_number,) if p.vat_number else (), ibans=(p.iban,) if p.iban else ())
        for p in views
    ]
    return known, {p.id: p for p in views}


def match_correspondent(company: Company, document: Document, fields: dict, issuer_is_us: bool | None,
                        doc_type: str) -> CorrespondentGuess:
    """Who the document is from (or for, when we issued it), matched to billing's partners: SIRET, VAT
    number, SIREN, IBAN, then fuzzy name (``etabli.engines.classify.match_correspondent``)."""
    if issuer_is_us:
        return _customer_in_text(company, document)
    known, views = known_partners(company)
    evidence = PartnerEvidence(name=fields.get("issuer_name") or "", siren=fields.get("siren") or "",
                               siret=fields.get("siret") or "", vat_number=fields.get("vat_number") or "",
                               iban=fields.get("iban") or "")
    matches = match_partner(evidence, known, limit=3) if known else []
    if doc_type == FACTURE_FOURNISSEUR:  # among equally good candidates, a supplier before a customer
        matches.sort(key=lambda m: (-m.confidence, getattr(views.get(m.partner_id), "kind", "") != "supplier"))
    if matches:
        best = matches[0]
        view = views.get(best.partner_id)
        reasons = [best.reason]
        if len(matches) > 1 and matches[1].confidence >= best.confidence - 0.05:
            reasons.append(f"autre candidat proche : {matches[1].name} ({round(matches[1].confidence * 100)} %)")
        return CorrespondentGuess(best.partner_id, view.name if view else best.name, _METHODS.get(best.method, best.method),
                                  round(best.confidence, 4), tuple(reasons), getattr(view, "kind", ""))
    name = fields.get("issuer_name") or ""
    if name:
        return CorrespondentGuess(None, name, "new", 0.5,
                                  (f"« {name} » n'est pas encore dans vos tiers : il sera créé à la validation",))
    return CorrespondentGuess(None, "", "", 0.0, ("émetteur non trouvé dans le document",))


def _customer_in_text(company: Company, document: Document) -> CorrespondentGuess:
    """For a document we issued: the customer whose name appears in the text (longest name first)."""
    text = _fold(document.content)
    best = None
    for partner in adapters.partners(company=company, kind="customer"):
        name = _fold(partner.name)
        found = len(name) >= 4 and re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", text)
        if found and (best is None or len(name) > len(_fold(best.name))):
            best = partner
    if best is None:
        return CorrespondentGuess(None, "", "", 0.0, ("document émis par votre entreprise ; client non reconnu",))
    return CorrespondentGuess(best.id, best.name, "text", 0.85, (f"client « {best.name} » nommé dans le document",),
                              best.kind)


def suggest_tags(company: Company, document: Document, correspondent: str) -> list[tuple[str, float]]:
    """Tags from the engine (keywords, brands, and the tags this correspondent's past documents got) plus
    the company's own tags named in the text."""
    history: dict[str, list[list[str]]] = {}
    if correspondent:
        past = (Document.objects.for_company(company).filter(correspondent_name__iexact=correspondent,
                                                             status="filed")
                .exclude(pk=document.pk).order_by("-validated_at").prefetch_related("document_tags__tag")[:20])
        history[correspondent] = [[t.tag.name for t in d.document_tags.all()] for d in past]
    suggestions: dict[str, float] = {}
    for found in engine_suggest_tags(document.content or "", issuer_name=correspondent, history=history):
        suggestions[found.tag] = max(suggestions.get(found.tag, 0.0), float(found.confidence))
    text = _fold(f"{document.title} {document.content}")
    for tag in Tag.objects.for_company(company).only("name"):
        folded = _fold(tag.name)
        if len(folded) >= 3 and re.search(rf"(?<![a-z0-9]){re.escape(folded)}(?![a-z0-9])", text):
            suggestions[tag.name] = max(suggestions.get(tag.name, 0.0), 0.8)
    return sorted(suggestions.items(), key=lambda item: -item[1])[:5]


def make_title(doc_type: str, correspondent: str, reference: str, fallback: str) -> str:
    parts = [DOC_TYPE_LABELS.get(doc_type, "")] if doc_type else []
    if correspondent:
        parts.append(correspondent)
    if reference:
        parts.append(reference)
    title = " ".join(part for part in parts if part).strip()
    return (title or fallback)[:255]


def understand(*, document: Document, read_result: ReadResult, extraction: InvoiceExtraction) -> Understanding:
    """Type, correspondent and tags of a freshly read document (written on ``document``, not saved)."""
    company = document.company
    fields = {name: (entry or {}).get("value") for name, entry in (document.fields or {}).items()}
    issuer_us = issuer_is_company(company, extraction, fields)
    einvoice_type = extraction.doc_type if read_result.kind == "einvoice_xml" else None
    meta = document_meta(document, fields, issuer_us, einvoice_type)
    started = time.monotonic()
    classifier = learning.classifier_for(company)
    guess = predict_type(company, document.content, meta, classifier)
    latency = int((time.monotonic() - started) * 1000)
    correspondent = match_correspondent(company, document, fields, issuer_us, guess.label)
    tags = suggest_tags(company, document, correspondent.name)

    document.doc_type = guess.label
    document.doc_type_confidence = round(guess.confidence, 4)
    document.doc_type_source = guess.source
    document.doc_type_reasons = list(guess.reasons)
    document.doc_type_alternatives = [[label, round(conf, 4)] for label, conf in guess.alternatives]
    document.doc_type_uncertain = guess.abstain
    document.partner_id = correspondent.partner_id
    document.correspondent_name = correspondent.name[:200]
    document.correspondent_match = correspondent.match
    document.correspondent_confidence = correspondent.confidence
    document.title = make_title("" if guess.abstain else guess.label, correspondent.name, document.reference,
                                document.title)
    decision = ailog.log_decision(
        company=company, use_case=USE_CASE, engine="etabli.engines.classify", engine_version=guess.engine_version,
        input_data={"checksum": document.checksum, "text_sha": document.content_checksum},
        input_summary=f"{document.original_filename} ({document.page_count} page(s), lecture {document.read_kind})",
        output={"doc_type": guess.label, "abstain": guess.abstain, "alternatives": guess.alternatives,
                "correspondent": correspondent.name, "partner_id": correspondent.partner_id,
                "correspondent_match": correspondent.match, "tags": [name for name, _ in tags]},
        confidence=round(min(max(guess.confidence, 0.0), 1.0), 4),
        explanation=[*guess.reasons, *correspondent.reasons] or ["aucun indice"],
        latency_ms=latency,
    )
    document.ai_decision = decision
    _set_suggested_tags(document, tags)
    return Understanding(guess, correspondent, tags, issuer_us)


def log_extraction(document: Document) -> AIDecision:
    """The extraction's decision (fields, confidences, failed checks), linked to the filing proposal."""
    fields = document.fields or {}
    confidences = [float(entry.get("confidence") or 0) for entry in fields.values()]
    failed = [check["message"] for check in document.checks or [] if not check.get("ok")]
    explanation = [f"{len(fields)} champ(s) lu(s) ({'facture électronique' if document.read_kind == 'einvoice_xml' else document.read_kind})"]
    explanation += [f"contrôle échoué : {message}" for message in failed]
    return ailog.log_decision(
        company=document.company, use_case=USE_CASE, engine="etabli.engines.extract", engine_version="1",
        input_data={"checksum": document.checksum, "text_sha": document.content_checksum},
        input_summary=f"{document.original_filename} ({document.page_count} page(s))",
        output={name: {"value": entry.get("value"), "confidence": entry.get("confidence")}
                for name, entry in fields.items()} | {"checks": document.checks},
        confidence=round(min(confidences), 3) if confidences else None,
        explanation=explanation,
    )


def _set_suggested_tags(document: Document, tags: list[tuple[str, float]]) -> None:
    DocumentTag.objects.filter(document=document, source=TagSource.SUGGESTED).delete()
    for name, confidence in tags:
        tag, _ = Tag.objects.get_or_create(company_id=document.company_id, name=name[:60])
        DocumentTag.objects.get_or_create(
            document=document, tag=tag,
            defaults={"company_id": document.company_id, "source": TagSource.SUGGESTED,
                      "confidence": round(confidence, 3)},
        )


def amount_for_threshold(document: Document):
    return typed("total_ttc", document.field_value("total_ttc"))
