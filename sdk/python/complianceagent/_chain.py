"""The audit log's hash chain, byte-compatible with the JS SDK (src/sdk/audit-chain.ts).

Each line carries ``seq``, ``prev`` (the previous line's hash, 64 zeros for the first) and ``hash`` = SHA-256
(HMAC-SHA-256 with a key) of ``prev`` + the canonical JSON of the event without ``hash`` (keys sorted, no
whitespace, non-ASCII as is). ``complianceagent audit verify FILE`` and :func:`verify_audit_log` check it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, Dict, List, Optional, Union

GENESIS = "0" * 64

Key = Optional[Union[str, bytes]]


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _key_bytes(key: Key) -> Optional[bytes]:
    return key.encode("utf-8") if isinstance(key, str) else key


def chain_hash(prev: str, event: Dict[str, Any], key: Key = None) -> str:
    rest = {k: v for k, v in event.items() if k != "hash"}
    data = (prev + canonical_json(rest)).encode("utf-8")
    kb = _key_bytes(key)
    if kb is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(kb, data, hashlib.sha256).hexdigest()


class ChainState:
    def __init__(self, seq: int = 0, head: str = GENESIS) -> None:
        self.seq = seq
        self.head = head

    @classmethod
    def of_text(cls, text: str) -> "ChainState":
        lines = [line for line in text.split("\n") if line.strip()]
        if not lines:
            return cls()
        last = json.loads(lines[-1])
        if not isinstance(last.get("seq"), int) or not isinstance(last.get("hash"), str):
            raise ValueError("the log does not end with a chained event (no seq/hash)")
        return cls(last["seq"] + 1, last["hash"])

    def seal(self, event: Dict[str, Any], key: Key = None) -> Dict[str, Any]:
        sealed = dict(event, seq=self.seq, prev=self.head)
        sealed["hash"] = chain_hash(self.head, sealed, key)
        self.seq += 1
        self.head = sealed["hash"]
        return sealed


def verify_audit_log(text: str, key: Key = None, expect_head: Optional[str] = None) -> Dict[str, Any]:
    """Returns ``{"ok", "events", "head", "problems": [{"line", "reason"}]}`` for a JSON-lines audit log."""
    problems: List[Dict[str, Any]] = []
    head, seq, events = GENESIS, 0, 0
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            problems.append({"line": number, "reason": "empty line"})
            continue
        try:
            event = json.loads(raw)
        except ValueError:
            event = None
        if not isinstance(event, dict):
            problems.append({"line": number, "reason": "not a JSON object"})
            continue
        events += 1
        h, prev, s = event.get("hash"), event.get("prev"), event.get("seq")
        if not isinstance(h, str) or len(h) != 64 or not isinstance(prev, str) or not isinstance(s, int):
            problems.append({"line": number, "reason": "no hash chain fields (seq, prev, hash)"})
            continue
        if s != seq:
            problems.append({"line": number, "reason": f"sequence {s} where {seq} was expected (a line was removed, inserted or reordered)"})
        if not hmac.compare_digest(prev, head):
            problems.append({"line": number, "reason": "prev does not match the previous line (a line was removed, inserted or reordered)"})
        if not hmac.compare_digest(chain_hash(prev, event, key), h):
            problems.append({"line": number, "reason": "hash does not match the content (the line was modified)"})
        head, seq = h, s + 1
    if expect_head is not None and not hmac.compare_digest(expect_head.lower(), head):
        problems.append({"line": len(lines), "reason": f"the log ends at {head}, not at the expected head {expect_head} (lines removed from the end?)"})
    return {"ok": not problems, "events": events, "head": head, "problems": problems}
