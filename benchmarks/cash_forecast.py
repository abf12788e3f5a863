"""Rolling-origin back-test of the cash forecast (etabli.engines.forecast).

    .venv/bin/python benchmarks/cash_forecast.py                      # 20 synthetic companies (4 per profile)
    .venv/bin/python benchmarks/cash_forecast.py --lines demo.csv     # also a company exported as CSV
    .venv/bin/python benchmarks/cash_forecast.py --case pkg.module:make_case

For each company and each forecast origin (every `--step` days, after two years of history), the engine is
fitted on the bank lines known then and given the invoices open then (customer invoices with the dates of a
late-payment model fitted on the past only); its 30- and 60-day-ahead balances are compared with the real
ones. Baselines computed in the same run:
- flat: the balance stays as it is today;
- scheduled: today's balance + open invoices at their expected dates + recurring charges, nothing else.
Figures: MAE in € (pooled) and relative to the mean absolute balance (mean over companies), coverage of the
pessimistic–optimistic band (target 80 ± 5 %), and the time to forecast one company with 5 years of lines.

`--lines CSV`: columns date,amount,label,counterparty (optional: account, category, document_date); the
balance is `--opening-balance` + the running sum of the lines; no invoice data, so "scheduled" is the
recurring charges only. `--case module:callable`: a callable returning an object with the interface of
`etabli.engines.forecast.synthetic.SyntheticCompany` (name, start, end, lines_until, balances_at,
balance_at, open_flows_at).
`--demo`: also the demo company (« Menuiserie Martin », 24 months), loaded with the billing and banking demo
loaders in a temporary SQLite database; its lines are exported through the banking app (the engines' line format,
internal transfers to the term account left out) and, at each origin, the invoices open then are given with the
payment dates the app would have expected from the history known at that date (group "external").
`--variants`: compare remainder models: structural (default engine), mstl (statsforecast MSTL for the
expected remainder, same error paths), none (no remainder: known flows only + their date uncertainty).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import importlib
import json
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from etabli.common.money import to_decimal
from etabli.engines.forecast import CashForecaster
from etabli.engines.forecast.synthetic import Profile, generate_company
from etabli.engines.spending import BankLine

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
HORIZONS = (30, 60)


@dataclass
class LinesCase:
    """A company known only by its bank lines (e.g. the demo company exported as CSV)."""

    name: str
    lines: list[BankLine]
    opening: Decimal
    profile: str = "csv"
    accounts: tuple[str, ...] = ("principal",)
    _dates: list[dt.date] = field(default_factory=list)
    _cumulative: dict[dt.date, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lines.sort(key=lambda line: line.date)
        self._dates = [line.date for line in self.lines]
        self.accounts = tuple(sorted({line.account for line in self.lines})) or ("",)
        self.start, self.end = self._dates[0], self._dates[-1]
        running: dict[str, Decimal] = defaultdict(Decimal)
        self._by_day: list[tuple[dt.date, dict[str, Decimal]]] = []
        for line in self.lines:
            running[line.account] += line.amount
            if self._by_day and self._by_day[-1][0] == line.date:
                self._by_day[-1] = (line.date, dict(running))
            else:
                self._by_day.append((line.date, dict(running)))
        self._days = [day for day, _ in self._by_day]

    def lines_until(self, as_of: dt.date) -> list[BankLine]:
        return self.lines[: bisect.bisect_right(self._dates, as_of)]

    def balances_at(self, as_of: dt.date) -> dict[str, Decimal]:
        index = bisect.bisect_right(self._days, as_of) - 1
        sums = self._by_day[index][1] if index >= 0 else {}
        result = {account: sums.get(account, Decimal(0)) for account in self.accounts}
        result[self.accounts[0]] += self.opening
        return result

    def balance_at(self, as_of: dt.date) -> Decimal:
        return sum(self.balances_at(as_of).values(), Decimal(0))

    def open_flows_at(self, as_of: dt.date) -> list:
        return []


def read_lines_csv(path: Path) -> list[BankLine]:
    """date,amount,label,counterparty[,account,category,document_date] — ISO or dd/mm/yyyy dates."""

    def parse_date(text: str) -> dt.date | None:
        text = (text or "").strip()
        if not text:
            return None
        if "/" in text:
            return dt.datetime.strptime(text, "%d/%m/%Y").date()
        return dt.date.fromisoformat(text[:10])

    lines = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"date", "amount"} - set(reader.fieldnames or ())
        if missing:
            raise SystemExit(f"Colonnes manquantes dans {path} : {', '.join(sorted(missing))}")
        for row in reader:
            lines.append(
                BankLine(
                    date=parse_date(row["date"]),  # type: ignore[arg-type]
                    amount=to_decimal(row["amount"]),
                    label=row.get("label") or "",
                    counterparty=row.get("counterparty") or "",
                    category=row.get("category") or "",
                    account=row.get("account") or "",
                    document_date=parse_date(row.get("document_date", "")),
                )
            )
    return lines


# ------------------------------------------------------------------------------------------- demo company


@dataclass
class DemoCase(LinesCase):
    """The demo company, loaded in a throw-away database and read back through the banking app: its bank lines
    exported by the app (`etabli banking export --format lignes`) and, at each origin, the invoices that were
    open then (issued before, paid after — from the app's reconciliation links and billing's open invoices), with
    the payment dates the app would have expected from the history known at that origin."""

    invoices: list[dict[str, Any]] = field(default_factory=list)

    def open_flows_at(self, as_of: dt.date) -> list:
        from types import SimpleNamespace

        from etabli.banking.services.forecast import _expected_dates
        from etabli.engines.forecast import FlowKind, ScheduledFlow

        delays: dict[Any, list[int]] = defaultdict(list)
        for invoice in self.invoices:
            if invoice["kind"] == "customer" and invoice["paid_on"] and invoice["paid_on"] <= as_of and invoice["due_date"]:
                delay = (invoice["paid_on"] - invoice["due_date"]).days
                delays[invoice["partner_id"]].append(delay)
                delays[None].append(delay)
        flows = []
        for invoice in self.invoices:
            if invoice["issue_date"] > as_of or (invoice["paid_on"] is not None and invoice["paid_on"] <= as_of):
                continue
            if invoice["kind"] == "customer":
                view = SimpleNamespace(expected_payment_date=None, expected_payment_date_optimistic=None,
                                       expected_payment_date_pessimistic=None, due_date=invoice["due_date"],
                                       issue_date=invoice["issue_date"], partner_id=invoice["partner_id"])
                expected, optimistic, pessimistic, _ = _expected_dates(view, delays, as_of)
                flows.append(ScheduledFlow(expected, invoice["amount"], invoice["number"], invoice["partner"],
                                           FlowKind.CUSTOMER_INVOICE, reference=invoice["number"],
                                           optimistic_date=optimistic, pessimistic_date=pessimistic,
                                           issue_date=invoice["issue_date"], account=self.accounts[0]))
            else:
                flows.append(ScheduledFlow(max(invoice["due_date"] or as_of, as_of + dt.timedelta(days=1)),
                                           -invoice["amount"], invoice["number"], invoice["partner"],
                                           FlowKind.SUPPLIER_INVOICE, reference=invoice["number"],
                                           account=self.accounts[0]))
        return flows


def demo_case(seed: int = 1) -> DemoCase:
    """Load the demo company (billing and banking parts, as `etabli demo` does) in a temporary SQLite database,
    then export its lines and invoice history through the banking app."""
    import os
    import tempfile

    workdir = tempfile.mkdtemp(prefix="etabli-bench-demo-")
    os.environ["ETABLI_DATA_DIR"] = workdir
    os.environ.pop("DATABASE_URL", None)  # never a real database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "etabli.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from etabli.banking.models import LineMatch
    from etabli.banking.selectors import forecast_history
    from etabli.banking.services.export import engine_lines_csv
    from etabli.billing.selectors import open_invoices
    from etabli.core.context import Actor, acting_as, audit_suspended
    from etabli.core.demo.dataset import generate
    from etabli.core.registry import registry
    from etabli.core.services import companies

    print("  chargement de l'entreprise de démonstration (base temporaire)…", file=sys.stderr)
    call_command("migrate", verbosity=0)
    dataset = generate(seed=seed, today=timezone.localdate())
    c = dataset.company
    with acting_as(Actor(label="Banc d'essai", channel="cli")), audit_suspended():
        company = companies.create_company(
            legal_name=c.legal_name, slug=c.slug, trade_name=c.trade_name, legal_form=c.legal_form,
            share_capital=c.share_capital, siren=c.siren, siret=c.siret, vat_number=c.vat_number,
            rcs_city=c.rcs_city, naf_code=c.naf_code, address_line1=c.address_line1, postal_code=c.postal_code,
            city=c.city, email=c.email, is_demo=True)
        for _order, name, loader in registry.demo_loaders:
            if name in ("facturation", "banque"):
                loader(company=company, dataset=dataset, stdout=None)
    path = Path(workdir) / "demo-lignes.csv"
    path.write_bytes(engine_lines_csv(forecast_history(company)))  # what `etabli banking export --format lignes` writes
    lines = read_lines_csv(path)
    invoices: dict[tuple[str, str], dict[str, Any]] = {}
    for match in LineMatch.objects.for_company(company).select_related("line"):
        key = (match.invoice_kind, match.invoice_number)
        row = invoices.setdefault(key, {"number": match.invoice_number, "kind": match.invoice_kind,
                                        "partner_id": match.partner_id, "partner": match.partner_name,
                                        "issue_date": match.issue_date or match.line.date, "due_date": match.due_date,
                                        "amount": Decimal(0), "paid_on": None, "payments": []})
        row["payments"].append((match.line.date, abs(match.amount)))
    rows: list[dict[str, Any]] = []
    for row in invoices.values():  # one open item per payment: a partly paid invoice stays open for the rest
        for paid_on, amount in row.pop("payments"):
            rows.append({**row, "amount": amount, "paid_on": paid_on})
    for view in open_invoices(company=company):
        rows.append({"number": view.number, "kind": view.kind, "partner_id": view.partner_id,
                     "partner": view.partner_name, "issue_date": view.issue_date or timezone.localdate(),
                     "due_date": view.due_date, "amount": view.amount_open, "paid_on": None})
    # the opening balance of the exported lines: the account's 24-month-old balance (internal transfers left out)
    return DemoCase(name="demo-menuiserie-martin", lines=lines, opening=c.opening_balance, profile="demo",
                    invoices=rows)


# ------------------------------------------------------------------------------------------- variants


def mstl_forecaster(**kwargs: Any) -> CashForecaster:
    """Same engine, but the expected remainder of each series comes from statsforecast's MSTL (7 and 365)."""
    from statsforecast.models import MSTL, AutoETS

    forecaster = CashForecaster(**kwargs)
    model = forecaster.remainder
    original = model._forecast

    def patched(horizon: int, known_in: bool, known_out: bool, n_fallback: int, seed: int):
        result = original(horizon, known_in, known_out, n_fallback, seed)
        for account, data in model._accounts.items():
            ramps = model._ramps(data, horizon, known_in, known_out)
            total = np.zeros(horizon)
            for c, sign in enumerate((1.0, -1.0, 1.0, -1.0)):
                y = data.series[c][-3 * 365 :]
                if y.sum() <= 0:
                    continue
                seasons = [7, 365] if len(y) >= 2 * 365 + 7 else [7]
                mstl = MSTL(season_length=seasons, trend_forecaster=AutoETS(model="ZZN"))
                mean = np.maximum(mstl.forecast(y=y.astype(float), h=horizon)["mean"], 0.0)
                total += sign * mean * ramps[c]
            result.expected[account] = total
        return result

    model._forecast = patched  # type: ignore[method-assign]
    return forecaster


def make_forecaster(variant: str, samples: int) -> CashForecaster:
    horizon = max(HORIZONS)
    if variant == "structural":
        return CashForecaster(horizon_days=horizon, n_samples=samples)
    if variant == "none":
        return CashForecaster(horizon_days=horizon, n_samples=samples, use_remainder=False)
    if variant == "mstl":
        return mstl_forecaster(horizon_days=horizon, n_samples=samples)
    raise SystemExit(f"Variante inconnue : {variant}")


# ------------------------------------------------------------------------------------------- back-test


def origins_for(case: Any, step: int, warmup_days: int) -> list[dt.date]:
    first = case.start + dt.timedelta(days=warmup_days)
    last = case.end - dt.timedelta(days=max(HORIZONS))
    result = []
    day = last
    while day >= first:
        result.append(day)
        day -= dt.timedelta(days=step)
    return sorted(result)


def evaluate_case(
    case: Any, variants: list[str], step: int, warmup_days: int, samples: int
) -> dict[str, Any]:
    records: dict[str, list[dict[str, float]]] = defaultdict(list)
    for origin in origins_for(case, step, warmup_days):
        lines = case.lines_until(origin)
        balances = case.balances_at(origin)
        flows = case.open_flows_at(origin)
        start_balance = float(sum(balances.values(), Decimal(0)))
        for variant in variants:
            forecaster = make_forecaster(variant, samples).fit(lines, as_of=origin)
            forecast = forecaster.predict(balances, flows)
            for h in HORIZONS:
                actual = float(case.balance_at(origin + dt.timedelta(days=h)))
                day = forecast.total.days[h - 1]
                record = {
                    "h": h,
                    "actual": actual,
                    "model": float(day.realistic),
                    "low": float(day.pessimistic),
                    "high": float(day.optimistic),
                }
                if variant == variants[0]:
                    scheduled = start_balance + sum(
                        float(flow.amount)
                        for flow in forecast.flows
                        if flow.date <= origin + dt.timedelta(days=h)
                    )
                    records["flat"].append({"h": h, "actual": actual, "model": start_balance})
                    records["scheduled"].append({"h": h, "actual": actual, "model": scheduled})
                records[variant].append(record)
            if variant == variants[0]:
                # coverage over every day of the horizon, not only days 30 and 60
                actual_path = [
                    float(case.balance_at(origin + dt.timedelta(days=k))) for k in range(1, max(HORIZONS) + 1)
                ]
                inside = [
                    float(d.pessimistic) <= a <= float(d.optimistic)
                    for d, a in zip(forecast.total.days, actual_path)
                ]
                records["_daily_coverage"].append({"h": 0, "actual": float(np.mean(inside)), "model": 0.0})
    return records


def summarise(records: dict[str, list[dict[str, float]]], methods: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for h in HORIZONS:
        actuals = [r["actual"] for r in records[methods[0]] if r["h"] == h]
        scale = float(np.mean(np.abs(actuals))) if actuals else float("nan")
        for method in methods:
            rows = [r for r in records[method] if r["h"] == h]
            errors = [abs(r["model"] - r["actual"]) for r in rows]
            out[f"mae{h}_{method}"] = float(np.mean(errors)) if errors else float("nan")
            out[f"rel{h}_{method}"] = out[f"mae{h}_{method}"] / scale if scale else float("nan")
            if rows and "low" in rows[0]:
                out[f"cov{h}_{method}"] = float(np.mean([r["low"] <= r["actual"] <= r["high"] for r in rows]))
        out[f"mean_abs_balance{h}"] = scale
    daily = [r["actual"] for r in records.get("_daily_coverage", [])]
    out["cov_daily"] = float(np.mean(daily)) if daily else float("nan")
    out["points"] = len([r for r in records[methods[0]] if r["h"] == HORIZONS[0]])
    return out


def timing(years: int = 5, repeats: int = 3) -> dict[str, float]:
    company = generate_company(Profile.STEADY, seed=99, years=years)
    as_of = company.end
    lines = company.lines_until(as_of)
    balances = company.balances_at(as_of)
    flows = company.open_flows_at(as_of)
    durations = []
    for _ in range(repeats):
        started = time.perf_counter()
        forecaster = CashForecaster(horizon_days=90).fit(lines, as_of=as_of)
        forecaster.predict(balances, flows)
        durations.append(time.perf_counter() - started)
    return {
        "lines": len(lines),
        "years": years,
        "first_s": durations[0],
        "median_s": statistics.median(durations),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="unused: the back-test data is synthetic"
    )
    parser.add_argument(
        "--companies", type=int, default=20, help="synthetic companies (spread over the 5 profiles)"
    )
    parser.add_argument("--profiles", default="", help="comma list of profiles to keep (default: all five)")
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--step", type=int, default=28, help="days between forecast origins")
    parser.add_argument("--warmup", type=int, default=730, help="history days before the first origin")
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--variants", default="structural", help="comma list: structural, mstl, none")
    parser.add_argument(
        "--lines", type=Path, action="append", default=[], help="CSV of bank lines of a company"
    )
    parser.add_argument("--opening-balance", default="0", help="balance before the first CSV line")
    parser.add_argument(
        "--case", action="append", default=[], help="module:callable returning a company case"
    )
    parser.add_argument(
        "--demo", action="store_true",
        help="also the demo company, loaded in a temporary database and exported through the banking app",
    )
    parser.add_argument("--demo-seed", type=int, default=1)
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args(argv)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    methods = variants + ["flat", "scheduled"]

    cases: list[Any] = []
    profiles = list(Profile)
    wanted = {p.strip() for p in args.profiles.split(",") if p.strip()}
    for number in range(args.companies):
        profile = profiles[number % len(profiles)]
        if not wanted or profile.value in wanted:
            cases.append(generate_company(profile, seed=number, years=args.years))
    for path in args.lines:
        cases.append(
            LinesCase(name=path.stem, lines=read_lines_csv(path), opening=to_decimal(args.opening_balance))
        )
    if args.demo:
        cases.append(demo_case(args.demo_seed))
    for spec in args.case:
        module, _, attribute = spec.partition(":")
        cases.append(getattr(importlib.import_module(module), attribute)())

    started = time.perf_counter()
    per_company = []
    pooled: dict[str, dict[str, list[dict[str, float]]]] = defaultdict(lambda: defaultdict(list))
    for case in cases:
        warmup = (
            args.warmup
            if (case.end - case.start).days > args.warmup + 120
            else max(90, (case.end - case.start).days // 2)
        )
        records = evaluate_case(case, variants, args.step, warmup, args.samples)
        summary = summarise(records, methods)
        summary.update(name=case.name, profile=str(getattr(case, "profile", "")))
        per_company.append(summary)
        group = "synthetic" if isinstance(case.profile, Profile) else "external"
        for method, rows in records.items():
            pooled[group][method].extend(rows)
            pooled[str(case.profile)][method].extend(rows)
        print(
            f"  {case.name:<28} {summary['points']:>3} origines  MAE30 {summary[f'mae30_{variants[0]}']:>10.0f} €"
            f"  MAE60 {summary[f'mae60_{variants[0]}']:>10.0f} €  couverture60 {summary.get(f'cov60_{variants[0]}', 0):.2f}",
            file=sys.stderr,
        )

    def relative_mean(rows: list[dict[str, Any]], key: str) -> float:
        values = [row[key] for row in rows if key in row and np.isfinite(row[key])]
        return float(np.mean(values)) if values else float("nan")

    figures: dict[str, Any] = {"companies": len(cases), "variants": variants}
    print("\nBack-test glissant de la prévision de trésorerie (horizons 30 et 60 jours)")
    header = f"{'groupe':<12} {'méthode':<11} {'MAE30 €':>10} {'rel30':>7} {'MAE60 €':>10} {'rel60':>7} {'couv30':>7} {'couv60':>7}"
    print(header)
    print("-" * len(header))
    groups = [p.value for p in profiles if any(str(c.profile) == p.value for c in cases)]
    if groups:
        groups.insert(0, "synthetic")
    if any(not isinstance(c.profile, Profile) for c in cases):
        groups.append("external")
    for group in groups:
        summary = summarise(pooled[group], methods)
        members = [
            row
            for row in per_company
            if (group == "synthetic" and row["profile"] in {p.value for p in profiles})
            or row["profile"] == group
            or (group == "external" and row["profile"] not in {p.value for p in profiles})
        ]
        figures[group] = {}
        for method in methods:
            rel30 = relative_mean(members, f"rel30_{method}")
            rel60 = relative_mean(members, f"rel60_{method}")
            cov30 = summary.get(f"cov30_{method}")
            cov60 = summary.get(f"cov60_{method}")
            print(
                f"{group:<12} {method:<11} {summary[f'mae30_{method}']:>10.0f} {rel30:>7.3f} "
                f"{summary[f'mae60_{method}']:>10.0f} {rel60:>7.3f} "
                f"{'' if cov30 is None else f'{cov30:.3f}':>7} {'' if cov60 is None else f'{cov60:.3f}':>7}"
            )
            figures[group][method] = {
                "mae30_eur": round(summary[f"mae30_{method}"], 1),
                "mae60_eur": round(summary[f"mae60_{method}"], 1),
                "rel_mae30": round(rel30, 4),
                "rel_mae60": round(rel60, 4),
                **(
                    {"coverage30": round(cov30, 4), "coverage60": round(cov60, 4)}
                    if cov30 is not None
                    else {}
                ),
            }
        figures[group]["coverage_all_days"] = round(summary["cov_daily"], 4)
        figures[group]["points"] = summary["points"]
        print(
            f"{'':<12} couverture de la fourchette sur tous les jours 1–60 : {summary['cov_daily']:.3f}"
            f" ({summary['points']} origines)"
        )
    figures["backtest_seconds"] = round(time.perf_counter() - started, 1)
    if not args.no_timing:
        measured = timing()
        figures["timing_5y"] = {
            key: round(value, 3) if isinstance(value, float) else value for key, value in measured.items()
        }
        print(
            f"\nTemps pour prévoir une entreprise de {measured['years']} ans ({measured['lines']} lignes) : "
            f"1er appel {measured['first_s']:.2f} s, médiane {measured['median_s']:.2f} s (objectif < 2 s ; "
            "machine partagée, mesure sous charge)"
        )
    synthetic = figures.get("synthetic") or figures.get("external", {})
    main_variant = synthetic.get(variants[0], {})
    if main_variant:
        beats = all(
            main_variant[f"mae{h}_eur"] < synthetic[b][f"mae{h}_eur"]
            for h in HORIZONS
            for b in ("flat", "scheduled")
        )
        coverage_ok = all(0.75 <= main_variant[f"coverage{h}"] <= 0.85 for h in HORIZONS)
        figures["targets"] = {
            "beats_both_baselines": beats,
            "coverage_80_pm_5": coverage_ok,
            "time_under_2s": figures.get("timing_5y", {}).get("median_s", 0) < 2,
        }
        print(
            f"Objectifs : bat les deux références {'oui' if beats else 'non'} ; couverture 80 ± 5 % "
            f"{'oui' if coverage_ok else 'non'}"
        )
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
