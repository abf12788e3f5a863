"""Plain inputs and outputs of the classification engine.

Why plain dataclasses: the documents app adapts its rows (the text read by the OCR engine, the fields of
the extraction engine, the sender of an e-mail) to these, and stores the predictions as review items;
the engine never sees a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from etabli.engines.classify.labels import doc_type_label


@dataclass(frozen=True)
class DocumentMeta:
    """What the app knows about a document besides its text; every field is optional.

    - ``filename``: the original file name (« devis_dupont_2025.pdf » says a lot);
    - ``sender_email``: the address the document came from (…@urssaf.fr is an administration);
    - ``issuer_is_company``: True when the issuer is the company itself (its SIREN or name was read as
      the issuer), False when it is someone else, None when unknown. It is the only reliable way to
      tell a customer invoice (issued) from a supplier invoice (received): the text looks the same;
    - ``fields``: fields already extracted (``total_ttc``, ``iban``, ``invoice_number``, ``siren`` …);
      only their presence is used;
    - ``einvoice_type``: the type read from an e-invoice's XML (« facture », « avoir », or the UNTDID
      1001 code « 380 »/« 381 »), which is exact and overrides the text.
    """

    filename: str = ""
    sender_email: str = ""
    issuer_is_company: bool | None = None
    fields: Mapping[str, object] = field(default_factory=dict)
    einvoice_type: str | None = None


@dataclass(frozen=True)
class Alternative:
    """Another possible type with its probability."""

    label: str
    confidence: float

    @property
    def label_fr(self) -> str:
        return doc_type_label(self.label)


@dataclass(frozen=True)
class Prediction:
    """The classifier's answer for one document.

    ``label`` is always the most likely type, even when ``abstain`` is True: the app then shows it as a
    suggestion and asks ``question`` instead of filing the document. ``confidence`` is a calibrated
    probability (0–1); ``reasons`` are French sentences the owner can read.
    """

    label: str
    confidence: float
    alternatives: tuple[Alternative, ...]
    reasons: tuple[str, ...]
    abstain: bool
    question: str | None = None

    @property
    def label_fr(self) -> str:
        return doc_type_label(self.label)


@dataclass(frozen=True)
class Correction:
    """A type chosen (or confirmed) by the owner for one document: what the classifier learns from.

    ``document_id`` makes the fingerprint stable when the same document is corrected twice (only the
    last label counts); without it, the text identifies the document.
    """

    text: str
    label: str
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    document_id: str | int | None = None
