"""Standing perks of a buyer (a loyalty tier's discount, free digital downloads), from whoever provides them.

The store sits below retention, so retention registers the provider (`provide`) instead of the store
importing it; without one, nobody has perks."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Perks:
    discount_percent: int = 0
    free_digital: bool = False
    label: str | None = None  # the tier's name, for the order's record


NONE = Perks()
_providers: list[Callable[[str, str], Perks | None]] = []


def provide(provider: Callable[[str, str], Perks | None]) -> Callable[[str, str], Perks | None]:
    """Register `provider(photographer_id, client_id) -> Perks | None`. Usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def for_buyer(photographer_id: str, client_id: str | None) -> Perks:
    if not client_id:
        return NONE
    for provider in _providers:
        perks = provider(photographer_id, client_id)
        if perks is not None:
            return perks
    return NONE
