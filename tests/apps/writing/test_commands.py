"""The commands' French errors and human output, called in-process (the subprocess tests in test_cli.py cover
the console script itself; these stay fast)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def call(name, *args):
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_job_ad_json_and_blog_human_output(company):
    import json

    payload = json.loads(call("writing_job-ad", "Menuisier poseur, CDI, Nantes, 3 ans d'expérience", "--company",
                              company.slug, "--json"))
    assert payload["job_ad"]["title"] == "Menuisier poseur (H/F) – CDI – Nantes" and payload["provider"] == "template"


def test_blog_and_job_ad_human_output(company):
    out = call("writing_blog", "Comment choisir son escalier", "--company", company.slug)
    assert "## Les critères essentiels" in out and "[Brouillon généré par modèle de texte (sans IA)]" in out
    out = call("writing_job-ad", "Menuisier poseur, CDI, Nantes", "--company", company.slug)
    assert "Menuisier poseur (H/F) – CDI – Nantes" in out


@pytest.mark.parametrize(("args", "message"), [
    (("writing_job-ad", "  ", "--company", "{slug}"), "Le brief est vide"),
    (("writing_posts", "--company", "{slug}", "--themes", "conseil"), "Profil de rédaction incomplet"),
    (("writing_posts", "--company", "{slug}", "--themes", "conseil", "--week-start", "lundi"), "Date invalide"),
    (("writing_posts", "--company", "inconnue", "--themes", "conseil"), "Entreprise « inconnue » introuvable"),
    (("writing_products", "/nulle/part.csv", "--company", "{slug}"), "Fichier introuvable"),
    (("writing_email", "/nulle/part.eml", "--company", "{slug}"), "Fichier introuvable"),
])
def test_french_errors(company, args, message):
    args = [a.replace("{slug}", company.slug) for a in args]
    with pytest.raises(CommandError, match=message):
        call(*args)
