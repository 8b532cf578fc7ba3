"""Services say which figures changed; the impact app, on top of every app, listens.

Attendance, matching and cases may not import `impact` (it reads them all), yet the
rollups must follow them. They call `charity_figures_changed` / `moderation_figures_changed`
inside their transaction; `impact` connects its listener at start-up (`ImpactConfig.ready`),
which marks the charity dirty and queues a refresh after the commit. A lost message is
healed by the periodic sweep, and the nightly rebuild recomputes everything.
"""

from collections.abc import Callable

CHARITY = "charity"  # listener(kind=CHARITY, charity_id=...)
MODERATION = "moderation"  # listener(kind=MODERATION, charity_id=None)

_listeners: list[Callable[..., object]] = []


def connect(listener: Callable[..., object]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def listeners() -> list[Callable[..., object]]:
    return list(_listeners)


def charity_figures_changed(charity_id: int | None) -> None:
    if charity_id is None:
        return
    for listener in _listeners:
        listener(kind=CHARITY, charity_id=charity_id)


def moderation_figures_changed() -> None:
    for listener in _listeners:
        listener(kind=MODERATION, charity_id=None)
