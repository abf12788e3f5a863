"""Export every row of one company in open formats (CSV + JSON, with a manifest): reversibility.

What goes in: the company itself, its members (without password hashes), every row of every model that has a
`company` foreign key — in every installed app, so modules added later are exported without code here —,
the company's audit log, and the files those rows point to. Secrets (API token hashes, webhook secrets) are
replaced by "•••". The archive is written to a temporary file and renamed at the end: a failed export never
leaves a half-written archive behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from etabli import __version__
from etabli.core.models import Company, Job, Membership
from etabli.core.services.audit import REDACTED, REDACTED_FIELDS, json_value

FORMAT_VERSION = 1


def company_models() -> list[type[models.Model]]:
    """Every concrete model with a foreign key named `company` to Company, across installed apps."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or model._meta.abstract:
            continue
        try:
            field = model._meta.get_field("company")
        except FieldDoesNotExist:
            continue
        if getattr(field, "related_model", None) is Company:
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


def _row(instance: models.Model, fields: list[models.Field]) -> dict:
    row = {}
    for field in fields:
        value = getattr(instance, field.attname)
        row[field.attname] = REDACTED if field.name in REDACTED_FIELDS else json_value(value)
    return row


def _rows(queryset: models.QuerySet, fields: list[models.Field]) -> Iterator[dict]:
    for instance in queryset.order_by("pk").iterator(chunk_size=2000):
        yield _row(instance, fields)


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _write_table(archive: zipfile.ZipFile, name: str, fields: list[str], rows: Iterator[dict], manifest: dict,
                 file_refs: list[str], file_fields: set[str]) -> int:
    """Write one table as name.csv (UTF-8, ; separator for French spreadsheets) and name.json (a list)."""
    csv_buffer = io.StringIO()
    writer = csv.writer(csv_buffer, delimiter=";")
    writer.writerow(fields)
    json_rows = []
    for row in rows:
        writer.writerow([_csv_value(row.get(f)) for f in fields])
        json_rows.append(row)
        for f in file_fields:
            if row.get(f):
                file_refs.append(row[f])
    csv_bytes = ("\ufeff" + csv_buffer.getvalue()).encode("utf-8")
    json_bytes = json.dumps(json_rows, ensure_ascii=False, indent=1).encode("utf-8")
    for suffix, data in ((".csv", csv_bytes), (".json", json_bytes)):
        archive.writestr(f"tables/{name}{suffix}", data)
        manifest["files"][f"tables/{name}{suffix}"] = hashlib.sha256(data).hexdigest()
    manifest["tables"][name] = {"rows": len(json_rows), "columns": fields}
    return len(json_rows)


def export_company(company: Company, out_path: Path, progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Write the archive to out_path atomically; returns the manifest."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    manifest: dict = {
        "format": "etabli-export",
        "format_version": FORMAT_VERSION,
        "etabli_version": __version__,
        "company": {"slug": company.slug, "legal_name": company.legal_name, "siren": company.siren},
        "exported_at": timezone.now().isoformat(),
        "encoding": "UTF-8; CSV avec séparateur « ; » et BOM ; JSON en listes d'objets",
        "tables": {},
        "files": {},
    }
    scoped_models = company_models()
    steps = len(scoped_models) + 3  # + company, members, files
    file_refs: list[str] = []
    fd, tmp_name = tempfile.mkstemp(suffix=".zip.part", dir=out_path.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp_name, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            company_fields = list(Company._meta.concrete_fields)
            _write_table(archive, "core.company", [f.attname for f in company_fields],
                         iter([_row(company, company_fields)]), manifest, file_refs,
                         {f.attname for f in company_fields if isinstance(f, models.FileField)})
            members = Membership.objects.filter(company=company).select_related("user")
            member_rows = (
                {"user_id": m.user_id, "email": m.user.email, "first_name": m.user.first_name,
                 "last_name": m.user.last_name, "role": m.role, "is_active": m.is_active,
                 "permission_overrides": m.permission_overrides, "created_at": json_value(m.created_at)}
                for m in members
            )
            _write_table(archive, "core.members", ["user_id", "email", "first_name", "last_name", "role",
                                                   "is_active", "permission_overrides", "created_at"],
                         member_rows, manifest, file_refs, set())
            for index, model in enumerate(scoped_models, start=2):  # audit log included: it has a company FK
                if progress:
                    progress(index, steps, f"Table {model._meta.label}")
                fields = [f for f in model._meta.concrete_fields]
                file_fields = {f.attname for f in fields if isinstance(f, models.FileField)}
                _write_table(archive, model._meta.label_lower, [f.attname for f in fields],
                             _rows(model._default_manager.filter(company=company), fields), manifest, file_refs,
                             file_fields)
            media_root = Path(settings.MEDIA_ROOT).resolve()
            for ref in sorted(set(file_refs)):
                path = (media_root / ref).resolve()
                if path.is_file() and path.is_relative_to(media_root):
                    data = path.read_bytes()
                    archive.writestr(f"files/{ref}", data)
                    manifest["files"][f"files/{ref}"] = hashlib.sha256(data).hexdigest()
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            archive.writestr("LISEZMOI.txt", README_TEXT)
        os.replace(tmp_name, out_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    if progress:
        progress(steps, steps, "Export terminé")
    return manifest


README_TEXT = """Export Établi — toutes les données de l'entreprise, dans des formats ouverts.

- tables/<application>.<table>.csv : une ligne par enregistrement (UTF-8, séparateur « ; »), lisible dans
  LibreOffice ou Excel ;
- tables/<application>.<table>.json : les mêmes données en JSON ;
- files/ : les fichiers (logo, documents) référencés par les tables ;
- manifest.json : la liste des tables, le nombre de lignes et l'empreinte SHA-256 de chaque fichier.

Les secrets (jetons d'API, secrets de webhook) sont remplacés par « ••• ».
"""


def exports_dir() -> Path:
    return Path(settings.DATA_DIR) / "exports"


def export_path_for_job(job: Job) -> Path | None:
    path = (job.result or {}).get("path")
    if not path:
        return None
    resolved = Path(path).resolve()
    return resolved if resolved.is_relative_to(exports_dir().resolve()) else None


def run_export_job(job: Job, progress) -> dict:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = exports_dir() / f"{job.company.slug}-{stamp}-{job.pk}.zip"
    manifest = export_company(job.company, out, progress=progress)
    from etabli.core.services import audit

    audit.record(action="export", company=job.company, model="core.Company", object_id=job.company.pk,
                 object_repr=f"Export complet ({sum(t['rows'] for t in manifest['tables'].values())} lignes)")
    return {"path": str(out), "tables": len(manifest["tables"]),
            "rows": sum(t["rows"] for t in manifest["tables"].values())}
