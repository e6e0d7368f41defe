"""Where the apps built on members add to its pages, so that members never
imports them (dependencies point one way: governance → members).

- ``directory_flag(name, label)``: a checkbox filter of the directory and
  its exports (``?name=1``), e.g. governance's "Executive Committee members
  only". Registered by the app's ``ready()``.
- ``profile_context(function)``: a function of an organisation returning
  extra context for its public profile, e.g. the offices it holds.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DirectoryFlag:
    name: str
    label: object  # a lazy translation
    apply: Callable  # queryset -> queryset


DIRECTORY_FLAGS = {}
PROFILE_CONTEXT = []


def directory_flag(name, label):
    def register(apply):
        DIRECTORY_FLAGS[name] = DirectoryFlag(name, label, apply)
        return apply

    return register


def profile_context(function):
    if function not in PROFILE_CONTEXT:
        PROFILE_CONTEXT.append(function)
    return function
