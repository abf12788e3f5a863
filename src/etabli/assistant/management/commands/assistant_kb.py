"""`etabli assistant kb import FILE --company SLUG [--audience …] [--answers FILE] [--replace] [--title …]`
and `etabli assistant kb list --company SLUG`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from etabli.assistant import selectors, services
from etabli.assistant.importers import DOCUMENT_EXTENSIONS
from etabli.assistant.models import Audience
from etabli.core.management.base import EtabliCommand


class Command(EtabliCommand):
    help = ("Base de connaissances de l'assistant : import d'une FAQ (CSV « question,answer » ou "
            "« utterance,intent » + --answers) ou d'une procédure (PDF, DOCX, Markdown, texte) ; liste.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "list"])
        parser.add_argument("file", nargs="?", help="Fichier à importer (CSV, PDF, DOCX, MD, TXT).")
        parser.add_argument("--company", required=True)
        parser.add_argument("--audience", choices=[a.value for a in Audience], default=None,
                            help="clients ou equipe (par défaut : clients pour une FAQ, equipe pour un document).")
        parser.add_argument("--answers", help="Fichier des réponses (intent,answer) pour un CSV utterance,intent.")
        parser.add_argument("--replace", action="store_true", help="Remplace les entrées importées auparavant.")
        parser.add_argument("--title", default="", help="Titre du document importé.")

    def handle(self, *args, **options):
        company = self.company(options["company"])
        if options["action"] == "list":
            return self._list(company, options)
        if not options["file"]:
            raise CommandError("Indiquez le fichier à importer.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        suffix = path.suffix.lower()
        try:
            if suffix == ".csv":
                answers = None
                if options["answers"]:
                    answers_path = Path(options["answers"])
                    if not answers_path.is_file():
                        raise CommandError(f"Fichier des réponses introuvable : {answers_path}")
                    answers = answers_path.read_bytes()
                result = services.import_faq(company=company, audience=options["audience"] or Audience.CLIENTS,
                                             data=path.read_bytes(), answers=answers, replace=options["replace"])
                payload = {"kind": "faq", "layout": result.layout, "rows": result.rows, "created": result.created,
                           "updated": result.updated, "quarantined": result.quarantined}
                human = (f"{result.rows} lignes lues ({result.layout}) : {result.created} entrée(s) créée(s), "
                         f"{result.updated} mise(s) à jour.\n")
                if result.quarantined:
                    human += ("Mises à l'écart (consigne suspecte, à confirmer dans l'application) : "
                              + ", ".join(result.quarantined) + "\n")
            elif suffix in DOCUMENT_EXTENSIONS:
                document = services.import_document(
                    company=company, audience=options["audience"] or Audience.EQUIPE, title=options["title"],
                    filename=path.name, data=path.read_bytes())
                chunks = document.chunks.count()
                payload = {"kind": "document", "id": document.pk, "title": document.title, "passages": chunks,
                           "quarantined": bool(document.quarantine_reason)}
                human = f"Document « {document.title} » importé : {chunks} passage(s).\n"
                if document.quarantine_reason:
                    human += f"Mis à l'écart : {document.quarantine_reason}\n"
            else:
                raise CommandError(f"Format non pris en charge : « {suffix} » (CSV, PDF, DOCX, MD, TXT).")
        except services.AssistantError as exc:
            raise CommandError(str(exc)) from exc
        self.emit(options, payload, human)

    def _list(self, company, options):
        rows = [{"id": e.pk, "audience": e.audience, "kind": e.kind, "title": e.title, "questions": len(e.questions),
                 "active": e.usable} for e in selectors.entries(company=company, audience=options["audience"] or "")]
        human = "\n".join(f"{r['id']:>5}  {r['audience']:<8} {r['kind']:<5} {r['title']}"
                          + ("" if r["active"] else "  (inactive)") for r in rows)
        self.emit(options, rows, (human or "Base de connaissances vide.") + "\n")
