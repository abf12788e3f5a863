"""`etabli documents watch`: take in the watched folders now (the worker does it every minute)."""

from __future__ import annotations

from etabli.core.management.base import EtabliCommand
from etabli.documents.models import WatchedFolder
from etabli.documents.services.folders import FolderError, add_folder, scan_folder


class Command(EtabliCommand):
    help = "Parcourt les dossiers surveillés maintenant (--add CHEMIN --company SLUG pour en ajouter un)."

    def add_arguments(self, parser):
        parser.add_argument("--company", help="Seulement cette entreprise.")
        parser.add_argument("--add", metavar="CHEMIN", help="Ajouter ce dossier à surveiller (avec --company).")
        parser.add_argument("--keep-files", action="store_true", help="Avec --add : laisser les fichiers en place.")

    def handle(self, *args, **options):
        from django.core.management.base import CommandError

        qs = WatchedFolder.objects.select_related("company").filter(enabled=True)
        if options.get("company"):
            company = self.company(options["company"])
            qs = qs.filter(company=company)
            if options.get("add"):
                try:
                    add_folder(company=company, path=options["add"], move_processed=not options["keep_files"])
                except FolderError as exc:
                    raise CommandError(exc.message) from exc
        elif options.get("add"):
            raise CommandError("--add demande --company.")
        results = []
        for folder in qs:
            try:
                report = scan_folder(folder=folder)
                results.append({"folder": folder.path, "new_documents": report.new_documents,
                                "already_known": report.already_known, "waiting": report.waiting,
                                "errors": report.errors})
            except FolderError as exc:
                results.append({"folder": folder.path, "error": exc.message})
        human = "\n".join(f"• {r['folder']} : " + (r["error"] if "error" in r else
                          f"{r['new_documents']} nouveau(x), {r['already_known']} déjà reçu(s), {r['waiting']} en cours d'écriture")
                          for r in results) or "Aucun dossier surveillé."
        self.emit(options, results, human + "\n")
