"""The circuit builder, over many random requests: shape, equipment, level, time, variety, determinism."""

from hypothesis import given, settings
from hypothesis import strategies as st

from runner_strength.training import builder as b
from runner_strength.training.builder import CircuitRequest, build_circuit
from runner_strength.training.catalog import AREAS, EQUIPMENT, LEVELS, load_catalog
from runner_strength.training.duration import warmup_seconds, workout_seconds

CATALOG = load_catalog()

requests = st.builds(
    CircuitRequest,
    areas=st.lists(st.sampled_from(AREAS), max_size=3).map(tuple),
    rounds=st.none() | st.integers(-5, 60),
    minutes=st.none() | st.integers(0, 120),
    equipment=st.frozensets(st.sampled_from(EQUIPMENT)),
    level=st.sampled_from(LEVELS),
    rest_seconds=st.none() | st.sampled_from(b.REST_CHOICES),
    recent=st.lists(st.sampled_from(sorted(CATALOG.exercises)), max_size=20, unique=True).map(tuple),
)
seeds = st.integers(0, 2**32)


def codes(circuit):
    return {n.code for n in circuit.notes}


@settings(max_examples=400)
@given(requests, seeds)
def test_a_circuit_is_never_empty_or_over_long_and_has_the_asked_shape(request, seed):
    circuit = build_circuit(request, CATALOG, seed)
    assert circuit.exercises and circuit.warmup
    assert b.MIN_ROUNDS <= circuit.rounds <= b.MAX_ROUNDS
    assert circuit.estimated_seconds <= b.MAX_WORKOUT_SECONDS
    assert len(set(circuit.exercises)) == len(circuit.exercises)
    areas = [CATALOG[e].area for e in circuit.exercises]
    if not circuit.focus:
        assert set(areas) == set(AREAS) and all(1 <= areas.count(a) <= 3 for a in AREAS)
    else:
        assert 1 <= len(circuit.areas) <= 2
        most = 6 if len(circuit.areas) == 1 and request.minutes is not None else 4 if request.minutes else 3
        assert all(2 <= areas.count(a) <= most for a in circuit.areas)
        assert set(areas) == set(circuit.areas)


@settings(max_examples=300)
@given(requests, seeds)
def test_a_time_is_filled_with_more_moves_not_more_rounds_and_a_warm_up_of_about_a_tenth(request, seed):
    """Issue 22: 45 minutes was five moves six times. Built to a time (no rounds named), a full circuit does each
    move at most three times and a focus at most four; the warm-up is one to three minutes, about a tenth."""
    circuit = build_circuit(request, CATALOG, seed)
    assert not [d for d in circuit.warmup if CATALOG[d].needs_space], "indoors: no drill that needs a run-up"
    if request.minutes is None or request.rounds is not None:
        return
    assert circuit.rounds <= (b.TIME_MAX_ROUNDS if not circuit.focus else b.FOCUS_MAX_ROUNDS)
    warm = warmup_seconds(tuple(CATALOG[d] for d in circuit.warmup))
    assert b.MIN_WARMUP_SECONDS - 15 <= warm <= b.MAX_WARMUP_SECONDS + 15
    target = min(b.MAX_WARMUP_SECONDS, max(b.MIN_WARMUP_SECONDS, b.WARMUP_SHARE * circuit.estimated_seconds))
    assert abs(warm - target) <= 45, (warm, target)


@settings(max_examples=300)
@given(requests, seeds)
def test_equipment_and_level_are_honoured_or_the_runner_is_told(request, seed):
    """Never more than one step above the runner's level, and only when the area runs short at their level with
    their kit; the notice names that exercise (and so does a kit notice)."""
    circuit = build_circuit(request, CATALOG, seed)
    rank, kit = LEVELS.index(request.level), request.equipment | {"none"}
    notes = {(n.code, n.exercise) for n in circuit.notes}
    for exercise_id in circuit.exercises:
        exercise = CATALOG[exercise_id]
        if exercise.equipment not in kit:
            assert (b.EQUIPMENT_STRETCHED, exercise_id) in notes
        if exercise.level_rank > rank:
            assert exercise.level_rank == rank + 1, "one step up at most"
            assert (b.LEVEL_STRETCHED, exercise_id) in notes
            in_area = sum(CATALOG[e].area == exercise.area for e in circuit.exercises)
            at_level = [e for e in CATALOG.in_area(exercise.area) if e.level_rank <= rank and e.equipment in kit]
            assert len(at_level) < in_area, "stretched only when the area runs short at the runner's level"
    for code, exercise_id in notes:
        if code in (b.LEVEL_STRETCHED, b.EQUIPMENT_STRETCHED):
            assert exercise_id in circuit.exercises, "a notice names an exercise in the circuit"


@settings(max_examples=300)
@given(requests, seeds)
def test_the_estimate_is_within_15_percent_of_the_budget_unless_the_runner_is_told(request, seed):
    circuit = build_circuit(request, CATALOG, seed)
    if circuit.minutes is None:
        return
    error = abs(circuit.estimated_seconds - circuit.minutes * 60) / (circuit.minutes * 60)
    assert error <= b.BUDGET_TOLERANCE or b.TIME_MISSED in codes(circuit)


@settings(max_examples=200)
@given(st.sampled_from([(), ("GLUTE_MEDIUS",), ("HAMSTRINGS", "REAR_DELTS")]), st.integers(12, 45),
       st.frozensets(st.sampled_from(EQUIPMENT)), st.sampled_from(LEVELS), seeds)
def test_every_usual_budget_is_met_within_15_percent(areas, minutes, equipment, level, seed):
    circuit = build_circuit(CircuitRequest(areas=areas, minutes=minutes, equipment=equipment, level=level),
                            CATALOG, seed)
    assert b.TIME_MISSED not in codes(circuit)
    assert abs(circuit.estimated_seconds - minutes * 60) <= 0.15 * minutes * 60


def test_the_estimate_is_the_timing_of_what_was_built():
    circuit = build_circuit(CircuitRequest(areas=("LOWER_BACK",), minutes=20), CATALOG, 7)
    drills = tuple(CATALOG[d] for d in circuit.warmup)
    exercises = tuple(CATALOG[e] for e in circuit.exercises)
    assert circuit.estimated_seconds == round(workout_seconds(drills, exercises, circuit.rounds,
                                                              circuit.rest_seconds))


@given(requests, seeds)
def test_the_same_seed_builds_the_same_circuit(request, seed):
    assert build_circuit(request, CATALOG, seed) == build_circuit(request, CATALOG, seed)


@given(requests, seeds)
def test_a_circuit_survives_a_round_trip_through_its_dict(request, seed):
    circuit = build_circuit(request, CATALOG, seed)
    assert b.Circuit.from_dict(circuit.to_dict()) == circuit


@settings(max_examples=200)
@given(st.sampled_from([(), ("GLUTE_MEDIUS",), ("HAMSTRINGS", "REAR_DELTS")]),
       st.frozensets(st.sampled_from(EQUIPMENT)), st.sampled_from(LEVELS), seeds)
def test_the_next_workout_avoids_the_last_ones_picks_where_it_can(areas, equipment, level, seed):
    first = build_circuit(CircuitRequest(areas=areas, equipment=equipment, level=level), CATALOG, seed)
    second = build_circuit(CircuitRequest(areas=areas, equipment=equipment, level=level,
                                          recent=first.exercises + first.warmup), CATALOG, seed + 1)
    for exercise_id in second.exercises:
        if exercise_id in first.exercises:
            area = CATALOG[exercise_id].area
            allowed = equipment | {"none"}
            fresh = [e for e in CATALOG.in_area(area) if e.id not in first.exercises and e.equipment in allowed
                     and e.level_rank <= LEVELS.index(level)]
            picked_fresh = [e for e in second.exercises if CATALOG[e].area == area and e not in first.exercises]
            # A repeat only when every fitting alternative is already in use.
            assert len(picked_fresh) == len(fresh)


def test_rounds_out_of_range_are_clamped_with_a_note():
    zero = build_circuit(CircuitRequest(rounds=0), CATALOG, 1)
    fifty = build_circuit(CircuitRequest(rounds=50), CATALOG, 1)
    assert (zero.rounds, fifty.rounds) == (b.MIN_ROUNDS, b.MAX_ROUNDS)
    assert b.Note(b.ROUNDS_RAISED, 1) in zero.notes
    assert b.Note(b.ROUNDS_LOWERED, 8) in fifty.notes


def test_a_full_circuit_defaults_to_two_rounds_and_a_focus_to_three_exercises_for_one_area():
    full = build_circuit(CircuitRequest(), CATALOG, 3)
    focus = build_circuit(CircuitRequest(areas=("HAMSTRINGS",)), CATALOG, 3)
    assert full.rounds == 2 and not full.focus
    assert len(focus.exercises) == 3 and focus.areas == ("HAMSTRINGS",)


def test_three_areas_keep_the_first_two_and_say_so():
    circuit = build_circuit(CircuitRequest(areas=("HAMSTRINGS", "REAR_DELTS", "LOWER_BACK")), CATALOG, 3)
    assert circuit.areas == ("HAMSTRINGS", "REAR_DELTS")
    assert b.TOO_MANY_AREAS in codes(circuit)


def test_a_focus_leaves_out_what_the_last_two_sessions_had_while_others_fit():
    sessions = (("single_leg_deadlift",), ("bridge_walkout",), ("good_morning",), ("long_lever_bridge",))
    for seed in range(20):
        circuit = build_circuit(CircuitRequest(areas=("HAMSTRINGS",), level="intermediate",
                                               recent_sessions=sessions), CATALOG, seed)
        assert set(circuit.exercises) == {"heel_dig_hold", "long_lever_bridge", "good_morning"}


def test_with_nothing_held_off_the_runners_own_level_comes_first():
    for seed in range(20):
        circuit = build_circuit(CircuitRequest(areas=("HAMSTRINGS",), level="advanced"), CATALOG, seed)
        assert [CATALOG[e].level for e in circuit.exercises[:2]] == ["advanced", "advanced"]


@settings(max_examples=300)
@given(requests, seeds)
def test_never_more_than_one_level_up_and_only_when_the_area_runs_short_at_the_runners_level(request, seed):
    circuit = build_circuit(request, CATALOG, seed)
    rank = LEVELS.index(request.level)
    for exercise_id in circuit.exercises:
        exercise = CATALOG[exercise_id]
        assert exercise.level_rank <= rank + 1
        if exercise.level_rank > rank:
            in_area = sum(CATALOG[e].area == exercise.area for e in circuit.exercises)
            fitting = [e for e in CATALOG.in_area(exercise.area) if e.level_rank <= rank
                       and e.equipment in request.equipment | {"none"}]
            assert len(fitting) < in_area, (exercise_id, request.level)


def test_a_beginner_focus_has_no_advanced_exercise():
    for area in AREAS:
        for seed in range(50):
            circuit = build_circuit(CircuitRequest(areas=(area,), level="beginner"), CATALOG, seed)
            assert all(CATALOG[e].level != "advanced" for e in circuit.exercises), (area, seed)


def test_a_request_too_long_even_at_the_fewest_rounds_is_built_with_a_note():
    """Found by hypothesis: no shape fitting the longest workout sent the builder to a shape it had not timed."""
    circuit = b.build_circuit(CircuitRequest(rounds=8, minutes=0, equipment=frozenset({"none", "step_or_bench"}),
                                             rest_seconds=60), CATALOG, 8202)
    assert circuit.rounds >= 1 and circuit.exercises


def test_a_level_notice_names_the_exercise_and_why():
    """A beginner who has left out one beginner hamstrings move asks for a hamstrings focus (three moves): one
    must come from the next level up, and the runner hears which and why."""
    import random

    from runner_strength.speech import coach
    from runner_strength.speech.phrases import Voice, load_locale
    from runner_strength.speech.ssml import plain_text

    en = load_locale("en-US")
    beginner = sorted(e.id for e in CATALOG.in_area("HAMSTRINGS") if e.level == "beginner" and e.equipment == "none")
    request = CircuitRequest(areas=("HAMSTRINGS",), level="beginner", avoid=frozenset(beginner[:1]))
    for seed in range(20):
        circuit = build_circuit(request, CATALOG, seed)
        above = [e for e in circuit.exercises if CATALOG[e].level != "beginner"]
        assert len(above) == 1 and CATALOG[above[0]].level == "intermediate", circuit.exercises
        intro = plain_text(coach.circuit_intro(Voice(en, random.Random(seed), {}), circuit, CATALOG).to_ssml())
        name = en.exercises[above[0]].name
        assert f"{name[0].upper()}{name[1:]} is a step above your level: there aren't enough hamstrings moves at " \
               "your level for your kit." in intro, intro


def test_two_moves_above_the_level_are_one_sentence():
    """Found while writing the closing note: a beginner who has left out two lower back moves heard "X is a step
    above your level: …" twice over."""
    import random

    from runner_strength.speech import coach
    from runner_strength.speech.phrases import Voice, load_locale
    from runner_strength.speech.ssml import plain_text

    en = load_locale("en-US")
    request = CircuitRequest(areas=("LOWER_BACK",), level="beginner", avoid=frozenset({"bird_dog", "dead_bug"}))
    circuit = build_circuit(request, CATALOG, 3)
    above = [en.exercises[e].name for e in circuit.exercises if CATALOG[e].level != "beginner"]
    assert len(above) == 2
    intro = plain_text(coach.circuit_intro(Voice(en, random.Random(1), {}), circuit, CATALOG).to_ssml())
    assert intro.count("a step above your level") == 1
    assert f"{above[0][0].upper()}{above[0][1:]} and {above[1]} are a step above your level: there aren't enough " \
           "lower back moves at your level for your kit. Take them steady." in intro, intro
