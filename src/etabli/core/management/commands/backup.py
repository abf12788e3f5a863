import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from etabli.core.management.base import EtabliCommand
from etabli.core.services.backup import BackupError, backup


def read_passphrase(options) -> str | None:
    if options.get("passphrase_file"):
        try:
            return Path(options["passphrase_file"]).read_text().strip()
        except OSError as exc:
            raise CommandError(f"Phrase secrète illisible : {exc.strerror}") from exc
    if options.get("passphrase_env"):
        value = os.environ.get(options["passphrase_env"])
        if not value:
            raise CommandError(f"La variable d'environnement {options['passphrase_env']} est vide.")
        return value
    return None


class Command(EtabliCommand):
    help = "Sauvegarde la base et les fichiers (chiffrement optionnel par phrase secrète)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=os.environ.get("ETABLI_BACKUP_DIR", ""),
                            help="Dossier de destination (défaut : var/backups ou $ETABLI_BACKUP_DIR).")
        parser.add_argument("--passphrase-file", help="Fichier contenant la phrase secrète (chiffre la sauvegarde).")
        parser.add_argument("--passphrase-env", help="Variable d'environnement contenant la phrase secrète.")

    def handle(self, *args, **options):
        out_dir = Path(options["output"] or Path(settings.DATA_DIR) / "backups")
        try:
            path = backup(out_dir, read_passphrase(options))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.emit(options, {"path": str(path), "encrypted": path.suffix == ".enc", "bytes": path.stat().st_size},
                  f"Sauvegarde écrite : {path} ({path.stat().st_size // 1024} Ko)\n")
