from pathlib import Path

from django.core.management.base import CommandError

from etabli.core.management.base import EtabliCommand
from etabli.core.management.commands.backup import read_passphrase
from etabli.core.services.backup import BackupError, restore


class Command(EtabliCommand):
    help = "Restaure une sauvegarde (base + fichiers). Refuse une base non vide sans --force."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Fichier de sauvegarde (etabli-….tar.gz[.enc]).")
        parser.add_argument("--passphrase-file")
        parser.add_argument("--passphrase-env")
        parser.add_argument("--force", action="store_true", help="Remplace les données existantes.")

    def handle(self, *args, **options):
        try:
            manifest = restore(Path(options["archive"]), read_passphrase(options), force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.emit(options, {"restored": True, "created_at": manifest["created_at"], "files": len(manifest["files"])},
                  f"Sauvegarde du {manifest['created_at']} restaurée ({len(manifest['files'])} fichiers).\n")
