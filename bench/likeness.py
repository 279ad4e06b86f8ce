"""How well example rules tell unseen wordings from the ones they must leave alone, and what it costs.

    .venv/bin/python bench/likeness.py

bench/likeness/sentences.yaml holds, per category, sentences written for this benchmark
and kept out of every rule: `flag` ones, worded unlike any example of the category's
example rules, and `clean` ones that share their words but do nothing wrong. Three parts:

1. Separation. The category's example rules' own examples are the references; a sentence's
   score is its likeness margin (nearest flag example minus nearest clean one). Reported as
   ROC AUC of the benchmark's flag sentences against (a) its clean sentences and (b) every
   sentence of the corpus's clean emails, for the shipped embedding (WordLlama, lower case),
   the same embedding of the text as written, and a lexical baseline: TF-IDF over lemmas.
2. The rules as shipped: each sentence checked alone, as a whole email, against the full rule
   set (gates, thresholds and the pattern rules too): the share of flag sentences whose
   category is raised, and of clean ones given no error or warning.
3. Cost: loading the model, building the rule set, embedding a sentence (one core).
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import regex
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.engine import Draft, build_ruleset, check, read_sources  # noqa: E402
from server.engine import embedding as embedding_module  # noqa: E402
from server.engine.examples import DEFAULT_AT  # noqa: E402
from server.engine.inflection import forms  # noqa: E402
from server.engine.ruletypes.examples import ExamplesRule  # noqa: E402
from server.engine.text import Prepared  # noqa: E402

SENTENCES = ROOT / "bench" / "likeness" / "sentences.yaml"


def corpus_sentences() -> list[str]:
    """Every sentence of the corpus's clean emails, of four words or more."""
    found = []
    for path in sorted((ROOT / "rules" / "corpus").glob("*.yaml")):
        for email in yaml.safe_load(path.read_text(encoding="utf-8")):
            if email["expect"] == "clean":
                prepared = Prepared(email["text"])
                found += [prepared.text[s.start:s.end].strip() for s in prepared.sentences]
    return [s for s in found if len(s.split()) >= 4]


def auc(positive: list[float], negative: list[float]) -> float:
    """The chance that a flag sentence scores above a clean one (ties count half)."""
    p, n = np.array(positive)[:, None], np.array(negative)[None, :]
    return float((p > n).mean() + 0.5 * (p == n).mean())


def as_written(text: str) -> np.ndarray:
    tokenizer, vectors = embedding_module._model()
    ids = tokenizer.encode(text, add_special_tokens=False).ids
    total = vectors.take(ids, axis=0).sum(axis=0)
    return total / (np.linalg.norm(total) or 1)


def lexical(documents: list[str]):
    """TF-IDF over lemmas, its document frequencies taken from the given texts."""
    def lemmas(text):
        return {min(forms(w), key=len) for w in regex.findall(r"[\w']+", text.lower())}
    frequency = Counter(w for d in documents for w in lemmas(d))
    index = {w: i for i, w in enumerate(frequency)}

    def vector(text):
        v = np.zeros(len(index), dtype=np.float32)
        for w in lemmas(text):
            if w in index:
                v[index[w]] = math.log(len(documents) / frequency[w])
        return v / (np.linalg.norm(v) or 1)
    return vector


def margins(vector, flag: list[str], clean: list[str], queries: list[str]) -> list[float]:
    f = np.stack([vector(t) for t in flag])
    c = np.stack([vector(t) for t in clean])
    return [float(np.max(f @ q) - np.max(c @ q)) for q in map(vector, queries)]


def separation(ruleset, bench: dict, background: list[str]) -> None:
    print("## 1. Separation: ROC AUC of the likeness margin, flag sentences against clean ones\n")
    print("| category | examples (flag/clean) | embedding, lower case (shipped) | embedding, as written "
          "| TF-IDF of lemmas |")
    print("|---|---|---|---|---|")
    for category, sentences in bench.items():
        rules = [r for r in ruleset.rules if isinstance(r, ExamplesRule) and r.category == category]
        flag = [t for r in rules for t in r.likeness.flag_texts]
        clean = [t for r in rules for t in r.likeness.clean_texts]
        if not rules:
            continue
        documents = flag + clean + background + sentences["flag"] + sentences["clean"]
        cells = []
        for vector in (embedding_module.embed, as_written, lexical(documents)):
            positive = margins(vector, flag, clean, sentences["flag"])
            hard = margins(vector, flag, clean, sentences["clean"])
            easy = margins(vector, flag, clean, background)
            cells.append(f"{auc(positive, hard):.2f} / {auc(positive, easy):.2f}")
        print(f"| `{category}` | {len(flag)}/{len(clean)} | " + " | ".join(cells) + " |")
    print("\n(each cell: against the benchmark's clean sentences / against the corpus's clean sentences)\n")


def shipped(ruleset, bench: dict) -> None:
    print("## 2. The rules as shipped, each sentence checked alone\n")
    print("| category | flag sentences raised | clean sentences left clean |")
    print("|---|---|---|")
    def raised(text: str, direction: str):
        return check(ruleset, Draft(text=text, at=DEFAULT_AT, direction=direction)).warnings

    for category, sentences in bench.items():
        direction = "inbound" if category.startswith("inbound.") else "outbound"
        caught = [t for t in sentences["flag"] if category in {w.category for w in raised(t, direction)}]
        kept = [t for t in sentences["clean"]
                if not [w for w in raised(t, direction) if w.severity in ("error", "warning")]]
        print(f"| `{category}` | {len(caught)}/{len(sentences['flag'])} | {len(kept)}/{len(sentences['clean'])} |")
        for text in sentences["flag"]:
            if text not in caught:
                print(f"  missed: {text}")
        for text in sentences["clean"]:
            if text not in kept:
                print(f"  flagged: {text}")
    print()


def cost(background: list[str]) -> None:
    print("## 3. Cost (one core)\n")
    started = time.perf_counter()
    embedding_module._load.cache_clear()
    embedding_module._model()
    print(f"- loading the model (tokenizer and vectors from the wheel): {time.perf_counter() - started:.2f} s")
    sources = read_sources(ROOT / "rules")
    build_ruleset(sources)  # the word forms' dictionary, loaded once per process
    started = time.perf_counter()
    build_ruleset(sources)
    print(f"- building the shipped rule set (examples embedded): {(time.perf_counter() - started) * 1000:.0f} ms")
    samples = []
    for text in background * 5:
        started = time.perf_counter()
        embedding_module.embed(text)
        samples.append(time.perf_counter() - started)
    words = statistics.mean(len(t.split()) for t in background)
    print(f"- embedding a sentence of the corpus (mean {words:.0f} words): median "
          f"{statistics.median(samples) * 1e6:.0f} µs, p99 {sorted(samples)[int(len(samples) * 0.99)] * 1e6:.0f} µs")


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    ruleset = build_ruleset(read_sources(ROOT / "rules"))
    bench = yaml.safe_load(SENTENCES.read_text(encoding="utf-8"))
    background = corpus_sentences()
    separation(ruleset, bench, background)
    shipped(ruleset, bench)
    cost(background)


if __name__ == "__main__":
    main()
