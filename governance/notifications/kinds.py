"""The kinds of notice the outbox can send, each registered by the code that
records it (governance's meeting notices, the portal invitation, the
outbox's own announcement).

A kind is a value stored on the notification, a label for the secretariat,
and the function that renders one delivery's e-mail. The outbox knows
nothing else of them: what a notice says, and to whom, belongs to whoever
registers it.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    value: str
    label: object  # a lazy translation
    render: Callable


_KINDS = {}


def register(value, label):
    """Register the renderer of notices of kind ``value``: a function of
    (delivery, subject) returning an e-mail message, ``subject`` being what
    the notice is about (or None if it is gone)."""

    def decorator(render):
        if value in _KINDS and _KINDS[value].render is not render:
            raise ValueError(f"The notice kind {value!r} is registered twice")
        _KINDS[value] = Kind(str(value), label, render)
        return render

    return decorator


def get(value):
    try:
        return _KINDS[value]
    except KeyError:
        raise LookupError(f"No notice kind {value!r} is registered") from None


def label(value):
    kind = _KINDS.get(value)
    return kind.label if kind else value


def choices():
    return sorted(((kind.value, kind.label) for kind in _KINDS.values()), key=lambda choice: str(choice[1]))
