"""Thread summary: 3–5 points, decisions, actions with owners and due dates."""

from __future__ import annotations

import datetime as dt

import pytest

from etabli.engines.llm import check_grounding
from etabli.engines.writing import ThreadMessage, WritingError, split_thread, summarize_thread

THREAD = """From: Julie Bernard <julie@menuiserie-martin.fr>
To: Marc Petit <marc.petit@orange.fr>
Subject: Re: Re: Chantier cuisine Petit
Date: Wed, 25 Nov 2026 10:05:00 +0100
Content-Type: text/plain; charset=utf-8

Bonjour Marc,

C'est validé : on part sur le plan de travail en chêne massif à 1 450 € HT.
Je vous envoie le devis modifié avant vendredi.
Thomas passera prendre les cotes le 02/12 à 9h.

Bien cordialement,
Julie

Le mar. 24 nov. 2026 à 18:20, Marc Petit <marc.petit@orange.fr> a écrit :
> Bonjour Julie,
>
> Nous avons réfléchi : nous préférons finalement le chêne massif plutôt que le stratifié.
> Pouvez-vous me confirmer le prix ? Le budget reste de 1 500 € maximum.
>
> Marc
>
> Le lun. 23 nov. 2026 à 09:12, Julie Bernard <julie@menuiserie-martin.fr> a écrit :
>> Bonjour Marc,
>>
>> Suite à notre visite, voici deux options pour le plan de travail : stratifié à 890 € HT ou chêne massif à 1 450 € HT.
>> Les deux sont disponibles sous trois semaines. Merci de me dire votre choix d'ici la fin du mois.
>>
>> Julie
"""


def test_split_thread_rebuilds_messages_oldest_first() -> None:
    messages = split_thread(THREAD)
    assert [m.author for m in messages] == ["Julie Bernard", "Marc Petit", "Julie Bernard"]
    assert [m.date.date() for m in messages if m.date] == [dt.date(2026, 11, 23), dt.date(2026, 11, 24), dt.date(2026, 11, 25)]
    assert messages[1].text.startswith("Bonjour Julie") and ">" not in messages[1].text
    assert "Bien cordialement" not in messages[2].text


def test_summary_points_decisions_and_actions() -> None:
    summary = summarize_thread(THREAD)
    assert summary.subject == "Chantier cuisine Petit" and summary.messages == 3
    assert 3 <= len(summary.points) <= 5
    assert all(p.startswith(("Julie Bernard : ", "Marc Petit : ")) for p in summary.points)
    assert any("on part sur le plan de travail en chêne massif" in d for d in summary.decisions)
    actions = {a.what: a for a in summary.actions}
    devis = actions["Je vous envoie le devis modifié avant vendredi."]
    assert devis.owner == "Julie Bernard" and devis.due == dt.date(2026, 11, 27)
    cotes = actions["Thomas passera prendre les cotes le 02/12 à 9h."]
    assert cotes.owner == "Thomas" and cotes.due == dt.date(2026, 12, 2)
    choice = actions["Merci de me dire votre choix d'ici la fin du mois."]
    assert choice.owner == "Marc Petit" and choice.due == dt.date(2026, 11, 30)
    price = actions["Pouvez-vous me confirmer le prix ?"]
    assert price.owner == "Julie Bernard" and price.due is None
    text = summary.text
    assert "Points clés :" in text and "Décisions :" in text and "Actions :" in text
    assert "(Julie Bernard, pour le vendredi 27/11/2026)" in text
    assert not summary.generated_by_ai and not summary.draft.warnings
    assert check_grounding(text, [THREAD, "3", "27/11/2026", "30/11/2026", "02/12/2026", "lundi"]).ok


def test_list_of_messages_with_named_and_vocative_owners() -> None:
    messages = [
        ThreadMessage("Sophie Laurent", "Bonjour à tous. Le salon de Lyon aura lieu le 12/12. Il faut réserver le stand rapidement.", dt.datetime(2026, 11, 23, 9)),
        ThreadMessage("Karim Benali", "Je m'occupe de la réservation du stand d'ici mercredi. Sophie, peux-tu préparer les plaquettes avant le 05/12 ?", dt.datetime(2026, 11, 23, 11)),
        ThreadMessage("Sophie Laurent", "D'accord pour les plaquettes. On valide le budget de 800 € pour le stand.", dt.datetime(2026, 11, 23, 14)),
    ]
    summary = summarize_thread(messages, subject="Salon de Lyon")
    owners = {(a.owner, a.due) for a in summary.actions}
    assert ("Karim Benali", dt.date(2026, 11, 25)) in owners
    assert ("Sophie Laurent", dt.date(2026, 12, 5)) in owners
    assert any("On valide le budget" in d for d in summary.decisions)
    assert 3 <= len(summary.points) <= 5


def test_relative_dates_need_a_reference_date() -> None:
    messages = [ThreadMessage("Léa", "Paul va rappeler le fournisseur avant vendredi pour confirmer la livraison des panneaux.")]
    undated = summarize_thread(messages)
    assert undated.actions[0].owner == "Paul" and undated.actions[0].due is None and undated.actions[0].due_text == "vendredi"
    dated = summarize_thread(messages, today=dt.date(2026, 11, 23))
    assert dated.actions[0].due == dt.date(2026, 11, 27)


def test_bad_threads() -> None:
    with pytest.raises(WritingError, match="vide"):
        summarize_thread([])
    with pytest.raises(WritingError, match="trop courts"):
        summarize_thread([ThreadMessage("A", "Ok."), ThreadMessage("B", "Merci !")])
    with pytest.raises(WritingError, match="trop volumineux"):
        summarize_thread([ThreadMessage("A", "mot " * 300_000)])
    with pytest.raises(WritingError, match="non reconnu"):
        summarize_thread(3.5)  # type: ignore[arg-type]
