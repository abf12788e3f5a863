"""Base class for Établi's CLI commands: `--json` output, French errors, non-zero exit, company lookup."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, handle_default_options
from django.db import connections

from etabli.core.context import Actor, acting_as


class EtabliCommand(BaseCommand):
    """Commands print a human summary, or one JSON document with --json; errors exit with status 1."""

    json_option = True
    # System checks import every URL and view (scikit-learn included: seconds of start-up for each command);
    # `etabli check --deploy` runs them on purpose, and migrate/serve keep Django's own.
    requires_system_checks: list = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        if self.json_option:
            parser.add_argument("--json", action="store_true", help="Sortie JSON (pour les scripts).")
        return parser

    def run_from_argv(self, argv):
        """Django's own, but expected failures print « Erreur : <French message> » and exit non-zero."""
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            if options.traceback:
                raise
            self.stderr.write(f"Erreur : {exc}")
            sys.exit(exc.returncode or 1)
        finally:
            connections.close_all()

    def execute(self, *args, **options):
        with acting_as(Actor(label="Ligne de commande", channel="cli")):
            return super().execute(*args, **options)

    def emit(self, options: dict, payload: Any, human: str) -> None:
        if options.get("json"):
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(human)

    @staticmethod
    def company(slug: str):
        from etabli.core.models import Company

        company = Company.objects.filter(slug=slug).first()
        if company is None:
            known = ", ".join(Company.objects.values_list("slug", flat=True)[:10]) or "aucune"
            raise CommandError(f"Entreprise « {slug} » introuvable (entreprises connues : {known}).")
        return company
