"""Process-wide settings and the request context (actor, request id, user) kept in context variables."""

from __future__ import annotations

import contextlib
import contextvars
import json
import os
import sys
import threading
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence

from ._chain import ChainState, Key

Sink = Callable[[Dict[str, Any]], None]


class _Settings:
    def __init__(self) -> None:
        self.regulations: List[str] = []
        self.service: Optional[str] = None
        self.sink: Optional[Sink] = None


settings = _Settings()


def stdout_sink(stream: Any = None, chain: bool = False, chain_key: Key = None) -> Sink:
    """JSON lines on a stream (default ``sys.stdout``), optionally hash-chained."""
    state = ChainState()
    lock = threading.Lock()

    def sink(event: Dict[str, Any]) -> None:
        with lock:
            line = state.seal(event, chain_key) if (chain or chain_key is not None) else event
            (stream or sys.stdout).write(json.dumps(line, ensure_ascii=False) + "\n")

    return sink


def file_sink(path: str, chain: bool = False, chain_key: Key = None) -> Sink:
    """JSON lines appended to a file (mode 0600 when created), one write per event. A chained file continues its chain."""
    chained = chain or chain_key is not None
    state = ChainState()
    if chained and os.path.exists(path):
        with open(path, encoding="utf-8") as existing:
            state = ChainState.of_text(existing.read())
    lock = threading.Lock()

    def sink(event: Dict[str, Any]) -> None:
        with lock:
            line = state.seal(event, chain_key) if chained else event
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))
            finally:
                os.close(fd)

    return sink


class MemorySink:
    """Collects events in a list (tests)."""

    def __init__(self) -> None:
        self.events: List[Dict[str, Any]] = []

    def __call__(self, event: Dict[str, Any]) -> None:
        self.events.append(event)


def configure(regulations: Optional[Sequence[str]] = None, sink: Optional[Sink] = None, service: Optional[str] = None) -> None:
    """Sets the SDK's defaults: the regulations (copied into events), the default sink (stdout), a service name."""
    if regulations is not None:
        settings.regulations = [str(r) for r in regulations]
    if sink is not None:
        settings.sink = sink
    if service is not None:
        settings.service = service


_default_sink: Optional[Sink] = None


def current_sink(sink: Optional[Sink] = None) -> Sink:
    global _default_sink
    if sink is not None:
        return sink
    if settings.sink is not None:
        return settings.sink
    if _default_sink is None:
        _default_sink = stdout_sink()
    return _default_sink


_context: contextvars.ContextVar[Dict[str, Any]] = contextvars.ContextVar("complianceagent_context", default={})


@contextlib.contextmanager
def audit_context(actor: Optional[str] = None, request_id: Optional[str] = None, user: Any = None) -> Iterator[None]:
    """Events written inside carry this actor and request id; ``access_control`` reads ``user`` from here too."""
    values = dict(_context.get())
    if actor is not None:
        values["actor"] = str(actor)
    if request_id is not None:
        values["request_id"] = str(request_id)
    if user is not None:
        values["user"] = user
    token = _context.set(values)
    try:
        yield
    finally:
        _context.reset(token)


def current_context() -> Dict[str, Any]:
    return dict(_context.get())
