"""Turn noisy bank labels and counterparty names into stable keys, and guess what a flow is.

Why: the same supplier shows up as "PRLV SEPA EDF CLIENTS PARTICULIERS 123456 ECH 05/03" one month and
"PRLV SEPA EDF CLIENTS PARTICULIERS 128832 ECH 05/04" the next. Grouping needs a key without the
references, dates, accents and legal forms, and alerts need a readable name.
"""

from __future__ import annotations

import re
import unicodedata

from etabli.engines.spending.types import BankLine, ChargeKind

_LEGAL_FORMS = {"sa", "sas", "sasu", "sarl", "eurl", "sci", "snc", "ste", "societe", "ets", "et", "cie", "scop"}
_LABEL_NOISE = {
    "prlv", "prelevement", "prelev", "sepa", "vir", "virement", "vers", "recu", "emis", "sct", "inst",
    "instantane", "cb", "carte", "paiement", "fact", "facture", "ref", "echeance", "ech", "de", "du", "des",
    "la", "le", "les", "a", "au", "aux", "en", "pour", "par", "mdt", "rum", "ics", "motif", "xx", "x",
    "frais", "web", "permanent", "europeen", "europeenne", "faveur", "ordre", "tiers", "dom",
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre",
    "decembre", "janv", "fevr", "avr", "juil", "sept", "oct", "nov", "dec",
}
_KEYWORDS: tuple[tuple[ChargeKind, tuple[str, ...]], ...] = (
    (ChargeKind.SALARY, ("salaire", "salaires", "paie", "paye", "remuneration", "acompte salaire")),
    (ChargeKind.RENT, ("loyer", "bail", "sci ", "location local", "fermage")),
    (ChargeKind.LOAN, ("pret", "emprunt", "credit bail", "leasing", "remboursement pret", "echeance pret", "lld")),
    (ChargeKind.ENERGY, ("edf", "engie", "energie", "electricite", "gaz", "totalenergies", "total energies",
                         "eau ", "veolia", "saur", "suez", "fioul", "ekwateur", "enercoop")),
    (ChargeKind.TAX, ("urssaf", "dgfip", "impot", "impots", "tva", "cfe", "cvae", "retraite", "prevoyance",
                      "mutuelle", "agirc", "arrco", "pole emploi", "france travail", "msa", "sie ", "tresor public")),
    (ChargeKind.INSURANCE, ("assurance", "axa", "maif", "macif", "allianz", "groupama", "generali", "mma",
                            "matmut", "smabtp", "hiscox")),
    (ChargeKind.SUBSCRIPTION, ("abonnement", "orange", "sfr", "bouygues", "free ", "free mobile", "ovh",
                               "microsoft", "google", "adobe", "logiciel", "licence", "saas", "netflix",
                               "canal", "sage", "pennylane", "qonto", "internet", "telephone", "mobile")),
    (ChargeKind.BANK_FEES, ("frais bancaires", "cotisation carte", "commission", "agios", "tenue de compte",
                            "frais de tenue", "interets debiteurs")),
)


def strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def simplify(text: str) -> str:
    """Lower case, no accents, punctuation turned into spaces, single spaces."""
    text = strip_accents(text).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def counterparty_key(name: str) -> str:
    """Stable key of a counterparty name ("SARL Dupont & Fils" → "dupont fils")."""
    words = [word for word in simplify(name).split() if word not in _LEGAL_FORMS]
    return " ".join(words)


def label_key(label: str, max_words: int = 3) -> str:
    """Stable key of a label without counterparty: drop references, dates and banking noise words."""
    words = [
        word
        for word in simplify(label).split()
        if word not in _LABEL_NOISE and word not in _LEGAL_FORMS and not any(ch.isdigit() for ch in word)
    ]
    return " ".join(words[:max_words])


def series_key(line: BankLine) -> str:
    """Which series a line belongs to: its counterparty when known, else its cleaned label, and its sign.

    The sign is part of the key because a refund from a supplier is not the same series as the payments
    to it, and the account too because two accounts paying the same supplier are two schedules.
    """
    base = counterparty_key(line.counterparty) if line.counterparty.strip() else ""
    if not base:
        base = label_key(line.label) or "sans libelle"
    sign = "+" if line.amount > 0 else "-"
    return f"{line.account}|{sign}|{base}"


def display_name(line: BankLine) -> str:
    """A readable name for a series: the counterparty as written, else the cleaned label in capitals."""
    if line.counterparty.strip():
        return " ".join(line.counterparty.split())
    key = label_key(line.label, max_words=4)
    return key.upper() if key else (line.label.strip() or "Sans libellé")


def reference_tokens(label: str) -> frozenset[str]:
    """Tokens of a label that look like document references (4+ characters with digits, not dates)."""
    tokens = set()
    for word in re.findall(r"[A-Za-z0-9][A-Za-z0-9\-/]{3,}", label):
        if not any(ch.isdigit() for ch in word):
            continue
        if re.fullmatch(r"\d{1,2}[/\-]\d{1,2}([/\-]\d{2,4})?", word):
            continue
        tokens.add(word.upper())
    return frozenset(tokens)


def guess_kind(category: str, name: str, label: str, *, is_income: bool) -> ChargeKind:
    """Nature of a recurring flow from the owner's category first, else from keywords of name and label."""
    if is_income:
        return ChargeKind.INCOME
    for text in (category, f" {name} {label} "):
        haystack = f" {simplify(text)} "
        if not haystack.strip():
            continue
        for kind, words in _KEYWORDS:
            if any(f" {word.strip()} " in haystack for word in words):
                return kind
    return ChargeKind.OTHER
