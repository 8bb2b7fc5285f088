# Writes python-vectors.json: reference outputs of CPython's random.Random for the TS port in
# src/python/py-random.ts (Mersenne Twister seeding, getrandbits, shuffle, sample, choices) and the exact
# few-shot draw sequences of lm-evaluation-harness v0.3 (Random(42): shuffle the eval docs, then one
# sample(train, k) per doc) and current (Random(1234): sample(train, k + 1) per doc, dataset order); also the
# harness's stderr formulas and the SQuAD answer metrics, for src/metrics.
# Run: python3 make-python-vectors.py > python-vectors.json   (CPython >= 3.8)
import json
import random
import sys

out = {"python": sys.version.split()[0]}

r = random.Random(42)
out["random_seed42"] = [r.random() for _ in range(8)]
r = random.Random(0)
out["getrandbits_seed0"] = [[k, r.getrandbits(k)] for k in [1, 2, 7, 8, 31, 32, 5, 3, 16, 1]]
r = random.Random(2**40 + 5)
out["random_seed_2p40_plus_5"] = [r.random() for _ in range(4)]
r = random.Random(2**64 - 1)
out["random_seed_2p64_minus_1"] = [r.random() for _ in range(4)]
r = random.Random(1234)
out["randbelow_seed1234"] = [[n, r._randbelow(n)] for n in [1, 2, 3, 5, 10, 100, 1000, 65536, 2**31 - 1, 7]]

out["shuffle"] = []
for seed, n in [(42, 1), (42, 2), (42, 5), (42, 10), (7, 100)]:
    r = random.Random(seed)
    x = list(range(n))
    r.shuffle(x)
    out["shuffle"].append({"seed": seed, "n": n, "result": x})

out["sample"] = []
for seed, n, k in [(1, 10, 3), (1, 10, 10), (1, 21, 5), (1, 22, 5), (3, 1000, 3), (3, 1000, 6), (5, 50, 20), (5, 200, 20), (9, 4, 0)]:
    r = random.Random(seed)
    draws = [r.sample(range(n), k) for _ in range(3)]
    out["sample"].append({"seed": seed, "n": n, "k": k, "draws": draws})

r = random.Random(11)
out["choices_seed11"] = {"n": 7, "k": 12, "result": r.choices(range(7), k=12)}


def v03_draws(n_val, n_train, k, seed=42, limit=None):
    rnd = random.Random()
    rnd.seed(seed)
    docs = list(range(n_val))
    rnd.shuffle(docs)
    docs = docs[:limit] if limit is not None else docs
    return {"order": docs, "shots": [rnd.sample(range(n_train), k) if k > 0 else [] for _ in docs]}


def current_draws(n_val, n_train, k, seed=1234, limit=None):
    rnd = random.Random(seed)
    docs = list(range(n_val))[:limit] if limit is not None else list(range(n_val))
    return {"order": docs, "draws": [rnd.sample(range(n_train), k + 1) if k > 0 else [] for _ in docs]}


out["fewshot_v03"] = [
    {"n_val": 6, "n_train": 5, "k": 3, **v03_draws(6, 5, 3)},
    {"n_val": 7, "n_train": 3, "k": 3, **v03_draws(7, 3, 3)},
    {"n_val": 12, "n_train": 40, "k": 5, "limit": 4, **v03_draws(12, 40, 5, limit=4)},
    {"n_val": 9, "n_train": 9, "k": 0, **v03_draws(9, 9, 0)},
]
out["fewshot_current"] = [
    {"n_val": 6, "n_train": 5, "k": 3, **current_draws(6, 5, 3)},
    {"n_val": 12, "n_train": 40, "k": 5, "limit": 4, **current_draws(12, 40, 5, limit=4)},
]


# lm_eval.metrics: sample_stddev, mean_stderr and bootstrap_stderr (single process; imap keeps chunk order).
def sample_stddev(arr):
    mu = sum(arr) / len(arr)
    return (sum([(x - mu) ** 2 for x in arr]) / (len(arr) - 1)) ** 0.5


def bootstrap_stderr(f, xs, iters):
    res = []
    chunk_size = min(1000, iters)
    for i in range(iters // chunk_size):
        rnd = random.Random()
        rnd.seed(i)
        for _ in range(chunk_size):
            res.append(f(rnd.choices(xs, k=len(xs))))
    return sample_stddev(res)


items = [0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 0, 1]
out["stats"] = {
    "items": items,
    "mean_stderr": sample_stddev(items) / len(items) ** 0.5,
    "bootstrap_mean_2000": bootstrap_stderr(lambda xs: sum(xs) / len(xs), items, 2000),
}

# transformers.data.metrics.squad_metrics, as the harness's ReCoRD uses it.
import collections
import re
import string


def normalize_answer(s):
    def remove_articles(text):
        return re.sub(re.compile(r"\b(a|an|the)\b", re.UNICODE), " ", text)

    def white_space_fix(text):
        return " ".join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return "".join(ch for ch in text if ch not in exclude)

    return white_space_fix(remove_articles(remove_punc(s.lower())))


def get_tokens(s):
    return normalize_answer(s).split() if s else []


def compute_exact(a_gold, a_pred):
    return int(normalize_answer(a_gold) == normalize_answer(a_pred))


def compute_f1(a_gold, a_pred):
    gold_toks, pred_toks = get_tokens(a_gold), get_tokens(a_pred)
    common = collections.Counter(gold_toks) & collections.Counter(pred_toks)
    num_same = sum(common.values())
    if len(gold_toks) == 0 or len(pred_toks) == 0:
        return int(gold_toks == pred_toks)
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(pred_toks)
    recall = 1.0 * num_same / len(gold_toks)
    return (2 * precision * recall) / (precision + recall)


pairs = [
    ["The Eiffel Tower", "eiffel tower"],
    ["Barack Obama", "Obama"],
    ["U.S.A.", "usa"],
    ["an apple a day", "the apple"],
    ["Théa Anna", "théa  anna!"],
    ["éa the_x a-b", "éa the_x b"],
    ["New York New York", "New York"],
    ["a", "the"],
    ["Tom Reed", "Maria Lopez"],
]
out["squad"] = [{"gold": g, "pred": p, "norm_gold": normalize_answer(g), "exact": compute_exact(g, p), "f1": compute_f1(g, p)} for g, p in pairs]
json.dump(out, sys.stdout, indent=None, separators=(",", ":"))
sys.stdout.write("\n")
