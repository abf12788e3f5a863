"""Passage retrieval: ranking by BM25, a coverage score that can be thresholded, picklable, immutable."""

import pickle

import pytest

from etabli.engines.search import Passage, PassageIndex, SearchError, chunk_document

HANDBOOK = """# Notes de frais
Remettez la note de frais avant le 5 du mois suivant, avec les justificatifs au nom de l'entreprise.

# Congés
Demandez vos congés un mois à l'avance avec le formulaire d'absence.

# Sécurité
Les lunettes de protection sont obligatoires devant chaque machine de l'atelier.
"""


@pytest.fixture(scope="module")
def index():
    chunks = chunk_document(HANDBOOK, title="Livret")
    return PassageIndex().fit([Passage(f"p{c.index}", c.title, c.text) for c in chunks])


def test_best_passage_and_full_coverage(index):
    hits = index.search("Comment faire ma note de frais ?")
    assert hits[0].passage_id == "p0" and hits[0].title == "Livret › Notes de frais"
    assert hits[0].coverage == pytest.approx(1.0)
    assert "avant le 5 du mois" in hits[0].snippet


def test_question_words_do_not_lower_the_coverage(index):
    plain = index.search("congés formulaire")[0]
    asked = index.search("Comment et quand dois-je demander mes congés avec le formulaire ?")[0]
    assert plain.passage_id == asked.passage_id == "p1"
    assert asked.coverage == pytest.approx(1.0)


def test_words_absent_from_every_passage_lower_the_coverage(index):
    hit = index.search("lunettes de soleil pour la terrasse du restaurant")[0]
    assert hit.passage_id == "p2" and hit.coverage < 0.5
    assert index.search("baguette tradition") == []


def test_accents_and_forms_meet(index):
    assert index.search("securite lunette atelier")[0].passage_id == "p2"


def test_empty_index_bad_input_and_duplicates():
    assert PassageIndex().fit([]).search("frais") == []
    with pytest.raises(SearchError):
        PassageIndex().fit([Passage("a", "", "x"), Passage("a", "", "y")])
    with pytest.raises(SearchError):
        PassageIndex().search("   ")


def test_picklable_for_the_apps_cache(index):
    copy = pickle.loads(pickle.dumps(index))
    assert [h.passage_id for h in copy.search("note de frais")] == [h.passage_id for h in index.search("note de frais")]
