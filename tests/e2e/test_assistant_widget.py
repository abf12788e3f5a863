"""The widget on a plain HTML page of another site: AI disclosure, an answer with its source, an XSS payload shown
as text, then a hand-over to a person who takes over the live chat — all without a cookie or a third party."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from etabli.assistant import services
from etabli.assistant.models import Conversation, ConversationStatus
from tests.apps.assistant.conftest import ALWAYS_OPEN, load_kb
from tests.factories import make_company, make_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

XSS = '<img src=x onerror="window.__pwned=1">'


@pytest.fixture
def shop_site():
    """A plain HTML page served from another origin (the company's own website)."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield pages, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_chat_through_the_widget_and_be_handed_to_a_human(page, live_server, shop_site):
    company = make_company("Menuiserie Martin")
    owner = make_member(company, "owner")
    owner.user.first_name = "Sophie"
    owner.user.save()
    profile = load_kb(company, hours=ALWAYS_OPEN)
    pages, site = shop_site
    services.update_profile(company=company, allowed_origins=site)
    pages["/"] = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Menuiserie Martin</title></head><body>'
        "<h1>Menuiserie Martin, menuisier à Nantes</h1>"
        f'<script src="{live_server.url}/assistant/widget.js" data-assistant="{profile.public_key}" async></script>'
        "</body></html>"
    ).encode()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    page.on("dialog", lambda dialog: pytest.fail(f"A script ran: {dialog.message}"))

    page.goto(site + "/")
    page.get_by_role("button", name="Une question ?").click()
    log = page.locator(".etabli-log")
    log.locator(".etabli-msg").first.wait_for()
    assert "assistant automatique" in log.locator(".etabli-msg").first.inner_text()
    human_button = page.get_by_role("button", name="Parler à un humain")
    expect(human_button).to_be_visible()

    page.get_by_label("Votre message").fill("Êtes-vous ouverts le samedi ?")
    page.get_by_role("button", name="Envoyer").click()
    answer = log.locator(".etabli-assistant").nth(1)
    answer.locator(".etabli-sources").wait_for()
    assert "Nous sommes ouverts" in answer.inner_text()
    assert "Source : Horaires d'ouverture" in answer.inner_text()
    page.get_by_role("button", name="Réponse utile").first.click()

    page.get_by_label("Votre message").fill(f"Et ça ? {XSS}")
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_text(XSS, exact=False).first.wait_for()  # shown as text…
    assert page.evaluate("window.__pwned === undefined")  # …never run
    assert page.locator("img[src=x]").count() == 0

    page.get_by_label("Votre message").fill("Je veux parler à quelqu'un, c'est urgent")
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_text("Je vous transfère immédiatement").wait_for()
    log.locator(".etabli-client", has_text="c'est urgent").wait_for()  # the send has completed
    expect(human_button).to_be_visible()

    conversation = Conversation.objects.get(company=company)
    assert conversation.status == ConversationStatus.WAITING and conversation.review_item.kind == "assistant.handover"
    services.take_over(conversation=conversation, user=owner.user, membership=owner)
    services.staff_reply(conversation=conversation, user=owner.user, membership=owner,
                         text="Bonjour, Sophie de la menuiserie : je m'occupe de vous.")
    polls = []
    page.on("response", lambda r: polls.append((r.status, r.text()[:200])) if "nouveaux" in r.url else None)
    try:
        page.get_by_text("Sophie, de l'équipe").wait_for(timeout=30000)  # the widget polls while a person answers
    except Exception as error:  # say what the widget saw, to tell a slow machine from a bug
        stored = list(conversation.messages.values_list("id", "sender", "text"))
        raise AssertionError(f"Polls: {polls}\nWidget: {log.inner_text()}\nStored: {stored}") from error
    team = log.locator(".etabli-equipe")
    team.wait_for(timeout=30000)
    assert "Sophie — équipe" in team.inner_text() and "je m'occupe de vous" in team.inner_text()

    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.HUMAN
    assert conversation.messages.filter(feedback=1).count() == 1
    assert page.context.cookies() == []  # no cookie, on either site
    assert hosts <= {urlparse(site).netloc, urlparse(live_server.url).netloc}  # no third party


def test_public_chat_page_works_in_the_browser(page, live_server):
    company = make_company("Boulangerie")
    profile = load_kb(company, hours=ALWAYS_OPEN)
    page.goto(f"/assistant/c/{profile.public_key}/")
    page.locator(".etabli-log .etabli-msg").first.wait_for()
    assert "assistant automatique" in page.locator(".etabli-log .etabli-msg").first.inner_text()
    page.get_by_label("Votre message").fill("Quelle est votre adresse ?")
    page.get_by_label("Votre message").press("Enter")
    page.get_by_text("Source : Adresse et accès").wait_for()
    page.get_by_role("button", name="Parler à un humain").click()
    page.get_by_text("Je vous transfère immédiatement").wait_for()
    assert page.context.cookies() == []
