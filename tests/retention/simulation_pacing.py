"""The daily marketing cap, restated independently for the retention simulation.

Each marketing mail the rules call for is first placed at the local morning it would go out on its own
(`Offer.first`). Then, client by client and morning by morning: offers whose client no longer consents, who
acted since (the rule's superseding events) or whose occasion is over (STALE_AFTER) are dropped; of the rest,
at most CAP go out, the most relevant first (PRIORITY, then the earlier occasion, then the earlier planned);
the others wait a day. A winner with nothing left to say when it is rendered (every favourite ordered, no
gallery to link to) is dropped, and its morning is spent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable

CAP = 1  # GALLERY_MARKETING_MAILS_PER_DAY in the simulation
DAY = timedelta(days=1)
STALE_AFTER = {"anniversary": timedelta(days=2), "abandoned_cart": timedelta(days=3),
               "favourites": timedelta(days=7), "reorder": timedelta(days=7), "dormant": timedelta(days=14),
               "campaign": timedelta(days=3), "loyalty": timedelta(days=14)}
PRIORITY = ("abandoned_cart", "favourites", "anniversary", "campaign", "reorder", "loyalty", "dormant")


@dataclass
class Offer:
    """One marketing mail a rule calls for."""

    key: str
    rule: str
    client: object
    first: datetime  # the morning it would go out if nothing else competed
    due_at: datetime  # the occasion (what it ranks by and what makes it stale)
    planned: datetime  # when a sweep first planned it (ties of one rule and occasion: the earlier planned)
    superseded: Callable[[datetime], bool] = lambda moment: False  # the client acted since (suppressed)
    says_something: Callable[[datetime], bool] = lambda moment: True  # at render time
    order: int = 0  # within one plan: the planners' order (gallery anniversaries before a client's own dates)
    history: list = field(default_factory=list)  # every morning it was considered: (moment, outcome)

    def rank(self) -> tuple:
        return (PRIORITY.index(self.rule), self.due_at, self.planned, self.order)


def pace(offers: list[Offer], consents: Callable, window_after: Callable, end: date) -> dict[str, datetime]:
    """{key: the morning it is sent} under the cap; offers not in it are never sent. `consents(client, moment)`
    and `window_after(moment, tz)` (the first simulated sweep at or after `moment` in the local morning)."""
    by_client: dict[int, list[Offer]] = {}
    for offer in offers:
        by_client.setdefault(offer.client.key, []).append(offer)
    sent: dict[str, datetime] = {}
    for mine in by_client.values():
        waiting = {offer.key: (offer.first, offer) for offer in mine}
        while waiting:
            moment = min(when for when, _ in waiting.values())
            if moment.date() > end:
                break
            due = [offer for when, offer in waiting.values() if when == moment]
            alive = []
            for offer in due:
                del waiting[offer.key]
                if not consents(offer.client, moment):
                    offer.history.append((moment, "no consent"))
                elif offer.superseded(moment):
                    offer.history.append((moment, "client acted since"))
                elif moment > offer.due_at + STALE_AFTER[offer.rule]:
                    offer.history.append((moment, "occasion passed"))
                else:
                    alive.append(offer)
            alive.sort(key=Offer.rank)
            for n, offer in enumerate(alive):
                if n < CAP:
                    if offer.says_something(moment):
                        sent[offer.key] = moment
                        offer.history.append((moment, "sent"))
                    else:
                        offer.history.append((moment, "nothing to say"))
                    continue
                offer.history.append((moment, "waits a day"))
                later = window_after(moment + DAY, offer.client.tz)
                if later is not None:
                    waiting[offer.key] = (later, offer)
    return sent
