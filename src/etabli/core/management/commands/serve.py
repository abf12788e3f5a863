"""Serve Établi for real: gunicorn (production WSGI server) + the Huey worker, stopped together."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings

from etabli.core.management.base import EtabliCommand


class Command(EtabliCommand):
    help = "Démarre le serveur web (gunicorn) et le travailleur de tâches de fond."
    json_option = False

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("ETABLI_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("ETABLI_PORT", "8000")))
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("ETABLI_WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("ETABLI_WEB_THREADS", "4")))
        parser.add_argument("--no-worker", action="store_true", help="Sans travailleur (il tourne ailleurs).")

    def handle(self, *args, **options):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "etabli.settings"}
        gunicorn = [
            sys.executable, "-m", "gunicorn", "etabli.wsgi:application",
            "--bind", f"{options['host']}:{options['port']}",
            "--workers", str(options["web_workers"]), "--threads", str(options["threads"]),
            "--worker-class", "gthread", "--timeout", "120", "--graceful-timeout", "20",
            "--access-logfile", str(settings.DATA_DIR / "access.log"), "--error-logfile", "-",
        ]
        processes = [subprocess.Popen(gunicorn, env=env)]
        if not options["no_worker"]:
            processes.append(subprocess.Popen([sys.executable, "-m", "etabli.cli", "worker"], env=env))
        self.stdout.write(f"Établi est servi sur http://{options['host']}:{options['port']}/ (Ctrl+C pour arrêter)\n")
        self.stdout.flush()

        def stop(*_):
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        finally:
            stop()
            for process in processes:
                try:
                    process.wait(timeout=25)
                except subprocess.TimeoutExpired:
                    process.kill()
        failed = [p for p in processes if p.returncode not in (0, -signal.SIGTERM, None)]
        if failed:
            sys.exit(1)
