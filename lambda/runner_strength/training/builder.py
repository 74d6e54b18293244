"""Builds a circuit from what the runner asked for. Deterministic for a given seed.

Two shapes, from the source article: a full circuit (warm-up drills, then one exercise from each of the five
areas, for some rounds) and a focus circuit (one or two areas, two or three exercises each). When a request
cannot be met as asked, the builder bends it and says how in `Circuit.notes`, so the runner can be told.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .catalog import AREAS, DRILLS, LEVELS, Catalog, Exercise
from .duration import round_seconds, total_seconds, warmup_seconds
from .progression import LADDER_UP, Change

MIN_ROUNDS, MAX_ROUNDS, DEFAULT_ROUNDS = 1, 8, 2
# A circuit built to fill a time does each move at most this often: longer workouts add moves, not rounds (a runner
# may still ask for more rounds by name). A focus on one area, with fewer moves to draw on, comes round a fourth time
# only when three rounds of all it has cannot fill the time.
TIME_MAX_ROUNDS, FOCUS_MAX_ROUNDS = 3, 4
MIN_MINUTES, MAX_MINUTES = 5, 60
REST_CHOICES = (15, 20, 30, 45, 60)
DEFAULT_REST = 30
WARMUP_CHOICES = (1, 2, 3, 4, 5, 6)
DEFAULT_WARMUP = 3
# The warm-up takes about a tenth of the workout, between one and three minutes.
WARMUP_SHARE, MIN_WARMUP_SECONDS, MAX_WARMUP_SECONDS = 0.10, 60, 180
# Moves per area a shape may take: a full circuit grows from one a round to three; a focus on two areas from two to
# four, on one area from two to six.
FULL_COUNTS, FOCUS_COUNTS, ONE_AREA_COUNTS = (1, 2, 3), (2, 3, 4), (2, 3, 4, 5, 6)
BUDGET_TOLERANCE = 0.15
MAX_FOCUS_AREAS = 2
# Hard ceiling on any workout, whatever was asked.
MAX_WORKOUT_SECONDS = 95 * 60


@dataclass(frozen=True)
class CircuitRequest:
    """What the runner asked for; anything left as None takes the builder's default."""

    areas: tuple[str, ...] = ()
    rounds: int | None = None
    minutes: int | None = None
    equipment: frozenset[str] = frozenset()
    level: str = "intermediate"
    rest_seconds: int | None = None
    # Exercises done lately, most recent first: the builder prefers others, and the oldest of these.
    recent: tuple[str, ...] = ()
    # The last sessions' picks (warm-up drills and exercises), most recent first, an unfinished one included:
    # what was in either of the last two comes back only when nothing else fits. Without them, `recent` is
    # taken as the last session.
    recent_sessions: tuple[tuple[str, ...], ...] = ()
    avoid: frozenset[str] = frozenset()  # never these, unless an area would be left with nothing
    variants: Mapping[str, str] = field(default_factory=dict)  # the runner's harder/easier choices
    always_areas: tuple[str, ...] = ()  # added to every circuit
    skip_areas: tuple[str, ...] = ()  # left out today
    # How the runner is coached, for an honest estimate: the counting pace (a multiple of each exercise's tempo),
    # the cue style, and dose changes at the end of a ladder (exercise -> steps).
    pace: float = 1.0
    cues: str = "normal"
    dose_steps: Mapping[str, int] = field(default_factory=dict)
    # Today's running asks the circuit to spare the legs: the reason (training.running's kinds), or None.
    spare_legs: str | None = None
    # No leg work at all (the eve of a race or long run) or recovery (the day after one): training.running's
    # LEGS_OFF or RECOVERY with the kind of run, or None. Only upper back and core are trained.
    legs: tuple[str, str] | None = None
    # The runner's first session, at a level they did not choose: nothing advanced or high-fatigue, and afterwards
    # one question sets the level.
    first: bool = False
    # Progression (training.progression): changes the runner has not trained with yet, by the exercise they will
    # do (-> the change), told once they are in a circuit; and a lighter week, one in four.
    progressed: Mapping[str, Change] = field(default_factory=dict)
    lighter: bool = False
    # Body parts sore today (catalog.PARTS): nothing that loads one is picked, whatever else runs short.
    sore: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Note:
    """A constraint the builder had to bend, or news for the runner. `code` is one of the names below; `value`
    gives the detail; a note about one exercise names it in `exercise`, with `detail` where the line needs more
    (progression: the dose steps now, or the exercise it moved up from)."""

    code: str
    value: int | str | None = None
    exercise: str | None = None
    detail: int | str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {"code": self.code, "value": self.value}
        if self.exercise is not None:
            data.update(exercise=self.exercise, detail=self.detail)
        return data


ROUNDS_RAISED = "rounds_raised"  # value: the rounds used
ROUNDS_LOWERED = "rounds_lowered"  # value: the rounds used
MINUTES_RAISED = "minutes_raised"  # value: the minutes used
MINUTES_LOWERED = "minutes_lowered"  # value: the minutes used
TOO_MANY_AREAS = "too_many_areas"  # value: how many areas were kept
LEVEL_STRETCHED = "level_stretched"  # value: the area that ran short at the runner's level; exercise: the one above
EQUIPMENT_STRETCHED = "equipment_stretched"  # value: the area that ran short with the runner's kit; exercise: which
TIME_MISSED = "time_missed"  # value: the estimated minutes, when outside the tolerance of the budget
# "legs_<reason>": the legs are spared for today's running (training.running), and a full circuit left out the
# hamstrings. The value is that area; the line says why in its own words.
LEGS_SPARED = "legs_"
# "progress_<kind>": value, the exercise's area; exercise, the one the runner will do; detail, its dose steps now
# (dose up, ease back) or the exercise it moved up from (ladder up)
PROGRESSED = "progress_"
LIGHTER_WEEK = "lighter_week"  # value: the circuit's first area (the line names none)
LIGHTER_SHARE = 0.75  # of the minutes asked for, in a lighter week
LEGS_LIGHT = "legs_light"  # value: the focus's first area; the focus keeps its areas, without explosive work
TIME_SPREAD = "time_spread"  # value: the moves each area gets in a full circuit built to fill a longer time
FIRST_SESSION = "first_session"  # value: the first area; a first session at a level not chosen, gentle to start
SORE_SPARED = "sore_spared"  # value: the sore part (one note a part); what loads it is left out
SORE_AREA = "sore_area"  # value: an area left out because all it has loads a sore part
SORE_FOCUS = "sore_focus"  # value: the focus area asked for; nothing in it spared the sore part, so a full circuit


class NothingSpares(ValueError):
    """Every exercise the runner could do today loads a part that is sore."""


@dataclass(frozen=True)
class Circuit:
    """The plan: a focus (one or two areas, two or three exercises each) or one exercise per area."""

    areas: tuple[str, ...]
    warmup: tuple[str, ...]
    exercises: tuple[str, ...]
    rounds: int
    rest_seconds: int
    estimated_seconds: int
    minutes: int | None = None
    notes: tuple[Note, ...] = field(default=())
    focus: bool = False

    @property
    def total_sets(self) -> int:
        return len(self.exercises) * self.rounds

    def to_dict(self) -> dict[str, Any]:
        return {
            "areas": list(self.areas), "warmup": list(self.warmup), "exercises": list(self.exercises),
            "rounds": self.rounds, "rest_seconds": self.rest_seconds, "estimated_seconds": self.estimated_seconds,
            "minutes": self.minutes, "notes": [n.to_dict() for n in self.notes],
            "focus": self.focus,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Circuit:
        return cls(
            areas=_names(data["areas"]),
            warmup=_names(data["warmup"]),
            exercises=_names(data["exercises"]),
            rounds=int(data["rounds"]),
            rest_seconds=int(data["rest_seconds"]),
            estimated_seconds=int(data["estimated_seconds"]),
            minutes=data.get("minutes"),
            notes=tuple(Note(**n) for n in data.get("notes", ())),
            focus=bool(data.get("focus", len(data["areas"]) <= MAX_FOCUS_AREAS)),
        )


def _names(value: object) -> tuple[str, ...]:
    """A list of ids as a circuit is saved; anything else (a damaged record) is refused."""
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ValueError(f"a {type(value).__name__} where a list of ids belongs")
    return tuple(value)


def progress_note(change: Change, exercise: Exercise) -> Note:
    """What the runner hears once about a progression change to `exercise`."""
    detail = change.exercise if change.kind == LADDER_UP else change.steps
    return Note(PROGRESSED + change.kind, exercise.area, exercise=exercise.id, detail=detail)


def _clamp(value: int, low: int, high: int, raised: str, lowered: str, notes: list[Note]) -> int:
    if value < low:
        notes.append(Note(raised, low))
        return low
    if value > high:
        notes.append(Note(lowered, high))
        return high
    return value


# The drills the article names: in at least one warm-up in three, whatever the runner's level.
ARTICLE_DRILLS = ("high_knees", "butt_kicks")
# Nothing from the last session comes back where the catalog has something else; in a full circuit at least
# two areas (every area in a focus, and the warm-up) also leave out what the session before had, so a circuit
# differs from each of the last two.
HELD_OFF_SESSIONS = 2
STRICT_AREAS = 2
# How many past sessions the builder is given.
MEMORY_SESSIONS = 6


def _sessions(request: CircuitRequest) -> tuple[tuple[str, ...], ...]:
    return request.recent_sessions or ((request.recent,) if request.recent else ())


def _ranked(pool: list[Exercise], request: CircuitRequest, rng: random.Random,
            hold: int = HELD_OFF_SESSIONS) -> list[Exercise]:
    """Best first: not in the last `hold` sessions (else not in the last one), nearest the runner's level, then
    a seeded shuffle leaning to the runner's own kit."""
    rank = LEVELS.index(request.level)
    owned = request.equipment - {"none"}
    held_off: dict[str, int] = {}
    for age, picks in enumerate(_sessions(request)[:hold]):
        for exercise_id in picks:
            held_off.setdefault(exercise_id, hold - age)

    def key(e: Exercise) -> tuple[int, int, float]:
        # The runner's own kit counts as a level nearer: kit they told the coach about is used, at or near their
        # level, in about one circuit in two or more where an area has a move for it.
        mine = e.equipment in owned
        return (held_off.get(e.id, 0), max(0, abs(rank - e.level_rank) - mine), rng.random() - (0.5 if mine else 0))

    return sorted(sorted(pool, key=lambda e: e.id), key=key)


def fits(exercise: Exercise, request: CircuitRequest) -> bool:
    return exercise.equipment in request.equipment | {"none"} and exercise.level_rank <= LEVELS.index(request.level)


def chosen_variant(catalog: Catalog, exercise: Exercise, request: CircuitRequest) -> Exercise:
    """The runner's remembered harder or easier choice for an exercise, if it fits their kit and is allowed."""
    seen = {exercise.id}
    current = exercise
    while (target := request.variants.get(current.id)) and target not in seen and target in catalog:
        seen.add(target)
        candidate = catalog[target]
        if candidate.area != exercise.area or candidate.id in request.avoid \
                or candidate.equipment not in request.equipment | {"none"}:
            break
        current = candidate
    return current


def _pick(catalog: Catalog, area: str, count: int, request: CircuitRequest, rng: random.Random,
          hold: int = HELD_OFF_SESSIONS) -> list[tuple[Exercise, tuple[Note, ...]]]:
    """`count` exercises for an area: at or below the runner's level with their kit; only when the area runs
    short, one level up (never more), then equipment they did not mention.

    Each pick carries the notes to give if it is used."""
    rank = LEVELS.index(request.level)
    allowed = request.equipment | {"none"}
    everything = sorted((e for e in catalog.in_area(area) if e.spares(request.sore)), key=lambda e: e.id)
    pool = [e for e in everything if e.id not in request.avoid] or everything
    if request.spare_legs:
        pool = [e for e in pool if not e.high_fatigue] or pool
    if request.first:  # nothing advanced or draining in a first session, even where an area runs short
        pool = [e for e in pool if not e.high_fatigue and e.level_rank < LEVELS.index("advanced")] or pool
    level, kit = LEVEL_STRETCHED, EQUIPMENT_STRETCHED
    tiers = (
        ((), [e for e in pool if e.equipment in allowed and e.level_rank <= rank]),
        ((level,), [e for e in pool if e.equipment in allowed and e.level_rank == rank + 1]),
        ((kit,), [e for e in pool if e.equipment not in allowed and e.level_rank <= rank]),
        ((kit, level), [e for e in pool if e.equipment not in allowed and e.level_rank == rank + 1]),
    )
    picked: list[tuple[Exercise, tuple[str, ...]]] = []
    for codes, tier in tiers:
        picked += [(e, codes) for e in _ranked(tier, request, rng, hold)[: count - len(picked)]]
    # The runner's own harder/easier choices replace the picks they were made for; a notice names the exercise
    # the runner will do.
    varied: list[tuple[Exercise, tuple[Note, ...]]] = []
    for exercise, codes in picked:
        variant = chosen_variant(catalog, exercise, request)
        taken = {e.id for e, _ in varied} | {e.id for e, _ in picked if e is not exercise}
        chosen = variant if variant.id not in taken else exercise
        varied.append((chosen, tuple(Note(code, area, exercise=chosen.id) for code in codes)))
    return varied


def _warmup_drills(catalog: Catalog, request: CircuitRequest, rng: random.Random) -> tuple[Exercise, ...]:
    """The warm-up's drills, best first (a shorter warm-up takes the first ones): at or below the runner's
    level, rotating between sessions, with high knees or butt kicks whenever the last two warm-ups had
    neither."""
    drill_request = CircuitRequest(level=request.level, recent=request.recent,
                                   recent_sessions=request.recent_sessions, spare_legs=request.spare_legs,
                                   sore=request.sore, first=request.first)
    # Indoors, as a speaker is: no drill that travels further than a room allows.
    roomy = sum(e.needs_space for e in catalog.in_area(DRILLS))
    drills = [e for e, _ in _pick(catalog, DRILLS, max(WARMUP_CHOICES) + roomy, drill_request, rng)
              if not e.needs_space][:max(WARMUP_CHOICES)]
    lately = {p for picks in _sessions(request)[:HELD_OFF_SESSIONS] for p in picks}
    if not lately & set(ARTICLE_DRILLS) and not set(ARTICLE_DRILLS) & {d.id for d in drills[:min(WARMUP_CHOICES)]}:
        article = _ranked([catalog[d] for d in ARTICLE_DRILLS if d in catalog and catalog[d].spares(request.sore)],
                          drill_request, rng)[:1]
        drills = article + [d for d in drills if d not in article]
    return tuple(drills[: max(WARMUP_CHOICES)])


def _gentle_first(drills: tuple[Exercise, ...]) -> tuple[Exercise, ...]:
    """A warm-up builds up: easier drills before bounding."""
    return tuple(sorted(drills, key=lambda d: d.level_rank))


def _picks(catalog: Catalog, areas: tuple[str, ...], count: int, request: CircuitRequest, rng: random.Random,
           full: bool) -> list[list[tuple[Exercise, tuple[Note, ...]]]]:
    """Each area's picks. In a full circuit, some areas may bring back what the session before last had (so
    circuits are not the same three on a loop), as long as two areas differ from it; when they cannot, all
    areas hold it off."""
    strict = set(rng.sample(areas, min(STRICT_AREAS, len(areas)))) if full else set(areas)
    picks = [_pick(catalog, area, count, request, rng, HELD_OFF_SESSIONS if area in strict else 1)
             for area in areas]
    before_last = _sessions(request)[1:2]
    if full and before_last:
        changed = sum(p[0][0].id not in before_last[0] for p in picks if p)
        if changed < min(STRICT_AREAS, len(areas)):
            picks = [_pick(catalog, area, count, request, rng) for area in areas]
    return picks


def _interleave(groups: list[list[Exercise]]) -> tuple[Exercise, ...]:
    """A1, B1, A2, B2 ...: consecutive exercises work different areas where there are two."""
    return tuple(e for row in itertools.zip_longest(*groups) for e in row if e is not None)


def circuit_areas(request: CircuitRequest, notes: list[Note]) -> tuple[tuple[str, ...], bool]:
    """The areas to train and whether it is a focus: named areas (at most two, plus any the runner always
    includes) are a focus; none named is one exercise per area, less any left out today."""
    named = tuple(dict.fromkeys(a for a in request.areas if a in AREAS))
    if len(named) > MAX_FOCUS_AREAS:
        notes.append(Note(TOO_MANY_AREAS, MAX_FOCUS_AREAS))
        named = named[:MAX_FOCUS_AREAS]
    if not named or len(named) == len(AREAS):
        return tuple(a for a in AREAS if a not in request.skip_areas) or AREAS, False
    areas = tuple(dict.fromkeys((*named, *request.always_areas)))
    return areas, len(areas) <= MAX_FOCUS_AREAS


# Trained when the legs are off: upper back and core.
NO_LEGS_AREAS = ("LOWER_BACK", "REAR_DELTS")
LEGS_DAY = "legs_"  # "legs_off_race", "legs_after_long_run": value, the first area trained; the line says why


def _legs_off(request: CircuitRequest, areas: tuple[str, ...], focus: bool,
              notes: list[Note]) -> tuple[tuple[str, ...], bool]:
    """On the eve of a race or long run, or the day after one: upper back and core only, said in one note."""
    if request.legs is None:
        return areas, focus
    kept = tuple(a for a in areas if a in NO_LEGS_AREAS) or NO_LEGS_AREAS
    when, kind = request.legs
    notes.append(Note(f"{LEGS_DAY}{when}_{kind.lower()}", kept[0]))
    return kept, len(kept) <= MAX_FOCUS_AREAS


def _spared(request: CircuitRequest, catalog: Catalog, areas: tuple[str, ...], focus: bool,
            notes: list[Note]) -> tuple[tuple[str, ...], bool]:
    """The areas less those with nothing that spares today's sore parts, said in the notes. A focus with nothing
    left becomes a full circuit of what is; with nothing at all, NothingSpares."""
    if not request.sore:
        return areas, focus
    notes += [Note(SORE_SPARED, part) for part in sorted(request.sore)]

    def usable(area: str) -> bool:
        return any(e.spares(request.sore) for e in catalog.in_area(area))

    asked = areas
    if focus and not any(usable(a) for a in areas):
        notes.append(Note(SORE_FOCUS, areas[0]))
        areas, focus = tuple(a for a in AREAS if a not in request.skip_areas) or AREAS, False
    kept = tuple(a for a in areas if usable(a))
    if not kept:
        raise NothingSpares(", ".join(sorted(request.sore)))
    notes += [Note(SORE_AREA, a) for a in areas if a not in kept and (focus or a not in asked)]
    return kept, focus


def _fitted_warmup(warmups: dict[int, float], total: float) -> int:
    """How many drills make a warm-up of about a tenth of the workout (one to three minutes)."""
    target = min(MAX_WARMUP_SECONDS, max(MIN_WARMUP_SECONDS, WARMUP_SHARE * total))
    return min(warmups, key=lambda n: (abs(warmups[n] - target), n))


def build_circuit(request: CircuitRequest, catalog: Catalog, seed: int | str) -> Circuit:
    """The circuit for `request`; raises NothingSpares when every exercise loads a part sore today."""
    rng = random.Random(str(seed))
    notes: list[Note] = []
    areas, focus = _spared(request, catalog, *_legs_off(request, *circuit_areas(request, notes), notes), notes)
    full = not focus

    # Pick the most exercises any shape might use; shorter shapes take a prefix, so choices stay stable. A time is
    # filled with more moves, not more rounds; without one, the usual shape.
    counts_per_area = (FULL_COUNTS if full else ONE_AREA_COUNTS if len(areas) == 1 else FOCUS_COUNTS) \
        if request.minutes is not None else ((1,) if full else (2, 3))
    picks = _picks(catalog, areas, max(counts_per_area), request, rng, full)
    drills = _warmup_drills(catalog, request, rng)

    rounds_fixed = None
    if request.rounds is not None:
        rounds_fixed = _clamp(request.rounds, MIN_ROUNDS, MAX_ROUNDS, ROUNDS_RAISED, ROUNDS_LOWERED, notes)
    budget = None
    if request.minutes is not None:
        budget = _clamp(request.minutes, MIN_MINUTES, MAX_MINUTES, MINUTES_RAISED, MINUTES_LOWERED, notes)
    if request.lighter:
        notes.append(Note(LIGHTER_WEEK, areas[0]))
        if budget is not None:
            budget = max(MIN_MINUTES, round(budget * LIGHTER_SHARE))
        else:
            rounds_fixed = max(MIN_ROUNDS, (rounds_fixed or DEFAULT_ROUNDS) - 1)

    warmups = {n: warmup_seconds(_gentle_first(drills[:n])) for n in WARMUP_CHOICES if n <= len(drills)} \
        or {0: warmup_seconds(())}
    default_count = 1 if full else (3 if len(areas) == 1 else 2)
    default_rest = request.rest_seconds or DEFAULT_REST
    if budget is None:
        shapes = [(default_count, rounds_fixed or DEFAULT_ROUNDS, default_rest, min(DEFAULT_WARMUP, max(warmups)))]
    else:
        shapes = list(itertools.product(
            counts_per_area,
            (rounds_fixed,) if rounds_fixed else range(MIN_ROUNDS, (TIME_MAX_ROUNDS if full else FOCUS_MAX_ROUNDS) + 1),
            (request.rest_seconds,) if request.rest_seconds else REST_CHOICES,
            (_fitted_warmup(warmups, budget * 60),),  # about a tenth of the time asked for
        ))

    # The parts of every shape's duration, worked out once: a build weighs hundreds of shapes. The estimate is
    # what the runner will hear: the coach's words, the work at their counting pace, the rests and their turns.
    per_count = {count: _interleave([[e for e, _ in p[:count]] for p in picks]) for count in counts_per_area}
    dosed = {count: tuple(e.with_dose_steps(request.dose_steps.get(e.id, 0)) for e in exercises)
             for count, exercises in per_count.items()}
    round_parts = {count: (round_seconds(exercises, request.pace), len(exercises))
                   for count, exercises in dosed.items()}

    def estimate(shape: tuple[int, int, int, int]) -> float:
        count, rounds, rest, warmup = shape
        per_round, sets = round_parts[count]
        return total_seconds(warmups[warmup], per_round, sets, rounds, rest)

    estimates = {shape: estimate(shape) for shape in shapes}

    def score(shape: tuple[int, int, int, int]) -> tuple[bool, float]:
        count, rounds, rest, _ = shape
        seconds = estimates[shape] if shape in estimates else estimate(shape)
        error = abs(seconds - budget * 60) / (budget * 60) if budget else 0.0
        # Among shapes that fit the time, prefer the usual rest, two or three rounds, and then fewer moves (a move
        # is learned once, then repeated).
        rest_steps = abs(REST_CHOICES.index(rest) - REST_CHOICES.index(DEFAULT_REST)) if rest in REST_CHOICES else 0
        habit = 0.02 * rest_steps + 0.04 * (rounds == 1 and count > min(counts_per_area)) + 0.01 * count \
            + 0.1 * (rounds > TIME_MAX_ROUNDS and rounds_fixed is None)
        return (error > BUDGET_TOLERANCE, error + habit)

    fitting = [s for s in shapes if estimates[s] <= MAX_WORKOUT_SECONDS]
    if not fitting:
        # Too long as asked: fewer rounds of the first shape, and say so.
        count, rounds, rest, warmup = shapes[0]
        fitting = [(count, r, rest, warmup) for r in range(rounds - 1, 0, -1)
                   if estimate((count, r, rest, warmup)) <= MAX_WORKOUT_SECONDS][:1] or [(count, 1, rest, warmup)]
        notes.append(Note(ROUNDS_LOWERED, fitting[0][1]))
    count, rounds, rest, warmup = min(fitting, key=score)
    if budget is None:  # about a tenth of the workout it turned out to be
        warmup = _fitted_warmup(warmups, estimate((count, rounds, rest, warmup)))
    seconds = estimate((count, rounds, rest, warmup))
    notes += [note for p in picks for _, picked_notes in p[:count] for note in picked_notes]
    notes += [progress_note(request.progressed[e.id], e) for e in per_count[count] if e.id in request.progressed]
    if request.spare_legs and request.legs is None:
        # A full circuit without the hamstrings (left out for the run: training.running.SPARED_AREAS) says why in
        # the runner's terms; otherwise the areas stay, only gentler.
        notes.append(Note(LEGS_SPARED + request.spare_legs.lower(), "HAMSTRINGS")
                     if full and "HAMSTRINGS" not in areas else Note(LEGS_LIGHT, areas[0]))
    if full and count > 1:
        notes.append(Note(TIME_SPREAD, count))
    if request.first:
        notes.append(Note(FIRST_SESSION, areas[0]))
    if budget and abs(seconds - budget * 60) > BUDGET_TOLERANCE * budget * 60:
        notes.append(Note(TIME_MISSED, round(seconds / 60)))
    return Circuit(
        areas=areas,
        warmup=tuple(d.id for d in _gentle_first(drills[:warmup])),
        exercises=tuple(e.id for e in per_count[count]),
        rounds=rounds,
        rest_seconds=rest,
        estimated_seconds=round(seconds),
        minutes=budget,
        notes=tuple(dict.fromkeys(notes)),
        focus=focus,
    )
