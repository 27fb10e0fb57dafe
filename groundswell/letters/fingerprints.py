"""Near-identical letters: normalised words, 5-word shingles, MinHash.

Two letters are compared by the Jaccard similarity of their sets of 5-word shingles (runs of five
consecutive words), after normalising (lower case, letters and digits only, runs of spaces
collapsed), so punctuation, capitals and line breaks do not make a copy look different. Each
letter stores a MinHash of NUM_HASHES values: the share of equal positions in two MinHashes
estimates their Jaccard similarity, so comparing a new letter with the others to one recipient
needs no stored text (the words are deleted after LETTERS_TEXT_RETENTION_DAYS; fingerprints are
not readable text).
"""

import hashlib
import re
import struct

SHINGLE_WORDS = 5
NUM_HASHES = 64
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_MAX = 2**64 - 1


def normalise(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def shingles(text: str) -> set[str]:
    words = normalise(text)
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def minhash(text: str) -> list[int]:
    """NUM_HASHES minima of hashes over the shingles (one SHAKE-256 output gives them all)."""
    items = shingles(text)
    if not items:
        return []
    minima = [_MAX] * NUM_HASHES
    for shingle in items:
        digest = hashlib.shake_256(shingle.encode()).digest(8 * NUM_HASHES)
        values = struct.unpack(f"<{NUM_HASHES}Q", digest)
        minima = [min(m, v) for m, v in zip(minima, values)]
    # Stored as JSON: keep the values within what every database's JSON holds exactly (53 bits).
    return [m >> 11 for m in minima]


def estimated_similarity(a: list[int], b: list[int]) -> float:
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(1 for x, y in zip(a, b) if x == y) / len(a)
