"""Merkle tree hashing as Certificate Transparency defines it (RFC 6962, section 2.1):
leaves and nodes hashed with distinct prefixes, so no leaf can pass for a node."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]): the empty tree hashes the empty string; otherwise split at the largest
    power of two smaller than n. Computed bottom-up over the leaf hashes, which gives the
    same tree: complete subtrees of 2^k leaves from the left, the remainder on the right."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = [leaf_hash(leaf) for leaf in leaves]
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])  # an odd node moves up unchanged
        level = paired
    return level[0]
