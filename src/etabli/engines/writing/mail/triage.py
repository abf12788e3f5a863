"""E-mail triage (guide ch. 4.3): urgent / à traiter / information / publicité, with French reasons.

The guide's manager spends 2 h 45 a day on 80–120 e-mails; sorting them is the first gain. The rules
path is a transparent scorer: each rule adds points to one label and says why in French, so the person
sees "Lien de désinscription (envoi de masse)" or "Urgence exprimée : « au plus vite »" next to the
label and can overrule it. Rules read:

- the sender (newsletter@, no-reply@, e-mailing platforms' domains) and the bulk-mail headers
  (List-Unsubscribe, List-Id, Precedence: bulk);
- unsubscribe links and "version en ligne" footers;
- French urgency vocabulary — with negation handled: "pas urgent", "rien d'urgent", "sans urgence",
  "ce n'est plus urgent" count *against* urgency — incidents (panne, fuite), legal words (mise en
  demeure, huissier, injonction), overdue invoices, customer complaints;
- deadlines and dates ("avant demain midi", "le 12/12") resolved against the e-mail's date;
- questions and requests addressed to us, invoices and quotes (à traiter);
- notifications, confirmations and "pour information" (information).

A bulk e-mail's urgency is discounted: "URGENT : -50 % jusqu'à minuit" is advertising.
Probabilities come from a softmax over the scores; they are a relative confidence, not calibrated.
The definitions of the labels (used to build the benchmark set) are in ``LABEL_DEFINITIONS``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from etabli.engines.llm.guard import draft_label
from etabli.engines.writing._text import fold, split_sentences, truncate_words
from etabli.engines.writing.dates import find_dates
from etabli.engines.writing.mail.parse import TRUNCATION_WARNING, EmailInput, ParsedEmail, to_email

if TYPE_CHECKING:
    from etabli.engines.llm import LLMEngine

LABELS: tuple[str, ...] = ("urgent", "a_traiter", "information", "publicite")
LABELS_FR: dict[str, str] = {
    "urgent": "Urgent / important",
    "a_traiter": "À traiter",
    "information": "Information",
    "publicite": "Publicité / newsletter",
}
LABEL_DEFINITIONS: dict[str, str] = {
    "urgent": "Demande une réaction sous 24–48 h ou a des conséquences sérieuses : urgence exprimée (non niée), "
    "échéance aujourd'hui ou demain, panne ou sinistre, client mécontent, mise en demeure ou relance d'impayé.",
    "a_traiter": "Demande une action de notre part sans urgence : question, demande de devis ou de rendez-vous, "
    "facture à régler, document à signer, échéance lointaine, urgence explicitement niée.",
    "information": "Aucune action attendue : confirmation, notification, compte rendu, remerciement, "
    "information transmise pour mémoire.",
    "publicite": "Envoi commercial ou de masse : newsletter, promotion, invitation à un webinaire, démarchage.",
}


@dataclass(frozen=True)
class TriageResult:
    """The label, a confidence in [0, 1], the French reasons, and who decided (rules or a model)."""

    label: str
    confidence: float
    reasons: tuple[str, ...]
    scores: dict[str, float] = field(default_factory=dict)
    generated_by_ai: bool = False
    provider: str = "règles"
    draft_label: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def label_fr(self) -> str:
        return LABELS_FR[self.label]


# --------------------------------------------------------------------------------------------------
# Vocabulary (folded: lower case, no accents)
# --------------------------------------------------------------------------------------------------
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){pattern}", re.IGNORECASE)


URGENCY = _rx(
    r"(urgent(?:e|es|s)?\b|urgence\b|urgemment|asap\b|au plus vite|des que possible|le plus rapidement possible"
    r"|le plus vite possible|au plus tot|immediatement|sans delai|sans tarder|de toute urgence|en priorite"
    r"|prioritaire|imperati(?:f|ve|vement)|immediate?s?\b|critique|tres vite|rapidement|c'est presse|presse\b)"
)
INCIDENT = _rx(
    r"(en panne|panne\b|ne fonctionne plus|ne marche plus|ne demarre plus|plus de chauffage|plus d'eau chaude"
    r"|plus d'electricite|plus de courant|fuite|degats? des eaux|inond|coupure|bloquee?s?\b|bloquant"
    r"|hors service|pirate|piratage|sinistre|accident|court-circuit|odeur de gaz|ne s'ouvre plus"
    r"|ne ferme plus|effraction|cambriol|site (est )?inaccessible|serveur (est )?tombe|plus rien ne marche"
    r"|a echoue|echec de|perte de donnees|defaillan|secteurs? defectueux|virus|rancongiciel|fraude|frauduleu)"
)
LEGAL = _rx(
    r"(mise en demeure|huissier|commissaire de justice|injonction de payer|tribunal|contentieux"
    r"|procedure judiciaire|poursuites|avocat|recouvrement|dernier rappel|derniere relance|relance finale"
    r"|ultime relance|penalites de retard|indemnite forfaitaire|resiliation|redressement|controle fiscal"
    r"|avis de controle|verification de comptabilite|lettre recommandee|assignation|saisie\b|majoration|contrainte\b"
    r"|signification|jugement|sous peine)"
)
COMPLAINT = _rx(
    r"(inadmissible|inacceptable|scandaleu|mecontente?|tres decue?|decue?\b|deception|reclamation|litige"
    r"|plainte|rembours|toujours pas (?:recu|eu|ete livre|de nouvelles|de reponse|ete rappele)"
    r"|toujours rien|aucune reponse|sans reponse|sans nouvelles|c'est une honte|catastroph|furieu|en colere"
    r"|avis negatif|n'est pas conforme|non conforme|defectueu|abimee?s?\b|endommagee?s?\b|erreur sur (?:ma|la|notre|votre) (?:commande|facture)"
    r"|pas ce que (?:j'ai|nous avons) commande|je suis excede|pas serieux|c'est la (?:deuxieme|troisieme|2e|3e) fois)"
)
OVERDUE = _rx(
    r"(impayee?s?\b|retard de paiement|en retard de paiement|factures? (?:echue|non reglee|en retard|impayee)s?"
    r"|echeance (?:est )?depassee|date d'echeance (?:est )?depassee|toujours pas (?:ete )?reglee?s?|reste du\b"
    r"|solde restant du|sans reglement de votre part|defaut de paiement|jours de retard|toujours pas reglee?s?)"
)
SOON = _rx(r"(aujourd'hui|ce soir|ce matin|cet apres-midi|avant midi|d'ici ce soir|dans la journee|demain|d'ici demain|dans l'heure|sous 24 ?h)")
NEGATORS = {"pas", "aucun", "aucune", "sans", "rien", "non", "jamais", "ni", "si", "cas", "peu"}
NEGATED_URGENCY = _rx(
    r"(pas (?:du tout |vraiment |tres |si |super |hyper |trop |encore )?(?:urgent|presse|d'urgence|de rush|de precipitation)"
    r"|rien d'urgent|sans urgence|aucune urgence|non urgent|n'est plus urgent|quand (?:vous|tu) (?:aurez|auras) (?:le temps|un moment)"
    r"|a (?:votre|ta) convenance|prenez (?:votre|le) temps|prends (?:ton|le) temps|rien ne presse|pas de rush|sans precipitation"
    r"|quand (?:vous|tu) (?:pourrez|pourras)|a l'occasion|pas pressee?s?)"
)

QUESTION_REQUEST = _rx(
    r"(pouvez-vous|pourriez-vous|pourrais-tu|peux-tu|pouvez vous|pourriez vous|pourrais tu|peux tu"
    r"|merci de (?!votre |vos |ta |tes |ton |l'attention|rien\b)(?:bien vouloir |me |nous |m'|l'|le |la |les )?\w+|je vous remercie de|serait-il possible|est-il possible"
    r"|serait il possible|est il possible|j'aimerais|je souhaiterais|je souhaite|je voudrais|nous souhaiterions|nous aimerions"
    r"|nous voudrions|auriez-vous|avez-vous|aurais-tu|as-tu|pouvons-nous|pourrions-nous|pourrait-on|peut-on|serais-tu|seriez-vous"
    r"|etes-vous disponible|es-tu dispo|besoin de (?:votre|ton|vos|tes)|votre avis|ton avis|a valider|a signer|pour validation"
    r"|me confirmer|nous confirmer|me faire parvenir|nous faire parvenir|me transmettre|nous transmettre|me renvoyer"
    r"|me rappeler|merci de revenir|revenir vers (?:moi|nous)|dans l'attente de (?:votre|ta) reponse|j'attends (?:votre|ta) reponse"
    r"|je reste dans l'attente|faites-moi savoir|dites-moi|dis-moi|tiens-moi au courant|tenez-moi au courant|on peut se caler|on se cale)"
)
BUSINESS = _rx(
    r"(devis|commande|rendez-vous|rdv\b|disponibilites?|facture|bon de commande|contrat|candidature|reservation"
    r"|avenant|planning|chantier|intervention|visite|estimation|tarifs?\b|acompte|signature)"
)
INVOICE_TO_PAY = _rx(
    r"((?:facture|avis d'echeance|appel de fonds|appel de cotisation|echeancier)[^.\n]{0,80}(?:a regler|a payer|echeance|reglement|payable|montant du|avant le)"
    r"|a regler avant|a payer avant|merci de proceder au (?:reglement|paiement)|en attente de (?:votre )?reglement)"
)
INFO_PHRASES = _rx(
    r"(pour information|pour info\b|pour ton information|pour votre information|fyi\b|a titre informatif"
    r"|a titre d'information|je vous informe|je t'informe|nous vous informons|nous vous confirmons|je vous confirme"
    r"|je te confirme|compte rendu|compte-rendu|pour memoire|pas besoin de (?:repondre|me repondre|nous repondre)|aucune action"
    r"|rien a faire de (?:votre|ton) cote|ne pas repondre|ne necessite aucune|juste pour (?:te|vous) (?:dire|prevenir|informer)"
    r"|bonne nouvelle|pour rappel|a noter que|note de service|ci-joint pour info|je vous tiens informe|je te tiens au courant"
    r"|nous vous tiendrons informe|simple information)"
)
NOTIFICATION = _rx(
    r"(confirmation de (?:votre |ta )?(?:commande|rendez-vous|reservation|paiement|virement|livraison|lecture|inscription)"
    r"|a ete expediee?s?|a bien ete (?:recue?|enregistree?|prise? en compte|effectuee?|validee?|reglee?)|votre colis|a ete livree?"
    r"|suivi de (?:votre )?(?:colis|commande|livraison)|accuse de reception|paiement recu|virement recu|prelevement (?:a ete )?effectue"
    r"|votre facture est disponible|releve de compte|avis de prelevement|facture (?:payee|acquittee|reglee)"
    r"|a ete (?:prelevee?|reglee?|payee?|effectuee?|validee?|confirmee?)|nous avons bien recu|bien recu|bien recue"
    r"|sera prelevee?|prelevement automatique|sera debitee?|est confirmee?|est valide|votre mot de passe a ete modifie"
    r"|nouvelle connexion|rappel de (?:votre )?rendez-vous|vous avez recu un (?:nouveau )?(?:message|document|paiement))"
)
CONSEQUENCE = _rx(r"(sinon\b|faute de quoi|a defaut\b|sous peine|au-dela,|sans quoi|on perd|nous perdrons|vous perdrez|j'annule|nous annulerons)")
AUTO_REPLY = _rx(
    r"(reponse automatique|message automatique d'absence|absente? du bureau|je suis (?:actuellement )?absente?|en conges? jusqu"
    r"|out of office|acces limite a (?:ma|mes) messagerie|de retour le)"
)
THANKS = _rx(r"(merci pour|merci beaucoup|merci encore|je vous remercie pour|je te remercie pour|bravo|felicitations|merci a (?:toute )?l'equipe)")

UNSUBSCRIBE = _rx(
    r"(se desabonner|desabonnez|desinscri|desabonnement|unsubscribe|ne plus recevoir|gerer (?:mes|vos) (?:preferences|abonnements)"
    r"|preferences de (?:communication|contact)|vous recevez (?:ce|cet) (?:e-?mail|message|courriel)|si vous ne souhaitez plus"
    r"|lettre d'information|newsletter|infolettre|modifier (?:vos|mes) preferences|conformement au rgpd, vous pouvez)"
)
VIEW_ONLINE = _rx(
    r"(version en ligne|voir (?:la version|cet e-?mail|ce message) (?:en ligne|dans (?:votre|le) navigateur)"
    r"|afficher dans (?:votre|le) navigateur|si (?:ce|cet) (?:message|mail|e-mail|courriel) ne s'affiche pas)"
)
PROMO = _rx(
    r"(code promo|promo\b|promotions?\b|soldes|-\s?\d{1,2}\s?%|\d{1,2}\s?% de (?:remise|reduction)|remises?\b|reductions?\b"
    r"|offre (?:exclusive|speciale|limitee|de bienvenue|flash)|black friday|cyber monday|ventes? privees?|livraison (?:offerte|gratuite)"
    r"|jusqu'a -|profitez|decouvrez (?:nos|notre|la nouvelle|le nouveau|les nouveaut)|nouvelle collection|nouveautes?\b|webinaire|webinar"
    r"|inscrivez-vous|ne manquez pas|dernieres heures|derniere chance|j-\d\b|prix (?:casses|barres|mini)|bon plan|a saisir"
    r"|exclusivit|gratuit\b|gratuite\b|essai gratuit|catalogue|parrain|jeu concours|tirage au sort|abonnez-vous|vente flash"
    r"|stock limite|quantites limitees|offre valable|meilleures? ventes?|coup de coeur|ebook|livre blanc|en avant-premiere)"
)
COLD_PITCH = _rx(
    r"(je me permets de vous (?:contacter|ecrire|solliciter)|presenter (?:notre|nos) (?:solution|offre|societe|agence|service|outil)"
    r"|augmenter (?:votre|vos) (?:chiffre|visibilite|trafic|ventes)|referencement|generer (?:plus de )?(?:leads|prospects|clients)"
    r"|prospects|(?:15|quinze|20|30) minutes (?:pour|d'echange|de votre temps)|un (?:rapide|court|petit) (?:appel|echange)"
    r"|solution innovante|partenariat gagnant|accompagnons (?:les|des) (?:entreprises|tpe|pme)|sans engagement|demo gratuite"
    r"|nous aidons (?:les|des) (?:entreprises|tpe|pme|artisans)|votre site (?:internet|web) (?:pourrait|merite)"
    r"|nous realisons|(?:etude|audit|diagnostic|demonstration|demo) (?:gratuite?|offerte?)|je vous propose une (?:etude|demo|demonstration|presentation)"
    r"|a partir de \d[\d ]*(?:€|euros)|nos (?:panneaux|solutions|services|offres|experts))"
)
BULK_LOCALPARTS = re.compile(
    r"^(newsletters?|news|marketing|promos?|offres?|deals|hello|bonjour|communication|actus?|actualites|infolettre"
    r"|mailing|campagnes?|emailing|club|evenements?|webinars?|boutique|shop)([._-].*)?$"
)
AUTO_LOCALPARTS = re.compile(
    r"^(no-?reply|ne-?pas-?repondre|nepasrepondre|donotreply|do-?not-?reply|notifications?|alertes?|alerts?|mailer-daemon"
    r"|automat\w*|robot|system|bounce)([._-].*)?$"
)
ESP_DOMAINS = re.compile(
    r"(mailchimp|mcsv\.net|mcdlv\.net|sendinblue|brevo|mailjet|sarbacane|sendgrid|hubspot|mailgun|createsend|cmail\d*"
    r"|klaviyo|substack|mailerlite|campaign-archive|emailing|splio|selligent|dolist|mj\.|rsgsv|sparkpost)"
)
BULK_SUBDOMAIN = re.compile(r"^(news|email|e|mail|mailing|info|newsletter|marketing|m|em|campaign|promo)\.")


# --------------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------------
@dataclass
class _Score:
    points: dict[str, float] = field(default_factory=lambda: {"urgent": 0.0, "a_traiter": 0.5, "information": 1.0, "publicite": 0.0})
    reasons: dict[str, list[tuple[float, str]]] = field(default_factory=lambda: {label: [] for label in LABELS})

    def add(self, label: str, points: float, reason: str) -> None:
        self.points[label] += points
        self.reasons[label].append((points, reason))


def _is_negated(folded: str, start: int) -> bool:
    """True when one of the three words before ``start`` negates or makes hypothetical what follows.

    "pas urgent", "rien d'urgent", "ce n'est plus urgent", "si c'est urgent", "en cas d'urgence".
    """
    window = re.split(r"[.!?;\n]", folded[max(0, start - 40) : start])[-1]
    words = re.findall(r"[a-z]+", window)[-3:]
    if any(word in NEGATORS for word in words):
        return True
    return "plus" in words and bool(re.search(r"\bn'|\bne\b", window))


def _matches(pattern: re.Pattern[str], folded: str) -> list[re.Match[str]]:
    return list(pattern.finditer(folded))


def _quote(text: str, match: re.Match[str]) -> str:
    return text[match.start() : match.end()].strip()


_GREETING = re.compile(r"^(bonjour|bonsoir|salut|hello|coucou|madame|monsieur|cher|chere)\b[^,]{0,40},\s*", re.IGNORECASE)


def _first_question(text: str) -> str | None:
    for sentence in split_sentences(text):
        if sentence.endswith("?") and len(sentence) > 8:
            return truncate_words(_GREETING.sub("", sentence), 90)
    return None


def _reference_date(email: ParsedEmail, today: dt.date | None) -> dt.date | None:
    if email.date is not None:
        return email.date.date()
    return today


def _bulk_signals(email: ParsedEmail, score: _Score) -> None:
    headers = {key.lower(): value for key, value in email.headers.items()}
    if "list-unsubscribe" in headers:
        score.add("publicite", 4.0, "En-tête de désinscription (List-Unsubscribe) : envoi de masse.")
    if "list-id" in headers or fold(headers.get("precedence", "")) in {"bulk", "list", "junk"}:
        score.add("publicite", 2.0, "En-têtes de liste de diffusion (List-Id / Precedence).")
    footer = email.footer_text + " " + " ".join(email.links[:200])
    full = fold(footer)
    unsubscribe = UNSUBSCRIBE.search(full)
    if unsubscribe:
        score.add("publicite", 3.0, f"Lien ou mention de désinscription (« {_quote(footer, unsubscribe)} »).")
    if VIEW_ONLINE.search(full):
        score.add("publicite", 2.5, "Mention « version en ligne » typique des newsletters.")
    local, domain = email.sender_local_part, email.sender_domain
    if BULK_LOCALPARTS.match(local):
        score.add("publicite", 1.5, f"Adresse d'expédition de type envoi commercial ({local}@).")
    if ESP_DOMAINS.search(domain) or ESP_DOMAINS.search(fold(headers.get("return-path", ""))):
        score.add("publicite", 2.0, f"Envoyé par une plateforme d'e-mailing ({domain}).")
    elif BULK_SUBDOMAIN.match(domain) and domain.count(".") >= 2:
        score.add("publicite", 1.5, f"Sous-domaine d'envoi de masse ({domain}).")


def _promo_signals(subject: str, text: str, score: _Score) -> None:
    folded = fold(subject + "\n" + text)
    found = list(dict.fromkeys(_quote(subject + "\n" + text, m).lower() for m in _matches(PROMO, folded)))
    if found:
        points = min(4.0, 1.0 * len(found))
        listed = ", ".join(f"« {word} »" for word in found[:3])
        score.add("publicite", points, f"Vocabulaire promotionnel : {listed}.")
    pitch = list(dict.fromkeys(_quote(subject + "\n" + text, m).lower() for m in _matches(COLD_PITCH, folded)))
    if pitch:
        score.add("publicite", min(5.0, 2.0 * len(pitch)), f"Démarchage commercial : « {pitch[0]} ».")


def _urgency_signals(email: ParsedEmail, text: str, score: _Score, reference: dt.date | None) -> None:
    original = email.subject + "\n" + text
    folded = fold(original)
    subject_end = len(email.subject)
    urgent_words = [m for m in _matches(URGENCY, folded) if not _is_negated(folded, m.start())]
    strong = [m for m in urgent_words if not m.group(0).startswith(("rapidement", "tres vite"))]
    if strong:
        in_subject = any(m.start() < subject_end for m in strong)
        score.add("urgent", 3.0 + (1.0 if in_subject else 0.0), f"Urgence exprimée : « {_quote(original, strong[0])} »" + (" (dans l'objet)." if in_subject else "."))
        if QUESTION_REQUEST.search(folded) or "?" in original:
            # "C'est urgent : pouvez-vous…": the request itself is urgent, so the urgency must outweigh
            # the evidence that a request was made (question mark, request phrase, business word).
            score.add("urgent", 2.5, "La demande est présentée comme urgente.")
    elif urgent_words:
        score.add("urgent", 1.0, f"Demande de rapidité : « {_quote(original, urgent_words[0])} ».")
    negated = _matches(NEGATED_URGENCY, folded)
    if negated:
        score.add("a_traiter", 2.5, f"Urgence explicitement écartée : « {_quote(original, negated[0])} ».")
        score.add("urgent", -2.0, "")
    incidents = [m for m in _matches(INCIDENT, folded) if not _is_negated(folded, m.start())]
    if incidents:
        score.add("urgent", 3.0, f"Incident signalé : « {_quote(original, incidents[0])} ».")
    legal = [m for m in _matches(LEGAL, folded) if not _is_negated(folded, m.start())]
    if legal:
        score.add("urgent", 4.0, f"Vocabulaire juridique ou de recouvrement : « {_quote(original, legal[0])} ».")
    complaints = list(dict.fromkeys(_quote(original, m).lower() for m in _matches(COMPLAINT, folded) if not _is_negated(folded, m.start())))
    if complaints:
        score.add("urgent", min(6.0, 2.0 * len(complaints)), f"Client mécontent ou réclamation : « {complaints[0]} ».")
    overdue = [m for m in _matches(OVERDUE, folded) if not _is_negated(folded, m.start())]
    if overdue:
        score.add("urgent", 3.0, f"Paiement en retard : « {_quote(original, overdue[0])} ».")
    soon = [m for m in _matches(SOON, folded) if not _is_negated(folded, m.start())]
    deadlines = [m for m in find_dates(original, reference) if m.is_deadline and m.value is not None and reference is not None]
    close = [m for m in deadlines if (m.value - reference).days <= 2]
    if soon and (strong or QUESTION_REQUEST.search(folded) or deadlines):
        since = re.search(r"(depuis|des)\s*$", folded[max(0, soon[0].start() - 8) : soon[0].start()])
        what = "Situation en cours depuis" if since else "Échéance très proche :"
        score.add("urgent", 3.5, f"{what} « {_quote(original, soon[0])} ».")
    elif close:
        score.add("urgent", 3.5, f"Échéance très proche : « {close[0].text} ».")
    if (soon or close) and CONSEQUENCE.search(folded):
        score.add("urgent", 1.5, f"Conséquence annoncée en cas de retard : « {_quote(original, CONSEQUENCE.search(folded))} ».")
    later = [m for m in deadlines if (m.value - reference).days > 2]
    if later and not close:
        nearest = min(later, key=lambda m: m.value)
        days = (nearest.value - reference).days
        points = 1.5 if days <= 3 else 1.0
        score.add("a_traiter", points, f"Échéance à noter : « {nearest.text} » (dans {days} jours).")
        if days <= 3:
            score.add("urgent", 1.0, f"Échéance dans {days} jours : « {nearest.text} ».")
    if email.subject.strip() and email.subject.isupper() and len(email.subject) > 6:
        score.add("urgent", 0.5, "Objet écrit en capitales.")
    if "!!" in email.subject:
        score.add("urgent", 0.5, "Objet insistant (« !! »).")


def _action_signals(email: ParsedEmail, text: str, score: _Score) -> bool:
    original = email.subject + "\n" + text
    folded = fold(original)
    asked = False
    question = _first_question(text) or (_first_question(email.subject) if email.subject.strip().endswith("?") else None)
    count = text.count("?") + email.subject.count("?")
    if question:
        score.add("a_traiter", min(3.0, 1.5 + 0.5 * (count - 1)), f"Question posée : « {question} »")
        asked = True
    requests = _matches(QUESTION_REQUEST, folded)
    if requests:
        score.add("a_traiter", 2.0, f"Demande adressée : « {_quote(original, requests[0])} ».")
        asked = True
    business = list(dict.fromkeys(m.group(1) for m in _matches(BUSINESS, folded)))
    if business:
        score.add("a_traiter", min(2.0, 1.0 + 0.5 * (len(business) - 1)), f"Sujet à suivre : {', '.join(business[:3])}.")
    invoice = INVOICE_TO_PAY.search(folded)
    if invoice and not OVERDUE.search(folded):
        score.add("a_traiter", 2.0, "Facture ou paiement à traiter.")
        asked = True
    return asked


def _information_signals(email: ParsedEmail, text: str, score: _Score, asked: bool) -> None:
    original = email.subject + "\n" + text
    folded = fold(original)
    info = INFO_PHRASES.search(folded)
    if info:
        score.add("information", 2.5, f"Message d'information : « {_quote(original, info)} ».")
    notification = NOTIFICATION.search(folded)
    if notification:
        # A "bien reçu" followed by a request is a request: the acknowledgement only opens the mail.
        score.add("information", 1.0 if asked else 2.5, f"Confirmation ou notification : « {_quote(original, notification)} ».")
    headers = {key.lower(): fold(value) for key, value in email.headers.items()}
    auto = AUTO_REPLY.search(folded)
    if auto or headers.get("auto-submitted", "no") not in ("no", ""):
        quoted = f" : « {_quote(original, auto)} »" if auto else ""
        score.add("information", 3.0, f"Réponse automatique (absence){quoted}.")
    if AUTO_LOCALPARTS.match(email.sender_local_part):
        score.add("information", 1.5, f"Envoi automatique ({email.sender_local_part}@).")
    if not asked:
        score.add("information", 1.5, "Aucune question ni demande adressée.")
        thanks = THANKS.search(folded)
        if thanks:
            score.add("information", 1.0, f"Remerciement : « {_quote(original, thanks)} ».")


def _softmax(points: dict[str, float], temperature: float = 2.0) -> dict[str, float]:
    top = max(points.values())
    exps = {label: math.exp((value - top) / temperature) for label, value in points.items()}
    total = sum(exps.values())
    return {label: value / total for label, value in exps.items()}


class RuleTriager:
    """The rules path as a small estimator: ``predict`` one e-mail, ``predict_many`` a list.

    No ``fit``: the rules are written, not learned (a TPE has no labelled history on day one). The
    ``bulk_discount`` keeps an advertising e-mail's "URGENT" from counting as urgency.
    """

    def __init__(self, *, bulk_discount: float = 0.25, today: dt.date | None = None) -> None:
        self.bulk_discount = bulk_discount
        self.today = today

    def score(self, email: str | bytes | EmailInput | ParsedEmail) -> tuple[dict[str, float], dict[str, list[tuple[float, str]]]]:
        parsed = to_email(email)
        text = parsed.analysed_body
        score = _Score()
        reference = _reference_date(parsed, self.today)
        _bulk_signals(parsed, score)
        bulk = score.points["publicite"]
        _promo_signals(parsed.subject, text, score)
        _urgency_signals(parsed, text, score, reference)
        asked = _action_signals(parsed, text, score)
        _information_signals(parsed, text, score, asked)
        pitch = bool(COLD_PITCH.search(fold(parsed.subject + "\n" + text)))
        if pitch and bulk < 3.0 and score.points["a_traiter"] > 0:
            discounted = score.points["a_traiter"] * 0.5
            score.reasons["a_traiter"].append((discounted - score.points["a_traiter"], "Démarchage : les questions posées sont commerciales."))
            score.points["a_traiter"] = discounted
        if bulk >= 3.0:
            for label in ("urgent", "a_traiter"):
                if score.points[label] > 0:
                    discounted = score.points[label] * self.bulk_discount
                    score.reasons[label].append((discounted - score.points[label], "Envoi de masse : urgence et demandes minorées."))
                    score.points[label] = discounted
        return score.points, score.reasons

    def predict(self, email: str | bytes | EmailInput | ParsedEmail) -> TriageResult:
        parsed = to_email(email)
        points, reasons = self.score(parsed)
        probabilities = _softmax(points)
        label = max(LABELS, key=lambda name: (points[name], -LABELS.index(name)))
        ordered = sorted((r for r in reasons[label] if r[1] and r[0] > 0), key=lambda r: -r[0])
        explanation = [reason for _points, reason in ordered[:3]]
        if not explanation:
            explanation = ["Aucun signal particulier : classé par défaut."]
        runner_up = max((name for name in LABELS if name != label), key=lambda name: points[name])
        if probabilities[runner_up] > 0.3:
            explanation.append(f"Hésitation avec « {LABELS_FR[runner_up]} ».")
        return TriageResult(
            label=label,
            confidence=round(probabilities[label], 2),
            reasons=tuple(explanation),
            scores={name: round(value, 2) for name, value in points.items()},
            generated_by_ai=False,
            provider="règles",
            draft_label=draft_label(False),
            warnings=(TRUNCATION_WARNING,) if parsed.is_truncated else (),
        )

    def predict_many(self, emails: Iterable[str | bytes | EmailInput | ParsedEmail]) -> list[TriageResult]:
        return [self.predict(email) for email in emails]


# --------------------------------------------------------------------------------------------------
# Model path
# --------------------------------------------------------------------------------------------------
TRIAGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "categorie": {"type": "string", "enum": list(LABELS)},
        "raisons": {"type": "array", "items": {"type": "string"}, "maxItems": 4},
        "confiance": {"type": "number", "minimum": 0, "maximum": 1},
    },
    "required": ["categorie", "raisons", "confiance"],
}


def build_triage_prompt(email: ParsedEmail, *, max_chars: int = 3000) -> tuple[str, str]:
    """(system, prompt): label definitions, then the e-mail (sender, subject, own text, bulk headers)."""
    definitions = "\n".join(f"- {label} : {text}" for label, text in LABEL_DEFINITIONS.items())
    bulk = "oui" if "list-unsubscribe" in {k.lower() for k in email.headers} else "non"
    system = (
        "Vous triez les courriels reçus par une petite entreprise française. "
        "Répondez uniquement par un objet JSON conforme au schéma demandé.\n"
        f"Catégories :\n{definitions}\n"
        "Attention : « pas urgent » n'est pas urgent ; une newsletter au titre alarmant reste une publicité."
    )
    prompt = (
        f"Expéditeur : {email.sender_name} <{email.sender_address}>\n"
        f"Objet : {email.subject}\n"
        f"En-tête de désinscription : {bulk}\n"
        f"Texte :\n{truncate_words(email.analysed_body, max_chars)}\n\n"
        "Donnez la catégorie, deux ou trois raisons courtes en français et votre confiance entre 0 et 1."
    )
    return system, prompt


def triage_email(
    email: str | bytes | EmailInput | ParsedEmail,
    *,
    engine: LLMEngine | None = None,
    today: dt.date | None = None,
    consult_model_below: float = 0.7,
) -> TriageResult:
    """Label one e-mail. Without ``engine``: the rules. With one: the rules first, and the model as a
    second opinion when the rules hesitate (their confidence below ``consult_model_below``; 1.01 asks the
    model every time). The rules stay the fallback when the model is down, over budget or unreadable.

    Why not always the model: the rules are measured (benchmarks/email_triage.py) and explain themselves;
    a small local model can be much worse (SmolLM2-135M is below chance), so it only decides where the
    rules are unsure — and each e-mail it does not see costs no tokens. ``today`` resolves "demain" when
    the e-mail has no Date header.
    """
    parsed = to_email(email)
    rules = RuleTriager(today=today).predict(parsed)
    if engine is None or rules.confidence >= consult_model_below:
        return rules
    system, prompt = build_triage_prompt(parsed)
    template_json = json.dumps(
        {"categorie": rules.label, "raisons": list(rules.reasons[:3]), "confiance": rules.confidence}, ensure_ascii=False
    )
    composition = engine.compose(
        "writing.triage",
        prompt=prompt,
        system=system,
        template=lambda: template_json,
        facts={"Objet": parsed.subject, "Texte": parsed.analysed_body, "Expéditeur": f"{parsed.sender_name} {parsed.sender_address}"},
        schema=TRIAGE_SCHEMA,
        max_tokens=120,
    )
    if not composition.generated_by_ai:
        reason = composition.fallback_reason
        warnings = (f"Modèle non utilisé : {reason}",) if reason else ()
        return replace(rules, warnings=(*rules.warnings, *warnings))
    data = _parse_model_json(composition.text)
    if data is None:
        return replace(rules, warnings=(*rules.warnings, "Réponse du modèle illisible : classement par les règles."))
    reasons = tuple(str(reason) for reason in data.get("raisons", [])[:3]) or ("Classement proposé par le modèle.",)
    if data["categorie"] != rules.label:
        reasons += (f"Les règles proposaient « {LABELS_FR[rules.label]} ».",)
    return TriageResult(
        label=data["categorie"],
        confidence=round(float(data.get("confiance", 0.5)), 2),
        reasons=reasons,
        scores=rules.scores,
        generated_by_ai=True,
        provider=f"{composition.used_provider}:{composition.model}",
        draft_label=composition.label,
        warnings=rules.warnings,
    )


def _parse_model_json(text: str) -> dict[str, Any] | None:
    from etabli.engines.llm.errors import LLMError
    from etabli.engines.llm.schema import parse_and_validate

    try:
        return parse_and_validate(text, TRIAGE_SCHEMA)
    except LLMError:
        return None


def triage_many(
    emails: Sequence[str | bytes | EmailInput | ParsedEmail],
    *,
    engine: LLMEngine | None = None,
    today: dt.date | None = None,
    consult_model_below: float = 0.7,
) -> list[TriageResult]:
    """``triage_email`` over a list (an inbox)."""
    return [triage_email(email, engine=engine, today=today, consult_model_below=consult_model_below) for email in emails]
