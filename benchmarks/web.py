"""Web latency under load: p50/p95/p99 of the home page and of list pages, 20 concurrent clients on loopback.

Protocol: a fresh data directory, migrations, the demo company at `--scale` (×10 by default: ten times the
customers and sales), plus `--reviews` proposals and AI decisions per scale unit so that list pages have
realistic sizes; the real server (`etabli serve`: gunicorn, 2 processes × 4 threads, the production settings)
on a free port; N client threads, each logged in with its own session, request the pages in turn for
`--seconds`. Latency is measured client-side (httpx), connection reuse on. Prints a table and a JSON line.

    .venv/bin/python benchmarks/web.py --scale 10 --clients 20 --seconds 30
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
    result = subprocess.run([*ETABLI, *args], env=env, cwd=ROOT, capture_output=True, text=True)
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
    parser.add_argument("--database-url", default="", help="PostgreSQL au lieu de SQLite (base vide)")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="etabli-bench-web-"))
    env = {
        **os.environ,
        "ETABLI_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "etabli.settings",
        "ETABLI_LOG_LEVEL": "ERROR",
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    t0 = time.perf_counter()
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
    setup_seconds = time.perf_counter() - t0

    port = free_port()
    server = subprocess.Popen(
        [*ETABLI, "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(base + "/connexion/", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        pages = {
            "accueil": "/",
            "liste propositions": "/validation/?statut=tous",
            "liste journal IA": "/journal-ia/",
        }
        clients = [login(base, demo["login"], demo["password"]) for _ in range(args.clients)]
        for client in clients[:2]:  # warm-up: templates, caches, connections
            for path in pages.values():
                client.get(path)
        latencies: dict[str, list[float]] = {name: [] for name in pages}
        errors: list[str] = []
        lock = threading.Lock()
        stop_at = time.perf_counter() + args.seconds

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
                    if response.status_code != 200:
                        errors.append(f"{name}: HTTP {response.status_code}")
                    latencies[name].append(elapsed)
                i += 1

        threads = [threading.Thread(target=worker, args=(c, n)) for n, c in enumerate(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    figures = {
        "scale": args.scale,
        "clients": args.clients,
        "seconds": args.seconds,
        "database": "postgresql" if args.database_url else "sqlite",
        "review_items": int(reviews),
        "setup_seconds": round(setup_seconds, 1),
        "errors": len(errors),
        "pages": {},
    }
    print(
        f"Échelle ×{args.scale}, {args.clients} clients, {args.seconds:.0f} s, {figures['database']}, "
        f"{reviews} propositions"
    )
    print(f"{'page':<22}{'requêtes':>10}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, values in latencies.items():
        row = {
            "requests": len(values),
            "rps": round(len(values) / args.seconds, 1),
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 95), 1),
            "p99_ms": round(percentile(values, 99), 1),
        }
        figures["pages"][name] = row
        print(
            f"{name:<22}{row['requests']:>10}{row['rps']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}"
        )
    if errors:
        print(f"Erreurs : {len(errors)} (ex. {errors[:3]})")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
