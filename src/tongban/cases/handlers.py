"""Registration seam for other domains (OneGov-style handlers), so ``cases`` never grows a switch.

A licence module registers ``@on_completed("证照")`` (by the item's result type), ``@on_completed("<实施编码>")``
(one item) or ``@on_completed("*")`` (every case). Handlers run inside the completing transaction, after the
case is saved and before it commits, so anything they write commits or rolls back with the case; they must
not do slow or external work themselves (emit an outbox message instead).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tongban.cases.models import Application

Handler = Callable[["Application"], None]
_completed: dict[str, list[Handler]] = defaultdict(list)


def on_completed(key: str = "*") -> Callable[[Handler], Handler]:
    """Register ``fn(application)`` for cases reaching 办结 (approved or denied: check ``application.result``)."""

    def register(fn: Handler) -> Handler:
        if fn not in _completed[key]:
            _completed[key].append(fn)
        return fn

    return register


def unregister(fn: Handler) -> None:
    for handlers in _completed.values():
        if fn in handlers:
            handlers.remove(fn)


def run_completed(app: Application) -> None:
    for key in (app.item.result_type, app.item.implementation_code, "*"):
        for fn in list(_completed.get(key, ())):
            fn(app)
