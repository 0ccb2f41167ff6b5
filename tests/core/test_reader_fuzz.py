"""Every reader in ``READERS`` on mutated files: a reason (``ValueError``) or documents, never
a traceback of another kind, never a hang, bounded memory.

Seeds are valid files of each format; mutations flip, delete, insert and duplicate bytes and
cut the file short, from a fixed random seed (the same cases every run). Readers that run OCR
get fewer cases: each recognised page is a Tesseract run of a second or more.
"""

from __future__ import annotations

import random
import resource
import time
from pathlib import Path
from typing import Any

import pytest

from casedesk.ingest.model import ImportCancelled, ReadContext
from casedesk.ingest.readers import READERS

SEED_FILE = {
    "pdf": "pdf",
    "image": "png",
    "docx": "docx",
    "odt": "odt",
    "eml": "eml",
    "mbox": "mbox",
    "mhtml": "mhtml",
    "html": "html",
}
TEXT_SEEDS = {
    "md": b"---\ntitle: Ferry strike\npublished: 2021-05-04\n---\n# Ferry strike\n\nThe ferries "
    b"stopped on Tuesday.\n",
    "txt": b"Dock workers voted on Wednesday to accept a revised pay offer.\n",
}
CASES = {"pdf": 8, "image": 4}  # the others: DEFAULT_CASES
DEFAULT_CASES = 60
SECONDS_PER_CASE = 60.0


def mutate(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not buf:
            break
        op = rng.randrange(5)
        at = rng.randrange(len(buf))
        if op == 0:
            buf[at] = rng.randrange(256)
        elif op == 1:
            del buf[at : at + rng.randint(1, 64)]
        elif op == 2:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op == 3:
            chunk = buf[at : at + rng.randint(1, 256)]
            buf[at:at] = chunk * rng.randint(2, 50)
        else:
            del buf[rng.randint(len(buf) // 2, len(buf)) :]
    return bytes(buf)


def test_every_reader_is_fuzzed() -> None:
    assert set(READERS) == set(SEED_FILE) | set(TEXT_SEEDS)


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_mutated_files_give_a_reason_or_documents(
    fmt: str, format_files: dict[str, Path], tmp_path: Path
) -> None:
    if fmt in TEXT_SEEDS:
        seed = TEXT_SEEDS[fmt]
    else:
        source = format_files[SEED_FILE[fmt]]
        seed = source.read_bytes()
        if fmt == "mbox":  # the first messages and the attachments keep it short
            seed = seed[:60_000]
    reader = READERS[fmt]
    rng = random.Random(f"casedesk-{fmt}")
    outcomes = {"read": 0, "refused": 0}
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for n in range(CASES.get(fmt, DEFAULT_CASES)):
        data = mutate(seed, rng)
        started = time.monotonic()
        context = ReadContext(path=tmp_path / f"case{n}{next(iter(reader.suffixes))}")
        try:
            documents: list[Any] = reader.read(data, context)
        except ValueError:
            outcomes["refused"] += 1
        except (ImportCancelled, RecursionError):
            outcomes["refused"] += 1
        else:
            assert all(isinstance(d.text, str) for d in documents)
            outcomes["read"] += 1
        assert time.monotonic() - started < SECONDS_PER_CASE, f"case {n} took too long"
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert grown_mb < 500, f"the process grew by {grown_mb:.0f} MB"
    assert sum(outcomes.values()) == CASES.get(fmt, DEFAULT_CASES)
