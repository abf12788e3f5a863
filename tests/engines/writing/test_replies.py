"""Reply drafts: intent, 2–3 drafts in the company's voice, reuse of the e-mail's own date."""

from __future__ import annotations

import datetime as dt

from etabli.engines.llm import TEMPLATE_LABEL, Voice, check_grounding
from etabli.engines.writing import EmailInput, detect_intent, draft_replies
from etabli.engines.writing.mail.parse import from_fields

from .conftest import numbers_in

MONDAY = dt.datetime(2026, 11, 23, 9, 0)


def _mail(subject: str, body: str, sender: str = "Paul Martin <paul.martin@orange.fr>") -> EmailInput:
    return EmailInput(sender, subject, body, date=MONDAY)


def test_intents() -> None:
    cases = {
        "devis": _mail("Demande de devis", "Pourriez-vous nous faire un devis pour une terrasse ?"),
        "rendez_vous": _mail("Visite", "Seriez-vous disponible mardi pour un rendez-vous ?"),
        "reclamation": _mail("Meuble abîmé", "La table est arrivée abîmée, c'est inacceptable."),
        "facture": _mail("Facture 118", "Veuillez trouver ci-joint notre facture."),
        "candidature": _mail("Candidature", "Je vous adresse ma candidature et mon CV."),
        "demarchage": _mail("Référencement", "Je me permets de vous contacter pour vous présenter notre solution de référencement."),
        "question": _mail("Bibliothèque", "Existe-t-elle en chêne ?"),
        "information": _mail("Merci", "Le dressing est magnifique."),
    }
    for intent, email in cases.items():
        assert detect_intent(from_fields(email)) == intent, intent


def test_appointment_drafts_reuse_the_proposed_date(vous_voice: Voice) -> None:
    email = _mail("Rendez-vous escalier", "Bonjour, seriez-vous disponible mardi 1er décembre à 14h pour passer voir l'escalier ?")
    result = draft_replies(email, voice=vous_voice)
    assert result.intent == "rendez_vous" and [d.kind for d in result.drafts] == ["accepter", "proposer_date", "preciser"]
    accept, other, _details = result.drafts
    assert "C'est d'accord pour mardi 1er décembre à 14h" in accept.text
    assert "[à compléter : date et heure proposées]" in other.text  # the new date is the company's to choose
    for draft in result.drafts:
        assert draft.text.startswith("Bonjour Paul,")
        assert draft.text.endswith("Jean Martin\nMenuiserie Martin")
        assert draft.label == TEMPLATE_LABEL and not draft.generated_by_ai
        assert not draft.warnings, draft.warnings
        assert numbers_in(draft.text) <= numbers_in(email.body)
        assert check_grounding(draft.text, [email.body, email.sender, "Jean Martin Menuiserie Martin"]).ok


def test_complaint_in_tutoiement_without_banned_words(tu_voice: Voice) -> None:
    email = _mail("Commande abîmée", "La table est arrivée abîmée, c'est inadmissible. Je veux une solution.", sender="Marc <marc@free.fr>")
    result = draft_replies(email, voice=tu_voice)
    assert result.intent == "reclamation" and len(result.drafts) == 3
    for draft in result.drafts:
        lowered = draft.text.lower()
        assert "désolés" not in lowered and "vous" not in lowered and "votre" not in lowered
        assert draft.text.startswith("Bonjour Marc,") and draft.text.endswith("L'équipe Martin")
        assert not draft.warnings
    assert any("ton mécontentement" in d.text for d in result.drafts)


def test_relative_date_is_resolved_in_the_reply() -> None:
    result = draft_replies(_mail("Passage", "Pouvez-vous passer demain à 10h pour le rendez-vous ?"))
    assert "C'est d'accord pour mardi 24/11/2026 à 10h" in result.drafts[0].text


def test_quote_request_asks_for_details_and_never_prices() -> None:
    result = draft_replies(_mail("Devis", "Bonjour, combien coûterait un escalier en chêne ?"))
    assert result.intent == "devis"
    details = next(d for d in result.drafts if d.kind == "preciser")
    assert "dimensions" in details.text and "€" not in details.text
    assert all("€" not in d.text for d in result.drafts)


def test_information_mail_gets_two_drafts_and_unknown_sender_a_plain_greeting() -> None:
    result = draft_replies(EmailInput("contact@fournisseur.fr", "Fermeture", "Nos bureaux seront fermés la semaine prochaine."))
    assert result.intent == "information" and len(result.drafts) == 2
    assert all(d.text.startswith("Bonjour,") for d in result.drafts)
