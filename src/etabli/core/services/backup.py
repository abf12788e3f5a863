"""Backup and restore of the whole installation: database (portable JSON) + files, optionally encrypted.

Why JSON (Django's dumpdata) rather than a copy of the SQLite file: the same archive restores on SQLite or
PostgreSQL, which is also the migration path when a company outgrows SQLite.

Encryption (optional, with a passphrase): scrypt derives a 256-bit key; the archive is cut in 1 MiB chunks,
each sealed with AES-256-GCM whose associated data binds the chunk number and a "last chunk" flag, so a
reordered, altered or truncated file is refused instead of restored half-way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import struct
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from etabli import __version__

MAGIC = b"ETABLI-BACKUP-ENC1\n"
CHUNK = 1024 * 1024
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
EXCLUDED_MODELS = ["contenttypes", "auth.permission", "sessions", "axes.accesslog", "axes.accessattempt",
                   "axes.accessfailurelog"]


class BackupError(Exception):
    """A French reason the backup or restore could not be done (nothing was changed)."""


# --- Encryption -------------------------------------------------------------------------------------------


def _key(passphrase: str, salt: bytes) -> bytes:
    if len(passphrase) < 8:
        raise BackupError("La phrase secrète doit comporter au moins 8 caractères.")
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(passphrase.encode())


def _aad(index: int, last: bool) -> bytes:
    return struct.pack(">QB", index, 1 if last else 0)


def encrypt_stream(source: BinaryIO, target: BinaryIO, passphrase: str) -> None:
    salt = os.urandom(16)
    aes = AESGCM(_key(passphrase, salt))
    target.write(MAGIC + salt)
    index, chunk = 0, source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        nonce = os.urandom(12)
        sealed = aes.encrypt(nonce, chunk, _aad(index, last))
        target.write(struct.pack(">I", len(sealed)) + nonce + sealed)
        if last:
            return
        index, chunk = index + 1, following


def decrypt_stream(source: BinaryIO, target: BinaryIO, passphrase: str) -> None:
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("Ce fichier n'est pas une sauvegarde chiffrée d'Établi.")
    salt = source.read(16)
    aes = AESGCM(_key(passphrase, salt))
    index = 0
    while True:
        header = source.read(4)
        if len(header) < 4:
            raise BackupError("Sauvegarde tronquée : la fin du fichier manque.")
        (length,) = struct.unpack(">I", header)
        nonce, sealed = source.read(12), source.read(length)
        if len(sealed) < length:
            raise BackupError("Sauvegarde tronquée : la fin du fichier manque.")
        for last in (False, True):
            try:
                target.write(aes.decrypt(nonce, sealed, _aad(index, last)))
                break
            except InvalidTag:
                continue
        else:
            raise BackupError("Phrase secrète incorrecte, ou sauvegarde altérée.")
        if last:
            if source.read(1):
                raise BackupError("Sauvegarde altérée : des données suivent la fin.")
            return
        index += 1


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


# --- Backup ---------------------------------------------------------------------------------------------------


def _iter_files(root: Path) -> Iterator[Path]:
    if root.exists():
        yield from (p for p in sorted(root.rglob("*")) if p.is_file())


def backup(output_dir: Path, passphrase: str | None = None) -> Path:
    """Write etabli-<date>.tar.gz (or .tar.gz.enc) into output_dir and return its path."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"etabli-{stamp}.tar.gz" + (".enc" if passphrase else "")
    final = output_dir / name
    with tempfile.TemporaryDirectory(dir=output_dir) as tmp:
        tmp_dir = Path(tmp)
        dump = tmp_dir / "database.json"
        with open(dump, "w", encoding="utf-8") as handle:
            call_command("dumpdata", "--natural-foreign", "--natural-primary", *sum((["-e", m] for m in EXCLUDED_MODELS), []),
                         stdout=handle)
        media_root = Path(settings.MEDIA_ROOT)
        files = list(_iter_files(media_root))
        manifest = {
            "format": "etabli-backup",
            "etabli_version": __version__,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "database_vendor": connection.vendor,
            "database_sha256": hashlib.sha256(dump.read_bytes()).hexdigest(),
            "files": {str(p.relative_to(media_root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files},
        }
        tar_path = tmp_dir / "backup.tar.gz"
        with tarfile.open(tar_path, "w:gz") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname="database.json")
            for path in files:
                tar.add(path, arcname=f"files/{path.relative_to(media_root)}")
        staged = tmp_dir / name
        if passphrase:
            with open(tar_path, "rb") as src, open(staged, "wb") as dst:
                encrypt_stream(src, dst, passphrase)
        else:
            shutil.move(tar_path, staged)
        os.replace(staged, final)
    final.chmod(0o600)
    return final


# --- Restore --------------------------------------------------------------------------------------------------


def _open_archive(path: Path, passphrase: str | None, workdir: Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Sauvegarde introuvable : {path}")
    if is_encrypted(path):
        if not passphrase:
            raise BackupError("Cette sauvegarde est chiffrée : indiquez la phrase secrète (--passphrase-file).")
        plain = workdir / "backup.tar.gz"
        with open(path, "rb") as src, open(plain, "wb") as dst:
            decrypt_stream(src, dst, passphrase)
        return plain
    return path


def _extract(tar_path: Path, workdir: Path) -> dict:
    try:
        with tarfile.open(tar_path, "r:gz") as tar:
            tar.extractall(workdir / "x", filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError("Archive illisible : ce n'est pas une sauvegarde d'Établi, ou elle est abîmée.") from exc
    root = workdir / "x"
    try:
        manifest = json.loads((root / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError("Archive sans manifeste : ce n'est pas une sauvegarde d'Établi.") from exc
    if manifest.get("format") != "etabli-backup":
        raise BackupError("Ce fichier n'est pas une sauvegarde d'Établi.")
    dump = root / "database.json"
    if hashlib.sha256(dump.read_bytes()).hexdigest() != manifest["database_sha256"]:
        raise BackupError("La base de données de la sauvegarde est altérée (empreinte différente).")
    for rel, digest in manifest["files"].items():
        if hashlib.sha256((root / "files" / rel).read_bytes()).hexdigest() != digest:
            raise BackupError(f"Le fichier « {rel} » de la sauvegarde est altéré.")
    return manifest


def database_is_empty() -> bool:
    from etabli.core.models import Company, User

    return not Company.objects.exists() and not User.objects.exists()


def restore(path: Path, passphrase: str | None = None, force: bool = False) -> dict:
    """Restore database and files. Refuses a non-empty database unless force (then it is replaced)."""
    if not force and not database_is_empty():
        raise BackupError("La base contient déjà des données : relancez avec --force pour la remplacer.")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        tar_path = _open_archive(path, passphrase, workdir)
        manifest = _extract(tar_path, workdir)
        dump = workdir / "x" / "database.json"
        with transaction.atomic():
            if force:
                call_command("flush", "--no-input", verbosity=0, inhibit_post_migrate=False)
            call_command("loaddata", str(dump), verbosity=0)
        # Files last: the database restore is all-or-nothing; files are swapped in one rename.
        new_media = workdir / "x" / "files"
        if media_root.exists():
            aside = media_root.with_name(media_root.name + f".avant-restauration-{dt.datetime.now():%Y%m%d%H%M%S}")
            media_root.rename(aside)
        media_root.parent.mkdir(parents=True, exist_ok=True)
        if new_media.exists():
            shutil.copytree(new_media, media_root)
        else:
            media_root.mkdir(parents=True, exist_ok=True)
    return manifest
