"""Web latency under load: p50/p95/p99 of the home page and of list pages, 20 concurrent clients on loopback.

Protocol: a fresh data directory (or `--data-dir`, prepared once and reused), migrations, the demo company at
`--scale` (×10 by default: ten times the customers and sales), plus `--reviews` proposals and AI decisions per
scale unit so that list pages have realistic sizes; the background work the demo leaves (documents to read,
invoices to score) is done before measuring. Then the real server (`etabli serve`: gunicorn, 2 processes × 4
threads, the production settings) on a free port; N client threads, each logged in with its own session,
request the pages in turn, back to back, for `--seconds`. Latency is measured client-side (httpx), connection
reuse on; CPU per request is read from /proc for the server tree and for this process. A second phase,
`--floor-seconds`, measures the floor: an authenticated request that renders nothing. Prints a table and a
JSON line.

    .venv/bin/python benchmarks/web.py --scale 10 --clients 20 --seconds 30 [--data-dir DIR]
    .venv/bin/python benchmarks/web.py --database-url postgres://…   # an empty PostgreSQL database
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
ETABLI = [sys.executable, "-m", "etabli.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: list[str], env: dict) -> str:
    result = subprocess.run([*ETABLI, *args], check=False, env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"Échec de « etabli {' '.join(args)} » : {result.stderr[-2000:]}")
    return result.stdout


SEED_EXTRA = """
import random
from django.utils import timezone
from etabli.core.models import Company, ReviewItem, AIDecision
from etabli.core.context import audit_suspended
company = Company.objects.get(slug="menuiserie-martin")
rng = random.Random(1)
with audit_suspended():
    decisions = AIDecision.objects.bulk_create([AIDecision(company=company, use_case="billing.late_payment",
        engine="scoring", engine_version="1", input_digest="0" * 64, output={{"score": rng.randint(0, 100)}},
        confidence=rng.random(), explanation=["3 retards sur les 5 dernières factures"]) for _ in range({n})])
    ReviewItem.objects.bulk_create([ReviewItem(company=company, kind="core.benchmark", title=f"Relance n° {{i}}",
        payload={{"i": i}}, confidence=rng.random(), reasons=["client fidèle, premier retard"],
        status=rng.choice(["pending", "accepted", "rejected"]), ai_decision=decisions[i]) for i in range({n})])
print(ReviewItem.objects.filter(company=company).count())
"""


DRAIN_QUEUE = """
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY
autodiscover_modules("tasks")  # what the worker does at start: every task known
done = 0
while (task := HUEY.dequeue()) is not None:
    HUEY.execute(task)
    done += 1
print(done)
"""


def login(base: str, email: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
    page = client.get("/connexion/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/connexion/",
        data={"username": email, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/connexion/"},
    )
    if response.status_code != 302:
        sys.exit(f"Connexion impossible ({response.status_code})")
    return client


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument(
        "--reviews", type=int, default=300, help="propositions et décisions IA par unité d'échelle"
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--floor-seconds", type=float, default=10, help="durée de la mesure du plancher (0 : pas de plancher)"
    )
    parser.add_argument("--database-url", default="", help="PostgreSQL au lieu de SQLite (base vide)")
    parser.add_argument(
        "--data-dir",
        default="",
        help="répertoire de données : préparé s'il est vide, réutilisé tel quel sinon (mesures répétées)",
    )
    parser.add_argument(
        "--web-workers", type=int, default=0, help="processus gunicorn (défaut : celui de serve)"
    )
    parser.add_argument("--threads", type=int, default=0, help="fils par processus (défaut : celui de serve)")
    args = parser.parse_args()

    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="etabli-bench-web-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "ETABLI_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "etabli.settings",
        "ETABLI_LOG_LEVEL": "ERROR",
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    t0 = time.perf_counter()
    prepared = data_dir / "bench-web.json"
    if prepared.exists():
        demo, reviews = json.loads(prepared.read_text())
    else:
        demo, reviews = prepare(args, env)
        prepared.write_text(json.dumps([demo, reviews]))
    setup_seconds = time.perf_counter() - t0

    port = free_port()
    serve = [*ETABLI, "serve", "--port", str(port)]
    if args.web_workers:
        serve += ["--web-workers", str(args.web_workers)]
    if args.threads:
        serve += ["--threads", str(args.threads)]
    server = subprocess.Popen(serve, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        phases = measure(args, base, demo, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(args, phases, reviews, setup_seconds)


def prepare(args: argparse.Namespace, env: dict) -> tuple[dict, str]:
    """Migrate, load the demo company at scale, add proposals and decisions, read the demo documents."""
    run(["migrate", "--no-input", "-v", "0"], env)
    run(["collectstatic", "--no-input", "-v", "0"], env)
    demo = json.loads(run(["demo", "--seed", "1", "--scale", str(args.scale), "--json"], env))
    reviews = (
        run(["shell", "--no-imports", "-c", SEED_EXTRA.format(n=args.reviews * args.scale)], env)
        .strip()
        .splitlines()[-1]
    )
    # The demo leaves a few documents "received this morning" for the background worker to read (OCR): read
    # them now, so the worker started with the server does not compete with the measured requests.
    run(["documents", "process", "--company", "menuiserie-martin"], env)
    # Likewise the jobs the demo queued (scoring the invoices it issued: a model fit of half a minute at ×10):
    # run them here, as the worker would, so that the measure is of the web server alone.
    drained = run(["shell", "--no-imports", "-c", DRAIN_QUEUE], env).strip().splitlines()[-1]
    print(f"Tâches de fond exécutées avant la mesure : {drained}")
    return demo, reviews


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and all its descendants, from /proc (Linux)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, IndexError):
            continue
        pending.extend(int(c) for c in children)
    return total


PAGES = {
    "accueil": "/",
    "liste propositions": "/validation/?statut=tous",
    "liste journal IA": "/journal-ia/",
}
# The floor: an authenticated request that renders nothing (the login page redirects a logged-in person home).
# It goes through the whole stack (gunicorn, sessions, authentication, two-factor, active company) and says
# what any page costs before its own work.
FLOOR = {"plancher : requête authentifiée sans rendu": "/connexion/"}


def measure(args: argparse.Namespace, base: str, demo: dict, server_pid: int):
    """Log the clients in, then run the pages and the floor; return (latencies, errors, cpu) per phase."""
    for _ in range(100):
        try:
            if httpx.get(base + "/connexion/", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    clients = [login(base, demo["login"], demo["password"]) for _ in range(args.clients)]
    for client in clients[:2]:  # warm-up: templates, caches, connections
        for path in PAGES.values():
            client.get(path)
    phases = {"pages": run_phase(clients, PAGES, 200, args.seconds, server_pid)}
    if args.floor_seconds > 0:
        phases["plancher"] = run_phase(clients, FLOOR, 302, args.floor_seconds, server_pid)
    return phases


def run_phase(
    clients: list[httpx.Client], pages: dict[str, str], expected: int, seconds: float, server_pid: int
):
    """Every client requests the pages in turn, back to back (no think time), for `seconds`."""
    latencies: dict[str, list[float]] = {name: [] for name in pages}
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker(client: httpx.Client, offset: int) -> None:
        names = list(pages)
        i = offset
        while time.perf_counter() < stop_at:
            name = names[i % len(names)]
            start = time.perf_counter()
            try:
                response = client.get(pages[name])
            except httpx.HTTPError as exc:  # counted, never a silent dead client
                with lock:
                    errors.append(f"{name}: {type(exc).__name__} {exc}")
                i += 1
                continue
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if response.status_code != expected:
                    errors.append(f"{name}: HTTP {response.status_code}")
                latencies[name].append(elapsed)
            i += 1

    threads = [threading.Thread(target=worker, args=(c, n)) for n, c in enumerate(clients)]
    server_cpu, client_cpu = cpu_seconds(server_pid), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu = {"server": cpu_seconds(server_pid) - server_cpu, "client": time.process_time() - client_cpu}
    return latencies, errors, cpu


def report(args: argparse.Namespace, phases: dict, reviews: str, setup_seconds: float) -> None:
    figures = {
        "scale": args.scale,
        "clients": args.clients,
        "seconds": args.seconds,
        "database": "postgresql" if args.database_url else "sqlite",
        "review_items": int(reviews),
        "setup_seconds": round(setup_seconds, 1),
        "errors": 0,
        "pages": {},
    }
    print(
        f"Échelle ×{args.scale}, {args.clients} clients sans temps de réflexion, {figures['database']}, "
        f"{reviews} propositions"
    )
    print(f"{'page':<44}{'requêtes':>10}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for phase, (latencies, errors, cpu) in phases.items():
        seconds = args.seconds if phase == "pages" else args.floor_seconds
        total = sum(len(v) for v in latencies.values()) or 1
        figures["errors"] += len(errors)
        figures[f"{phase}_server_cpu_ms_per_request"] = round(cpu["server"] * 1000 / total, 1)
        figures[f"{phase}_client_cpu_ms_per_request"] = round(cpu["client"] * 1000 / total, 1)
        for name, values in latencies.items():
            if not values:
                continue
            row = {
                "requests": len(values),
                "rps": round(len(values) / seconds, 1),
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 95), 1),
                "p99_ms": round(percentile(values, 99), 1),
            }
            figures["pages"][name] = row
            print(
                f"{name:<44}{row['requests']:>10}{row['rps']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}"
            )
        print(
            f"  CPU par requête ({phase}) : serveur {figures[f'{phase}_server_cpu_ms_per_request']} ms, "
            f"clients {figures[f'{phase}_client_cpu_ms_per_request']} ms"
        )
        if errors:
            print(f"  Erreurs : {len(errors)} (ex. {errors[:3]})")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
