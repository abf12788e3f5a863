"""Fixtures of the assistant's tests: a company with a realistic (small) knowledge base, a public client."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from etabli.assistant import demo_content as content
from etabli.assistant import services
from etabli.assistant.models import Audience
from etabli.assistant.retrieval import profile_for

ALWAYS_OPEN = {str(day): [["00:00", "24:00"]] for day in range(7)}


@transaction.atomic
def load_kb(company, *, hours=None):
    """Facts, a few client FAQ entries, the employees' FAQ and the handbook (the demo's own texts)."""
    services.save_facts(company=company, opening_hours=hours if hours is not None else content.OPENING_HOURS,
                        hours_note=content.HOURS_NOTE, answers=content.FACTS)
    for title, questions, answer in content.CLIENT_FAQ[:6]:
        services.save_entry(company=company, audience=Audience.CLIENTS, title=title, questions=questions, answer=answer)
    for title, questions, answer in content.TEAM_FAQ[:6]:
        services.save_entry(company=company, audience=Audience.EQUIPE, title=title, questions=questions, answer=answer)
    services.import_document(company=company, audience=Audience.EQUIPE, title=content.TEAM_HANDBOOK_TITLE,
                             filename="livret.md", data=content.TEAM_HANDBOOK.encode())
    services.import_document(company=company, audience=Audience.CLIENTS, title=content.CLIENT_TERMS_TITLE,
                             filename="cgv.md", data=content.CLIENT_TERMS.encode())
    return profile_for(company)


@pytest.fixture
def kb(company):
    return load_kb(company, hours=ALWAYS_OPEN)


class PublicClient:
    """The widget's side: text/plain JSON posts with an Origin header, no cookie."""

    def __init__(self, client, key: str, origin: str = "https://www.exemple-client.fr"):
        self.client, self.key, self.origin = client, key, origin
        self.conversation = self.token = None

    def post(self, path: str, body: dict, **extra):
        extra.setdefault("HTTP_ORIGIN", self.origin)
        return self.client.post(f"/assistant/public/{self.key}/{path}", data=json.dumps(body),
                                content_type="text/plain;charset=UTF-8", **extra)

    def start(self, **extra):
        response = self.post("conversations/", {"channel": "widget"}, **extra)
        assert response.status_code == 201, response.content
        data = response.json()
        self.conversation, self.token = data["conversation"], data["token"]
        return data

    def send(self, text: str, **extra):
        return self.post("messages/", {"conversation": self.conversation, "token": self.token, "text": text}, **extra)

    def poll(self, after: int = 0):
        return self.post("nouveaux/", {"conversation": self.conversation, "token": self.token, "after": after})

    def human(self):
        return self.post("humain/", {"conversation": self.conversation, "token": self.token})


@pytest.fixture
def public(client, kb):
    return PublicClient(client, kb.public_key)
