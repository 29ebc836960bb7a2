"""``access_control(roles=[…])``: a role check on a function or route handler. Denial raises
:class:`AccessDenied` (HTTP 403; 401 when no user is known) and every decision is recorded as an audit event.

The user comes from ``get_user(*args, **kwargs)`` when given, else from a ``current_user``/``user`` argument, a
``request`` argument's ``state.user`` or ``user``, else from :func:`audit_context(user=…)`. Roles are the user's
``roles`` (a list) or ``role`` (a string), as attributes or dict keys.
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
from typing import Any, Callable, List, Optional, Sequence

from ._audit import record_event
from ._config import Sink, audit_context, current_context


def _bases() -> tuple:
    # When Starlette (FastAPI) is installed, the exception is also its HTTPException, so FastAPI answers 403 itself.
    if importlib.util.find_spec("starlette") is not None:
        from starlette.exceptions import HTTPException  # type: ignore

        return (HTTPException, PermissionError)
    return (PermissionError,)


class AccessDenied(*_bases()):  # type: ignore[misc]
    """Raised on denial; ``status_code`` is 403 (or 401 when no user is known)."""

    def __init__(self, status_code: int = 403, detail: str = "Forbidden") -> None:
        self.status_code = status_code
        self.detail = detail
        self.code = status_code  # Flask/Werkzeug error handlers read .code
        try:
            super().__init__(status_code=status_code, detail=detail)  # starlette
        except TypeError:
            Exception.__init__(self, detail)

    def __str__(self) -> str:
        return f"{self.status_code}: {self.detail}"


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _roles_of(user: Any) -> List[str]:
    roles = _get(user, "roles")
    if isinstance(roles, (list, tuple, set, frozenset)):
        return [str(getattr(r, "name", r)) for r in roles]
    role = _get(user, "role")
    return [str(getattr(role, "value", role))] if role is not None else []


def _actor_of(user: Any) -> Optional[str]:
    for name in ("id", "sub", "username", "email"):
        value = _get(user, name)
        if value is not None:
            return str(value)
    return None


def _find_user(args: tuple, kwargs: dict) -> Any:
    for name in ("current_user", "user"):
        if kwargs.get(name) is not None:
            return kwargs[name]
    request = kwargs.get("request")
    if request is None and args:
        request = args[0] if hasattr(args[0], "method") else None
    if request is not None:
        state = getattr(request, "state", None)
        user = getattr(state, "user", None) if state is not None else None
        if user is None:
            user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", True):
            return user
    return current_context().get("user")


def access_control(roles: Sequence[str], get_user: Optional[Callable[..., Any]] = None, action: str = "access_control", sink: Optional[Sink] = None) -> Callable[..., Any]:
    """``@access_control(roles=["admin", "support"])``: allows a caller holding at least one of the roles."""
    required = [str(r) for r in roles]
    if not required:
        raise ValueError("access_control needs at least one role")

    def decide(fn: Callable[..., Any], args: tuple, kwargs: dict) -> Optional[str]:
        user = get_user(*args, **kwargs) if get_user else _find_user(args, kwargs)
        if user is not None and getattr(user, "is_authenticated", True) is False:
            user = None  # Flask-Login's / Django's anonymous user
        actor = _actor_of(user) if user is not None else None
        if user is None:
            status, reason = 401, "not authenticated"
        elif any(r in required for r in _roles_of(user)):
            status, reason = 200, None
        else:
            status, reason = 403, "none of the roles " + ", ".join(required)
        record_event(action, "allowed" if status == 200 else "denied", sink, actor=actor, resource=fn.__qualname__, roles=required, reason=reason)
        if status != 200:
            raise AccessDenied(status, "Unauthorized" if status == 401 else "Forbidden")
        return actor

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                actor = decide(fn, args, kwargs)
                with audit_context(actor=actor):
                    return await fn(*args, **kwargs)

            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            actor = decide(fn, args, kwargs)
            with audit_context(actor=actor):
                return fn(*args, **kwargs)

        return wrapper

    return decorate
