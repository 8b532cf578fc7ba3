"""What other apps do, in the same transaction, when a case changes hands or ends.

Cases may not import matching (CONTRIBUTING rule 8), yet a case's matches, their
copies of the charity, the volunteers' reminders and notices must follow the case
in the transaction that moves or closes it. Matching connects its handlers at
start-up (`MatchingConfig.ready`), the pattern of `need_time_moved_connect`: an
explicit list per event, not a signal, and a test that each is connected.

Handlers are called with the case and its needs already locked (case, then its
needs by id: the order of `matching.locks`).
"""

from collections.abc import Callable

CASE_HANDED_OVER = "case_handed_over"  # handler(*, case, handover_id, from_charity_id, to_charity_id, user, now)
CASE_FINISHED = "case_finished"  # handler(*, case, user, now): resolved or closed

_handlers: dict[str, list[Callable[..., object]]] = {CASE_HANDED_OVER: [], CASE_FINISHED: []}


def connect(event: str, handler: Callable[..., object]) -> None:
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def handlers(event: str) -> list[Callable[..., object]]:
    return list(_handlers[event])


def run(event: str, **kwargs) -> None:
    for handler in _handlers[event]:
        handler(**kwargs)
