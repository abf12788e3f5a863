from etabli.core.management.base import EtabliCommand
from etabli.core.models import Company


class Command(EtabliCommand):
    help = "Liste les entreprises de l'installation."

    def handle(self, *args, **options):
        rows = [{"slug": c.slug, "name": str(c), "siren": c.siren, "members": c.memberships.filter(is_active=True).count()}
                for c in Company.objects.all()]
        human = "".join(f"{r['slug']:<30} {r['name']:<40} {r['siren']:<10} {r['members']} membre(s)\n" for r in rows)
        self.emit(options, rows, human or "Aucune entreprise.\n")
