"""Reply drafts for an e-mail (guide ch. 4.3, "Rédaction assistée": 2–3 suggested answers).

The intent of the e-mail (quote request, appointment, complaint, invoice, application, question, cold
pitch, information) decides which answers make sense: accept / ask for details / decline or propose
another date. Drafts are written in the company's voice (tu/vous, tone, words to avoid, signature) and
reuse only what the e-mail says: a date the sender proposed is confirmed as written, anything the
company must decide (a price, a new date) is left as "[à compléter : …]" for the person to fill in —
the template never commits the company to something it did not say.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from etabli.engines.llm.guard import Voice
from etabli.engines.writing._compose import ComposeRequest, Draft, compose, system_prompt
from etabli.engines.writing._text import find_words, fold, resolve_address, truncate_words
from etabli.engines.writing._voice import DEFAULT_VOICE, closing_formula, greeting, signature_block
from etabli.engines.writing.dates import DateMention, find_dates, format_french_date
from etabli.engines.writing.mail.parse import TRUNCATION_WARNING, EmailInput, ParsedEmail, to_email

if TYPE_CHECKING:
    from etabli.engines.llm import LLMEngine

INTENTS: dict[str, str] = {
    "devis": "Demande de devis",
    "rendez_vous": "Demande de rendez-vous",
    "reclamation": "Réclamation",
    "facture": "Facture ou paiement",
    "candidature": "Candidature",
    "commande": "Commande",
    "demarchage": "Démarchage commercial",
    "question": "Question",
    "information": "Information",
}

_INTENT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("reclamation", re.compile(r"(reclamation|inadmissible|inacceptable|mecontent|decue?\b|pas conforme|non conforme|abime|endommage|defectueu|rembours|toujours pas recu|toujours rien|litige|plainte)")),
    ("candidature", re.compile(r"(candidature|curriculum|\bcv\b|poste de|offre d'emploi|apprentissage|alternance|stage\b)")),
    ("demarchage", re.compile(r"(je me permets de vous (contacter|solliciter)|presenter (notre|nos) (solution|offre|agence|societe)|referencement|prospects|sans engagement|audit gratuit|etude gratuite)")),
    ("facture", re.compile(r"(facture|reglement|paiement|impaye|relance|avoir\b|acompte|virement)")),
    ("devis", re.compile(r"(devis|estimation|chiffrage|combien (coute|couterait)|tarif)")),
    ("rendez_vous", re.compile(r"(rendez-vous|rdv\b|rencontrer|se voir|disponible (le|mardi|lundi|mercredi|jeudi|vendredi|samedi)|disponibilites?|creneau|passer (vous voir|a l'atelier)|decaler)")),
    ("commande", re.compile(r"(commande|commander|livraison|expedition)")),
)


def detect_intent(email: ParsedEmail) -> str:
    """The sender's main intent, from the subject and own text (first matching family wins)."""
    folded = fold(email.subject + "\n" + email.analysed_body)
    for intent, pattern in _INTENT_PATTERNS:
        if pattern.search(folded):
            return intent
    if "?" in email.body or "?" in email.subject:
        return "question"
    return "information"


@dataclass(frozen=True)
class ReplyDraft:
    """One proposed answer: its kind ("accepter", "preciser", "decliner", "proposer_date"), title, text."""

    kind: str
    title: str
    text: str
    draft: Draft

    @property
    def generated_by_ai(self) -> bool:
        return self.draft.generated_by_ai

    @property
    def label(self) -> str:
        return self.draft.label

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.draft.warnings


@dataclass(frozen=True)
class RepliesResult:
    intent: str
    drafts: tuple[ReplyDraft, ...]
    warnings: tuple[str, ...] = ()

    @property
    def intent_fr(self) -> str:
        return INTENTS[self.intent]

    @property
    def generated_by_ai(self) -> bool:
        return any(d.generated_by_ai for d in self.drafts)

    @property
    def texts(self) -> list[str]:
        return [d.text for d in self.drafts]


def _proposed_date(email: ParsedEmail, today: dt.date | None) -> DateMention | None:
    reference = email.date.date() if email.date else today
    mentions = [m for m in find_dates(email.subject + "\n" + email.analysed_body, reference) if m.value is not None]
    future = [m for m in mentions if reference is None or m.value >= reference]
    return future[0] if future else None


_ABSOLUTE_DATE = re.compile(r"\d{1,2}(?:er)?\s*(?:[/.\-]\d|\s+(?:janv|fev|mars|avr|mai|juin|juil|aout|sept|oct|nov|dec))")


def _date_words(mention: DateMention | None) -> str:
    """The date as the sender wrote it when it is absolute ("mardi 1er décembre à 14h"), else resolved
    ("demain" → "mardi 24/11/2026"): a relative word would be wrong by the time the reply is read."""
    if mention is None or mention.value is None:
        return ""
    if _ABSOLUTE_DATE.search(fold(mention.text)):
        return mention.text
    text = format_french_date(mention.value)
    return f"{text} à {mention.time}" if mention.time else text


_THANKS_MESSAGE = ("Merci pour <<votre|ton>> message.", "Merci de <<votre|ton>> retour.", "Bien reçu <<votre|ton>> message, merci.")
_THANKS_REQUEST = ("Merci pour <<votre|ta>> demande.", "Merci d'avoir pensé à nous.", "Merci de nous avoir contactés.")
_SORRY = (
    "Nous sommes sincèrement désolés de cette situation et comprenons <<votre|ton>> mécontentement.",
    "Nous regrettons vivement ce qui s'est passé et comprenons <<votre|ton>> mécontentement.",
    "Toutes nos excuses pour ce désagrément : <<votre|ton>> mécontentement est légitime.",
)

Variants = tuple[str, ...]


def _with(prefixes: Variants, sentence: str) -> Variants:
    """Each opening wording followed by the same sentence (so a banned opening can be swapped)."""
    return tuple(f"{prefix} {sentence}" for prefix in prefixes)


def _bodies(intent: str, email: ParsedEmail, proposed: DateMention | None) -> list[tuple[str, str, Variants]]:
    """(kind, title, wordings) for the intent. Wordings use <<vous|tu>> markers; the first one free of
    the company's banned words is used."""
    when = _date_words(proposed)
    subject = email.subject.strip() or "votre message"
    todo_date = "[à compléter : date et heure proposées]"
    if intent == "devis":
        return [
            ("accepter", "Accepter et préparer le devis", _with(_THANKS_REQUEST,
             "Nous <<vous|te>> préparons un devis détaillé et <<vous|te>> l'envoyons [à compléter : délai d'envoi].")),
            ("preciser", "Demander des précisions", _with(_THANKS_REQUEST,
             "Pour établir un devis juste, <<pourriez-vous|pourrais-tu>> nous préciser :\n- les dimensions ou quantités souhaitées ;\n"
             "- l'adresse du chantier ;\n- le délai envisagé ;\n- quelques photos si possible ?")),
            ("decliner", "Décliner poliment", _with(_THANKS_REQUEST,
             "Malheureusement, nous ne pouvons pas donner suite [à compléter : raison, par exemple planning complet ou "
             "prestation que nous ne réalisons pas]. Nous <<vous|te>> souhaitons de trouver rapidement le bon professionnel.")),
        ]
    if intent == "rendez_vous":
        accept = (f"C'est d'accord pour {when}, c'est noté dans notre agenda." if when
                  else f"Avec plaisir. Je <<vous|te>> propose {todo_date}.")
        unavailable = f"Je ne suis malheureusement pas disponible {when}. " if when else ""
        return [
            ("accepter", "Confirmer le rendez-vous", _with(_THANKS_MESSAGE, accept)),
            ("proposer_date", "Proposer une autre date", _with(("Merci pour <<votre|ta>> proposition.", "Merci pour <<votre|ton>> message."),
             f"{unavailable}Je <<vous|te>> propose plutôt {todo_date}. <<Dites-moi|Dis-moi>> si cela <<vous|te>> convient.")),
            ("preciser", "Demander des précisions", _with(_THANKS_MESSAGE,
             "Pour bien préparer notre rencontre, <<pourriez-vous|pourrais-tu>> me préciser l'objet du rendez-vous et le lieu souhaité ?")),
        ]
    if intent == "reclamation":
        return [
            ("accepter", "Reconnaître et proposer une solution", _with(_SORRY,
             "Nous nous en occupons en priorité : [à compléter : solution proposée, par exemple remplacement, reprise ou remboursement].")),
            ("preciser", "Demander des éléments", _with(("Merci de nous avoir signalé ce problème.", "Merci de nous avoir prévenus."),
             "Nous voulons le régler rapidement : <<pourriez-vous|pourrais-tu>> nous envoyer quelques photos et le numéro de "
             "commande ou de facture concerné ?")),
            ("proposer_date", "Proposer un passage", _with(_SORRY,
             f"Nous <<vous|te>> proposons de passer constater et corriger le problème {todo_date}. <<Cela vous convient-il|Cela te convient-il>> ?")),
        ]
    if intent == "facture":
        return [
            ("accepter", "Confirmer le règlement", _with(_THANKS_MESSAGE, "Le règlement sera effectué [à compléter : date de paiement] par virement.")),
            ("preciser", "Demander un justificatif", _with(_THANKS_MESSAGE,
             "Afin de traiter ce point, <<pourriez-vous|pourrais-tu>> nous transmettre une copie de la facture concernée et le bon de commande associé ?")),
            ("decliner", "Contester", _with(("Après vérification,", "Après contrôle de notre côté,"),
             "nous ne pouvons pas régler cette facture en l'état : [à compléter : motif, par exemple montant différent du devis ou "
             "prestation non terminée]. <<Pourriez-vous|Pourrais-tu>> nous adresser une facture rectifiée ?")),
        ]
    if intent == "candidature":
        thanks = ("Merci pour <<votre|ta>> candidature.", "Nous avons bien reçu <<votre|ta>> candidature, merci.")
        return [
            ("accepter", "Proposer un entretien", _with(thanks, f"Elle a retenu notre attention : nous <<vous|te>> proposons un entretien {todo_date}.")),
            ("preciser", "Demander des compléments", _with(thanks,
             "<<Pourriez-vous|Pourrais-tu>> nous préciser <<vos|tes>> disponibilités et <<vos|tes>> prétentions salariales ?")),
            ("decliner", "Répondre négativement", _with(thanks,
             "Nous ne sommes malheureusement pas en mesure d'y donner une suite favorable pour le moment. Nous conservons "
             "<<votre|ton>> dossier si <<vous|tu>> en <<êtes|es>> d'accord.")),
        ]
    if intent == "demarchage":
        return [
            ("decliner", "Décliner", _with(_THANKS_MESSAGE, "Nous ne sommes pas intéressés pour le moment.")),
            ("preciser", "Demander une documentation", _with(_THANKS_MESSAGE,
             "<<Pourriez-vous|Pourrais-tu>> nous envoyer une documentation et des tarifs par écrit ? Nous reviendrons vers "
             "<<vous|toi>> si cela correspond à nos besoins.")),
            ("proposer_date", "Accepter un appel", _with(_THANKS_MESSAGE, f"Nous pouvons en parler par téléphone {todo_date}.")),
        ]
    if intent == "commande":
        return [
            ("accepter", "Confirmer", _with(_THANKS_MESSAGE, f"Concernant « {truncate_words(subject, 60)} », c'est bien noté : nous nous en occupons.")),
            ("preciser", "Demander des précisions", _with(_THANKS_MESSAGE,
             "Pour traiter la demande, <<pourriez-vous|pourrais-tu>> nous rappeler le numéro de commande et préciser "
             "[à compléter : information manquante] ?")),
            ("decliner", "Refuser la modification", _with(_THANKS_MESSAGE,
             "Malheureusement, ce n'est plus possible car [à compléter : raison]. Nous restons à <<votre|ta>> disposition "
             "pour trouver une autre solution.")),
        ]
    question = ("Merci pour <<votre|ta>> question.", "Merci pour <<votre|ton>> message.")
    if intent == "question":
        return [
            ("accepter", "Répondre oui", _with(question, "Oui, c'est possible : [à compléter : réponse et conditions].")),
            ("preciser", "Demander des précisions", _with(question,
             "Pour <<vous|te>> répondre précisément, <<pourriez-vous|pourrais-tu>> nous donner un peu plus de détails sur "
             "[à compléter : point à préciser] ?")),
            ("decliner", "Répondre non", _with(question, "Malheureusement, ce n'est pas possible : [à compléter : raison et éventuelle alternative].")),
        ]
    return [
        ("accepter", "Accuser réception", _with(_THANKS_MESSAGE, "C'est bien noté.")),
        ("preciser", "Demander des précisions", _with(_THANKS_MESSAGE,
         "<<Pourriez-vous|Pourrais-tu>> nous préciser ce que nous devons faire de notre côté ?")),
    ]


def _assemble(wordings: Variants, email: ParsedEmail, voice: Voice, key: object) -> str:
    parts = [
        greeting(voice, email.first_name, email.sender_name),
        "",
        _first_allowed(wordings, voice),
        "",
        closing_formula(voice, key=key),
    ]
    signature = signature_block(voice)
    if signature:
        parts.append(signature)
    return "\n".join(parts).strip()


def _first_allowed(wordings: Variants, voice: Voice) -> str:
    """The first wording without a banned word (the order is the preferred one), in the voice's address."""
    resolved = [resolve_address(wording, voice.address) for wording in wordings]
    for text in resolved:
        if not find_words(text, voice.words_to_avoid):
            return text
    return resolved[0]


def build_reply_prompt(email: ParsedEmail, kind_title: str, intent: str) -> str:
    """The French prompt for one reply: the e-mail, the intended answer, the placeholders rule."""
    return (
        f"Voici un courriel reçu (intention détectée : {INTENTS[intent].lower()}).\n"
        f"Expéditeur : {email.sender_name or email.sender_address}\nObjet : {email.subject}\n"
        f"Texte :\n{truncate_words(email.body, 2500)}\n\n"
        f"Rédigez une réponse courte de type « {kind_title} », avec une formule d'appel, deux à quatre phrases et "
        "une formule de politesse. Toute date, tout prix ou tout délai qui ne figure pas dans le courriel "
        "s'écrit [à compléter]."
    )


def draft_replies(
    email: str | bytes | EmailInput | ParsedEmail,
    *,
    voice: Voice | None = None,
    engine: LLMEngine | None = None,
    today: dt.date | None = None,
    count: int = 3,
) -> RepliesResult:
    """2–3 reply drafts adapted to the e-mail's intent, in the company's voice, each labelled.

    ``today`` resolves relative dates ("mardi prochain") when the e-mail has no Date header.
    """
    parsed = to_email(email)
    voice = voice or DEFAULT_VOICE
    intent = detect_intent(parsed)
    proposed = _proposed_date(parsed, today)
    options = _bodies(intent, parsed, proposed)[: max(2, min(3, count))]
    facts = {
        "Objet": parsed.subject,
        "Courriel reçu": parsed.analysed_body,
        "Expéditeur": f"{parsed.sender_name} {parsed.sender_address}",
        "Signature": signature_block(voice),
        "Date proposée": _date_words(proposed),
    }
    drafts: list[ReplyDraft] = []
    for index, (kind, title, wordings) in enumerate(options):
        text = _assemble(wordings, parsed, voice, key=(kind, index))
        draft = compose(
            ComposeRequest(
                feature="writing.email_reply",
                template_text=text,
                prompt=build_reply_prompt(parsed, title, intent),
                system=system_prompt(voice, "Vous répondez aux courriels des clients et partenaires de l'entreprise."),
                facts=facts,
                expect_signature=bool(signature_block(voice)),
                max_tokens=250,
            ),
            voice=voice,
            engine=engine,
        )
        drafts.append(ReplyDraft(kind=kind, title=title, text=draft.text, draft=draft))
    warnings = (TRUNCATION_WARNING,) if parsed.is_truncated else ()
    return RepliesResult(intent=intent, drafts=tuple(drafts), warnings=warnings)
