"""Read an e-mail (raw RFC 822 text, or sender/subject/body fields) into what triage and replies need.

Why: the words that matter are the sender's own — quoted replies, signatures, disclaimers and "Envoyé
de mon iPhone" would otherwise swamp the keyword rules (a quoted "urgent" from last week is not this
mail's urgency). Parsing relies on the standard ``email`` package; only the French-specific reply
markers ("Le … a écrit :", "-----Message d'origine-----", Outlook's "De : … Envoyé : …") are ours.

Size: a pasted e-mail is limited to ``MAX_EMAIL_CHARS`` of text; a larger one (a 5 MB attachment pasted
as text, a mail bomb) is refused at once with a French message instead of being scanned for minutes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email import message_from_bytes, message_from_string, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

from etabli.engines.writing._text import fold
from etabli.engines.writing.errors import WritingError

#: Largest e-mail text accepted (characters of raw text, or bytes of a raw message).
MAX_EMAIL_CHARS = 1_000_000
#: Characters of the sender's own text that triage and reply drafting read. A message is decided by its
#: beginning; past this, a pasted document would only slow the rules down (a warning says so).
ANALYSIS_CHARS = 20_000
TRUNCATION_WARNING = "Message très long : seuls les 20 000 premiers caractères ont été analysés."


@dataclass(frozen=True)
class EmailInput:
    """An e-mail given as fields (what a user pastes into a form), rather than as raw RFC 822 text."""

    sender: str
    subject: str
    body: str
    headers: Mapping[str, str] = field(default_factory=dict)
    date: dt.datetime | None = None
    to: str = ""


@dataclass(frozen=True)
class ParsedEmail:
    """An e-mail reduced to what the writing features read.

    ``body`` is the sender's own text (quoted replies and signature removed); ``quoted`` keeps what was
    removed so that a thread summary can still use it; ``full_text`` is the body before stripping.
    """

    sender_name: str
    sender_address: str
    subject: str
    body: str
    quoted: str = ""
    signature: str = ""
    full_text: str = ""
    to: tuple[str, ...] = ()
    date: dt.datetime | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    attachments: tuple[str, ...] = ()
    links: tuple[str, ...] = ()

    @property
    def analysed_body(self) -> str:
        """The first ``ANALYSIS_CHARS`` characters of the own text (what the rules read)."""
        return self.body[:ANALYSIS_CHARS]

    @property
    def is_truncated(self) -> bool:
        return len(self.body) > ANALYSIS_CHARS

    @property
    def footer_text(self) -> str:
        """Start and end of the whole text: where newsletters put "se désabonner" and "version en ligne"."""
        half = ANALYSIS_CHARS // 2
        text = self.full_text
        return text if len(text) <= ANALYSIS_CHARS else text[:half] + "\n" + text[-half:]

    @property
    def sender_domain(self) -> str:
        """"factures@edf.fr" → "edf.fr" (lower case)."""
        return self.sender_address.rpartition("@")[2].lower()

    @property
    def sender_local_part(self) -> str:
        """"no-reply@edf.fr" → "no-reply" (lower case)."""
        return self.sender_address.partition("@")[0].lower()

    @property
    def first_name(self) -> str:
        """The sender's first name when the display name looks like "Prénom Nom", else ""."""
        name = self.sender_name.strip().strip('"')
        if not name or "@" in name:
            return ""
        if "," in name:  # "Martin, Paul"
            last, _, first = name.partition(",")
            name = f"{first.strip()} {last.strip()}"
        words = name.split()
        if len(words) < 1 or not words[0][:1].isupper() or not words[0].replace("-", "").isalpha():
            return ""
        if fold(words[0]) in _NOT_FIRST_NAMES:
            return ""
        return words[0] if len(words) <= 3 else ""


_NOT_FIRST_NAMES = {
    "service", "equipe", "l'equipe", "support", "contact", "info", "infos", "newsletter", "la", "le", "les",
    "mairie", "societe", "ste", "sarl", "sas", "boutique", "cabinet", "agence", "groupe", "banque", "no",
    "noreply", "ne", "notification", "notifications", "comptabilite", "direction", "facturation", "admin",
}


def _size_error(size: int) -> WritingError:
    megabytes = f"{size / 1_000_000:.1f}".replace(".", ",")
    limit = f"{MAX_EMAIL_CHARS / 1_000_000:.0f}"
    return WritingError(
        f"Courriel trop volumineux : {megabytes} Mo de texte, la limite est de {limit} Mo. "
        "Enregistrez les pièces jointes à part et collez seulement le texte du message."
    )


def check_size(text: str | bytes) -> None:
    """Raise ``WritingError`` when the raw e-mail is over ``MAX_EMAIL_CHARS`` (checked before any parsing)."""
    if len(text) > MAX_EMAIL_CHARS:
        raise _size_error(len(text))


class _HTMLText(HTMLParser):
    """HTML → text, keeping line breaks at block tags and the links (to spot "se désabonner")."""

    _BLOCKS = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "section", "footer"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "head"}:
            self._skip += 1
        if tag in self._BLOCKS:
            self.parts.append("\n")
        if tag == "a":
            self._href = dict(attrs).get("href") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "head"} and self._skip:
            self._skip -= 1
        if tag in self._BLOCKS:
            self.parts.append("\n")
        if tag == "a" and self._href is not None:
            self.links.append(self._href)
            self._href = None

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)
            if self._href is not None:
                self.links.append(data.strip())


def html_to_text(html: str) -> tuple[str, list[str]]:
    """Visible text of an HTML body and the targets/labels of its links."""
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\xa0]+", " ", text)
    text = re.sub(r"\n\s*\n\s*(\n\s*)+", "\n\n", text)
    return text.strip(), parser.links


_REPLY_HEADER = re.compile(
    r"^\s*(?:"
    r"le\s[^\n]{4,200}?(?:\n[^\n]{0,120}?)?a\s+ecrit\s*:"  # Le lun. 3 nov. 2026 à 10:12, Paul <p@x.fr> a écrit :
    r"|on\s.{4,200}?wrote\s*:"
    r"|-{2,}\s*(?:message d'origine|original message|message transfere|forwarded message|mail transfere)\s*-*"
    r"|_{8,}\s*$"
    r"|(?:de|from)\s*:\s*\S.*\n\s*(?:envoye|sent|date)\s*:"
    r")",
    re.MULTILINE,
)
_FORWARD_MARK = re.compile(r"(message transfere|forwarded message|mail transfere|^tr\s*:|^fwd?\s*:)", re.MULTILINE)
_SIG_DELIMITER = re.compile(r"^-- ?$", re.MULTILINE)
_MOBILE_FOOTER = re.compile(r"^\s*(envoye|envoye depuis|sent from|provenance)\s*(de|depuis)?\s*(mon|my)?\s.*$", re.MULTILINE)
_CLOSING = re.compile(
    r"^\s*(bien |tres |tres bien )?(cordialement|a bientot|bien a (vous|toi)|salutations( distinguees)?"
    r"|sinceres salutations|bonne (journee|soiree|fin de journee|semaine)|belle (journee|soiree|semaine)"
    r"|amicalement|bien amicalement|bises|merci d'avance|merci par avance|merci et bonne journee"
    r"|dans l'attente de (votre|ta) (reponse|retour)[^\n]{0,40}|en vous remerciant[^\n]{0,60}"
    r"|je vous prie d'agreer[^\n]*|veuillez agreer[^\n]*|a tres vite|a plus|merci beaucoup)\s*[,.!]*\s*$",
    re.MULTILINE,
)


def split_quoted(text: str) -> tuple[str, str]:
    """Split a body into the sender's own part and the quoted history (reply headers, "> " lines).

    When the own part is almost empty and the mail forwards another one ("TR :", "Message transféré"),
    the forwarded message is the substance and becomes the own part.
    """
    folded = fold(text)
    header = _REPLY_HEADER.search(folded)
    own, quoted = (text[: header.start()], text[header.start() :]) if header else (text, "")
    own_lines = [line for line in own.splitlines() if not line.lstrip().startswith(">")]
    quoted_lines = [line for line in own.splitlines() if line.lstrip().startswith(">")]
    own_text = "\n".join(own_lines).strip()
    quoted_text = "\n".join(quoted_lines + ([quoted] if quoted else [])).strip()
    if len(own_text) < 40 and quoted and _FORWARD_MARK.search(fold(quoted[:200])):
        forwarded = re.sub(r"^(?:(?:de|from|envoyé|envoye|sent|date|à|a|to|objet|subject|cc)\s*:.*\n)+", "", quoted.split("\n", 1)[-1], flags=re.IGNORECASE | re.MULTILINE)
        return (own_text + "\n\n" + forwarded).strip(), quoted_text
    return own_text, quoted_text


def split_signature(text: str) -> tuple[str, str]:
    """Split off the signature: after "-- ", a mobile footer, or a closing formula near the end.

    A closing formula ("Cordialement,", "Bien à vous") only counts in the last lines so that a
    "merci d'avance" in the middle of a long mail is not taken for the end of it.
    """
    delimiter = _SIG_DELIMITER.search(text)
    if delimiter:
        return text[: delimiter.start()].rstrip(), text[delimiter.start() :].strip()
    folded = fold(text)
    mobile = _MOBILE_FOOTER.search(folded)
    if mobile and len(text) - mobile.start() < 120:
        text, folded = text[: mobile.start()].rstrip(), folded[: mobile.start()].rstrip()
    lines = text.splitlines()
    cut_at = None
    for closing in _CLOSING.finditer(folded):
        line_index = folded[: closing.start()].count("\n")
        remaining = lines[line_index + 1 :]
        if len(remaining) <= 8 and all(len(line) < 90 for line in remaining):
            cut_at = closing.start()
            break
    if cut_at is None:
        return text.strip(), ""
    return text[:cut_at].rstrip(), text[cut_at:].strip()


def _decode_part(part: Message) -> str:
    raw_payload = part.get_payload()
    encoding_header = (part.get("Content-Transfer-Encoding") or "").strip().lower()
    if isinstance(raw_payload, str) and encoding_header not in ("base64", "quoted-printable") and not _has_surrogates(raw_payload):
        # Text pasted as str is already Unicode: decoding it again (compat32 re-encodes it with
        # raw-unicode-escape) would turn "€" into "\\u20ac".
        return raw_payload
    payload = part.get_payload(decode=True)
    if payload is None:
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    charset = part.get_content_charset() or "utf-8"
    for encoding in (charset, "utf-8", "cp1252"):
        try:
            return payload.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", errors="replace")


def _has_surrogates(text: str) -> bool:
    """True for a str that carries undecoded bytes (what ``message_from_bytes`` leaves for 8-bit bodies)."""
    return any("\udc80" <= char <= "\udcff" for char in text)


def _message_text(message: Message) -> tuple[str, list[str], list[str]]:
    """Plain text (preferred) or HTML converted, the links of the HTML part and the attachment names."""
    plain: list[str] = []
    html: list[str] = []
    attachments: list[str] = []
    parts = message.walk() if message.is_multipart() else [message]
    for part in parts:
        if part.is_multipart():
            continue
        filename = part.get_filename()
        disposition = (part.get("Content-Disposition") or "").lower()
        if filename or disposition.startswith("attachment"):
            attachments.append(filename or "pièce jointe")
            continue
        content_type = part.get_content_type()
        if content_type == "text/plain":
            plain.append(_decode_part(part))
        elif content_type == "text/html":
            html.append(_decode_part(part))
    links: list[str] = []
    if html:
        html_text, links = html_to_text("\n".join(html))
        if not plain:
            plain.append(html_text)
    return "\n".join(plain), links, attachments


def _parse_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def parse_email(raw: str | bytes) -> ParsedEmail:
    """Parse a raw RFC 822 message (as pasted or read from a .eml file).

    Raises ``WritingError`` for an empty or over-large message.
    """
    check_size(raw)
    if not raw.strip():
        raise WritingError("Le courriel est vide : collez le message complet (en-têtes et texte).")
    message = (
        message_from_bytes(raw, policy=policy.compat32)
        if isinstance(raw, bytes)
        else message_from_string(raw, policy=policy.compat32)
    )
    headers = {key.lower(): str(_header_text(value)) for key, value in message.items()}
    if not any(key in headers for key in ("from", "subject", "date", "to")):
        # Not an RFC 822 message: a pasted body only.
        text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        return from_fields(EmailInput(sender="", subject="", body=text))
    body, links, attachments = _message_text(message)
    name, address = parseaddr(headers.get("from", ""))
    recipients = tuple(addr for _name, addr in getaddresses([headers.get("to", "")]) if addr)
    return _build(
        sender_name=name,
        sender_address=address,
        subject=headers.get("subject", ""),
        text=body,
        headers=headers,
        date=_parse_date(headers.get("date")),
        to=recipients,
        attachments=tuple(attachments),
        links=tuple(links),
    )


def _header_text(value: object) -> str:
    """Decode RFC 2047 encoded words ("=?utf-8?q?Facture_n=C2=B0?=") into text."""
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(str(value))))
    except (UnicodeDecodeError, LookupError, ValueError):
        return str(value)


def from_fields(email: EmailInput) -> ParsedEmail:
    """Build a ``ParsedEmail`` from form fields; the body may be HTML or contain quoted replies."""
    total = len(email.body) + len(email.subject) + len(email.sender)
    if total > MAX_EMAIL_CHARS:
        raise _size_error(total)
    if not (email.body.strip() or email.subject.strip()):
        raise WritingError("Le courriel est vide : il faut au moins un objet ou un texte.")
    body = email.body
    links: list[str] = []
    if re.search(r"<(html|body|div|p|table|br)\b", body[:5000], re.IGNORECASE):
        body, links = html_to_text(body)
    name, address = parseaddr(email.sender)
    headers = {key.lower(): value for key, value in email.headers.items()}
    return _build(
        sender_name=name,
        sender_address=address,
        subject=email.subject,
        text=body,
        headers=headers,
        date=email.date,
        to=tuple(addr for _name, addr in getaddresses([email.to]) if addr),
        attachments=(),
        links=tuple(links),
    )


def _build(
    *,
    sender_name: str,
    sender_address: str,
    subject: str,
    text: str,
    headers: Mapping[str, str],
    date: dt.datetime | None,
    to: tuple[str, ...],
    attachments: tuple[str, ...],
    links: tuple[str, ...],
) -> ParsedEmail:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    own, quoted = split_quoted(text)
    body, signature = split_signature(own)
    return ParsedEmail(
        sender_name=sender_name.strip().strip('"'),
        sender_address=sender_address.strip().lower(),
        subject=" ".join(subject.split()),
        body=body,
        quoted=quoted,
        signature=signature,
        full_text=text,
        to=to,
        date=date,
        headers=dict(headers),
        attachments=attachments,
        links=links,
    )


def to_email(email: str | bytes | EmailInput | ParsedEmail) -> ParsedEmail:
    """Accept any of the supported inputs and return a ``ParsedEmail``."""
    if isinstance(email, ParsedEmail):
        return email
    if isinstance(email, EmailInput):
        return from_fields(email)
    if isinstance(email, (str, bytes)):
        return parse_email(email)
    raise WritingError(
        "Format de courriel non reconnu : donnez le texte brut du message ou ses champs (expéditeur, objet, texte)."
    )


def build_raw_email(email: EmailInput) -> str:
    """The RFC 822 text of an ``EmailInput`` (used by the benchmark and tests to exercise the parser)."""
    message = EmailMessage()
    message["From"] = email.sender or "inconnu@example.invalid"
    if email.to:
        message["To"] = email.to
    message["Subject"] = email.subject
    if email.date is not None:
        from email.utils import format_datetime

        message["Date"] = format_datetime(email.date)
    for key, value in email.headers.items():
        message[key] = value
    message.set_content(email.body)
    return message.as_string()
