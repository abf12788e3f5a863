"""`etabli documents mail`: fetch the mailboxes' attachments now (the worker does it every 5 minutes)."""

from __future__ import annotations

from django.core.management.base import CommandError

from etabli.core.management.base import EtabliCommand
from etabli.documents.models import MailAccount
from etabli.documents.services.mailbox import MailboxError, fetch_account


class Command(EtabliCommand):
    help = "Relève maintenant les pièces jointes des boîtes aux lettres configurées."

    def add_arguments(self, parser):
        parser.add_argument("--company", help="Seulement cette entreprise.")

    def handle(self, *args, **options):
        qs = MailAccount.objects.select_related("company").filter(enabled=True)
        if options.get("company"):
            qs = qs.filter(company=self.company(options["company"]))
        results, errors = [], []
        for account in qs:
            try:
                report = fetch_account(account=account)
                results.append({"mailbox": account.label, "messages": report.messages,
                                "new_documents": report.new_documents, "already_known": report.already_known})
            except MailboxError as exc:
                results.append({"mailbox": account.label, "error": exc.message})
                errors.append(f"{account.label} : {exc.message}")
        human = "\n".join(f"• {r['mailbox']} : " + (r["error"] if "error" in r else
                          f"{r['messages']} message(s), {r['new_documents']} nouveau(x) document(s)")
                          for r in results) or "Aucune boîte aux lettres configurée."
        self.emit(options, results, human + "\n")
        if errors:
            raise CommandError("; ".join(errors))
