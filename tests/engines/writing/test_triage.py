"""Triage on characteristic French e-mails, including negated urgency and alarming newsletters."""

from __future__ import annotations

import datetime as dt

import pytest

from etabli.engines.llm import LLMEngine, TemplateProvider
from etabli.engines.writing import LABELS, EmailInput, RuleTriager, triage_email

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def _mail(sender: str, subject: str, body: str, **headers: str) -> EmailInput:
    return EmailInput(sender, subject, body, headers={k.replace("_", "-"): v for k, v in headers.items()}, date=MONDAY)


CASES = [
    ("urgent", _mail("Mme Durand <durand@gmail.com>", "Fuite sous l'évier", "Bonjour, j'ai une fuite importante depuis ce matin, pouvez-vous passer aujourd'hui ?")),
    ("urgent", _mail("Cabinet Leroy <contact@leroy-avocats.fr>", "Mise en demeure – facture 2026-114",
                     "Sans règlement de votre part sous huitaine, nous engagerons une procédure d'injonction de payer.")),
    ("urgent", _mail("Marc Petit <m.petit@free.fr>", "Commande", "J'ai commandé il y a trois semaines et toujours rien. C'est inadmissible, je veux être remboursé.")),
    ("urgent", _mail("Compta Bois & Fils <compta@boisfils.fr>", "RELANCE – facture impayée",
                     "La facture F-2026-0412 reste impayée malgré nos relances. Merci de la régler sous 48h.")),
    ("a_traiter", _mail("Paul Martin <paul@orange.fr>", "Devis escalier", "Pouvez-vous m'envoyer un devis pour un escalier en chêne ? Ce n'est pas urgent, c'est pour le printemps.")),
    ("a_traiter", _mail("Julie <julie@atelier.fr>", "Inventaire", "Rien d'urgent : tu pourrais me dire combien il reste de plaques de 18 ?")),
    ("a_traiter", _mail("Facturation <facturation@bois.fr>", "Facture F-118", "Veuillez trouver ci-joint la facture F-118, payable à 30 jours, avant le 23/12/2026.")),
    ("information", _mail("EDF <no-reply@edf.fr>", "Votre facture est disponible", "Votre facture est disponible. Elle sera prélevée automatiquement le 05/12/2026.")),
    ("information", _mail("Julie <julie@atelier.fr>", "CR réunion", "Pour info, voici le compte rendu de la réunion de ce matin. Pas besoin de répondre.")),
    ("information", _mail("Julie <julie@atelier.fr>", "Dossier Dupont", "Pour info, le dossier urgent de la semaine dernière est réglé. Rien à faire de ton côté.")),
    ("publicite", _mail("Brico Direct <newsletter@news.bricodirect.fr>", "URGENT : dernières heures pour profiter de -50 %",
                        "Profitez de -50 % sur tout le site avec le code NOEL. Se désabonner", List_Unsubscribe="<mailto:u@bricodirect.fr>")),
    ("publicite", _mail("Sophie <sophie@agence-web.fr>", "Votre visibilité", "Je me permets de vous contacter pour vous présenter notre solution de référencement. Seriez-vous disponible pour un rapide appel ?")),
]


@pytest.mark.parametrize(("expected", "email"), CASES, ids=[f"{label}-{i}" for i, (label, _e) in enumerate(CASES)])
def test_characteristic_emails(expected: str, email: EmailInput) -> None:
    result = triage_email(email)
    assert result.label == expected, (result.scores, result.reasons)
    assert 0.25 < result.confidence <= 1.0
    assert result.reasons and all(isinstance(r, str) and r for r in result.reasons)
    assert not result.generated_by_ai and result.provider == "règles"
    assert set(result.scores) == set(LABELS)


def test_negation_flips_urgency_and_is_explained() -> None:
    urgent = triage_email(_mail("a@b.fr", "Escalier", "C'est urgent : pouvez-vous m'envoyer le devis ?"))
    negated = triage_email(_mail("a@b.fr", "Escalier", "Ce n'est pas urgent : pouvez-vous m'envoyer le devis ?"))
    no_longer = triage_email(_mail("a@b.fr", "Escalier", "Ce n'est plus urgent, pouvez-vous m'envoyer le devis quand vous aurez le temps ?"))
    assert urgent.label == "urgent" and any("Urgence exprimée" in r for r in urgent.reasons)
    assert negated.label == "a_traiter" and any("Urgence explicitement écartée : « pas urgent »" in r for r in negated.reasons)
    assert no_longer.label == "a_traiter"
    assert negated.scores["urgent"] < urgent.scores["urgent"]


def test_bulk_mail_urgency_is_discounted() -> None:
    headers = {"List-Unsubscribe": "<mailto:u@shop.fr>"}
    bulk = triage_email(EmailInput("Shop <offres@shop.fr>", "URGENT : action requise", "Votre remise expire ce soir !", headers=headers, date=MONDAY))
    plain = triage_email(EmailInput("Client <c@gmail.com>", "URGENT : action requise", "Votre remise expire ce soir !", date=MONDAY))
    assert bulk.label == "publicite" and any("List-Unsubscribe" in r for r in bulk.reasons)
    assert bulk.scores["urgent"] < plain.scores["urgent"]


def test_deadline_resolved_against_the_email_date() -> None:
    soon = triage_email(_mail("a@b.fr", "Dossier", "Merci de m'envoyer le dossier avant demain midi."))
    later = triage_email(_mail("a@b.fr", "Dossier", "Merci de m'envoyer le dossier avant le 20/12/2026."))
    assert soon.label == "urgent" and later.label == "a_traiter"
    assert any("Échéance à noter" in r for r in later.reasons) or later.scores["a_traiter"] > later.scores["urgent"]


def test_predict_many_and_raw_text() -> None:
    raw = "From: EDF <no-reply@edf.fr>\nSubject: Paiement reçu\nDate: Mon, 23 Nov 2026 09:00:00 +0100\n\nNous avons bien reçu votre paiement."
    results = RuleTriager().predict_many([raw, CASES[0][1]])
    assert [r.label for r in results] == ["information", "urgent"]


def test_template_engine_keeps_the_rules_label() -> None:
    email = CASES[4][1]
    records: list[object] = []
    engine = LLMEngine(TemplateProvider(), on_call=records.append)
    confident = triage_email(email, engine=engine)  # the rules are sure: the model is not consulted
    assert confident == triage_email(email) and records == []
    asked = triage_email(email, engine=engine, consult_model_below=1.01)
    assert asked.label == confident.label and not asked.generated_by_ai and len(records) == 1
    assert asked.warnings and "Aucun modèle" in asked.warnings[0]
