"""Rules of the sensitive-message detector: each category, negations, product names, reasons."""

from __future__ import annotations

import pytest

from etabli.engines.escalation import CATEGORY_LABELS, EscalationError, detect, find_signals, rule_score


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("Je veux parler à quelqu'un !", "demande_humain"),
        ("un humain svp", "demande_humain"),
        ("Passez-moi un conseiller, votre robot ne comprend rien.", "demande_humain"),
        ("Pouvez-vous me rappeler demain matin ?", "demande_humain"),
        ("C'est inadmissible, trois semaines sans nouvelles !", "colere_detresse"),
        ("Bande d'incompétents.", "colere_detresse"),
        ("Je suis désespérée, je ne sais plus quoi faire.", "colere_detresse"),
        ("Merci pour rien.", "colere_detresse"),
        ("Je souhaite déposer une réclamation.", "reclamation"),
        ("Le vase est arrivé cassé.", "reclamation"),
        ("La porte ne ferme plus depuis la pose.", "reclamation"),
        ("C'est urgent, il me faut la facture.", "urgence"),
        ("Répondez-moi au plus vite.", "urgence"),
        ("Sans réponse sous 48 h, je saisis mon avocat.", "menace_juridique"),
        ("Je vais écrire à la DGCCRF.", "menace_juridique"),
        ("Je vous adresse une mise en demeure.", "menace_juridique"),
        ("J'en parlerai à 60 millions de consommateurs.", "menace_juridique"),
        ("Mon fils a fait une réaction allergique après la brioche.", "sante_securite"),
        ("Risque d'intoxication avec ce plat ?", "sante_securite"),
        ("Je me suis blessé avec le meuble.", "sante_securite"),
        ("Danger : des fils dépassent de la cuisine.", "sante_securite"),
        ("C'était pour l'anniversaire de ma fille aujourd'hui.", "evenement_personnel"),
        ("Suite au décès de mon père, j'annule.", "evenement_personnel"),
        ("Notre mariage est samedi et rien n'est prêt.", "evenement_personnel"),
        ("J'ai un problème grave avec l'installation.", "probleme_grave"),
        ("Gros souci avec la terrasse.", "probleme_grave"),
    ],
)
def test_each_category_is_detected(message: str, category: str) -> None:
    result = detect(message)
    assert result.sensitive
    assert category in result.categories


def test_acceptance_example_escalates_for_both_reasons() -> None:
    result = detect("Je veux parler à quelqu'un, c'est urgent")
    assert result.sensitive
    assert {"demande_humain", "urgence"} <= set(result.categories)


def test_guide_example_anniversary_order() -> None:
    result = detect(
        "Ma commande n°12345 n'est pas arrivée et c'était pour l'anniversaire de ma fille aujourd'hui"
    )
    assert result.sensitive and "evenement_personnel" in result.categories


@pytest.mark.parametrize(
    "message",
    [
        "Ce n'est pas urgent, mais pourriez-vous m'envoyer le devis ?",
        "c'est pas urgent du tout",
        "Sans urgence : avez-vous reçu mes mesures ?",
        "Rien d'urgent, une simple question.",
        "Aucune urgence, répondez quand vous pourrez.",
        "Je ne suis pas pressée.",
        "Pas besoin de parler à quelqu'un, je veux juste le lien de suivi.",
        "Je n'ai pas besoin d'un conseiller, juste du prix.",
        "Inutile de me rappeler, un mail suffira.",
        "Pas de gros problème, je peux attendre.",
        "Ce n'est vraiment pas un problème grave.",
    ],
)
def test_negated_cues_do_not_escalate(message: str) -> None:
    result = detect(message)
    assert not result.sensitive, result.reasons
    assert any(not s.kept and s.why_dropped == "nié" for s in result.signals)


def test_negation_is_limited_to_its_clause() -> None:
    result = detect("Ce n'est pas urgent, mais je suis furieux.")
    assert result.sensitive
    assert "colere_detresse" in result.categories and "urgence" not in result.categories


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("je ne suis pas content", "colere_detresse"),
        ("Je ne suis pas satisfaite des finitions.", "colere_detresse"),
        ("Ce n'est pas normal d'attendre un mois.", "colere_detresse"),
        ("Je ne peux pas attendre lundi.", "urgence"),
        ("La lampe ne fonctionne pas.", "reclamation"),
        ("Je ne veux pas parler à une machine.", "demande_humain"),
        ("Ce n'est pas dangereux pour un bébé ?", "sante_securite"),
    ],
)
def test_negative_phrasings_that_are_sensitive(message: str, category: str) -> None:
    result = detect(message)
    assert result.sensitive and category in result.categories


@pytest.mark.parametrize(
    "message",
    [
        "Le baume « Réparation Urgente » est-il en stock ?",
        "Avez-vous toujours le coffret Urgence Chocolat ?",
        "Je cherche le kit urgence bricolage.",
    ],
)
def test_urgent_in_a_product_name_is_not_urgency(message: str) -> None:
    result = detect(message)
    assert not result.sensitive
    assert any(s.category == "urgence" and not s.kept for s in result.signals)


def test_avocado_is_not_a_lawyer() -> None:
    assert not detect("Vos sandwichs à l'avocat sont-ils prêts ?").sensitive
    assert not detect("Le toast avocat-saumon contient-il du sésame ?").sensitive
    assert detect("Je vais en parler à mon avocat.").sensitive


def test_event_words_in_product_questions_are_weak() -> None:
    assert not detect("Faites-vous des gâteaux d'anniversaire ?").sensitive
    assert not detect("Vous faites des faire-part de mariage ?").sensitive
    assert detect("Le gâteau de notre mariage n'est pas confirmé.").sensitive


def test_shouting_and_insistent_punctuation() -> None:
    assert detect("C'EST LA TROISIÈME FOIS QUE J'ÉCRIS").sensitive
    assert not detect("Merci beaucoup !!!").sensitive  # one weak cue is not enough
    assert detect("Toujours rien reçu !!!").sensitive


def test_polite_messages_are_not_sensitive() -> None:
    for message in (
        "Êtes-vous ouverts le samedi ?",
        "Pourriez-vous me rappeler la date de la pose ?",
        "Bravo pour le travail, l'escalier est magnifique.",
        "Acceptez-vous les chèques ?",
        "Ce n'est pas grave si le colis arrive lundi.",
    ):
        assert not detect(message).sensitive, message


def test_reasons_are_french_and_quote_the_customer() -> None:
    result = detect("URGENT svp, la commande n'est pas arrivée")
    _, sentence = next(r for r in result.reasons if r[0] == "urgence")
    assert sentence.startswith(CATEGORY_LABELS["urgence"])
    assert "« URGENT »" in sentence


def test_score_combines_weak_cues() -> None:
    one_weak = find_signals("Bravo.")
    assert 0 < rule_score(one_weak) < 0.5
    two_weak = find_signals("Bravo. Décidément.")
    assert rule_score(two_weak) >= 0.5
    assert rule_score(find_signals("Êtes-vous ouverts ?")) == 0.0


def test_bad_input() -> None:
    with pytest.raises(EscalationError, match="vide"):
        detect("   ")
    with pytest.raises(EscalationError, match="texte"):
        detect(None)  # type: ignore[arg-type]


def test_long_message_is_capped_with_a_french_notice() -> None:
    result = detect("Je veux parler à quelqu'un. " + "x" * 10_000)
    assert result.truncated and result.sensitive
    assert (
        "message_tronque",
        "Message trop long : seuls les 4\u202f000 premiers caractères ont été analysés.",
    ) in result.reasons
