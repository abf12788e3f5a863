"""Parsing raw RFC 822 e-mails and pasted fields; the size limit (a 5 MB e-mail)."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest

from etabli.engines.writing import (
    EmailInput,
    WritingError,
    draft_replies,
    parse_email,
    summarize_thread,
    triage_email,
)
from etabli.engines.writing.mail.parse import MAX_EMAIL_CHARS, build_raw_email, from_fields

RAW = """From: "Paul Martin" <paul.martin@orange.fr>
To: contact@menuiserie-martin.fr
Subject: =?utf-8?q?Devis_escalier_=E2=80=93_1_450_=E2=82=AC?=
Date: Mon, 23 Nov 2026 09:12:00 +0100
Content-Type: text/plain; charset=utf-8

Bonjour,

Pouvez-vous m'envoyer le devis pour l'escalier avant vendredi ?

Cordialement,
Paul Martin
06 12 34 56 78

Le ven. 20 nov. 2026 à 10:12, Menuiserie Martin <contact@menuiserie-martin.fr> a
écrit :
> Bonjour, c'est urgent, nous passerons mesurer lundi.
"""


def test_raw_email_headers_body_quote_and_signature() -> None:
    email = parse_email(RAW)
    assert email.subject == "Devis escalier – 1 450 €"
    assert (email.sender_name, email.sender_address, email.sender_domain, email.first_name) == (
        "Paul Martin", "paul.martin@orange.fr", "orange.fr", "Paul")
    assert email.date == dt.datetime(2026, 11, 23, 9, 12, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert email.body == "Bonjour,\n\nPouvez-vous m'envoyer le devis pour l'escalier avant vendredi ?"
    assert email.signature.startswith("Cordialement,") and "06 12 34 56 78" in email.signature
    assert "c'est urgent" in email.quoted and "urgent" not in email.body
    assert email.to == ("contact@menuiserie-martin.fr",)


def test_bytes_base64_and_html_with_unsubscribe_link() -> None:
    message = EmailMessage()
    message["From"] = "Brico Direct <news@bricodirect.fr>"
    message["Subject"] = "Soldes d'été"
    message.set_content("Version texte : -30 % sur l'été", cte="base64")
    message.add_alternative('<html><body><p>Soldes</p><a href="https://b.fr/unsub">Se désabonner</a></body></html>', subtype="html")
    email = parse_email(message.as_bytes())
    assert email.body == "Version texte : -30 % sur l'été"
    assert "https://b.fr/unsub" in email.links and "Se désabonner" in email.links
    only_html = from_fields(EmailInput("x@y.fr", "Promo", "<div>Bonjour<br>Offre <b>spéciale</b></div><style>p{}</style>"))
    assert only_html.body.split() == ["Bonjour", "Offre", "spéciale"]


def test_forwarded_mail_uses_the_forwarded_text() -> None:
    email = from_fields(EmailInput("Julie <julie@x.fr>", "TR: Fuite", "Pour toi\n\n---------- Message transféré ----------\nDe : Client <c@y.fr>\nDate : lun. 23 nov.\nObjet : Fuite\n\nIl y a une fuite importante chez moi."))
    assert "fuite importante" in email.body


def test_outlook_reply_header_is_a_quote() -> None:
    email = from_fields(EmailInput("a@b.fr", "RE: point", "Ok pour moi.\n\nDe : Marc Petit\nEnvoyé : lundi 23 novembre 2026 10:00\nÀ : Julie\nObjet : point\n\nOn valide ?"))
    assert email.body == "Ok pour moi." and "On valide" in email.quoted


def test_build_raw_email_round_trip() -> None:
    original = EmailInput("Marc <marc@free.fr>", "Question", "Bonjour, une question ?", headers={"List-Unsubscribe": "<mailto:u@x.fr>"},
                          date=dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC))
    parsed = parse_email(build_raw_email(original))
    assert (parsed.sender_address, parsed.subject, parsed.body) == ("marc@free.fr", "Question", "Bonjour, une question ?")
    assert parsed.headers["list-unsubscribe"] == "<mailto:u@x.fr>"


def test_a_5_mb_email_is_refused_in_french_by_every_feature() -> None:
    huge = "From: a@b.fr\nSubject: gros\n\n" + ("Ligne de texte très longue. " * 200_000)
    assert len(huge) > 5_000_000
    for call in (parse_email, triage_email, draft_replies, summarize_thread):
        with pytest.raises(WritingError, match=r"Courriel trop volumineux : 5,\d Mo de texte, la limite est de 1 Mo"):
            call(huge)
    with pytest.raises(WritingError, match="trop volumineux"):
        triage_email(huge.encode())
    with pytest.raises(WritingError, match="trop volumineux"):
        triage_email(EmailInput("a@b.fr", "gros", "x" * (MAX_EMAIL_CHARS + 1)))


def test_empty_and_unknown_inputs() -> None:
    with pytest.raises(WritingError, match="vide"):
        parse_email("   ")
    with pytest.raises(WritingError, match="vide"):
        triage_email(EmailInput("a@b.fr", "", " "))
    with pytest.raises(WritingError, match="non reconnu"):
        triage_email(42)  # type: ignore[arg-type]


def test_pasted_body_without_headers_is_accepted() -> None:
    email = parse_email("Bonjour, pouvez-vous me rappeler ?\nMerci")
    assert email.sender_address == "" and email.body.startswith("Bonjour, pouvez-vous me rappeler ?")


def test_a_long_email_under_the_limit_is_read_in_part_and_says_so() -> None:
    line = "Le client a demandé un devis pour la cuisine, pouvez-vous répondre avant vendredi ? Merci de votre retour.\n"
    email = EmailInput("Marc <marc@free.fr>", "Très long", line * (900_000 // len(line)), date=dt.datetime(2026, 11, 23, 9))
    triage = triage_email(email)
    assert triage.label == "a_traiter" and "20 000 premiers caractères" in triage.warnings[0]
    replies = draft_replies(email)
    assert replies.intent == "devis" and replies.warnings
    summary = summarize_thread([email])
    assert summary.draft.warnings[0].startswith("Fil très long (100 000 caractères lus au plus)")
    assert "un message trop long n'a été lu qu'en partie" in summary.draft.warnings[0]
