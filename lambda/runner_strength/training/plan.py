"""Planning a circuit for a runner: the one place the decisions of a new plan are made, and what the builder is
asked for.

`plan` decides what is due as a new circuit is planned (progression over weeks, logged in the record, never
remade: training/progression.py) and says what to build; `request_for` only reads: what the builder needs to know
about the runner as the record stands, for a change to the workout under way (a swap, a re-plan).
"""

from __future__ import annotations

from .builder import MEMORY_SESSIONS, CircuitRequest
from .catalog import Catalog
from .progression import GROWTH, held_back, lighter_week, progressed, unheard
from .record import DEFAULT_LEVEL, MAX_DOSE_STEPS, PACES, RunnerRecord
from .running import RECOVERY, SPARED_AREAS, legs_today, spare_legs


def plan(record: RunnerRecord, catalog: Catalog, today: str,
         areas: tuple[str, ...] = ()) -> tuple[RunnerRecord, CircuitRequest]:
    """A new circuit planned today: the record with the progression due now decided (kept), and the request."""
    record = progressed(record, catalog, today, MAX_DOSE_STEPS)
    return record, request_for(record, today, areas)


def request_for(record: RunnerRecord, today: str, areas: tuple[str, ...] = ()) -> CircuitRequest:
    """What the builder needs to know about this runner today: kit, level, habits, history, choices, today's
    running and the doses the coach will read (held back in a lighter week or on a day the legs are spared)."""
    prefs = record.preferences
    legs = spare_legs(record.runs, today)
    news, lighter = unheard(record.progress, record.told), lighter_week(record.history, today)
    doses, variants = prefs.dose_steps, prefs.variants
    if lighter or legs:
        # Nothing grows in a lighter week, or on a day the legs are spared: growth decided and not yet trained
        # waits for a day that is neither.
        doses, variants = held_back(news, doses, variants)
        news = {to: change for to, change in news.items() if change.kind not in GROWTH}
    skip_areas = tuple(dict.fromkeys((*record.skipped_areas(today), *(SPARED_AREAS if legs else ()))))
    # The eve of a race or long run: no leg work; the day after: recovery, easy and short.
    off = legs_today(record.runs, today)
    recovery = off is not None and off[0] == RECOVERY
    return CircuitRequest(
        areas=areas, rounds=min(prefs.rounds or 2, 2) if recovery else prefs.rounds, equipment=prefs.equipment,
        level="beginner" if recovery else prefs.level, legs=off,
        # A runner with no set done yet, at the level the skill assumed: a gentle first session.
        first=prefs.level == DEFAULT_LEVEL and not any(s.done for s in record.history),
        rest_seconds=prefs.rest_seconds, recent=record.recent_picks(today), avoid=prefs.avoid,
        variants=variants, always_areas=prefs.always_areas, skip_areas=skip_areas,
        # The last sessions, an unfinished one included: it counts as done for variety.
        recent_sessions=tuple(s.picks for s in reversed(record.history[-MEMORY_SESSIONS:])),
        # How the coach will count and cue, so that "about N minutes" is what the runner will hear.
        pace=PACES[prefs.pace], cues=prefs.cues, dose_steps=doses, spare_legs=legs, progressed=news, lighter=lighter,
        sore=record.sore_today(today),
    )
