"""Learning from the owner's corrections, skipping retraining when nothing changed, storage round trip."""

from __future__ import annotations

import pytest

from etabli.engines.classify import (
    ClassifyError,
    Correction,
    DocumentClassifier,
    DocumentMeta,
    corrections_fingerprint,
)

from .samples import BANK_STATEMENT, PAYSLIP, QUOTE, URSSAF_LETTER


def _vigilance(number: int, day: str) -> str:
    """An URSSAF « attestation de vigilance »: this owner files it with « autre » (his choice)."""
    return (
        "Urssaf Bourgogne\n"
        "ATTESTATION DE VIGILANCE\n"
        f"Délivrée le {day} - code de sécurité {number}\n"
        "MENUISERIE BERTIN - SIRET 901 234 567 00012\n"
        "L'Urssaf atteste que l'entreprise est à jour de ses obligations de déclaration et de paiement\n"
        "auprès de l'Urssaf à la date du présent document (article L243-15 du code de la sécurité sociale).\n"
        "Vérifiez l'authenticité de cette attestation sur urssaf.fr.\n"
    )


def test_corrections_change_the_prediction_for_similar_documents(
    small_classifier: DocumentClassifier,
) -> None:
    new_document = _vigilance(88412, "04/02/2026")
    before = small_classifier.predict(new_document)
    assert before.label != "autre"
    corrections = [
        Correction(_vigilance(10231, "05/08/2025"), "autre", document_id=1),
        Correction(_vigilance(30877, "03/11/2025"), "autre", document_id=2),
        Correction(_vigilance(55120, "06/01/2026"), "autre", document_id=3),
    ]
    small_classifier.refit(corrections)
    after = small_classifier.predict(new_document)
    assert after.label == "autre"
    assert not after.abstain
    assert any("vous avez classé « Autre »" in reason for reason in after.reasons)
    # Unrelated documents keep their type.
    assert small_classifier.predict(URSSAF_LETTER).label == "courrier_administratif"
    assert small_classifier.predict(PAYSLIP).label == "bulletin_de_paie"


def test_corrections_weigh_more_than_seed_documents(small_classifier_bytes: bytes) -> None:
    """Without the correction memory, the retrained model alone must follow a few corrections."""
    text = QUOTE.replace("Devis n° D-2026-031", "Estimatif n° E-2026-031")
    corrections = [
        Correction(text.replace("031", f"0{n}"), "bon_de_livraison", document_id=n) for n in range(40, 44)
    ]
    light, heavy = (DocumentClassifier.from_bytes(small_classifier_bytes) for _ in range(2))
    for classifier in (light, heavy):
        classifier.memory_similarity = 1.01  # memory off: only the retrained model answers
    light.correction_weight = 1.0
    light.refit(corrections)
    heavy.refit(corrections)
    assert heavy.correction_weight > light.correction_weight
    p_light = light.predict_proba([text])[0][light.classes_.index("bon_de_livraison")]
    p_heavy = heavy.predict_proba([text])[0][heavy.classes_.index("bon_de_livraison")]
    assert p_heavy > p_light


def test_customer_invoice_share_is_learned_from_corrections(small_classifier: DocumentClassifier) -> None:
    text = "FACTURE N° 2026-0042\nTotal HT 100,00 €\nTVA 20 % 20,00 €\nTotal TTC 120,00 €"
    assert small_classifier.predict(text).label == "facture_fournisseur"
    issued = [
        Correction(f"FACTURE N° 2026-{n:04d}\nTotal TTC {n},00 €", "facture_client", document_id=n)
        for n in range(1, 31)
    ]
    small_classifier.refit(issued)
    assert small_classifier.supplier_share_ < 0.5
    assert small_classifier.predict(text).label == "facture_client"


def test_needs_retrain_only_when_corrections_changed(small_classifier: DocumentClassifier) -> None:
    nothing = corrections_fingerprint([])
    assert not small_classifier.needs_retrain(nothing)
    corrections = [
        Correction(PAYSLIP, "bulletin_de_paie", document_id="a"),
        Correction(BANK_STATEMENT, "releve_bancaire", document_id="b"),
    ]
    fingerprint = corrections_fingerprint(corrections)
    assert small_classifier.needs_retrain(fingerprint)
    small_classifier.refit(corrections)
    assert not small_classifier.needs_retrain(fingerprint)
    assert not small_classifier.needs_retrain(corrections_fingerprint(list(reversed(corrections))))
    changed = [*corrections, Correction(URSSAF_LETTER, "courrier_administratif", document_id="c")]
    assert small_classifier.needs_retrain(corrections_fingerprint(changed))


def test_fingerprint_keeps_the_last_label_of_a_document() -> None:
    first = Correction("texte", "devis", document_id=7)
    second = Correction("texte modifié", "contrat", document_id=7)
    assert corrections_fingerprint([first, second]) == corrections_fingerprint([second])
    assert corrections_fingerprint([first]) != corrections_fingerprint([second])
    # Metadata change the training, so they change the fingerprint.
    with_meta = Correction("texte modifié", "contrat", DocumentMeta(issuer_is_company=True), document_id=7)
    assert corrections_fingerprint([with_meta]) != corrections_fingerprint([second])


def test_learn_adds_to_previous_corrections(small_classifier: DocumentClassifier) -> None:
    small_classifier.learn([Correction(PAYSLIP, "bulletin_de_paie", document_id=1)])
    small_classifier.learn([Correction(BANK_STATEMENT, "releve_bancaire", document_id=2)])
    assert {c.document_id for c in small_classifier.corrections_} == {1, 2}
    small_classifier.learn([Correction(BANK_STATEMENT, "autre", document_id=2)])
    assert {c.document_id: c.label for c in small_classifier.corrections_} == {
        1: "bulletin_de_paie",
        2: "autre",
    }


def test_a_correction_with_an_unknown_type_is_refused(small_classifier: DocumentClassifier) -> None:
    with pytest.raises(ClassifyError, match="Type de document inconnu"):
        small_classifier.refit([Correction(PAYSLIP, "fiche_de_paie")])


def test_serialization_round_trip_gives_the_same_answers(small_classifier: DocumentClassifier) -> None:
    small_classifier.refit([Correction(_vigilance(1, "01/01/2026"), "autre", document_id=1)])
    restored = DocumentClassifier.from_bytes(small_classifier.to_bytes())
    for text in (PAYSLIP, QUOTE, _vigilance(2, "02/02/2026"), "texte quelconque"):
        assert restored.predict(text) == small_classifier.predict(text)
    assert not restored.needs_retrain(small_classifier.corrections_fingerprint_)
    # The restored model can keep learning (the seed corpus is redrawn, not stored).
    restored.learn([Correction(PAYSLIP, "bulletin_de_paie", document_id=9)])
    assert len(restored.corrections_) == 2


def test_stored_model_does_not_hold_the_seed_corpus(seed_classifier: DocumentClassifier) -> None:
    assert len(seed_classifier.to_bytes()) < 2_000_000


@pytest.mark.parametrize("data", [b"", b"not a model", b"ETABLI-CLASSIFY\x00garbage"])
def test_unreadable_model_bytes_raise_a_french_error(data: bytes) -> None:
    with pytest.raises(ClassifyError):
        DocumentClassifier.from_bytes(data)


def test_an_outdated_model_asks_to_be_retrained(small_classifier: DocumentClassifier) -> None:
    restored = DocumentClassifier.from_bytes(small_classifier.to_bytes())
    restored.engine_version_ = "classify-0"
    assert restored.needs_retrain(corrections_fingerprint([]))


def test_fit_on_the_companys_own_documents() -> None:
    texts = [PAYSLIP, PAYSLIP.replace("janvier", "février"), QUOTE, QUOTE.replace("031", "032")]
    labels = ["bulletin_de_paie", "bulletin_de_paie", "devis", "devis"]
    classifier = DocumentClassifier(calibrate=False).fit(texts, labels)
    assert classifier.classes_ == ("devis", "bulletin_de_paie")
    assert classifier.predict(PAYSLIP.replace("janvier", "mars")).label == "bulletin_de_paie"
    classifier.refit([Correction(BANK_STATEMENT, "releve_bancaire")])
    assert "releve_bancaire" in classifier.classes_


def test_fit_refuses_bad_training_data() -> None:
    with pytest.raises(ClassifyError, match="Type de document inconnu"):
        DocumentClassifier().fit(["a", "b"], ["devis", "brochure"])
    with pytest.raises(ClassifyError, match="au moins deux types"):
        DocumentClassifier().fit(["a", "b"], ["devis", "devis"])
    with pytest.raises(ClassifyError, match="même longueur"):
        DocumentClassifier().fit(["a", "b"], ["devis", "contrat"], sample_weight=[1.0])
    with pytest.raises(ClassifyError, match="autant de métadonnées"):
        DocumentClassifier().fit(["a", "b"], ["devis", "contrat"], metas=[None])


def test_refit_before_training_is_refused() -> None:
    with pytest.raises(ClassifyError, match="pas encore été entraîné"):
        DocumentClassifier().refit([])
