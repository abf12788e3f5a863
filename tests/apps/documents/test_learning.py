"""The classifier learns from the owner's corrections (retrained in the background) and skips retraining
when nothing changed."""

from __future__ import annotations

import pytest

from etabli.documents.models import ClassifierState, Document
from etabli.documents.services import learning, validation
from tests.apps.documents.conftest import read
from tests.apps.documents.factories import make_pdf

pytestmark = pytest.mark.django_db

WORKSHEET = ["FICHE D'INTERVENTION N° {n}", "Technicien : Karim Benali", "Site : Hôtel Le Pélican, Nantes",
             "Heure d'arrivée : 08:30 - Heure de départ : 11:15", "Travaux réalisés : réglage des portes coupe-feu",
             "Pièces utilisées : 2 ferme-portes", "Observations : RAS", "Signature du client"]


def _worksheet(n: int) -> bytes:
    return make_pdf([line.format(n=n) for line in WORKSHEET])


def test_a_correction_retrains_the_classifier_and_the_next_document_follows_it(company, committed):
    first = read(company, _worksheet(101), "fiche-101.pdf")
    predicted = first.doc_type
    wanted = "bon_de_livraison" if predicted != "bon_de_livraison" else "autre"
    committed(validation.correct_document, document=first, doc_type=wanted)  # retraining runs after the commit
    state = ClassifierState.objects.get(company=company)
    assert state.trained_at is not None and state.samples == 1 and state.model_blob
    second = read(company, _worksheet(102), "fiche-102.pdf")
    assert second.doc_type == wanted, f"still {second.doc_type} after the correction"
    assert second.doc_type_source == "model"


def test_retraining_is_skipped_when_nothing_changed(company, committed):
    first = read(company, _worksheet(7), "fiche.pdf")
    committed(validation.correct_document, document=first, doc_type="autre" if first.doc_type != "autre" else "devis")
    state = ClassifierState.objects.get(company=company)
    trained_at, skipped = state.trained_at, state.skipped_count
    result = learning.retrain(company)
    assert result["retrained"] is False and "inchangé" in result["reason"]
    state.refresh_from_db()
    assert state.trained_at == trained_at and state.skipped_count == skipped + 1


def test_without_corrections_the_seed_model_is_used(company):
    result = learning.retrain(company)
    assert result["retrained"] is False
    assert learning.classifier_for(company) is learning.seed_classifier()


def test_document_types_of_the_app_are_the_engines():
    from etabli.documents.models import DOC_TYPE_CHOICES
    from etabli.engines.classify.labels import DOC_TYPE_LABELS, DOC_TYPES

    assert [code for code, _ in DOC_TYPE_CHOICES] == list(DOC_TYPES)
    assert dict(DOC_TYPE_CHOICES) == dict(DOC_TYPE_LABELS)
    assert Document._meta.get_field("doc_type").choices == DOC_TYPE_CHOICES
