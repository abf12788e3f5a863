"""Text normalisation shared by the matching engine: bank labels and company names.

Why a module: labels arrive upper-cased, truncated to 31 characters, with banking noise (« VIR SEPA RECU
/DE », « PRLV ») and legal forms (« SARL », « STE »), while invoices carry the name as typed by the owner.
Both sides go through the same normalisation before any comparison.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Words of bank labels that say nothing about who paid.
NOISE_TOKENS = frozenset(
    """
    VIR VIRT VIREMENT VIREMENTS SEPA RECU RECUS RECUE EMIS EMISE INST INSTANTANE PRLV PRELEVEMENT PRELEV
    CB CARTE PAIEMENT PAIEMT REGLEMENT REGLT REGL RGLT FACTURE FACTURES FACT FACTU FAC FCT DE DU DES LA LE
    LES ET A AU AUX POUR PAR SUR EN FRM FROM MOTIF REF REFERENCE REFS NPY NBE ID EMETTEUR BENEFICIAIRE
    DONNEUR ORDRE CHQ CHEQUE REMISE N NO NUM NUMERO DATE ECHEANCE ECH TRANSFER TRANSFERT SOLDE ACOMPTE
    EUR EUROS CLIENT CLIENTS FOURNISSEUR RECEPTION INTERNET MOBILE WEB OPERATION OP LIB
    """.split()
)

#: Legal forms and their usual abbreviations, removed from partner names before comparison.
LEGAL_FORMS = frozenset(
    """
    SARL SAS SASU EURL SA SCI SNC SELARL SELAS SCOP SCM SCP EI EIRL ETS ETABLISSEMENTS ETABLISSEMENT STE
    SOCIETE STES CIE COMPAGNIE ET
    """.split()
)

#: Articles and linking words of names (« Scierie du Jura », « SCI Les Tilleuls »).
NAME_STOPWORDS = frozenset("DE DU DES LA LE LES L D AU AUX EN ET".split())

_NON_ALNUM = re.compile(r"[^A-Z0-9]+")


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Upper case, no accents, every run of non-alphanumerics turned into one space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char)).upper()
    return " ".join(_NON_ALNUM.sub(" ", stripped).split())


def tokens(text: str) -> list[str]:
    return normalise(text).split()


def name_tokens(name: str) -> tuple[str, ...]:
    """Tokens of a company or person name without legal forms (kept if the name is only that)."""
    all_tokens = tokens(name)
    kept = tuple(token for token in all_tokens if token not in LEGAL_FORMS and token not in NAME_STOPWORDS)
    return kept or tuple(all_tokens)


def clean_name(name: str) -> str:
    return " ".join(name_tokens(name))


def is_number_like(token: str) -> bool:
    """Digits, or letters+digits mixes such as invoice numbers and dates: not part of a name."""
    return any(char.isdigit() for char in token)


def distinctive_tokens(text: str) -> list[str]:
    """Tokens of a label that may identify a partner: no banking noise, no numbers, no 1–2 letter bits."""
    return [
        token
        for token in tokens(text)
        if len(token) >= 3 and token not in NOISE_TOKENS and not is_number_like(token)
    ]


def compact(text: str) -> str:
    """Only letters and digits, upper case: « FA-2026/0042 » → « FA20260042 »."""
    return normalise(text).replace(" ", "")


def digits_only(text: str) -> str:
    return "".join(char for char in text if char.isdigit())
