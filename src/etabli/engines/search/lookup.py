"""Find an order or invoice number, a French postcode and an e-mail address in a customer's message.

Why: the order-status flow ("je n'ai pas reçu ma commande", guide ch. 5.1, niveau 2) asks for the order
number and a second factor (the postcode or the e-mail of the order) before saying anything about the
order. These helpers only read the message; the check against the billing data is the app's job, and
it must never answer on the number alone.

A number counts as an order number when it follows a word that announces one ("commande", "facture",
"n°", "#", "réf.", …) or when it looks like a document reference (letters, a dash, digits: "FA-2024-0012").
A postcode is five digits with a real French department prefix; "code postal"/"CP" before it wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etabli.engines.search.errors import SearchError

MAX_MESSAGE_CHARS = 10_000

_KEYWORD = (
    r"(?:commandes?|cdes?|cmd|factures?|fact|avoir|devis|bon\s+de\s+(?:commande|livraison)|colis|suivi"
    r"|order|ticket|dossier|r[ée]f[ée]rence|r[ée]f\.?|num[ée]ro|n[°º]|no\.|#)"
)
_FILLER = (
    r"(?:\s*(?:de\s+(?:la\s+|ma\s+)?(?:commande|facture|suivi)|n[°º]|no\.?|num[ée]ro|:|#|est|c'est|c’est|=))*"
)
_CODE = r"([A-Za-z]{0,6}[-/_.]?\d[\w\-/.]{1,30})"
_ANCHORED_NUMBER = re.compile(rf"(?<![\w@]){_KEYWORD}{_FILLER}\s*{_CODE}", re.IGNORECASE)
_REFERENCE_LIKE = re.compile(r"(?<![\w@-])([A-Za-z]{1,6}[-/_]?\d{2,}(?:[-/_]\d+)*)(?![\w@-])")
_ANCHORED_POSTCODE = re.compile(r"(?:code\s+postal|\bcp)\s*:?\s*(\d{2}\s?\d{3})(?!\d)", re.IGNORECASE)
_BARE_POSTCODE = re.compile(r"(?<![\w\-/.,°#])(\d{5})(?![\w\-/.,]\d|\d)")
_EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)


@dataclass(frozen=True)
class LookupKeys:
    """What the message gives to look an order up; the second factor is the postcode or the e-mail."""

    order_number: str | None
    postcode: str | None
    email: str | None

    @property
    def has_second_factor(self) -> bool:
        return self.postcode is not None or self.email is not None

    @property
    def complete(self) -> bool:
        """True when the order may be looked up: a number and a second factor."""
        return self.order_number is not None and self.has_second_factor


def is_french_postcode(code: str) -> bool:
    """Five digits whose prefix is a department of mainland France, Corsica (20) or overseas (971–976,
    984–988)."""
    if not re.fullmatch(r"\d{5}", code):
        return False
    department = int(code[:2])
    if 1 <= department <= 95:
        return True
    return code[:3] in {"971", "972", "973", "974", "975", "976", "984", "986", "987", "988"}


def extract_order_number(text: str) -> str | None:
    """ "Ma commande n°12345 n'est pas arrivée" → "12345"; "facture FA-2024-0012" → "FA-2024-0012"."""
    text = _checked(text)
    for match in _ANCHORED_NUMBER.finditer(text):
        code = _clean_code(match.group(1))
        if code and any(ch.isdigit() for ch in code) and not _is_date_or_amount(text, match.end(1)):
            return code
    for match in _REFERENCE_LIKE.finditer(text):
        code = _clean_code(match.group(1))
        if code and any(ch.isalpha() for ch in code):
            return code
    return None


def extract_postcode(text: str) -> str | None:
    """ "livrée au 69003 Lyon" → "69003"; "CP : 75 011" → "75011"; an order number is never taken."""
    text = _checked(text)
    for match in _ANCHORED_POSTCODE.finditer(text):
        code = match.group(1).replace(" ", "")
        if is_french_postcode(code):
            return code
    order_spans = [m.span(1) for m in _ANCHORED_NUMBER.finditer(text)]
    for match in _BARE_POSTCODE.finditer(text):
        inside_order = any(start <= match.start(1) < end for start, end in order_spans)
        if not inside_order and is_french_postcode(match.group(1)):
            return match.group(1)
    return None


def extract_email(text: str) -> str | None:
    """The first e-mail address of the message, lower-cased ("Paul@Exemple.fr" → "paul@exemple.fr")."""
    text = _checked(text)
    match = _EMAIL.search(text)
    return match.group(1).rstrip(".").lower() if match else None


def extract_lookup_keys(text: str) -> LookupKeys:
    """All three at once, for the order-status flow."""
    return LookupKeys(extract_order_number(text), extract_postcode(text), extract_email(text))


def _checked(text: str) -> str:
    if not isinstance(text, str):
        raise SearchError("Le message doit être un texte.")
    return text[:MAX_MESSAGE_CHARS]


def _clean_code(code: str) -> str:
    return code.strip().rstrip(".,;:!?/-_").upper()


def _is_date_or_amount(text: str, end: int) -> bool:
    """ "commande du 12/03/2025" or "commande de 45 €" must not give a number."""
    following = text[end : end + 3].lstrip()
    return following[:1] in ("€", "%") or following[:3].lower().startswith("eur")
