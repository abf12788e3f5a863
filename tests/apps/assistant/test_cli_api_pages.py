"""CLI contract (real subprocess), API, the employees' internal assistant, dashboard and settings pages."""

import json

import pytest

from etabli.assistant import services
from etabli.assistant.models import Conversation, KnowledgeEntry
from tests.apps.assistant.conftest import ALWAYS_OPEN, load_kb

CONTRACT = ["answer", "sources", "confidence", "route", "reasons"]


@pytest.mark.slow
def test_acceptance_after_the_demo(run_cli):
    demo = run_cli("demo", "--seed", "1", timeout=600)
    assert demo.returncode == 0, demo.stderr
    saturday = run_cli("assistant", "ask", "--company", "menuiserie-martin", "Êtes-vous ouverts le samedi ?", "--json")
    assert saturday.returncode == 0, saturday.stderr
    payload = json.loads(saturday.stdout)
    assert list(payload) == CONTRACT
    assert payload["route"] == "answered" and "samedi de 9 h à 12 h" in payload["answer"]
    assert payload["sources"][0]["title"] == "Horaires d'ouverture"
    urgent = json.loads(run_cli("assistant", "ask", "--company", "menuiserie-martin",
                                "Je veux parler à quelqu'un, c'est urgent", "--json").stdout)
    assert urgent["route"] == "escalated" and urgent["reasons"]
    from etabli.core.models import Company

    company = Company.objects.get(slug="menuiserie-martin")
    assert Conversation.objects.filter(company=company, status="waiting").exists()  # the demo's inbox


def test_cli_ask_human_output_and_errors(run_cli):
    from django.core.management import CommandError, call_command

    from tests.factories import make_company

    company = make_company("Menuiserie CLI")
    load_kb(company, hours=ALWAYS_OPEN)
    human = run_cli("assistant", "ask", "--company", company.slug, "--audience", "equipe",
                    "Comment déclarer mes frais ?")
    assert human.returncode == 0, human.stderr
    assert "Source : Déclarer ses frais" in human.stdout and "Route : answered" in human.stdout
    with pytest.raises(CommandError, match="Entreprise « inconnue » introuvable"):
        call_command("assistant_ask", "Bonjour", company="inconnue")
    with pytest.raises(CommandError, match="Message trop long"):
        call_command("assistant_ask", "x" * 1200, company=company.slug)


def test_cli_kb_import_csv_and_document(run_cli, tmp_path):
    from tests.factories import make_company

    company = make_company("Boutique Import")
    faq = tmp_path / "faq.csv"
    faq.write_text("question,answer\nLivrez-vous en Belgique ?,Non, en France seulement.\n"
                   "Vous livrez la Belgique ?,Non, en France seulement.\n", encoding="utf-8")
    result = run_cli("assistant", "kb", "import", str(faq), "--company", company.slug, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"kind": "faq", "layout": "question,answer", "rows": 2, "created": 1,
                                         "updated": 0, "quarantined": []}
    utterances, answers = tmp_path / "u.csv", tmp_path / "a.csv"
    utterances.write_text("utterance,intent\nOù est ma fiche de paie ?,paie\n", encoding="utf-8")
    answers.write_text("intent,answer\nconges,Voir Sophie.\n", encoding="utf-8")
    missing = run_cli("assistant", "kb", "import", str(utterances), "--company", company.slug, "--audience", "equipe",
                      "--answers", str(answers))
    assert missing.returncode == 1 and "Erreur : Pas de réponse pour 1 intention(s) : « paie »" in missing.stderr
    from io import StringIO

    from django.core.management import call_command

    procedure = tmp_path / "procedure.md"
    procedure.write_text("# Congés\n\nDemandez vos congés un mois à l'avance.\n", encoding="utf-8")
    document = StringIO()
    call_command("assistant_kb", "import", str(procedure), company=company.slug, json=True, stdout=document)
    assert json.loads(document.getvalue())["passages"] == 1
    listing = StringIO()
    call_command("assistant_kb", "list", company=company.slug, stdout=listing)
    assert "Livrez-vous en Belgique ?" in listing.getvalue()
    assert KnowledgeEntry.objects.filter(company=company).count() == 1


@pytest.mark.django_db
def test_api_ask_contract_permissions_and_errors(api_client, kb, client, company):
    response = api_client.post("/api/v1/assistant/ask", {"question": "Êtes-vous ouverts le samedi ?"})
    assert response.status_code == 200 and list(response.json()) == CONTRACT
    assert response.json()["route"] == "answered"
    bad = api_client.post("/api/v1/assistant/ask", {"question": "x" * 1001})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_question"
    wrong = api_client.post("/api/v1/assistant/ask", {"question": "Bonjour", "audience": "tous"})
    assert wrong.status_code == 422
    assert client.post("/api/v1/assistant/ask", {"question": "x"}, content_type="application/json").status_code == 401
    created = api_client.post("/api/v1/assistant/entries", {"questions": ["Avez-vous un parking ?"],
                                                            "answer": "Oui, devant l'atelier."})
    assert created.status_code == 201 and created.json()["title"] == "Avez-vous un parking ?"
    listed = api_client.get("/api/v1/assistant/entries?audience=clients").json()
    assert any(e["title"] == "Avez-vous un parking ?" for e in listed["items"])
    assert api_client.get("/api/v1/assistant/stats?days=30").json()["days"] == 30


@pytest.mark.django_db
def test_employee_uses_the_internal_assistant(member_client, kb, company):
    client, membership = member_client("employee")
    page = client.get("/assistant/interne/")
    html = page.content.decode()
    assert page.status_code == 200 and "Assistant automatique (IA)" in html and "Parler à un humain" in html
    assert client.post("/assistant/interne/", {"text": "Comment déclarer mes frais ?"}).status_code == 302
    conversation = Conversation.objects.get(company=company, user=membership.user, channel="interne")
    texts = list(conversation.messages.values_list("text", flat=True))
    assert "assistant automatique interne" in texts[0]
    assert texts[-1].startswith("Remplissez la note de frais du mois")
    fetched = client.post("/assistant/interne/", {"text": "Quel est le code WiFi ?"}, HTTP_X_REQUESTED_WITH="fetch")
    assert fetched.status_code == 200 and "Atelier-Martin" in fetched.content.decode()
    assert client.post("/assistant/interne/humain/").status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == "waiting" and conversation.review_item.kind == "assistant.handover"
    assert client.get("/assistant/base/").status_code == 403  # employees use it, they do not edit it


@pytest.mark.django_db
def test_dashboard_measures(owner_client, public, company):
    public.start()
    public.send("Êtes-vous ouverts le samedi ?")
    public.send("Je veux parler à quelqu'un, c'est urgent")
    from etabli.assistant import selectors

    stats = selectors.stats(company=company)
    assert stats.questions == 2 and stats.answered_without_human == 1 and stats.answered_share == 0.5
    assert {r for r, _label, _n in stats.escalations_by_reason} == {"demande_humain", "urgence"}
    assert stats.median_response_ms is not None and stats.minutes_saved == 3
    page = owner_client.get("/assistant/tableau-de-bord/")
    html = page.content.decode()
    assert page.status_code == 200 and "50" in html and "Urgence" in html and 'data-chart="assistant-data"' in html
    summary = selectors.home_summary(company=company)  # the home card counts in SQL what stats() walks
    assert (summary.questions, summary.answered_without_human, summary.answered_share, summary.waiting) == (
        2, 1, 0.5, 1)
    home = owner_client.get("/").content.decode()
    assert "Assistant clients : réponses sans humain" in home and "2 question(s) en 7 jours" in home


@pytest.mark.django_db
def test_settings_show_the_snippet_and_validate_origins(owner_client, kb, company):
    page = owner_client.get("/assistant/reglages/").content.decode()
    assert f'data-assistant=&quot;{kb.public_key}&quot;' in page and "/assistant/widget.js" in page
    refused = owner_client.post("/assistant/reglages/", {
        "enabled": "on", "display_name": "Assistant", "allowed_origins": "pas une adresse", "team_reply_minutes": 15,
        "retention_days": 365})
    assert "Adresse de site invalide" in refused.content.decode()
    old_key = kb.public_key
    owner_client.post("/assistant/reglages/cle/")
    kb.refresh_from_db()
    assert kb.public_key != old_key
    assert owner_client.get(f"/assistant/c/{old_key}/").status_code == 404


@pytest.mark.django_db
def test_suggestions_page_answer_creates_the_entry(owner_client, company, kb):
    suggestion = services.record_unanswered(company=company, audience="clients", question="Posez-vous des velux ?")
    page = owner_client.get("/assistant/base/suggestions/")
    assert "Posez-vous des velux ?" in page.content.decode()
    response = owner_client.post(f"/assistant/base/suggestions/{suggestion.pk}/",
                                 {"title": "Velux", "answer": "Non, nous ne posons pas de fenêtres de toit."})
    assert response.status_code == 302
    assert KnowledgeEntry.objects.get(company=company, title="Velux").origin == "suggestion"
