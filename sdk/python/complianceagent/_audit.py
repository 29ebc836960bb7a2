"""``audit_log``: one structured event per call (actor, action, resource, outcome, time, request id) — the same
fields as the JS SDK's events. Argument values are never written unless named in ``allow_args``."""

from __future__ import annotations

import datetime
import functools
import inspect
from typing import Any, Callable, Dict, Optional, Sequence, Union

from ._config import Sink, current_context, current_sink, settings


def _now() -> str:
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def record_event(action: str, outcome: str, sink: Optional[Sink] = None, **fields: Any) -> Dict[str, Any]:
    """Writes one event, filling time, actor and request id from the current context."""
    context = current_context()
    event: Dict[str, Any] = {
        "time": _now(),
        "action": action,
        "actor": fields.pop("actor", None) or context.get("actor"),
        "resource": fields.pop("resource", None),
        "outcome": outcome,
        "requestId": fields.pop("request_id", None) or context.get("request_id"),
    }
    regulation = fields.pop("regulation", None) or ",".join(settings.regulations)
    if regulation:
        event["regulation"] = regulation
    for key, value in fields.items():
        if value is not None:
            event[key] = value
    if settings.service:
        event["service"] = settings.service
    current_sink(sink)(event)
    return event


Resource = Union[None, str, Callable[..., Optional[str]]]


def audit_log(
    action: Union[str, Callable[..., Any], None] = None,
    regulation: Optional[str] = None,
    resource: Resource = None,
    actor: Resource = None,
    allow_args: Sequence[str] = (),
    sink: Optional[Sink] = None,
) -> Any:
    """``@audit_log(action="data_access", regulation="SOC2")``, ``@audit_log("admin_action")`` or ``@audit_log``.

    Sync and async functions alike: the event is written when the call returns (outcome ``success``) or raises
    (outcome ``failure`` and the exception's class name, never its message). ``resource``/``actor`` are fixed
    strings or functions of the call's arguments; ``allow_args`` names the parameters whose values may be written.
    """
    if callable(action):
        return audit_log(action=action.__name__)(action)

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        name = action or fn.__name__
        signature = inspect.signature(fn)

        def fields(args: tuple, kwargs: dict) -> Dict[str, Any]:
            pick = lambda v: v(*args, **kwargs) if callable(v) else v  # noqa: E731
            out: Dict[str, Any] = {"regulation": regulation, "resource": pick(resource) or fn.__qualname__, "actor": pick(actor)}
            if allow_args:
                try:
                    bound = signature.bind_partial(*args, **kwargs).arguments
                except TypeError:
                    bound = {}
                out["args"] = {k: bound[k] for k in allow_args if k in bound}
            return out

        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                base = fields(args, kwargs)
                try:
                    result = await fn(*args, **kwargs)
                except BaseException as error:
                    record_event(name, "failure", sink, error=type(error).__name__, **base)
                    raise
                record_event(name, "success", sink, **base)
                return result

            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            base = fields(args, kwargs)
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:
                record_event(name, "failure", sink, error=type(error).__name__, **base)
                raise
            record_event(name, "success", sink, **base)
            return result

        return wrapper

    return decorate
