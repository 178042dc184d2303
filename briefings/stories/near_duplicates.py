"""Near-duplicate articles (a wire story reprinted by several outlets) by MinHash over word shingles."""

from __future__ import annotations

import zlib

import numpy as np

SHINGLE_WORDS = 4
SIGNATURE_SIZE = 64
BAND_ROWS = 4
# A reprint shares most of its text: headlines, bylines and a trimmed paragraph may differ.
REPRINT_JACCARD = 0.6
# Enough of an article to recognise a reprint; reading more only costs time.
MAX_SHINGLES = 1500

# A Mersenne prime below 2**31: a * x + b stays inside 64 bits for 32-bit shingle hashes x.
_PRIME = (1 << 31) - 1
# Fixed coefficients, derived without a random generator: stored signatures must compare across runs.
_A = np.array(
    [zlib.crc32(f"a{i}".encode()) % (_PRIME - 1) + 1 for i in range(SIGNATURE_SIZE)], dtype=np.uint64
)
_B = np.array([zlib.crc32(f"b{i}".encode()) % _PRIME for i in range(SIGNATURE_SIZE)], dtype=np.uint64)


def shingle_hashes(words: list[str]) -> np.ndarray:
    """Stable 32-bit hashes of the article's overlapping word 4-grams."""
    count = min(MAX_SHINGLES, max(0, len(words) - SHINGLE_WORDS + 1))
    if count == 0 and words:
        return np.array([zlib.crc32(" ".join(words).encode())], dtype=np.uint64)
    hashes = [zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode()) for i in range(count)]
    return np.unique(np.array(hashes, dtype=np.uint64))


def minhash_signature(words: list[str]) -> list[int]:
    """The MinHash signature of an article's words (empty when it has none)."""
    hashes = shingle_hashes(words)
    if hashes.size == 0:
        return []
    values = (_A[:, None] * hashes[None, :] + _B[:, None]) % np.uint64(_PRIME)
    return [int(v) for v in values.min(axis=1)]


def band_keys(signature: list[int]) -> list[str]:
    """Locality-sensitive keys: articles sharing one are candidates for near-duplicates."""
    keys = []
    for start in range(0, len(signature), BAND_ROWS):
        band = signature[start : start + BAND_ROWS]
        keys.append(f"{start // BAND_ROWS}:{zlib.crc32(repr(band).encode()):x}")
    return keys


def estimated_jaccard(first: list[int], second: list[int]) -> float:
    """The share of equal signature slots: an estimate of the two articles' shingle overlap."""
    if not first or len(first) != len(second):
        return 0.0
    return sum(1 for x, y in zip(first, second, strict=True) if x == y) / len(first)
