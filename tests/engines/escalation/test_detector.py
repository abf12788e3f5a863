"""The classifier part of the detector, the labelled data set and its loader."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from etabli.engines.escalation import EscalationDetector, EscalationError, load_messages

DATASET = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "escalation_fr.jsonl"

# Messages without any rule cue: the classifier must learn the difference from the words themselves.
TENSE = [
    "pour encaisser vous êtes rapides, pour livrer beaucoup moins",
    "encaisser vite et livrer jamais, belle méthode",
    "vous encaissez vite mais pour livrer il faut attendre",
    "rapides pour encaisser, lents pour livrer",
    "l'argent part vite, le colis beaucoup moins",
    "encaissé le jour même, livré on ne sait quand",
    "pour prendre l'argent vous êtes champions",
    "le prélèvement est rapide, la livraison beaucoup moins",
    "pour encaisser il y a du monde, pour livrer personne",
    "encaissement éclair, livraison escargot",
    "vous savez encaisser, livrer un peu moins",
    "l'argent vous l'avez eu vite, moi j'attends encore",
]
CALM = [
    "quels sont vos horaires le samedi",
    "avez-vous ce vase en bleu",
    "livrez-vous en Belgique",
    "le pain de campagne est-il au levain",
    "faites-vous des cartes cadeaux",
    "acceptez-vous les chèques",
    "le plateau est-il huilé",
    "où se trouve votre atelier",
    "combien coûte une table en chêne",
    "vendez-vous du café en grains",
    "faites-vous des brioches le dimanche",
    "le magasin a-t-il un parking",
]


@pytest.fixture(scope="module")
def trained() -> EscalationDetector:
    return EscalationDetector(classifier_threshold=0.6, confirm_threshold=0.4).fit(
        TENSE + CALM, [True] * len(TENSE) + [False] * len(CALM)
    )


def test_rules_only_until_fitted() -> None:
    detector = EscalationDetector()
    assert not detector.is_fitted
    result = detector.detect("Ah, pour encaisser vous êtes rapides.")
    assert result.classifier_probability is None
    with pytest.raises(EscalationError, match="pas entraîné"):
        detector.predict_proba(["bonjour"])


def test_classifier_catches_what_the_rules_miss(trained: EscalationDetector) -> None:
    message = "Pour encaisser vous êtes rapides, pour livrer c'est autre chose"
    assert not EscalationDetector().detect(message).sensitive
    result = trained.detect(message)
    assert result.sensitive
    assert result.categories == ("signal_appris",)
    assert "probabilité" in result.reasons[0][1]


def test_classifier_leaves_calm_questions_alone(trained: EscalationDetector) -> None:
    result = trained.detect("Avez-vous ce vase en vert ?")
    assert not result.sensitive
    assert result.classifier_probability is not None and result.classifier_probability < 0.5


def test_probabilities_are_in_range(trained: EscalationDetector) -> None:
    probabilities = trained.predict_proba(["encaisser vite", "horaires du samedi"])
    assert probabilities.shape == (2,)
    assert 0 <= probabilities[1] < probabilities[0] <= 1


def test_negated_cue_is_hidden_from_the_classifier() -> None:
    urgent = [
        "c'est urgent",
        "urgent svp",
        "très urgent merci",
        "urgent, répondez",
        "urgent pour demain",
        "urgent le devis",
        "urgent la facture",
        "urgent le colis",
        "urgent la pose",
        "urgent le pain",
    ]
    calm = [
        "une question",
        "le devis svp",
        "la facture svp",
        "le colis svp",
        "la pose svp",
        "le pain svp",
        "merci pour le devis",
        "bonjour, une info",
        "question sur la pose",
        "question sur le pain",
    ]
    detector = EscalationDetector().fit(urgent + calm, [True] * 10 + [False] * 10)
    negated, plain = detector.predict_proba(["ce n'est pas urgent", "c'est urgent"])
    assert negated < 0.5 < plain


def test_fit_refuses_bad_training_data() -> None:
    with pytest.raises(EscalationError, match="autant"):
        EscalationDetector().fit(["a", "b"], [True])
    with pytest.raises(EscalationError, match="sensibles et non sensibles"):
        EscalationDetector().fit(CALM, [False] * len(CALM))
    with pytest.raises(EscalationError):
        EscalationDetector(classifier_threshold=0.3, confirm_threshold=0.6)


def test_the_labelled_set_is_large_balanced_and_split() -> None:
    messages = load_messages(DATASET)
    assert len(messages) >= 200
    sensitive = sum(m.sensitive for m in messages)
    assert 0.4 <= sensitive / len(messages) <= 0.6
    assert len({m.text for m in messages}) == len(messages)
    assert Counter(m.split for m in messages).keys() == {"dev", "test"}
    categories = {m.category for m in messages if m.sensitive}
    assert categories == {
        "demande_humain",
        "colere_detresse",
        "reclamation",
        "urgence",
        "menace_juridique",
        "sante_securite",
        "evenement_personnel",
        "probleme_grave",
    }


def test_loader_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps({"text": "ok", "sensitive": False, "category": "x"}) + "\n{pas du json\n", encoding="utf-8"
    )
    with pytest.raises(EscalationError, match="Ligne 2"):
        load_messages(path)
    path.write_text(json.dumps({"text": "ok", "sensitive": "oui", "category": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(EscalationError, match="booléen"):
        load_messages(path)
