"""`etabli documents process --company SLUG`: read now the documents waiting (and recover interrupted ones)."""

from __future__ import annotations

from etabli.core.management.base import EtabliCommand
from etabli.documents.models import Document, DocumentStatus
from etabli.documents.services.processing import pending_for, process_document, recover_stale


class Command(EtabliCommand):
    help = "Lit maintenant les documents en attente (reprend aussi les lectures interrompues)."

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True)
        parser.add_argument("--id", type=int, action="append", default=[], help="Seulement ce document (répétable).")

    def handle(self, *args, **options):
        company = self.company(options["company"])
        recovered = recover_stale(company=company)
        ids = options["id"] or pending_for(company)
        done = []
        for pk in ids:
            if not Document.objects.for_company(company).filter(pk=pk).exists():
                continue
            process_document(pk)
            document = Document.objects.get(pk=pk)
            done.append({"id": pk, "status": document.status, "title": document.title,
                         "reason": document.status_reason or None})
        human = "\n".join(f"• n° {d['id']} {d['title']} : {dict(DocumentStatus.choices)[d['status']]}"
                          + (f" — {d['reason']}" if d["reason"] else "") for d in done) or "Rien à lire."
        self.emit(options, {"processed": done, "recovered": recovered}, human + "\n")
