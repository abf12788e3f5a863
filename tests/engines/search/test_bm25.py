"""BM25 scoring and the mutable index."""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest

from etabli.engines.search import BM25Index, BM25Scorer, Document, SearchError


def _faq_index(**kwargs: object) -> BM25Index:
    index = BM25Index(**kwargs)  # type: ignore[arg-type]
    index.add_many(
        [
            Document(
                "horaires",
                {
                    "question": ["Êtes-vous ouverts le samedi ?", "Quels sont vos horaires d'ouverture ?"],
                    "answer": "Nous sommes ouverts du mardi au samedi, de 9 h à 19 h.",
                },
            ),
            Document(
                "livraison",
                {
                    "question": ["Quels sont vos délais de livraison ?"],
                    "answer": "Les commandes partent sous 48 h ; livraison en 3 à 5 jours ouvrés.",
                },
            ),
            Document(
                "retours",
                {
                    "question": ["Acceptez-vous les retours ?"],
                    "answer": "Vous avez 14 jours pour retourner un article.",
                },
            ),
        ]
    )
    return index


def test_scorer_matches_the_bm25_formula() -> None:
    passages = [["pain", "levain"], ["pain", "seigle", "pain"], ["croissant"]]
    scorer = BM25Scorer(k1=1.2, b=0.75).fit(passages)
    avgdl = (2 + 3 + 1) / 3

    def expected(term: str, tf: int, length: int, df: int) -> float:
        idf = math.log(1 + (3 - df + 0.5) / (df + 0.5))
        return idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * length / avgdl))

    scores = scorer.score(["pain", "seigle"])
    assert scores[0] == pytest.approx(expected("pain", 1, 2, 2))
    assert scores[1] == pytest.approx(expected("pain", 2, 3, 2) + expected("seigle", 1, 3, 1))
    assert scores[2] == 0.0


def test_scorer_counts_each_query_term_once_and_ignores_unknown_terms() -> None:
    scorer = BM25Scorer().fit([["pain"], ["gateau"]])
    assert np.allclose(scorer.score(["pain", "pain", "inconnu"]), scorer.score(["pain"]))


def test_ideal_score_penalises_unknown_words() -> None:
    scorer = BM25Scorer().fit([["pain", "levain"], ["gateau"]])
    assert scorer.ideal_score(["pain", "meteo"]) > scorer.ideal_score(["pain"]) > 0


def test_invalid_parameters_are_refused() -> None:
    with pytest.raises(SearchError):
        BM25Scorer(b=1.5)
    with pytest.raises(SearchError):
        BM25Index(field_weights={"answer": -1})


def test_best_document_comes_first_whatever_the_accents() -> None:
    index = _faq_index()
    assert index.search("vous etes OUVERT le samedi ?")[0].doc_id == "horaires"
    assert index.search("délai de LIVRAISONS")[0].doc_id == "livraison"


def test_rare_term_outweighs_common_term() -> None:
    index = BM25Index()
    index.add_many(
        [
            Document("a", {"text": "pain pain pain"}),
            Document("b", {"text": "pain de seigle"}),
            Document("c", {"text": "pain complet"}),
            Document("d", {"text": "pain aux noix"}),
        ]
    )
    assert index.search("pain seigle")[0].doc_id == "b"


def test_hit_reports_field_and_snippet() -> None:
    hit = _faq_index().search("retourner un article")[0]
    assert hit.doc_id == "retours"
    assert hit.field == "answer"
    assert "14 jours" in hit.snippet


def test_field_weights_favour_questions_over_answers() -> None:
    index = BM25Index(field_weights={"answer": 0.2})
    index.add_many(
        [Document("q", {"question": "horaires du magasin"}), Document("a", {"answer": "horaires du magasin"})]
    )
    hits = index.search("horaires magasin")
    assert [h.doc_id for h in hits] == ["q", "a"]
    assert hits[1].score == pytest.approx(hits[0].score * 0.2)


def test_documents_sharing_no_term_are_left_out_and_k_is_respected() -> None:
    index = _faq_index()
    assert index.search("météo à Brest") == []
    assert len(index.search("vos ouverts livraison retours", k=2)) == 2


def test_add_replaces_and_remove_forgets() -> None:
    index = _faq_index()
    index.add(Document("retours", {"question": "Reprenez-vous les meubles ?"}))
    assert len(index) == 3
    assert index.search("retours") == []
    index.remove("livraison")
    assert "livraison" not in index
    assert all(hit.doc_id != "livraison" for hit in index.search("livraison délais"))


def test_bad_calls_raise_french_errors() -> None:
    index = _faq_index()
    with pytest.raises(SearchError, match="inconnu"):
        index.remove("absent")
    with pytest.raises(SearchError, match="vide"):
        index.search("   ")
    with pytest.raises(SearchError):
        index.search("samedi", k=0)
    with pytest.raises(SearchError, match="identifiant"):
        index.add(Document("", {"question": "x"}))


def test_long_text_gives_the_matching_sentence_as_snippet() -> None:
    filler = "Ce texte parle d'autre chose et ne sert qu'à allonger le passage. " * 6
    index = BM25Index()
    index.add(
        Document("proc", {"body": filler + "Les notes de frais sont remboursées le 10 du mois. " + filler})
    )
    snippet = index.search("remboursement des notes de frais")[0].snippet
    assert snippet == "Les notes de frais sont remboursées le 10 du mois."


def test_concurrent_searches_and_changes_do_not_fail() -> None:
    index = _faq_index()
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(50):
                assert index.search("horaires samedi")[0].doc_id == "horaires"
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    def writer() -> None:
        for number in range(50):
            index.add(Document(f"extra{number}", {"question": f"question annexe {number}"}))

    threads = [threading.Thread(target=reader) for _ in range(6)] + [threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(index) == 53
