"""`etabli check --deploy`: what a production installation is missing, in French.

Django's own deployment checks run too (HSTS, secure cookies…); these add Établi's: secret key, HTTPS,
SMTP, backups, database, job queue, front-end assets, OCR and LLM availability.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Info, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    if not os.environ.get("ETABLI_SECRET_KEY"):
        return [Info(
            "La clé secrète est générée et conservée dans le dossier de données (var/secret_key).",
            hint="En production, fixez ETABLI_SECRET_KEY et sauvegardez-la avec vos données.",
            id="etabli.I001",
        )]
    return []


@register(Tags.security, deploy=True)
def check_https(app_configs, **kwargs):
    if not settings.HTTPS:
        return [Warning(
            "HTTPS n'est pas activé : les cookies de session circulent en clair hors de cette machine.",
            hint="Placez Établi derrière un proxy HTTPS (Caddy, nginx) et définissez ETABLI_HTTPS=1 "
                 "et ETABLI_ALLOWED_HOSTS.",
            id="etabli.W001",
        )]
    return []


@register(Tags.security, deploy=True)
def check_debug(app_configs, **kwargs):
    if settings.DEBUG:
        return [Error("Le mode débogage est activé.", hint="Retirez ETABLI_DEBUG.", id="etabli.E001")]
    return []


@register(deploy=True)
def check_email(app_configs, **kwargs):
    if not settings.EMAIL_HOST:
        return [Warning(
            "Aucun serveur SMTP : les e-mails (relances, résumé quotidien, mots de passe) sont écrits dans "
            f"{settings.EMAIL_FILE_PATH} au lieu d'être envoyés.",
            hint="Définissez ETABLI_SMTP_HOST, ETABLI_SMTP_PORT, ETABLI_SMTP_USER, ETABLI_SMTP_PASSWORD, ETABLI_SMTP_TLS.",
            id="etabli.W002",
        )]
    return []


@register(deploy=True)
def check_backups(app_configs, **kwargs):
    backup_dir = Path(os.environ.get("ETABLI_BACKUP_DIR", settings.DATA_DIR / "backups"))
    archives = sorted(backup_dir.glob("etabli-*.tar*")) if backup_dir.exists() else []
    messages = []
    if not archives:
        messages.append(Warning(
            "Aucune sauvegarde trouvée.",
            hint="Planifiez « etabli backup --passphrase-file … » chaque nuit et testez une restauration.",
            id="etabli.W003",
        ))
    if backup_dir.resolve().is_relative_to(settings.DATA_DIR):
        messages.append(Info(
            "Les sauvegardes sont sur le même disque que les données.",
            hint="Copiez-les aussi ailleurs (ETABLI_BACKUP_DIR vers un disque externe ou un NAS).",
            id="etabli.I002",
        ))
    return messages


@register(deploy=True)
def check_database(app_configs, **kwargs):
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return [Info(
            "Base SQLite : adaptée à une TPE sur une machine.",
            hint="Au-delà (plusieurs serveurs, cabinet comptable), utilisez PostgreSQL via DATABASE_URL.",
            id="etabli.I003",
        )]
    return []


@register(deploy=True)
def check_assets(app_configs, **kwargs):
    if not settings.STATICFILES_DIRS:
        return [Warning(
            "Les bibliothèques front-end (HTMX, Chart.js) ne sont pas installées : l'interface fonctionne sans "
            "graphiques ni mises à jour partielles.",
            hint="Lancez « make install » (npm ci).",
            id="etabli.W004",
        )]
    return []


@register(deploy=True)
def check_ocr(app_configs, **kwargs):
    if shutil.which("tesseract") is None:
        return [Warning(
            "Tesseract n'est pas installé : les documents scannés ne seront pas lus (les PDF numériques, si).",
            hint="apt-get install tesseract-ocr tesseract-ocr-fra",
            id="etabli.W005",
        )]
    return []


@register(deploy=True)
def check_llm(app_configs, **kwargs):
    if not (os.environ.get("ETABLI_LLM_URL") or os.environ.get("ETABLI_LLM_GGUF")):
        return [Info(
            "Aucun modèle de langage configuré : les textes sont produits par les modèles de texte (mode dégradé).",
            hint="Définissez ETABLI_LLM_URL (serveur local Ollama/llama.cpp) ou ETABLI_LLM_GGUF.",
            id="etabli.I004",
        )]
    return []
