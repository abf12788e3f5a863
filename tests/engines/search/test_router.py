"""IntentRouter: every route, clarify on ambiguity, typos, bad input, concurrency."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from etabli.engines.search import FaqEntry, IntentRouter, RouterThresholds, SearchError

SHOP_KB = [
    FaqEntry(
        "horaires",
        (
            "Êtes-vous ouverts le samedi ?",
            "Quels sont vos horaires d'ouverture ?",
            "Vous êtes ouverts le dimanche ?",
        ),
        "Nous sommes ouverts du mardi au samedi, de 9 h à 19 h.",
        "Horaires d'ouverture",
    ),
    FaqEntry(
        "delais",
        (
            "Quels sont vos délais de livraison ?",
            "Combien de temps pour recevoir ma commande ?",
            "Quand vais-je recevoir mon colis ?",
        ),
        "Les commandes partent sous 48 h ; livraison en 3 à 5 jours ouvrés.",
        "Délais de livraison",
    ),
    FaqEntry(
        "retours",
        ("Acceptez-vous les retours ?", "Comment retourner un article ?", "Puis-je renvoyer un produit ?"),
        "Vous disposez de 14 jours pour nous retourner un article non utilisé.",
        "Retours",
    ),
    FaqEntry(
        "paiement",
        (
            "Quels moyens de paiement acceptez-vous ?",
            "Puis-je payer par chèque ?",
            "Le paiement en trois fois est-il possible ?",
        ),
        "Carte bancaire, virement et chèque ; paiement en 3 fois dès 150 €.",
        "Moyens de paiement",
    ),
    FaqEntry(
        "couleurs",
        (
            "Ce produit existe-t-il en d'autres couleurs ?",
            "Avez-vous ce modèle en bleu ?",
            "Quelles teintes proposez-vous ?",
        ),
        "Les couleurs disponibles sont indiquées sur chaque fiche produit.",
        "Couleurs disponibles",
    ),
    FaqEntry(
        "cadeaux",
        (
            "Vendez-vous des cartes cadeaux ?",
            "Faites-vous des emballages cadeaux ?",
            "Puis-je offrir un bon d'achat ?",
        ),
        "Cartes cadeaux de 20 à 200 € ; emballage cadeau offert sur demande.",
        "Cadeaux",
    ),
    FaqEntry(
        "livraison_france",
        ("Combien coûte la livraison en France ?", "Frais de port pour la France ?"),
        "5,90 € en France métropolitaine, offerte dès 60 €.",
        "Frais de livraison en France",
    ),
    FaqEntry(
        "livraison_belgique",
        ("Combien coûte la livraison en Belgique ?", "Frais de port pour la Belgique ?"),
        "9,90 € pour la Belgique.",
        "Frais de livraison en Belgique",
    ),
]


@pytest.fixture(scope="module")
def router() -> IntentRouter:
    return IntentRouter().fit(SHOP_KB)


def test_known_question_is_answered_with_its_answer(router: IntentRouter) -> None:
    result = router.route("Êtes-vous ouverts le samedi ?")
    assert result.route == "answered"
    assert result.entry_id == "horaires"
    assert result.answer == SHOP_KB[0].answer
    assert result.confidence >= router.thresholds.answer
    assert "Horaires d'ouverture" in result.reasons[0]


def test_paraphrase_without_accents_is_answered(router: IntentRouter) -> None:
    result = router.route("vous etes ouvert samedi ?")
    assert result.route == "answered"
    assert result.entry_id == "horaires"


def test_typos_still_find_the_entry(router: IntentRouter) -> None:
    result = router.route("quells sont vos horraires d'ouvertur")
    assert result.candidates[0].entry_id == "horaires"


def test_medium_confidence_is_answered_with_a_person_offered() -> None:
    lenient = IntentRouter(
        thresholds=RouterThresholds(answer=0.999, offer_human=0.05, clarify_margin=0.0)
    ).fit(SHOP_KB)
    result = lenient.route("je voudrais renvoyer un pull")
    assert result.route == "answered_offer_human"
    assert result.entry_id == "retours"
    assert result.answer == SHOP_KB[2].answer
    assert "parler à une personne" in result.reasons[0]


def test_two_close_entries_lead_to_a_clarifying_question(router: IntentRouter) -> None:
    result = router.route("Combien coûte la livraison ?")
    assert result.route == "clarify"
    assert result.entry_id is None and result.answer is None
    assert {c.entry_id for c in result.candidates[:2]} == {"livraison_france", "livraison_belgique"}
    assert "Frais de livraison en France" in result.reasons[0]
    assert "Frais de livraison en Belgique" in result.reasons[0]


def test_off_topic_question_is_escalated(router: IntentRouter) -> None:
    result = router.route("Quel temps fera-t-il demain à Brest ?")
    assert result.route == "escalated"
    assert result.entry_id is None and result.answer is None
    assert "je transmets à l'équipe" in result.reasons[-1]


def test_empty_kb_escalates() -> None:
    result = IntentRouter().fit([]).route("Êtes-vous ouverts ?")
    assert result.route == "escalated"
    assert result.candidates == ()
    assert "aucune réponse" in result.reasons[0]


def test_confidence_is_a_probability_and_orders_questions(router: IntentRouter) -> None:
    exact = router.route("Acceptez-vous les retours ?").confidence
    vague = router.route("une question sur un article").confidence
    assert 0.0 <= vague < exact <= 1.0


def test_candidates_are_at_most_three_sorted_with_signals(router: IntentRouter) -> None:
    result = router.route("délais de livraison")
    scores = [c.score for c in result.candidates]
    assert len(result.candidates) <= 3 and scores == sorted(scores, reverse=True)
    assert set(result.candidates[0].components) == set(router.components)


def test_classifier_needs_enough_variants() -> None:
    assert "classifier" in IntentRouter().fit(SHOP_KB).components
    one_each = [FaqEntry(e.entry_id, e.questions[:1], e.answer) for e in SHOP_KB]
    small = IntentRouter().fit(one_each)
    assert small.components == ("bm25", "chars")
    assert not small.is_calibrated
    assert small.route("Acceptez-vous les retours ?").entry_id == "retours"


def test_calibration_needs_enough_variants(router: IntentRouter) -> None:
    assert not router.is_calibrated  # 22 variants: the similarity itself is the confidence
    products = [
        "baguette",
        "croissant",
        "brioche",
        "fougasse",
        "chouquette",
        "éclair",
        "tarte",
        "galette",
        "macaron",
        "cannelé",
        "madeleine",
        "financier",
    ]
    templates = [
        "Avez-vous des {p}s ?",
        "Le {p} est-il en stock ?",
        "Quel est le prix du {p} ?",
        "Combien coûte un {p} ?",
        "Faites-vous le {p} tous les jours ?",
        "Je voudrais réserver un {p}.",
    ]
    entries = [
        FaqEntry(p, tuple(t.format(p=p) for t in templates), f"Oui, le {p} est fait maison.")
        for p in products
    ]
    large = IntentRouter().fit(entries)
    assert large.is_calibrated
    result = large.route("Avez-vous des croissants ?")
    assert result.calibrated and result.entry_id == "croissant"
    assert not IntentRouter(calibrate=False).fit(entries).is_calibrated


def test_embedding_hook_is_used_when_given() -> None:
    def letters(text: str) -> list[float]:
        return [float(text.lower().count(c)) for c in "abcdefghijklmnopqrstuvwxyz"]

    router = IntentRouter(embedder=letters).fit(SHOP_KB)
    assert "embedding" in router.components
    result = router.route("Acceptez-vous les retours ?")
    assert 0.0 <= result.candidates[0].components["embedding"] <= 1.0
    assert result.entry_id == "retours"


def test_empty_or_non_text_question_is_refused(router: IntentRouter) -> None:
    with pytest.raises(SearchError, match="vide"):
        router.route("   ")
    with pytest.raises(SearchError, match="texte"):
        router.route(42)  # type: ignore[arg-type]


def test_very_long_question_is_capped_with_a_french_notice(router: IntentRouter) -> None:
    result = router.route("Êtes-vous ouverts le samedi ? " + "bla " * 2500)
    assert result.truncated
    assert result.reasons[0].startswith("Message trop long")
    assert result.candidates[0].entry_id == "horaires"


def test_bad_kb_entries_are_refused() -> None:
    with pytest.raises(SearchError, match="même identifiant"):
        IntentRouter().fit([SHOP_KB[0], SHOP_KB[0]])
    with pytest.raises(SearchError, match="aucune formulation"):
        IntentRouter().fit([FaqEntry("x", ("  ",), "réponse")])
    with pytest.raises(SearchError, match="pas de réponse"):
        IntentRouter().fit([FaqEntry("x", ("question ?",), " ")])


def test_bad_thresholds_are_refused() -> None:
    with pytest.raises(SearchError):
        RouterThresholds(answer=0.4, offer_human=0.6)


def test_batch_score_agrees_with_route(router: IntentRouter) -> None:
    questions = ["Acceptez-vous les retours ?", "Vendez-vous des cartes cadeaux ?"]
    scores = router.score(questions)
    ids = [e.entry_id for e in router.entries]
    assert [ids[i] for i in np.argmax(scores, axis=1)] == ["retours", "cadeaux"]


def test_to_dict_gives_the_cli_fields(router: IntentRouter) -> None:
    data = router.route("Vendez-vous des cartes cadeaux ?").to_dict()
    assert {"answer", "confidence", "route", "reasons", "candidates"} <= set(data)
    assert data["route"] == "answered"


def test_concurrent_routing_gives_the_sequential_answers(router: IntentRouter) -> None:
    questions = [
        "Êtes-vous ouverts le samedi ?",
        "Combien coûte la livraison ?",
        "météo demain",
        "Puis-je payer par chèque ?",
    ]
    expected = {q: (router.route(q).route, router.route(q).entry_id) for q in questions}
    errors: list[BaseException] = []
    barrier = threading.Barrier(20)

    def worker(offset: int) -> None:
        try:
            barrier.wait()
            for k in range(8):
                question = questions[(offset + k) % len(questions)]
                result = router.route(question)
                assert (result.route, result.entry_id) == expected[question]
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
