"""Today's running: what the runner says about their running shifts the circuit's load away from the legs, for as
long as it applies, and the runner hears why."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from runner_strength.training import running
from runner_strength.training.builder import LEGS_LIGHT, CircuitRequest, build_circuit
from runner_strength.training.catalog import AREAS, DRILLS, LEVELS, load_catalog
from runner_strength.training.record import RunnerRecord
from tests.support.envelopes import Conversation, heard, said, slot
from tests.test_builder import requests, seeds

CATALOG = load_catalog()
WEDNESDAY = "2026-11-25"  # the test clock's day
HIGH_FATIGUE = {e.id for e in CATALOG.exercises.values() if e.high_fatigue}


def circuit_of(store) -> dict:
    return next(iter(store.items.values()))["workout"]["circuit"]


# --- what is remembered, and for how long ----------------------------------------------------------------------

def test_spoken_days_are_dates_from_today():
    assert running.day_of(None, WEDNESDAY, running.RAN) == WEDNESDAY
    assert running.day_of("TOMORROW", WEDNESDAY, running.LONG_RUN) == "2026-11-26"
    assert running.day_of("SATURDAY", WEDNESDAY, running.RACE) == "2026-11-28"
    assert running.day_of("WEDNESDAY", WEDNESDAY, running.RACE) == WEDNESDAY
    assert running.day_of("MONDAY", WEDNESDAY, running.RAN) == "2026-11-23", "a run done was the last Monday"


def test_a_planned_run_spares_the_legs_the_day_before_and_on_the_day_and_is_forgotten_after():
    entries = running.with_entry((), (running.RACE, "2026-11-28"), WEDNESDAY)
    days = {day: running.spare_legs(running.kept(entries, day), day)
            for day in ("2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29")}
    assert days == {"2026-11-25": None, "2026-11-26": None, "2026-11-27": running.RACE,
                    "2026-11-28": running.RACE, "2026-11-29": None}
    legs = {day: running.legs_today(running.kept(entries, day), day)
            for day in ("2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30")}
    assert legs == {"2026-11-26": None, "2026-11-27": (running.LEGS_OFF, running.RACE),
                    "2026-11-28": (running.LEGS_OFF, running.RACE), "2026-11-29": (running.RECOVERY, running.RACE),
                    "2026-11-30": None}, "no leg work the day before and on the day, recovery the day after"
    assert running.kept(entries, "2026-11-29") == ((running.RACE, "2026-11-28"),)
    assert running.kept(entries, "2026-11-30") == ()


@given(st.sampled_from([running.RAN, running.EASY_DAY, running.SORE]), st.integers(1, 30))
def test_news_about_today_is_remembered_for_that_day_only(kind, days_later):
    entries = running.with_entry((), (kind, WEDNESDAY), WEDNESDAY)
    assert running.spare_legs(entries, WEDNESDAY) == kind
    later = f"2026-12-{days_later:02d}"
    assert running.spare_legs(entries, later) is None
    assert running.kept(entries, later) == ()


def test_a_short_run_changes_nothing_and_a_long_one_does():
    assert not running.counts(running.RAN, running.kilometres(3, "MILES"))
    assert running.counts(running.RAN, running.kilometres(10, "MILES"))
    assert running.counts(running.RAN, running.kilometres(8, "KILOMETERS"))
    assert running.counts(running.RAN, None)


def test_the_record_keeps_its_runs_through_storage_and_drops_unreadable_ones():
    record = RunnerRecord(runs=((running.RACE, "2026-11-28"), (running.SORE, WEDNESDAY)))
    assert RunnerRecord.from_dict(record.to_dict()).runs == record.runs
    data = record.to_dict() | {"runs": [["RACE", "2026-11-28"], "junk", ["NAP", "2026-11-25"], [1]]}
    assert RunnerRecord.from_dict(data).runs == ((running.RACE, "2026-11-28"),)


# --- the circuit ---------------------------------------------------------------------------------------------------

@settings(max_examples=300)
@given(requests, seeds, st.sampled_from(running.KINDS))
def test_sparing_the_legs_leaves_out_explosive_work_and_says_why(request, seed, reason):
    circuit = build_circuit(replace(request, spare_legs=reason), CATALOG, seed)
    assert not HIGH_FATIGUE & set(circuit.exercises + circuit.warmup)
    codes = {n.code for n in circuit.notes}
    if not circuit.focus and "HAMSTRINGS" not in circuit.areas:
        assert f"legs_{reason.lower()}" in codes
    else:
        assert LEGS_LIGHT in codes


def test_the_same_runner_with_and_without_a_long_run_tomorrow():
    for level in LEVELS:
        for seed in range(20):
            usual = build_circuit(CircuitRequest(level=level), CATALOG, seed)
            spared = build_circuit(CircuitRequest(level=level, spare_legs=running.LONG_RUN,
                                                  skip_areas=running.SPARED_AREAS), CATALOG, seed)
            assert [CATALOG[e].area for e in usual.exercises].count("HAMSTRINGS") == 1
            assert "HAMSTRINGS" not in {CATALOG[e].area for e in spared.exercises}
            assert set(spared.areas) == set(AREAS) - {"HAMSTRINGS"}
            assert spared.estimated_seconds < usual.estimated_seconds
            assert all(CATALOG[d].area == DRILLS and not CATALOG[d].high_fatigue for d in spared.warmup)


# --- the conversation ----------------------------------------------------------------------------------------------

def test_long_run_tomorrow_offers_a_circuit_easy_on_the_legs_and_says_why(skill, store):
    talk = Conversation(skill)
    talk.launch()
    reply = talk.say("TodaysRunIntent", run=slot("run", "long run tomorrow", "LONG_RUN_TOMORROW"))
    assert "Long run tomorrow" in said(reply) and "legs" in said(reply)
    reply = talk.say("AMAZON.YesIntent")
    assert heard(reply, "note.legs_off_long_run"), said(reply)
    circuit = circuit_of(store)
    assert set(circuit["areas"]) <= {"LOWER_BACK", "REAR_DELTS"}, "no leg work the day before a long run"
    assert not HIGH_FATIGUE & set(circuit["exercises"] + circuit["warmup"])


def test_a_circuit_asked_for_later_that_day_still_spares_the_legs_and_the_next_day_does_not(skill, store, clock):
    talk = Conversation(skill)
    talk.launch()
    talk.say("TodaysRunIntent", miles=slot("miles", "10"))
    talk.say("AMAZON.NoIntent")
    reply = talk.say("BuildCircuitIntent")
    assert "Since you've run today" in said(reply)
    assert "HAMSTRINGS" not in circuit_of(store)["areas"]
    clock.advance(days=1)
    talk.launch()
    talk.say("StartFreshIntent")
    talk.say("BuildCircuitIntent")
    assert "HAMSTRINGS" in circuit_of(store)["areas"]


def test_a_race_on_saturday_is_kept_until_friday_then_spares_the_legs(skill, store, clock):
    talk = Conversation(skill)
    talk.launch()
    reply = talk.say("TodaysRunIntent", run=slot("run", "race", "RACE"), day=slot("day", "saturday", "SATURDAY"))
    assert "in 3 days" in said(reply)
    talk.say("BuildCircuitIntent")
    assert "HAMSTRINGS" in circuit_of(store)["areas"], "Wednesday: nothing changes yet"
    clock.advance(days=2)
    talk.launch()
    talk.say("StartFreshIntent")
    reply = talk.say("BuildCircuitIntent")
    assert "race so close" in said(reply)
    assert "HAMSTRINGS" not in circuit_of(store)["areas"]
    stored = json.dumps(next(iter(store.items.values())))
    assert "2026-11-28" in stored


def test_a_short_run_leaves_the_circuit_as_it_is(skill, store):
    talk = Conversation(skill)
    talk.launch()
    reply = talk.say("TodaysRunIntent", kilometers=slot("kilometers", "3"))
    assert "3 kilometers" in said(reply) and "stay as it is" in said(reply)
    talk.say("BuildCircuitIntent")
    assert "HAMSTRINGS" in circuit_of(store)["areas"]


def test_said_after_a_circuit_is_offered_the_circuit_is_built_again_easy_on_the_legs(skill, store):
    talk = Conversation(skill)
    talk.launch()
    talk.say("BuildCircuitIntent")
    assert "HAMSTRINGS" in circuit_of(store)["areas"]
    reply = talk.say("TodaysRunIntent", run=slot("run", "sore", "SORE"))
    assert "With your legs sore" in said(reply)
    assert "HAMSTRINGS" not in circuit_of(store)["areas"]


def test_hamstrings_added_back_to_a_spared_circuit_are_there_and_gentle(skill, store):
    talk = Conversation(skill)
    talk.launch()
    talk.say("TodaysRunIntent", run=slot("run", "long run tomorrow", "LONG_RUN_TOMORROW"))
    talk.say("AMAZON.YesIntent")
    assert "HAMSTRINGS" not in circuit_of(store)["areas"]
    talk.say("ReadyIntent")
    talk.say("AddAreaIntent", area=slot("area", "hamstrings", "HAMSTRINGS"))
    ahead = [e for e in circuit_of(store)["exercises"] if CATALOG[e].area == "HAMSTRINGS"]
    assert len(ahead) == 1 and not CATALOG[ahead[0]].high_fatigue


# --- said inside a request for a circuit ---------------------------------------------------------------------------

def stored_runs(store) -> list:
    return next(iter(store.items.values()))["runs"]


def test_a_full_circuit_asked_for_after_a_run_leaves_out_the_hamstrings_and_says_why_once(skill, store):
    talk = Conversation(skill)
    talk.launch()
    reply = talk.say("BuildCircuitIntent", miles=slot("miles", "10"), day=slot("day", "today", "TODAY"))
    assert heard(reply, "note.legs_ran")
    assert "HAMSTRINGS" not in circuit_of(store)["areas"]
    assert not heard(reply, "running.ran_distance", distance="10 miles"), "the note already says why"
    assert stored_runs(store) == [[running.RAN, WEDNESDAY]]


def test_a_glute_focus_asked_for_with_a_long_run_tomorrow_is_upper_back_and_core_and_says_why(skill, store):
    talk = Conversation(skill)
    talk.launch()
    reply = talk.say("BuildCircuitIntent", area=slot("area", "glutes", "GLUTE_MEDIUS"),
                     run=slot("run", "long run tomorrow", "LONG_RUN_TOMORROW"))
    circuit = circuit_of(store)
    assert set(circuit["areas"]) <= {"LOWER_BACK", "REAR_DELTS"}, "no leg work, even for a glute focus, the day before"
    assert not HIGH_FATIGUE & set(circuit["exercises"] + circuit["warmup"])
    assert heard(reply, "note.legs_off_long_run"), said(reply)
    assert not heard(reply, "running.long_run_tomorrow"), "the note says why: the news is not said twice"
    assert stored_runs(store) == [[running.LONG_RUN, "2026-11-26"]]


def test_a_short_run_said_with_a_request_leaves_the_circuit_as_it_is(skill, store):
    talk = Conversation(skill)
    talk.launch()
    reply = talk.say("BuildCircuitIntent", kilometers=slot("kilometers", "1"))
    assert "HAMSTRINGS" in circuit_of(store)["areas"]
    assert not any(n["code"].startswith("legs_") for n in circuit_of(store)["notes"])
    assert heard(reply, "running.build_short", distance="one kilometer")
    assert stored_runs(store) == []


def test_a_race_days_away_said_with_a_request_leaves_the_circuit_as_it_is_and_is_remembered(skill, store, clock):
    talk = Conversation(skill)
    talk.launch()
    reply = talk.say("BuildCircuitIntent", run=slot("run", "race", "RACE"), day=slot("day", "saturday", "SATURDAY"))
    assert "HAMSTRINGS" in circuit_of(store)["areas"]
    assert heard(reply, "running.build_later", event="Your race", days="3 days")
    assert stored_runs(store) == [[running.RACE, "2026-11-28"]]
    clock.advance(days=2)
    talk.launch()
    talk.say("StartFreshIntent")
    reply = talk.say("BuildCircuitIntent")
    assert heard(reply, "note.legs_off_race")
    assert set(circuit_of(store)["areas"]) <= {"LOWER_BACK", "REAR_DELTS"}


def test_running_said_with_a_request_is_remembered_for_that_day_only(skill, store, clock):
    talk = Conversation(skill)
    talk.launch()
    reply = talk.say("BuildCircuitIntent", run=slot("run", "sore", "SORE"))
    assert heard(reply, "note.legs_sore")
    talk.say("StartFreshIntent")
    reply = talk.say("BuildCircuitIntent")
    assert heard(reply, "note.legs_sore"), "later that day, still spared"
    clock.advance(days=1)
    talk.launch()
    talk.say("StartFreshIntent")
    reply = talk.say("BuildCircuitIntent")
    assert "HAMSTRINGS" in circuit_of(store)["areas"]
    assert not any(n["code"].startswith("legs_") for n in circuit_of(store)["notes"])


def test_news_the_note_does_not_give_is_said_back_in_a_request(skill, store):
    talk = Conversation(skill)
    talk.launch()
    talk.say("TodaysRunIntent", run=slot("run", "race tomorrow", "RACE_TOMORROW"))
    talk.say("AMAZON.NoIntent")
    reply = talk.say("BuildCircuitIntent", miles=slot("miles", "10"))
    assert heard(reply, "note.legs_off_race"), "the race is the stronger reason"
    assert heard(reply, "running.ran_distance", distance="10 miles"), "so the run is said back"
