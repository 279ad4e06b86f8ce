"""Sentence embeddings: what a sentence means, as a 256-number vector, for rules that learn from examples.

The model is WordLlama's l2_supercat (MIT licence), a static embedding: one trained
vector per token of the Llama 2 tokenizer, a sentence being the mean of its tokens'
vectors. Its 16 MB of weights and its tokenizer ship inside the `wordllama` wheel, so
the coach needs nothing from the network; a sentence embeds in some 30 µs on one core.
bench/README.md ("Sentence embeddings") has the evidence for the choice.

The package's own loader is not used: it looks for the bundled tokenizer in a folder
that does not exist and then downloads it, and importing the package configures the
process's logging. The two files are read here straight from where the wheel put them.
"""

from __future__ import annotations

import importlib.util
import threading
from functools import cache
from pathlib import Path

import numpy as np

DIMENSIONS = 256
_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")
_WEIGHTS = ("weights", "l2_supercat_256.safetensors")
_lock = threading.Lock()


class EmbeddingUnavailable(RuntimeError):
    """The model's files are not where the wordllama wheel puts them."""


def _package_folder() -> Path:
    # find_spec locates the package without running it (its __init__ sets up logging).
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingUnavailable("the wordllama package is not installed (see requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations)))


def _model():
    """The tokenizer and the token vectors, loaded once per process."""
    with _lock:  # two threads building rule sets at once load it once
        return _load()


@cache
def _load():
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = _package_folder()
    tokenizer_file, weights_file = folder.joinpath(*_TOKENIZER), folder.joinpath(*_WEIGHTS)
    if not tokenizer_file.is_file() or not weights_file.is_file():
        raise EmbeddingUnavailable(f"the wordllama package at {folder} lacks its tokenizer or weights")
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    # One row per token, stored as float16; widened once here (32 MB), as summing float16 rows
    # widened at each sentence took five times as long.
    vectors = load_file(str(weights_file))["embedding.weight"].astype(np.float32)
    return tokenizer, vectors


def embed(text: str) -> np.ndarray:
    """The text's unit vector (float32); all zeros for a text without tokens.

    In lower case: a sentence's first word, capitalised, is otherwise another token than
    the same word inside a sentence, and the likeness of unseen wordings to a rule's examples
    is better for it (bench/README.md).
    """
    tokenizer, vectors = _model()
    if not text.isascii():  # the tokenizer takes only valid Unicode: a lone surrogate reads as U+FFFD
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    ids = tokenizer.encode(text.lower(), add_special_tokens=False).ids
    if not ids:
        return np.zeros(DIMENSIONS, dtype=np.float32)
    total = vectors.take(ids, axis=0).sum(axis=0)  # the mean's direction: its length is normalised away
    norm = float(np.sqrt(total @ total))
    return total / norm if norm else total


def embed_all(texts: list[str]) -> np.ndarray:
    """One unit vector per text, as the rows of a matrix."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.stack([embed(text) for text in texts])
