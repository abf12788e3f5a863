"""The document-type classifier: each type on realistic French samples, abstention, issuer split, reasons."""

from __future__ import annotations

import pytest

from etabli.engines.classify import (
    DOC_TYPES,
    ClassifyError,
    DocumentClassifier,
    DocumentMeta,
    Prediction,
)

from .samples import (
    CUSTOMER_INVOICE,
    LABELLED_SAMPLES,
    PAYSLIP,
    SUPPLIER_INVOICE_PLUMBER,
    URSSAF_LETTER,
)


@pytest.mark.parametrize(
    ("name", "text", "label", "issuer"), LABELLED_SAMPLES, ids=[s[0] for s in LABELLED_SAMPLES]
)
def test_each_document_type_is_recognised_on_a_realistic_sample(
    seed_classifier: DocumentClassifier, name: str, text: str, label: str, issuer: bool | None
) -> None:
    prediction = seed_classifier.predict(text, DocumentMeta(issuer_is_company=issuer))
    assert prediction.label == label, (name, prediction)
    assert not prediction.abstain
    assert prediction.confidence >= seed_classifier.threshold
    assert prediction.reasons, "a prediction must say why"


def test_every_type_is_covered_by_the_samples() -> None:
    assert {label for _name, _text, label, _issuer in LABELLED_SAMPLES} == set(DOC_TYPES)


def test_payslip_reasons_quote_what_the_owner_sees(seed_classifier: DocumentClassifier) -> None:
    prediction = seed_classifier.predict(PAYSLIP)
    assert prediction.label == "bulletin_de_paie"
    joined = " ".join(prediction.reasons)
    assert "« Salaire brut »" in joined
    assert joined.startswith("contient ")


def test_confidence_is_a_probability_and_alternatives_are_sorted(seed_classifier: DocumentClassifier) -> None:
    prediction = seed_classifier.predict(URSSAF_LETTER)
    values = [prediction.confidence] + [a.confidence for a in prediction.alternatives]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert values == sorted(values, reverse=True)
    assert prediction.label not in {a.label for a in prediction.alternatives}
    assert sum(values) <= 1.0 + 1e-6


def test_the_issuer_decides_between_customer_and_supplier_invoice(
    seed_classifier: DocumentClassifier,
) -> None:
    issued = seed_classifier.predict(SUPPLIER_INVOICE_PLUMBER, DocumentMeta(issuer_is_company=True))
    received = seed_classifier.predict(SUPPLIER_INVOICE_PLUMBER, DocumentMeta(issuer_is_company=False))
    unknown = seed_classifier.predict(SUPPLIER_INVOICE_PLUMBER)
    assert issued.label == "facture_client"
    assert received.label == "facture_fournisseur"
    assert issued.reasons != received.reasons
    # Unknown issuer: most invoices a TPE receives are supplier invoices, but it is not certain.
    assert unknown.label == "facture_fournisseur"
    assert unknown.alternatives[0].label == "facture_client"
    assert unknown.confidence < received.confidence
    assert any("émetteur inconnu" in reason for reason in unknown.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, ci-joint le document comme convenu. Cordialement, Paul",
        "Document n° 45\nMontant : 120,00 €\nMerci",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
    ],
)
def test_it_abstains_instead_of_guessing_on_text_without_clues(
    seed_classifier: DocumentClassifier, text: str
) -> None:
    prediction = seed_classifier.predict(text)
    assert prediction.abstain
    assert prediction.confidence < seed_classifier.threshold
    assert prediction.question and "?" in prediction.question
    assert any("sous le seuil" in reason for reason in prediction.reasons)


def test_it_abstains_on_a_document_mixing_several_types(seed_classifier: DocumentClassifier) -> None:
    prediction = seed_classifier.predict("FACTURE\nDEVIS\nAVOIR")
    assert prediction.abstain
    assert prediction.question is not None


def test_empty_text_abstains_with_a_clear_reason(seed_classifier: DocumentClassifier) -> None:
    prediction = seed_classifier.predict("   \n ")
    assert prediction.abstain
    assert prediction.reasons[0] == "aucun texte lisible dans le document"
    assert prediction.question == "Aucun texte lisible : de quel type est ce document ?"


def test_a_higher_threshold_abstains_more(seed_classifier: DocumentClassifier) -> None:
    strict = DocumentClassifier.from_bytes(seed_classifier.to_bytes())
    strict.threshold = 0.8
    prediction = strict.predict(CUSTOMER_INVOICE)  # issuer unknown: about 3 chances in 4
    assert seed_classifier.predict(CUSTOMER_INVOICE).abstain is False
    assert prediction.abstain


def test_einvoice_type_read_from_xml_wins_over_the_text(seed_classifier: DocumentClassifier) -> None:
    prediction = seed_classifier.predict(SUPPLIER_INVOICE_PLUMBER, DocumentMeta(einvoice_type="381"))
    assert prediction.label == "avoir"
    assert prediction.confidence == pytest.approx(0.99)
    assert "facture électronique : le XML indique un avoir" in prediction.reasons
    invoice = seed_classifier.predict(
        "Document sans titre", DocumentMeta(einvoice_type="380", issuer_is_company=False)
    )
    assert invoice.label == "facture_fournisseur"


def test_metadata_signals_help_and_are_explained(seed_classifier: DocumentClassifier) -> None:
    letter = "Objet : votre dossier\nMadame, Monsieur,\nVeuillez trouver ci-joint les pièces demandées."
    with_sender = seed_classifier.predict(letter, DocumentMeta(sender_email="ne-pas-repondre@urssaf.fr"))
    assert with_sender.label == "courrier_administratif"
    assert "envoyé par une adresse d'un organisme public" in with_sender.reasons
    without = seed_classifier.predict(letter)
    assert with_sender.confidence > without.confidence


def test_predict_many_matches_predict(seed_classifier: DocumentClassifier) -> None:
    texts = [text for _n, text, _l, _i in LABELLED_SAMPLES[:4]]
    many = seed_classifier.predict_many(texts)
    assert many == [seed_classifier.predict(text) for text in texts]
    probabilities = seed_classifier.predict_proba(texts)
    assert probabilities.shape == (4, len(seed_classifier.classes_))
    assert probabilities.sum(axis=1) == pytest.approx([1.0] * 4, abs=0.05)


def test_classes_are_the_public_types(seed_classifier: DocumentClassifier) -> None:
    assert seed_classifier.classes_ == DOC_TYPES


@pytest.mark.parametrize("bad", [None, 42, b"bytes"])
def test_non_text_input_is_refused_in_french(seed_classifier: DocumentClassifier, bad: object) -> None:
    with pytest.raises(ClassifyError, match="chaîne de caractères"):
        seed_classifier.predict(bad)  # type: ignore[arg-type]


def test_metadata_of_the_wrong_type_is_refused(seed_classifier: DocumentClassifier) -> None:
    with pytest.raises(ClassifyError, match="DocumentMeta"):
        seed_classifier.predict("Facture", {"filename": "x.pdf"})  # type: ignore[arg-type]


@pytest.mark.parametrize("threshold", [0.0, 1.0, -0.2, 1.5])
def test_threshold_must_be_between_zero_and_one(threshold: float) -> None:
    with pytest.raises(ClassifyError, match="seuil"):
        DocumentClassifier(threshold=threshold)


def test_an_untrained_classifier_says_so() -> None:
    with pytest.raises(ClassifyError, match="pas encore été entraîné"):
        DocumentClassifier().predict("Facture")


def test_prediction_is_a_plain_dataclass(seed_classifier: DocumentClassifier) -> None:
    prediction = seed_classifier.predict(PAYSLIP)
    assert isinstance(prediction, Prediction)
    assert prediction.label_fr == "Bulletin de paie"
    assert isinstance(prediction.label, str) and type(prediction.label) is str
