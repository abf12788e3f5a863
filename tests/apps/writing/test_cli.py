"""`etabli writing …` through the real console script (subprocess, test database)."""

import csv
import json

import pytest

from etabli.core.models import AIDecision
from etabli.engines.llm import TEMPLATE_LABEL
from etabli.writing.models import Draft
from tests.apps.writing.test_email import eml


@pytest.fixture
def martin(transactional_db):
    """Menuiserie Martin with the "redaction" demo loader's profile (offer, testimonials, events)."""
    from etabli.core.demo.dataset import generate
    from etabli.core.services.companies import create_company
    from etabli.writing.demo import load_demo

    company = create_company(legal_name="Menuiserie Martin SARL", trade_name="Menuiserie Martin",
                             slug="menuiserie-martin", city="Nantes", phone="02 40 12 34 56")
    load_demo(company=company, dataset=generate(seed=1))
    return company


def test_acceptance_posts_without_a_model(run_cli, martin):
    result = run_cli("writing", "posts", "--company", "menuiserie-martin", "--themes", "conseil,temoignage,offre",
                     "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    posts = payload["posts"]
    assert payload["company"] == "menuiserie-martin" and payload["provider"] == "template" and len(posts) == 3
    assert [p["theme"] for p in posts] == ["conseil", "temoignage", "offre"]
    for post in posts:
        assert post["label"] == TEMPLATE_LABEL and post["generated_by_ai"] is False
        assert post["provenance"]["mention"] == TEMPLATE_LABEL and len(post["text"]) > 80
        assert post["suggested_slot"] and post["length"] <= post["limit"]
    assert "Menuiserie Martin" in posts[0]["text"] or "menuiserie" in posts[0]["text"].lower()
    assert "849\u00a0€ au lieu de 979\u00a0€" in posts[2]["text"]
    assert "»" in posts[1]["text"] and "Nantes" in " ".join(p["text"] for p in posts)
    assert Draft.objects.filter(company=martin, feature="post").count() == 3
    assert AIDecision.objects.filter(company=martin, use_case="writing.posts", engine="llm:template").count() == 3


def test_products_to_csv(run_cli, martin, tmp_path):
    source = tmp_path / "catalogue.csv"
    source.write_bytes("nom;matière;dimensions\nPorte intérieure;Chêne;204 x 83 cm\nBibliothèque;Hêtre;\n".encode("cp1252"))
    output = tmp_path / "descriptions.csv"
    result = run_cli("writing", "products", str(source), "--company", "menuiserie-martin", "--output", str(output),
                     "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["output"] == str(output) and len(payload["products"]) == 2
    assert "2/2" in result.stderr  # the progress bar
    with output.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert rows[0]["nom"] == "Porte intérieure" and "chêne" in rows[0]["description"]
    assert rows[0]["statut_redaction"] == TEMPLATE_LABEL and rows[0]["dimensions"] == "204 x 83 cm"

    bad = tmp_path / "bad.csv"
    bad.write_text("reference;prix\nA1;3\n")
    result = run_cli("writing", "products", str(bad), "--company", "menuiserie-martin")
    assert result.returncode == 1
    assert result.stderr.startswith("Erreur : Colonne(s) obligatoire(s) absente(s) du fichier CSV : « nom »")


def test_email(run_cli, martin, tmp_path):
    mail = tmp_path / "devis.eml"
    mail.write_bytes(eml())
    result = run_cli("writing", "email", str(mail), "--company", "menuiserie-martin", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["triage"]["label"] == "a_traiter" and payload["triage"]["reasons"]
    assert len(payload["replies"]) == 3 and payload["summary"]["metadata"]["decisions"]
