"""Watched folders: a scanner's output folder, a synced share — every file dropped there is taken in.

A file is taken only once it is complete (its size and modification time did not change for a few seconds:
a scanner writes for a while), then moved to ``importés/AAAA-MM/`` (or left in place) once its row is
committed — so a crash between the two re-ingests it, which is idempotent by checksum. Nothing is ever
deleted; a file that cannot be read stays where it is and the folder records the error.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from etabli.core.models import Company
from etabli.core.services import alerts
from etabli.documents.models import Source, WatchedFolder
from etabli.documents.services.intake import ingest_path

logger = logging.getLogger(__name__)

PROCESSED_DIR = "importés"
#: A file younger than this is probably still being written by the scanner.
SETTLE_SECONDS = 3.0
IGNORED_PREFIXES = (".", "~$", "~")
IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".swp", ".download")


class FolderError(ValueError):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class ScanReport:
    taken: int = 0
    new_documents: int = 0
    already_known: int = 0
    waiting: int = 0
    errors: list[str] = field(default_factory=list)


def add_folder(*, company: Company, path: str, move_processed: bool = True) -> WatchedFolder:
    folder = Path(path).expanduser()
    if not folder.is_absolute():
        raise FolderError("Indiquez un chemin absolu (ex. /srv/scans/menuiserie).")
    if not folder.is_dir():
        raise FolderError(f"Le dossier « {folder} » n'existe pas sur le serveur.")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise FolderError(f"Le dossier « {folder} » n'est pas lisible par Établi.")
    if move_processed and not os.access(folder, os.W_OK):
        raise FolderError(f"Établi ne peut pas écrire dans « {folder} » pour y ranger les fichiers importés : "
                          "décochez le rangement ou donnez-lui le droit d'écriture.")
    found, _ = WatchedFolder.objects.update_or_create(company=company, path=str(folder),
                                                      defaults={"enabled": True, "move_processed": move_processed})
    return found


def _candidates(root: Path) -> list[Path]:
    files = []
    for current, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != PROCESSED_DIR and not d.startswith("."))
        for name in sorted(names):
            if name.startswith(IGNORED_PREFIXES) or name.lower().endswith(IGNORED_SUFFIXES):
                continue
            files.append(Path(current) / name)
    return files


def _settled(path: Path, now: float) -> bool:
    try:
        return now - path.stat().st_mtime >= SETTLE_SECONDS
    except OSError:
        return False


def _archive(root: Path, path: Path) -> None:
    target_dir = root / PROCESSED_DIR / timezone.localdate().strftime("%Y-%m")
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / path.name
    counter = 1
    while target.exists():
        target = target_dir / f"{path.stem} ({counter}){path.suffix}"
        counter += 1
    shutil.move(str(path), str(target))


def scan_folder(*, folder: WatchedFolder, process: bool = True, settle_seconds: float | None = None) -> ScanReport:
    report = ScanReport()
    root = Path(folder.path)
    settle = SETTLE_SECONDS if settle_seconds is None else settle_seconds
    if not root.is_dir():
        message = f"Le dossier surveillé « {root} » est introuvable."
        WatchedFolder.objects.filter(pk=folder.pk).update(last_scan_at=timezone.now(), last_error=message)
        alerts.raise_alert(company=folder.company, source="documents", code=f"documents.folder.{folder.pk}",
                           message=message, link_url="/documents/reglages/", link_label="Vérifier le dossier")
        raise FolderError(message)
    now = time.time()
    for path in _candidates(root):
        if not path.is_file():
            continue
        if settle and not (_settled(path, now)):
            report.waiting += 1
            continue
        try:
            result = ingest_path(company=folder.company, path=path, source=Source.FOLDER,
                                 source_detail=f"Dossier {root} : {path.relative_to(root)}", process=process)
        except OSError as exc:
            report.errors.append(f"{path.name} : illisible ({exc.strerror or exc.__class__.__name__})")
            continue
        report.taken += 1
        report.new_documents += int(result.created)
        report.already_known += int(not result.created)
        if folder.move_processed:
            try:
                _archive(root, path)
            except OSError as exc:
                report.errors.append(f"{path.name} : reçu mais non rangé ({exc.strerror or exc.__class__.__name__})")
    error = "; ".join(report.errors)[:2000]
    WatchedFolder.objects.filter(pk=folder.pk).update(last_scan_at=timezone.now(), last_error=error)
    if not error:
        alerts.resolve(company=folder.company, code=f"documents.folder.{folder.pk}")
    return report


def scan_all(*, process: bool = True) -> dict:
    results = {}
    for folder in WatchedFolder.objects.select_related("company").filter(enabled=True):
        try:
            report = scan_folder(folder=folder, process=process)
            results[folder.pk] = {"new_documents": report.new_documents, "errors": report.errors}
        except FolderError as exc:
            results[folder.pk] = {"error": exc.message}
        except Exception:
            logger.exception("Scanning folder %s failed", folder.pk)
            results[folder.pk] = {"error": "erreur inattendue"}
    return results
