from huey.contrib.djhuey.management.commands.run_huey import Command as RunHuey


class Command(RunHuey):
    help = "Lance le travailleur de tâches de fond (Huey) : tâches longues, relances, résumés quotidiens."
