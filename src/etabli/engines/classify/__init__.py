"""Document understanding: type classification, correspondent matching, tag suggestions.

Usage::

    from etabli.engines.classify import DocumentClassifier, DocumentMeta, Correction, corrections_fingerprint

    classifier = DocumentClassifier.seed()              # rules + a seed model, useful on day one
    prediction = classifier.predict(text, DocumentMeta(filename="scan.pdf", issuer_is_company=False))
    prediction.label, prediction.confidence, prediction.reasons, prediction.abstain

    fingerprint = corrections_fingerprint(corrections)  # the owner's corrections, stored by the app
    if classifier.needs_retrain(fingerprint):
        classifier.refit(corrections)                   # corrections weigh more than seed documents
    blob = classifier.to_bytes()                        # one model per company
    classifier = DocumentClassifier.from_bytes(blob)

    match_correspondent(PartnerEvidence(siret="…", name="EDF"), partners)  # identifiers, then names
    suggest_tags(text, issuer_name="EDF")                                   # énergie, télécom, loyer…

Pure Python (scikit-learn, rapidfuzz, python-stdnum); no Django.
"""

from etabli.engines.classify.classifier import (
    ENGINE_VERSION,
    DocumentClassifier,
    SeedSpec,
    corrections_fingerprint,
)
from etabli.engines.classify.correspondents import (
    CorrespondentMatch,
    CorrespondentMatcher,
    KnownPartner,
    PartnerEvidence,
    match_correspondent,
)
from etabli.engines.classify.errors import ClassifyError
from etabli.engines.classify.labels import (
    DOC_TYPE_LABELS,
    DOC_TYPE_PLURALS,
    DOC_TYPES,
    INVOICE_TYPES,
    doc_type_label,
)
from etabli.engines.classify.models import Alternative, Correction, DocumentMeta, Prediction
from etabli.engines.classify.rules import document_signals, rule_scores
from etabli.engines.classify.synthetic import SyntheticDocument, generate_corpus, generate_document
from etabli.engines.classify.tags import DEFAULT_TAG_RULES, TagRule, TagSuggestion, suggest_tags

__all__ = [
    "DEFAULT_TAG_RULES",
    "DOC_TYPES",
    "DOC_TYPE_LABELS",
    "DOC_TYPE_PLURALS",
    "ENGINE_VERSION",
    "INVOICE_TYPES",
    "Alternative",
    "ClassifyError",
    "Correction",
    "CorrespondentMatch",
    "CorrespondentMatcher",
    "DocumentClassifier",
    "DocumentMeta",
    "KnownPartner",
    "PartnerEvidence",
    "Prediction",
    "SeedSpec",
    "SyntheticDocument",
    "TagRule",
    "TagSuggestion",
    "corrections_fingerprint",
    "doc_type_label",
    "document_signals",
    "generate_corpus",
    "generate_document",
    "match_correspondent",
    "rule_scores",
    "suggest_tags",
]
