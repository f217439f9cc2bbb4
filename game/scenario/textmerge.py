"""Keep the author's text where an edit did not reach: a three-way merge of lines.

A YAML round trip re-emits the whole file, and the emitter has its own taste (a flow mapping the author
wrapped over two lines comes back on one). So the editor saves `merge(original, baseline, new)`:
`baseline` is the emitter's rendering of the file as it was read, `new` its rendering after the edits.
Wherever `new` still equals `baseline`, the author's original lines are written instead; only the lines
an edit changed come from the emitter. A full-line comment of the original that the edit dropped is put
back where it stood. The caller checks that the result means the same as `new` (see roundtrip.py).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

COMMENT_LINE = re.compile(r"^\s*#")


@dataclass(frozen=True)
class Block:
    """Baseline lines [a1, a2) written as original lines [o1, o2) (an inserted run of the original has a1 == a2)."""

    a1: int
    a2: int
    o1: int
    o2: int


def align(baseline: list[str], original: list[str]) -> list[Block]:
    """Blocks mapping the baseline onto the original: one per equal line, one per differing run."""
    blocks: list[Block] = []
    for tag, a1, a2, o1, o2 in SequenceMatcher(None, baseline, original, autojunk=False).get_opcodes():
        if tag == "equal":
            blocks += [Block(a1 + k, a1 + k + 1, o1 + k, o1 + k + 1) for k in range(a2 - a1)]
        else:
            blocks.append(Block(a1, a2, o1, o2))
    return blocks


def _original_of(blocks: list[Block], a1: int, a2: int, last: int, baseline: list[str],
                 original: list[str]) -> list[str]:
    """The original text of baseline lines [a1, a2): whole blocks inside the range are written as the
    author wrote them, blocks cut by the range edge as the baseline has them."""
    out: list[str] = []
    for b in blocks:
        if b.a1 == b.a2:
            if a1 <= b.a1 < a2 or b.a1 == a2 == last:
                out += original[b.o1:b.o2]
            continue
        lo, hi = max(a1, b.a1), min(a2, b.a2)
        if lo >= hi:
            continue
        out += original[b.o1:b.o2] if (lo, hi) == (b.a1, b.a2) else baseline[lo:hi]
    return out


def merge(original: str, baseline: str, new: str) -> str:
    """`new`, with every stretch it shares with `baseline` written as in `original`."""
    if new == baseline:
        return original
    o, a, n = original.splitlines(keepends=True), baseline.splitlines(keepends=True), new.splitlines(keepends=True)
    blocks = align(a, o)
    out: list[list[str]] = []
    dropped: dict[int, list[str]] = {}
    for tag, a1, a2, n1, n2 in SequenceMatcher(None, a, n, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(_original_of(blocks, a1, a2, len(a), a, o))
            continue
        dropped[len(out)] = [line for line in _original_of(blocks, a1, a2, len(a), a, o)
                             if COMMENT_LINE.match(line) and line not in n[n1:n2]]
        out.append(n[n1:n2])
    wanted = Counter(line.strip() for line in o if COMMENT_LINE.match(line))
    have = Counter(line.strip() for seg in out for line in seg if COMMENT_LINE.match(line))
    for k, lines in dropped.items():
        back = []
        for line in lines:
            if have[line.strip()] < wanted[line.strip()]:
                back.append(line)
                have[line.strip()] += 1
        out[k] = back + out[k]
    text = "".join(line for seg in out for line in seg)
    if new.endswith("\n") and not text.endswith("\n"):
        text += "\n"
    return text
