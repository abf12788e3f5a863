"""`etabli assistant ask --company SLUG [--audience clients|equipe] "question" [--json]`."""

from __future__ import annotations

from django.core.management.base import CommandError

from etabli.assistant.answering import AssistantInputError, compose_reply
from etabli.assistant.models import Audience
from etabli.assistant.retrieval import profile_for
from etabli.core.management.base import EtabliCommand


class Command(EtabliCommand):
    help = "Pose une question à l'assistant de l'entreprise (sans rien enregistrer) : réponse, sources, route."

    def add_arguments(self, parser):
        parser.add_argument("question", help="La question, entre guillemets.")
        parser.add_argument("--company", required=True, help="Identifiant de l'entreprise (etabli company list).")
        parser.add_argument("--audience", choices=[a.value for a in Audience], default=Audience.CLIENTS,
                            help="clients (site web, par défaut) ou equipe (assistant interne).")

    def handle(self, *args, **options):
        company = self.company(options["company"])
        profile = profile_for(company)
        try:
            reply = compose_reply(company=company, profile=profile, audience=options["audience"],
                                  question=options["question"], sync=True)
        except AssistantInputError as exc:
            raise CommandError(str(exc)) from exc
        payload = reply.public_dict()
        lines = [reply.text, ""]
        for source in payload["sources"]:
            lines.append(f"Source : {source['title']}")
        lines.append(f"Route : {reply.route} (confiance {reply.confidence:.0%})".replace("%", " %"))
        lines.extend(f"- {reason}" for reason in reply.reasons)
        self.emit(options, payload, "\n".join(lines) + "\n")
