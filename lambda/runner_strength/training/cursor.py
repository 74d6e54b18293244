"""Where the runner is in a workout: a small, immutable, JSON-serialisable state machine.

A workout is a sequence of steps: the warm-up (all its drills, one block), then one step per set, round by
round (a set is one exercise done once, both sides when it is per side, with the rest after it). `position`
is the step to do next; everything before it has been done or skipped. Each move returns a new cursor.

The steps start as the circuit's plan and are kept explicitly, each set naming its exercise, so the part of a
workout still ahead can be re-planned (see replan.py) while what was done stays as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .builder import Circuit
from .catalog import Catalog, Exercise
from .duration import set_seconds, warmup_seconds, with_hand_backs
from .progression import HURT

WARMUP = "warmup"
SET = "set"
PAIN = "pain"  # why a workout ended early: what hurt was left out, and nothing was left


@dataclass(frozen=True)
class Step:
    kind: str
    round: int = 0  # 1-based, for sets
    index: int = 0  # 0-based place of this set in its round
    count: int = 0  # sets in its round
    exercise: str = ""  # for sets

    @property
    def is_set(self) -> bool:
        return self.kind == SET

    def to_list(self) -> list:
        return [self.round, self.index, self.count, self.exercise] if self.is_set else [WARMUP]

    @classmethod
    def from_list(cls, data: list) -> Step:
        if data == [WARMUP]:
            return cls(WARMUP)
        round_, index, count, exercise = data
        return cls(SET, int(round_), int(index), int(count), str(exercise))


def planned_steps(circuit: Circuit) -> tuple[Step, ...]:
    warmup = (Step(WARMUP),) if circuit.warmup else ()
    count = len(circuit.exercises)
    return warmup + tuple(
        Step(SET, r, i, count, exercise)
        for r in range(1, circuit.rounds + 1) for i, exercise in enumerate(circuit.exercises)
    )


@dataclass(frozen=True)
class Remaining:
    sets: int
    exercises: int
    seconds: int


@dataclass(frozen=True)
class Cursor:
    circuit: Circuit
    position: int = 0
    done: frozenset[int] = field(default=frozenset())
    skipped: frozenset[int] = field(default=frozenset())
    steps: tuple[Step, ...] = ()
    # Today's dose changes ("make it harder" at the end of an exercise's ladder): exercise -> dose steps. They
    # hold for this workout whether or not the runner keeps them for next time.
    dose_steps: dict[str, int] = field(default_factory=dict)
    # Where a block was cut into ("Alexa, pause" mid-set): the step, which marked interval and how far into it,
    # and when. The step is upcoming again and does not count; resuming soon picks up at that point.
    paused: dict[str, Any] | None = None
    # What was put in place of what today (a swap, a harder or easier variant, missing kit): new -> the original.
    swapped: dict[str, str] = field(default_factory=dict)
    # Exercises the runner found too hard or that hurt today, and which (training.progression.TOO_HARD, HURT):
    # kept in the history, so that progression does not grow them.
    eased: dict[str, str] = field(default_factory=dict)
    # The runner finished the workout early ("I'm done for today"): over, with what was done.
    ended: bool = False
    # Why it ended before its last set, when that was not the runner's choice: PAIN (what hurt was left out and
    # nothing was left to do).
    ended_for: str | None = None

    def __post_init__(self) -> None:
        if not self.steps:
            object.__setattr__(self, "steps", planned_steps(self.circuit))

    @property
    def total_sets(self) -> int:
        return sum(1 for s in self.steps if s.is_set)

    @property
    def sets_ahead(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps[self.position:] if s.is_set)

    @property
    def exercises(self) -> tuple[str, ...]:
        """Every exercise in the workout as it now stands, in order, once each."""
        return tuple(dict.fromkeys(s.exercise for s in self.steps if s.is_set))

    @property
    def next_step(self) -> Step | None:
        """The step at the cursor: the next to do (None when the workout is over)."""
        return self.steps[self.position] if self.position < len(self.steps) else None

    @property
    def previous_step(self) -> Step | None:
        """The step just before the cursor, done or skipped."""
        return self.steps[self.position - 1] if self.position > 0 else None

    def _last_set_done_at(self) -> int | None:
        for index in range(self.position - 1, -1, -1):
            if index in self.done:
                return index if self.steps[index].is_set else None
        return None

    @property
    def last_set_done(self) -> Step | None:
        """The set the runner did most recently: what "too hard" or "this hurts" is about. Skipped steps are
        passed over; None when nothing but the warm-up (or nothing at all) has been done."""
        index = self._last_set_done_at()
        return None if index is None else self.steps[index]

    @property
    def next_set(self) -> Step | None:
        """The next set ahead still to do: what "give me something else" is about. (After going back, sets
        ahead that were done already are redone as they were.)"""
        return next((self.steps[i] for i in self.open_ahead if self.steps[i].is_set), None)

    @property
    def open_ahead(self) -> tuple[int, ...]:
        """Indexes of the steps ahead that a change may touch: not done already (going back leaves some)."""
        return tuple(i for i in range(self.position, len(self.steps)) if i not in self.done)

    @property
    def started(self) -> bool:
        """Whether the runner has begun: a step done or passed, or the first one cut part-way."""
        return self.position > 0 or self.paused is not None

    @property
    def finished(self) -> bool:
        return self.ended or self.position >= len(self.steps)

    def ended_early(self, why: str | None = None) -> Cursor:
        """The workout is over here, with what was done: the runner finished ("I'm done for today"), or `why`
        (PAIN) left nothing to do."""
        return replace(self, ended=True, ended_for=why, paused=None)

    @property
    def sets_done(self) -> int:
        return sum(1 for i in self.done if self.steps[i].is_set)

    def advance(self) -> tuple[Cursor, Step]:
        """Do the upcoming step. Raises IndexError when the workout is over."""
        step = self.steps[self.position]
        return replace(self, position=self.position + 1, done=self.done | {self.position},
                       skipped=self.skipped - {self.position}), step

    def back(self) -> tuple[Cursor, Step | None]:
        """Go back one block from the upcoming one and do the block before the last. None at the start."""
        if self.position == 0:
            return self, None
        target = max(self.position - 2, 0)
        return replace(self, position=target + 1, done=self.done | {target},
                       skipped=self.skipped - {target}), self.steps[target]

    def skip(self) -> tuple[Cursor, Step]:
        """Pass over the upcoming step without doing it; one done before (going back leaves some) stays done.
        Raises IndexError when the workout is over."""
        step = self.steps[self.position]
        if self.position in self.done:
            return replace(self, position=self.position + 1), step
        return replace(self, position=self.position + 1, skipped=self.skipped | {self.position}), step

    def uncount_last_set(self) -> Cursor:
        """The set just done does not count (the runner stopped it for pain)."""
        index = self._last_set_done_at()
        if index is None:
            return self
        return replace(self, done=self.done - {index}, skipped=self.skipped | {index})

    def delivered(self, indexes: Iterable[int]) -> Cursor:
        """The steps at `indexes` were spoken in full: done, and the cursor after the last of them."""
        spoken = frozenset(indexes)
        if not spoken:
            return self
        return replace(self, position=max(spoken) + 1, done=self.done | spoken, skipped=self.skipped - spoken,
                       paused=None)

    def interrupted(self, index: int, paused: dict[str, Any], through: int | None = None) -> Cursor:
        """A delivery was cut short at step `index`: that step is next again and does not count, nor do the steps
        after it up to `through` (the delivery's last); `paused` says where it was cut."""
        undone = frozenset(range(index, max(index, through if through is not None else index) + 1))
        return replace(self, position=index, done=self.done - undone, skipped=self.skipped - undone, paused=paused)

    def back_to(self, index: int) -> Cursor:
        """Go back to the step at `index`: it and the steps after it are to do again."""
        undone = frozenset(range(index, len(self.steps)))
        return replace(self, position=index, done=self.done - undone, skipped=self.skipped - undone, paused=None)

    def todays_doses(self, remembered: Mapping[str, int]) -> dict[str, int]:
        """How far each exercise's dose is moved today: what the runner keeps (`remembered`), overridden by what
        holds for this workout (changed in it, or held back for a lighter week when it was planned)."""
        return {**remembered, **self.dose_steps}

    def exercise_today(self, catalog: Catalog, exercise_id: str, remembered: Mapping[str, int]) -> Exercise:
        """The exercise at today's dose."""
        return catalog[exercise_id].with_dose_steps(self.todays_doses(remembered).get(exercise_id, 0))

    def with_dose(self, exercise_id: str, steps: int) -> Cursor:
        return replace(self, dose_steps={**self.dose_steps, exercise_id: steps})

    def easing(self, exercise_id: str, why: str) -> Cursor:
        """The runner found `exercise_id` too hard, or it hurt (which outranks too hard)."""
        if self.eased.get(exercise_id) == HURT:
            return self
        return replace(self, eased={**self.eased, exercise_id: why})

    def start_over(self) -> Cursor:
        return Cursor(self.circuit, steps=self.steps, dose_steps=self.dose_steps, swapped=self.swapped,
                      eased=self.eased)

    def done_seconds(self, catalog: Catalog, pace: float = 1.0, remembered: Mapping[str, int] | None = None) -> int:
        """About how long the work done so far took, timed as the builder times a workout."""
        doses = self.todays_doses(remembered or {})
        sets = [self.steps[i] for i in sorted(self.done) if self.steps[i].is_set]
        seconds = sum(set_seconds(catalog[s.exercise].with_dose_steps(doses.get(s.exercise, 0)), pace) for s in sets)
        if any(not self.steps[i].is_set for i in self.done):
            seconds += warmup_seconds(tuple(catalog[d] for d in self.circuit.warmup))
        return round(with_hand_backs(seconds + self.circuit.rest_seconds * max(len(sets) - 1, 0)))

    def remaining(self, catalog: Catalog, pace: float = 1.0, remembered: Mapping[str, int] | None = None) -> Remaining:
        """What is left, timed as the builder times a workout: at the runner's counting pace, with today's doses,
        a rest before every set that follows one."""
        doses = self.todays_doses(remembered or {})
        sets = self.sets_ahead
        seconds = 0.0
        for step in self.steps[self.position:]:
            if step.is_set:
                seconds += set_seconds(catalog[step.exercise].with_dose_steps(doses.get(step.exercise, 0)), pace)
            else:
                seconds += warmup_seconds(tuple(catalog[d] for d in self.circuit.warmup))
        rests = len(sets) - (0 if self.previous_step is not None and self.previous_step.is_set else 1)
        seconds += self.circuit.rest_seconds * max(rests, 0)
        return Remaining(sets=len(sets), exercises=len({s.exercise for s in sets}),
                         seconds=round(with_hand_backs(seconds)))

    def to_dict(self) -> dict[str, Any]:
        data = {
            "circuit": self.circuit.to_dict(),
            "position": self.position,
            "done": sorted(self.done),
            "skipped": sorted(self.skipped),
        }
        if self.steps != planned_steps(self.circuit):
            data["steps"] = [s.to_list() for s in self.steps]  # only once re-planned, to keep sessions small
        if self.dose_steps:
            data["dose_steps"] = dict(sorted(self.dose_steps.items()))
        if self.paused:
            data["paused"] = self.paused
        if self.swapped:
            data["swapped"] = dict(sorted(self.swapped.items()))
        if self.eased:
            data["eased"] = dict(sorted(self.eased.items()))
        if self.ended:
            data["ended"] = True
        if self.ended_for:
            data["ended_for"] = self.ended_for
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cursor:
        circuit = Circuit.from_dict(data["circuit"])
        steps = tuple(Step.from_list(s) for s in data["steps"]) if data.get("steps") else ()
        doses = data.get("dose_steps") or {}
        swapped, eased = data.get("swapped") or {}, data.get("eased") or {}
        cursor = cls(circuit, steps=steps, dose_steps={str(k): int(v) for k, v in doses.items()},
                     swapped={str(k): str(v) for k, v in swapped.items()},
                     eased={str(k): str(v) for k, v in eased.items()})
        count = len(cursor.steps)
        position = int(data.get("position", 0))
        if not 0 <= position <= count:
            raise ValueError(f"cursor position {position} is outside a workout of {count} steps")
        paused = data.get("paused")
        return replace(
            cursor,
            ended=data.get("ended") is True,
            ended_for=str(data["ended_for"]) if data.get("ended_for") else None,
            paused=paused if isinstance(paused, dict) else None,
            position=position,
            done=frozenset(int(i) for i in data.get("done", ()) if 0 <= int(i) < count),
            skipped=frozenset(int(i) for i in data.get("skipped", ()) if 0 <= int(i) < count),
        )
