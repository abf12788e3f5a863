"""The `etabli` console script: Django's management commands, grouped by business domain.

`etabli billing remind --company X` runs the management command `billing_remind`; `etabli migrate`, `etabli
demo`, `etabli export`… run the command of that name. `etabli` alone lists what exists, by group.
"""

from __future__ import annotations

import os
import sys

GROUPS = {
    "company": "Entreprises",
    "documents": "Documents (GED)",
    "billing": "Facturation et relances",
    "banking": "Banque et trésorerie",
    "assistant": "Assistant clients et salariés",
    "writing": "Assistant de rédaction",
}
CORE_COMMANDS = ("serve", "worker", "demo", "export", "backup", "restore", "digest", "check", "migrate",
                 "createsuperuser", "changepassword", "shell", "collectstatic")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "etabli.settings")
    import django

    django.setup()


def _usage() -> str:
    from django.core.management import get_commands, load_command_class

    commands = get_commands()
    lines = ["Usage : etabli <commande> [options]   (etabli <commande> --help pour le détail)", ""]
    lines.append("Plateforme :")
    for name in CORE_COMMANDS:
        if name in commands:
            lines.append(f"  {name:<28}{_help(load_command_class(commands[name], name))}")
    for group, label in GROUPS.items():
        sub = sorted(c for c in commands if c.startswith(group + "_"))
        if sub:
            lines.append(f"\n{label} :")
            for name in sub:
                lines.append(f"  {group} {name[len(group) + 1:]:<{27 - len(group)}}{_help(load_command_class(commands[name], name))}")
    return "\n".join(lines) + "\n"


def _help(command) -> str:
    return (command.help or "").split("\n")[0][:90]


def resolve(argv: list[str], commands: dict) -> list[str]:
    """Map `group action args…` to `group_action args…` when such a command exists."""
    if len(argv) >= 2 and argv[0] in GROUPS and f"{argv[0]}_{argv[1]}" in commands:
        return [f"{argv[0]}_{argv[1]}", *argv[2:]]
    return argv


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    _setup()
    from django.core.management import execute_from_command_line, get_commands

    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(_usage())
        return
    commands = get_commands()
    resolved = resolve(argv, commands)
    if resolved[0] not in commands:
        group_hint = ""
        if resolved[0] in GROUPS:
            group_hint = f" Sous-commandes de « {resolved[0]} » : " + ", ".join(
                c[len(resolved[0]) + 1:] for c in sorted(commands) if c.startswith(resolved[0] + "_")) + "."
        sys.stderr.write(f"Erreur : commande inconnue « {' '.join(argv[:2])} ».{group_hint} Voir « etabli --help ».\n")
        sys.exit(2)
    execute_from_command_line(["etabli", *resolved])


if __name__ == "__main__":
    main()
