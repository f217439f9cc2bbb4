"""Comments that stand between list items, kept in place when an item is added or removed.

ruamel.yaml keeps a comment (and a blank line) that follows a list item with that item: in the item's
end-of-line comment token, after its first line. Removing the item would drop the lines that belong to
what follows (a `# --- next group` header, the blank line before the next section), and appending an
item would put the new one after them. These helpers move that tail to the right neighbour and record
what they changed so an undo can put every token back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

Undo = list[Callable[[], None]]


def _slot(seq: CommentedSeq, i: int) -> tuple[list[Any], int]:
    """Where item `i`'s last end-of-line token lives: (the list holding it, its position in that list)."""
    item = seq[i]
    if _is_block(item, CommentedMap):
        return _map_slot(item)
    return seq.ca.items.setdefault(i, [None, None, None, None]), 0


def _map_slot(mapping: CommentedMap) -> tuple[list[Any], int]:
    key = list(mapping)[-1]
    value = mapping[key]
    if _is_block(value, CommentedSeq):
        return _slot(value, len(value) - 1)
    if _is_block(value, CommentedMap):
        return _map_slot(value)
    return mapping.ca.items.setdefault(key, [None, None, None, None]), 2


def _is_block(node: Any, kind: type) -> bool:
    if not isinstance(node, kind):
        return False
    block: Any = node  # a ruamel container: sized, with its flow-style flags in `fa`
    return len(block) > 0 and not block.fa.flow_style()


def _split(value: str) -> tuple[str, str]:
    head, sep, tail = value.partition("\n")
    return head + sep, tail


def tail(seq: CommentedSeq, i: int) -> str:
    """The whole lines that follow item `i` (comments, blank lines) before the next item or key."""
    holder, k = _slot(seq, i)
    token = holder[k]
    return _split(token.value)[1] if token is not None else ""


def _remember(undo: Undo, holder: list[Any], k: int) -> None:
    token = holder[k]
    value = token.value if token is not None else None

    def restore() -> None:
        holder[k] = token
        if token is not None:
            token.value = value
    undo.append(restore)


def set_tail(undo: Undo, seq: CommentedSeq, i: int, text: str) -> None:
    """Make `text` the lines that follow item `i`, keeping the item's own end-of-line comment."""
    holder, k = _slot(seq, i)
    _remember(undo, holder, k)
    token = holder[k]
    if token is None:
        if text:
            holder[k] = CommentToken("\n" + text, CommentMark(0), None)
        return
    head = _split(token.value)[0] or "\n"
    token.value = head + text


def pre_text(seq: CommentedSeq, i: int) -> str:
    """The whole-line comments ruamel keeps as standing before item `i`, as text."""
    entry = seq.ca.items.get(i)
    tokens = entry[1] if entry and len(entry) > 1 and entry[1] else []
    return "".join(" " * t.column + t.value for t in tokens)


def remember_items(undo: Undo, seq: CommentedSeq) -> None:
    """Record the list's per-item comment table (its keys shift when items come and go)."""
    saved = {k: list(v) for k, v in seq.ca.items.items()}

    def restore() -> None:
        seq.ca.items.clear()
        seq.ca.items.update({k: list(v) for k, v in saved.items()})
    undo.append(restore)


def append_keeping_tail(undo: Undo, seq: CommentedSeq, index: int, item: Any) -> None:
    """Insert `item` at `index`; when it becomes the last item, the lines after the old last item
    (a blank line, a comment about the next section) move after the new one."""
    remember_items(undo, seq)
    last = index == len(seq) and len(seq) > 0
    moved = tail(seq, len(seq) - 1) if last else ""
    if last and moved:
        set_tail(undo, seq, len(seq) - 1, "")
    seq.insert(index, item)
    undo.append(lambda: seq.pop(index))
    if last and moved:
        set_tail(undo, seq, index, moved)


def delete_keeping_comments(undo: Undo, seq: CommentedSeq, index: int) -> Any:
    """Remove item `index`; the whole-line comments before it and the lines after it stay where they
    stood (after the previous item). Its own end-of-line comment goes with it."""
    remember_items(undo, seq)
    keep = (pre_text(seq, index) if index > 0 else "") + tail(seq, index)
    item = seq[index]
    if index > 0 and keep:
        before = tail(seq, index - 1)
        set_tail(undo, seq, index - 1, before + keep)
    del seq[index]
    undo.append(lambda: seq.insert(index, item))
    return item
