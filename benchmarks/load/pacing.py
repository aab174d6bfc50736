"""When a simulated school team saves next: one save per PACE seconds, each team at its own
phase. Kept apart from locustfile.py (which patches the standard library through gevent when
imported) so that tests can check it.

Not locust's `constant_pacing`: that counts each user's pace from the moment locust made the
user, and locust makes users in batches (with `-r 20`, 20 at the same instant each second).
All teams of a batch then saved at the same instant, every pace: bursts of 20–40 saves at once,
whose queue was most of what locust reported as the autosave's latency (RESULTS-load.md, 1
December 2026). Teams at a deadline do not save in step.
"""

import random


class Pace:
    """A team's schedule: `start(now)` once (returns how long to wait before the first task, a
    random part of a pace), then `wait(now)` after each task (how long until the next one)."""

    def __init__(self, seconds: float, rng: random.Random | None = None) -> None:
        self.seconds = seconds
        self.rng = rng or random.Random()
        self.next_at = 0.0

    def start(self, now: float) -> float:
        delay = self.rng.random() * self.seconds
        self.next_at = now + delay
        return delay

    def wait(self, now: float) -> float:
        # A task that ran late moves the schedule on instead of catching up with a burst.
        self.next_at = max(self.next_at + self.seconds, now)
        return self.next_at - now
