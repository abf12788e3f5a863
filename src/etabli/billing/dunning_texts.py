"""French reminder templates, per dunning level and tone (guide ch. 4.2: loyal customer's first delay →
courteous; recurrent late payer → firm; new customer → informative).

These templates are the degraded mode and the reference: when a language model is configured it may
rephrase them, but its draft is offered only if every amount, date and number it cites is in the facts
and the essential ones (invoice number, amount due, due date) are all there. The formal notice is a legal
act: it is never rephrased.
"""

from __future__ import annotations

from string import Formatter

COURTESY, REMINDER, FIRM, FORMAL = "courtesy", "reminder", "firm", "formal_notice"
COURTEOUS, INFORMATIVE, FIRM_TONE = "courteous", "informative", "firm"

SUBJECTS = {
    COURTESY: "Échéance prochaine de la facture {number}",
    REMINDER: "Relance : facture {number} arrivée à échéance",
    FIRM: "Deuxième relance : facture {number} impayée",
    FORMAL: "Mise en demeure de payer — facture {number}",
}

PAYMENT_INFO = "{payment_info}"

BODIES: dict[tuple[str, str], str] = {
    (COURTESY, COURTEOUS): (
        "{greeting}\n\n"
        "Nous nous permettons de vous rappeler que notre facture n° {number} du {issue_date}, d'un montant de "
        "{amount_open} TTC, arrive à échéance le {due_date}.\n\n"
        "Si votre règlement est déjà en route, merci de ne pas tenir compte de ce message.\n\n"
        f"{PAYMENT_INFO}"
        "Nous vous remercions de votre confiance.\n\n{signature}"
    ),
    (COURTESY, INFORMATIVE): (
        "{greeting}\n\n"
        "Pour vous faciliter les choses, voici un rappel concernant notre facture n° {number} du {issue_date} : "
        "son montant de {amount_open} TTC est à régler au plus tard le {due_date}.\n\n"
        f"{PAYMENT_INFO}"
        "Vous trouverez la facture en pièce jointe. N'hésitez pas à nous contacter pour toute question.\n\n"
        "{signature}"
    ),
    (COURTESY, FIRM_TONE): (
        "{greeting}\n\n"
        "Nous vous rappelons que notre facture n° {number} du {issue_date}, d'un montant de {amount_open} TTC, "
        "doit être réglée au plus tard le {due_date}.\n\n"
        "Compte tenu des retards constatés sur vos précédents règlements, nous vous remercions de veiller tout "
        "particulièrement au respect de cette échéance.\n\n"
        f"{PAYMENT_INFO}"
        "{signature}"
    ),
    (REMINDER, COURTEOUS): (
        "{greeting}\n\n"
        "Sauf erreur de notre part, nous n'avons pas encore reçu le règlement de notre facture n° {number} du "
        "{issue_date}, arrivée à échéance le {due_date}, dont le montant restant dû est de {amount_open} TTC.\n\n"
        "Il s'agit sans doute d'un simple oubli : nous vous remercions de bien vouloir procéder au règlement dès "
        "que possible. Si celui-ci vient d'être effectué, merci de ne pas tenir compte de ce message.\n\n"
        f"{PAYMENT_INFO}"
        "Bien cordialement,\n\n{signature}"
    ),
    (REMINDER, INFORMATIVE): (
        "{greeting}\n\n"
        "Notre facture n° {number} du {issue_date} est arrivée à échéance le {due_date} et reste due pour "
        "{amount_open} TTC.\n\n"
        "Pour mémoire, nos conditions prévoient un règlement à l'échéance indiquée sur la facture{legal_reminder}\n\n"
        f"{PAYMENT_INFO}"
        "La facture est jointe à ce message. Nous restons à votre disposition pour toute question.\n\n"
        "{signature}"
    ),
    (REMINDER, FIRM_TONE): (
        "{greeting}\n\n"
        "Notre facture n° {number} du {issue_date}, échue depuis le {due_date}, reste impayée pour un montant "
        "de {amount_open} TTC.\n\n"
        "Nous vous demandons de procéder à son règlement sans délai{legal_reminder}\n\n"
        f"{PAYMENT_INFO}"
        "{signature}"
    ),
    (FIRM, COURTEOUS): (
        "{greeting}\n\n"
        "Nous revenons vers vous au sujet de notre facture n° {number} du {issue_date}, échue le {due_date} "
        "depuis {days_late} jours, dont le montant restant dû est de {amount_open} TTC.\n\n"
        "Pourriez-vous nous indiquer la date à laquelle le règlement sera effectué ? Si vous rencontrez une "
        "difficulté, nous sommes prêts à en parler avec vous.\n\n"
        f"{PAYMENT_INFO}"
        "Bien cordialement,\n\n{signature}"
    ),
    (FIRM, INFORMATIVE): (
        "{greeting}\n\n"
        "Malgré notre précédente relance, notre facture n° {number} du {issue_date}, échue le {due_date}, reste "
        "due pour {amount_open} TTC, soit {days_late} jours de retard.\n\n"
        "Nous vous remercions de la régler sous huit jours{legal_reminder}\n\n"
        f"{PAYMENT_INFO}"
        "{signature}"
    ),
    (FIRM, FIRM_TONE): (
        "{greeting}\n\n"
        "Malgré notre précédente relance, notre facture n° {number} du {issue_date} demeure impayée {days_late} "
        "jours après son échéance du {due_date}. Le montant restant dû est de {amount_open} TTC.\n\n"
        "Nous vous demandons de régler cette somme sous huit jours. À défaut, nous vous adresserons une mise en "
        "demeure{legal_reminder}\n\n"
        f"{PAYMENT_INFO}"
        "{signature}"
    ),
}

FORMAL_BODY = (
    "Madame, Monsieur,\n\n"
    "{formal_intro}notre facture n° {number} du {issue_date}, échue le {due_date}, reste impayée à ce jour pour un "
    "montant de {amount_open} TTC.\n\n"
    "Par la présente, nous vous mettons en demeure de nous régler, dans un délai de huit jours à compter de la "
    "réception de ce courrier, la somme totale de {total_claimed}, qui se décompose ainsi :\n"
    "{claim_detail}\n"
    "À défaut de règlement dans ce délai, nous engagerons sans autre avis les procédures de recouvrement prévues "
    "par la loi (procédure simplifiée de recouvrement des petites créances ou injonction de payer), les frais "
    "restant à votre charge.\n\n"
    "Le présent courrier vaut mise en demeure au sens de l'article 1344 du Code civil ; il vous est également "
    "adressé par lettre recommandée avec accusé de réception.\n\n"
    f"{PAYMENT_INFO}"
    "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.\n\n{signature}"
)

FORMAL_INTROS = {
    COURTEOUS: "Nous regrettons de devoir vous écrire en ces termes : malgré nos relances, ",
    INFORMATIVE: "Malgré nos relances, ",
    FIRM_TONE: "Malgré nos relances restées sans effet, ",
}


def template_for(level: str, tone: str) -> tuple[str, str]:
    """(subject, body) templates with {placeholders}."""
    if level == FORMAL:
        return SUBJECTS[FORMAL], FORMAL_BODY
    return SUBJECTS[level], BODIES[(level, tone)]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def render(level: str, tone: str, facts: dict[str, str]) -> tuple[str, str]:
    """Fill the templates; a missing fact is a bug (KeyError), never a silent blank."""
    subject, body = template_for(level, tone)
    context = dict(facts)
    context.setdefault("formal_intro", FORMAL_INTROS.get(tone, FORMAL_INTROS[INFORMATIVE]))
    text = body.format(**context)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return subject.format(**context), text.strip() + "\n"
