"""E-mail intake: the attachments of an IMAP mailbox (imap-tools), taken in like any other file.

Why by UID: a message read by the owner in their mail client is still a document to take in, so « unseen »
is not a reliable marker; we remember the last UID seen (and the folder's UIDVALIDITY, which changes when
the server renumbers) and never modify the mailbox — no flag, no move, no deletion: the e-mail remains the
owner's copy. Each message is committed on its own: a crash re-fetches at most one message, and its
attachments are found again by checksum (idempotent).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import PurePath

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from etabli.core.models import Company
from etabli.core.services import alerts
from etabli.documents.models import MailAccount, Source
from etabli.documents.services.intake import ingest_bytes

logger = logging.getLogger(__name__)

ACCEPTED_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".xml", ".heic"}
ACCEPTED_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/tiff", "application/xml", "text/xml"}
#: Small inline images are logos and signatures, not documents.
MIN_IMAGE_BYTES = 15_000
FIRST_FETCH_DAYS = 30
TIMEOUT_SECONDS = 30


class MailboxError(ValueError):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _fernet() -> Fernet:
    key = hashlib.sha256(f"etabli.documents.mail:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_password(password: str) -> str:
    return _fernet().encrypt(password.encode()).decode()


def decrypt_password(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError) as exc:
        raise MailboxError("Le mot de passe enregistré ne peut plus être lu (la clé secrète a changé) : "
                           "saisissez-le à nouveau.") from exc


@transaction.atomic
def save_account(*, company: Company, label: str, host: str, port: int, security: str, username: str,
                 password: str = "", folder: str = "INBOX", enabled: bool = True,
                 account: MailAccount | None = None) -> MailAccount:
    if security not in ("ssl", "starttls", "none"):
        raise MailboxError("Sécurité inconnue : choisissez SSL/TLS, STARTTLS ou aucune.")
    if not host.strip() or not username.strip():
        raise MailboxError("Le serveur et l'identifiant sont obligatoires.")
    if not 1 <= int(port) <= 65535:
        raise MailboxError("Le port doit être compris entre 1 et 65535.")
    if account is None:
        if not password:
            raise MailboxError("Le mot de passe est obligatoire.")
        account = MailAccount(company=company)
    elif account.company_id != company.pk:
        raise MailboxError("Boîte aux lettres introuvable.")
    changed_box = (account.host, account.username, account.folder) != (host.strip(), username.strip(), folder.strip())
    account.label = (label or username).strip()[:100]
    account.host, account.port, account.security = host.strip(), int(port), security
    account.username, account.folder, account.enabled = username.strip(), folder.strip() or "INBOX", enabled
    if password:
        account.password_encrypted = encrypt_password(password)
    if changed_box and account.pk:
        account.last_uid, account.uid_validity = 0, None
    account.save()
    return account


def _connect(account: MailAccount):
    from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted

    if account.security == "ssl":
        return MailBox(account.host, account.port, timeout=TIMEOUT_SECONDS)
    if account.security == "starttls":
        return MailBoxStartTls(account.host, account.port, timeout=TIMEOUT_SECONDS)
    return MailBoxUnencrypted(account.host, account.port, timeout=TIMEOUT_SECONDS)


@dataclass
class FetchReport:
    messages: int = 0
    attachments: int = 0
    new_documents: int = 0
    already_known: int = 0
    skipped: list[str] = field(default_factory=list)


def is_document_attachment(filename: str, content_type: str, size: int, disposition: str = "") -> bool:
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES and (content_type or "").lower() not in ACCEPTED_TYPES:
        return False
    is_image = (content_type or "").lower().startswith("image/") or suffix in {".png", ".jpg", ".jpeg"}
    return not (is_image and size < MIN_IMAGE_BYTES and (disposition or "").lower() != "attachment")


def fetch_account(*, account: MailAccount, process: bool = True) -> FetchReport:
    """Take in the attachments of the messages received since the last fetch."""
    from imap_tools import AND, U
    from imap_tools.errors import MailboxLoginError

    report = FetchReport()
    company = account.company
    password = decrypt_password(account.password_encrypted)
    try:
        with _connect(account).login(account.username, password, initial_folder=account.folder) as mailbox:
            status = mailbox.folder.status(account.folder, ["UIDVALIDITY", "UIDNEXT"])
            validity = int(status["UIDVALIDITY"])
            if account.uid_validity != validity:
                account.uid_validity, account.last_uid = validity, 0
                MailAccount.objects.filter(pk=account.pk).update(uid_validity=validity, last_uid=0)
            if account.last_uid:
                criteria = AND(uid=U(account.last_uid + 1, "*"))
            else:
                criteria = AND(date_gte=timezone.localdate() - dt.timedelta(days=FIRST_FETCH_DAYS))
            for message in mailbox.fetch(criteria, mark_seen=False, bulk=False):
                uid = int(message.uid or 0)
                if uid <= account.last_uid:
                    continue  # « n:* » always returns the last message, even when n is beyond it
                _take_message(company, account, message, report, process)
                account.last_uid = uid
                MailAccount.objects.filter(pk=account.pk).update(last_uid=uid)
                report.messages += 1
    except MailboxLoginError as exc:
        _failed(account, "Identifiant ou mot de passe refusé par le serveur IMAP.")
        raise MailboxError("Identifiant ou mot de passe refusé par le serveur IMAP.") from exc
    except (TimeoutError, OSError) as exc:
        message = f"Serveur IMAP injoignable ({account.host}:{account.port}) : {exc.__class__.__name__}."
        _failed(account, message)
        raise MailboxError(message) from exc
    except Exception as exc:  # imaplib.IMAP4.error and friends
        if exc.__class__.__name__ in ("error", "abort", "readonly", "MailboxFolderSelectError",
                                      "MailboxFolderStatusError", "MailboxFetchError"):
            message = f"Le serveur IMAP a refusé la relève : {exc}"[:500]
            _failed(account, message)
            raise MailboxError(message) from exc
        raise
    MailAccount.objects.filter(pk=account.pk).update(last_checked_at=timezone.now(), last_error="")
    alerts.resolve(company=company, code=f"documents.mailbox.{account.pk}")
    return report


def _take_message(company: Company, account: MailAccount, message, report: FetchReport, process: bool) -> None:
    sender = (message.from_ or "")[:254]
    detail = f"E-mail de {sender} : {message.subject or '(sans objet)'}"[:500]
    for attachment in message.attachments:
        payload = attachment.payload or b""
        if not is_document_attachment(attachment.filename, attachment.content_type, len(payload),
                                      attachment.content_disposition):
            report.skipped.append(attachment.filename or "(sans nom)")
            continue
        report.attachments += 1
        result = ingest_bytes(company=company, data=payload, filename=attachment.filename or "piece-jointe",
                              source=Source.EMAIL, source_detail=detail, sender_email=sender, process=process)
        if result.created:
            report.new_documents += 1
        else:
            report.already_known += 1


def _failed(account: MailAccount, message: str) -> None:
    MailAccount.objects.filter(pk=account.pk).update(last_checked_at=timezone.now(), last_error=message)
    alerts.raise_alert(company=account.company, source="documents", code=f"documents.mailbox.{account.pk}",
                       message=f"Relève de la boîte « {account.label} » impossible : {message}"[:500],
                       link_url="/documents/reglages/", link_label="Vérifier la boîte aux lettres")


def fetch_due_accounts(*, every_minutes: int = 5) -> dict:
    """The periodic pass: every enabled mailbox not fetched for ``every_minutes``."""
    due = timezone.now() - dt.timedelta(minutes=every_minutes)
    results = {}
    for account in MailAccount.objects.select_related("company").filter(enabled=True):
        if account.last_checked_at and account.last_checked_at > due:
            continue
        try:
            report = fetch_account(account=account)
            results[account.pk] = {"messages": report.messages, "new_documents": report.new_documents}
        except MailboxError as exc:
            results[account.pk] = {"error": exc.message}
        except Exception:
            logger.exception("Fetching mailbox %s failed", account.pk)
            results[account.pk] = {"error": "erreur inattendue"}
    return results
