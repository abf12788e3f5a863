"""Content-addressed storage of originals: the checksum is computed while the file is copied, then the file
is put at a name derived from it. Nothing here knows about the database.

Why content-addressed: the same invoice received by e-mail and dropped in the browser is one file, so
re-ingestion is idempotent by construction; a stored file is never overwritten (same name ⇒ same bytes);
and the checksum proves, years later, that the original was not altered.

Why stream: a 200 MB upload must not be held in memory; it is hashed and written in 1 MiB blocks.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

from django.core.files import File
from django.core.files.storage import default_storage

BLOCK = 1024 * 1024
SAFE_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".xml", ".heic", ".webp", ".gif", ".bmp"}


@dataclass(frozen=True)
class StagedFile:
    """A received file copied to a private temporary place, with its checksum and size."""

    path: Path
    checksum: str
    size: int
    suffix: str


def _suffix(filename: str) -> str:
    """The extension we keep on the stored name (only harmless ones: the name never decides the type)."""
    suffix = PurePath(filename or "").suffix.lower()
    return suffix if suffix in SAFE_SUFFIXES else ".bin"


def _staging_dir() -> Path:
    from django.conf import settings

    folder = Path(settings.DATA_DIR) / "tmp" / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stage(chunks: Iterable[bytes], filename: str) -> StagedFile:
    """Copy a stream of bytes to a temporary file while hashing it."""
    digest = hashlib.sha256()
    size = 0
    fd, name = tempfile.mkstemp(prefix="in-", suffix=".part", dir=_staging_dir())
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                if not chunk:
                    continue
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return StagedFile(path=Path(name), checksum=digest.hexdigest(), size=size, suffix=_suffix(filename))


def iter_file(handle: BinaryIO) -> Iterator[bytes]:
    while True:
        block = handle.read(BLOCK)
        if not block:
            return
        yield block


def stage_path(path: Path) -> StagedFile:
    with open(path, "rb") as handle:
        return stage(iter_file(handle), path.name)


def original_name(company_id: int, checksum: str, suffix: str) -> str:
    return f"documents/{company_id}/originaux/{checksum[:2]}/{checksum}{suffix}"


def archive_name(company_id: int, checksum: str) -> str:
    return f"documents/{company_id}/pdfa/{checksum[:2]}/{checksum}.pdf"


def preview_name(company_id: int, checksum: str, page: int, width: int) -> str:
    return f"documents/{company_id}/apercus/{checksum[:2]}/{checksum}-p{page}-{width}.png"


def commit(staged: StagedFile, name: str) -> str:
    """Move a staged file to its final name (atomic rename on the local disk). Returns the stored name."""
    try:
        target = Path(default_storage.path(name))
    except NotImplementedError:  # remote storage (S3…): upload, then drop the temporary copy
        if not default_storage.exists(name):
            with open(staged.path, "rb") as handle:
                name = default_storage.save(name, File(handle))
        staged.path.unlink(missing_ok=True)
        return name
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and target.stat().st_size == staged.size:
        staged.path.unlink(missing_ok=True)  # same checksum, same size: the same bytes are already there
    else:
        os.replace(staged.path, target)
    return name


def save_bytes(name: str, data: bytes) -> str:
    """Write derived bytes (the PDF/A copy, a preview) at a name, replacing an older version atomically."""
    try:
        target = Path(default_storage.path(name))
    except NotImplementedError:
        if default_storage.exists(name):
            default_storage.delete(name)
        from django.core.files.base import ContentFile

        return default_storage.save(name, ContentFile(data))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return name


def exists(name: str) -> bool:
    return bool(name) and default_storage.exists(name)


def read_bytes(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


@contextmanager
def local_path(name: str) -> Iterator[Path]:
    """A path on the local disk for a stored file (a temporary copy when the storage is remote)."""
    try:
        local = Path(default_storage.path(name))
    except NotImplementedError:
        local = None
    if local is not None:
        yield local
        return
    suffix = PurePath(name).suffix
    fd, tmp = tempfile.mkstemp(suffix=suffix, dir=_staging_dir())
    try:
        with os.fdopen(fd, "wb") as out, default_storage.open(name, "rb") as source:
            shutil.copyfileobj(source, out, BLOCK)
        yield Path(tmp)
    finally:
        Path(tmp).unlink(missing_ok=True)


def discard(staged: StagedFile) -> None:
    staged.path.unlink(missing_ok=True)
