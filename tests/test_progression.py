"""Progression over weeks: simulated runners whose history grows one session at a time. Doses grow after two
sessions done in full, move up the ladder at the top, ease back when the runner turns a dose down, rest every
fourth week, and every decision is logged once and never changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from runner_strength.speech.phrases import load_locale
from runner_strength.training import progression as p
from runner_strength.training.builder import CircuitRequest, build_circuit
from runner_strength.training.catalog import load_catalog
from runner_strength.training.record import MAX_DOSE_STEPS, RunnerRecord, Session
from tests.support.envelopes import Conversation, said, slot

CATALOG = load_catalog()
EN = load_locale("en-US")
START = date(2026, 11, 2)  # a Monday


def day(n: int) -> str:
    return (START + timedelta(days=n)).isoformat()


def session(n: int, picks: tuple[str, ...], clean: bool = True) -> Session:
    return Session(id=f"s{n:03d}", day=day(3 * n), areas=(), picks=picks,
                   done=4 if clean else 2, total=4, finished=clean)


def plan(record: RunnerRecord, n: int) -> RunnerRecord:
    return p.progressed(record, CATALOG, day(3 * n), MAX_DOSE_STEPS)


def test_two_sessions_in_full_grow_the_dose_the_next_time_and_only_once():
    record = RunnerRecord(history=(session(0, ("glute_bridge",)), session(1, ("glute_bridge",))))
    record = plan(record, 2)
    assert record.preferences.dose_steps == {"glute_bridge": 1}
    assert [(c.exercise, c.kind, c.steps) for c in record.progress] == [("glute_bridge", p.DOSE_UP, 1)]
    assert plan(record, 2) == record, "asked again, nothing new is decided"
    grown = CATALOG["glute_bridge"].with_dose_steps(1)
    assert grown.reps == 18 and CATALOG["glute_bridge"].reps == 15


def test_a_session_not_done_in_full_starts_the_count_again():
    record = RunnerRecord(history=(session(0, ("glute_bridge",)), session(1, ("glute_bridge",), clean=False),
                                   session(2, ("glute_bridge",))))
    assert plan(record, 3).progress == ()


def test_at_the_top_of_its_dose_an_exercise_moves_up_its_ladder():
    prefs = replace(RunnerRecord().preferences, dose_steps={"clamshell": MAX_DOSE_STEPS}, level="intermediate")
    record = RunnerRecord(preferences=prefs, history=(session(0, ("clamshell",)), session(1, ("clamshell",))))
    record = plan(record, 2)
    assert record.progress[-1].kind == p.LADDER_UP and record.progress[-1].to == "side_lying_leg_raise"
    assert record.preferences.variants["clamshell"] == "side_lying_leg_raise"
    circuit = build_circuit(CircuitRequest(areas=("GLUTE_MEDIUS",), level="intermediate",
                                           variants=record.preferences.variants,
                                           progressed=p.unheard(record.progress, record.history)), CATALOG, 1)
    if "side_lying_leg_raise" in circuit.exercises:
        assert any(n.code == "progress_ladder_up" for n in circuit.notes)


def test_too_hard_steps_it_back_and_it_grows_again_from_there():
    record = plan(RunnerRecord(history=(session(0, ("dead_bug",)), session(1, ("dead_bug",)))), 2)
    assert record.preferences.dose_steps == {"dead_bug": 1}
    # The runner says "too hard" on it in the next session: the dose comes down by the existing flow.
    record = replace(record, preferences=replace(record.preferences, dose_steps={"dead_bug": 0}),
                     history=(*record.history, session(2, ("dead_bug",))))
    record = plan(record, 3)
    assert record.progress[-1].kind == p.STEP_BACK and record.progress[-1].steps == 0
    record = replace(record, history=(*record.history, session(3, ("dead_bug",)), session(4, ("dead_bug",))))
    record = plan(record, 5)
    assert record.progress[-1].kind == p.DOSE_UP and record.preferences.dose_steps == {"dead_bug": 1}


def test_every_fourth_week_is_lighter_and_nothing_grows_in_it():
    history = (session(0, ("bird_dog",)),)
    weeks = [p.lighter_week(history, (START + timedelta(weeks=w, days=2)).isoformat()) for w in range(8)]
    assert weeks == [False, False, False, True, False, False, False, True]
    record = RunnerRecord(history=(session(0, ("bird_dog",)), Session("s9", day(22), (), ("bird_dog",), 4, 4, True)))
    assert p.progressed(record, CATALOG, day(23), MAX_DOSE_STEPS) == record
    light = build_circuit(CircuitRequest(lighter=True), CATALOG, 1)
    usual = build_circuit(CircuitRequest(), CATALOG, 1)
    assert light.rounds == usual.rounds - 1 and any(n.code == "lighter_week" for n in light.notes)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["glute_bridge", "dead_bug", "wall_angel", "clamshell"]), st.booleans()),
                min_size=1, max_size=24),
       st.sampled_from(["beginner", "intermediate", "advanced"]))
def test_the_log_only_grows_and_the_past_never_changes(sessions, level):
    record = RunnerRecord(preferences=replace(RunnerRecord().preferences, level=level))
    for n, (exercise, clean) in enumerate(sessions):
        record = replace(record, history=(*record.history, session(n, (exercise,), clean)))
        before = record.progress
        record = plan(record, n + 1)
        assert record.progress[:len(before)] == before
        for change in record.progress[len(before):]:
            # Each decision rests on two sessions in full since the last one about the same exercise.
            assert change.kind != p.DOSE_UP or 1 <= change.steps <= MAX_DOSE_STEPS
        assert RunnerRecord.from_dict(record.to_dict()).progress == record.progress
    for exercise, steps in record.preferences.dose_steps.items():
        assert 0 < steps <= MAX_DOSE_STEPS, exercise


def test_how_am_i_progressing_reads_the_log(skill, store):
    talk = Conversation(skill)
    talk.launch()
    reply = talk.say("ProgressionIntent")
    assert "Nothing has grown yet" in said(reply)


def finish_a_glute_circuit(skill, store) -> str:
    talk = Conversation(skill)
    talk.launch()
    if next(iter(store.items.values())).get("workout"):
        talk.say("StartFreshIntent")
    intro = said(talk.say("BuildCircuitIntent", area=slot("area", "glutes", "GLUTE_MEDIUS")))
    talk.say("ReadyIntent")
    for _ in range(80):
        talk.say("AMAZON.NextIntent")
        if not next(iter(store.items.values())).get("workout"):
            break
    return intro


def test_a_runner_hears_the_growth_once_and_does_the_grown_dose(skill, store, clock):
    intros = []
    for _ in range(3):
        intros.append(finish_a_glute_circuit(skill, store))
        clock.advance(days=3)
    record = RunnerRecord.from_dict(next(iter(store.items.values())))
    assert "grows a little today" not in intros[0] + intros[1]
    grown = [c for c in record.progress if c.kind == p.DOSE_UP]
    assert grown and "grows a little today" in intros[2]
    for change in grown:
        assert record.preferences.dose_steps[change.exercise] == change.steps == 1
    # Asked again, the answer names what grew and its dose now.
    talk = Conversation(skill)
    talk.launch()
    reply = said(talk.say("ProgressionIntent"))
    assert "In the last 30 days you've done 3 workouts" in reply
    assert EN.exercises[grown[0].exercise].name in reply
