"""The embedder's intra-op threads sleep between parallel sections instead of spinning (CPU
taken from the requests, renders and PostgreSQL sharing the host), with the same vectors."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort

from resumate.ai.embeddings import LocalEmbedder, default_model_path, get_local_embedder


def test_intra_op_threads_do_not_spin() -> None:
    embedder = get_local_embedder()
    options = embedder._session.get_session_options()
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"


def test_same_outputs_as_a_spinning_session() -> None:
    embedder: LocalEmbedder = get_local_embedder()
    options = ort.SessionOptions()
    options.intra_op_num_threads = embedder.intra_op_threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    spinning = ort.InferenceSession(
        str(default_model_path()), sess_options=options, providers=["CPUExecutionProvider"]
    )
    text = "Senior engineer: Python, PostgreSQL, Kubernetes. Ingénieure, 北京, مهندس. " * 40
    (window, *_) = embedder._windows([text])
    bodies = [window.ids]
    ours = embedder._run_batch(bodies)
    ids = np.array([[embedder._cls_id, *window.ids, embedder._sep_id]], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
    if "token_type_ids" in {i.name for i in spinning.get_inputs()}:
        feeds["token_type_ids"] = np.zeros_like(ids)
    (hidden,) = spinning.run(None, feeds)
    pooled = hidden.mean(axis=1)
    pooled = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    assert len(window.ids) == 254  # a full window
    np.testing.assert_allclose(ours, pooled, rtol=0, atol=1e-6)
