"""Progression over weeks: simulated runners whose history grows one session at a time. Doses grow after two
sessions done in full, move up the ladder at the top, ease back when the runner turns a dose down, rest every
fourth week, and every decision is logged once and never changed."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runner_strength.speech import coach
from runner_strength.speech.phrases import Voice, load_locale
from runner_strength.training import progression as p
from runner_strength.training.builder import CircuitRequest, build_circuit
from runner_strength.training.catalog import load_catalog
from runner_strength.training.record import MAX_DOSE_STEPS, RunnerRecord, Session
from tests.support.envelopes import Conversation, said, session_ended, session_record, slot
from tests.support.workouts import pending_question, seeded_glute_runner

CATALOG = load_catalog()
LEVELS_SEED = {"beginner": 1, "intermediate": 2, "advanced": 3}
EN = load_locale("en-US")
VOICE = Voice(EN, random.Random(0), {})
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
    assert grown.reps == 17 and CATALOG["glute_bridge"].reps == 15, "two reps more"


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
                                           progressed=p.unheard(record.progress, record.told)), CATALOG, 1)
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


def test_a_lighter_weeks_session_done_below_a_grown_dose_does_not_count_toward_the_next_growth():
    """Grown after two sessions in full, then held back in a lighter week (done at the dose before it grew), then
    done once at the grown dose: one session in full at it, not two, so it does not grow again yet (and the runner
    is never told "you've done 17 reps in full twice" after doing them once)."""
    record = plan(RunnerRecord(history=(session(0, ("glute_bridge",)), session(1, ("glute_bridge",)))), 2)
    assert record.preferences.dose_steps == {"glute_bridge": 1}
    light_day = (START + timedelta(weeks=3, days=2)).isoformat()
    assert p.lighter_week(record.history, light_day)
    news = p.unheard(record.progress, record.told)
    assert p.held_back(news, record.preferences.dose_steps, {})[0]["glute_bridge"] == 0, "held back to its dose before"
    record = replace(record, history=(*record.history, Session("light", light_day, (), ("glute_bridge",), 4, 4, True)))
    record = p.progressed(record, CATALOG, light_day, MAX_DOSE_STEPS)
    assert len(record.progress) == 1, "nothing grows in a lighter week"
    record = replace(record, told=tuple(c.key for c in record.progress))  # heard, and done at step 1 at last
    after = (START + timedelta(weeks=4, days=2)).isoformat()
    record = replace(record, history=(*record.history, Session("grown", after, (), ("glute_bridge",), 4, 4, True)))
    record = p.progressed(record, CATALOG, after, MAX_DOSE_STEPS)
    assert record.preferences.dose_steps == {"glute_bridge": 1}, record.progress[-1]


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
    reply = said(talk.say("ProgressionIntent"))
    assert "Nothing has grown yet" in reply
    # Found in make chat: "In the last 30 days you've done 0 workouts."
    assert "0 workouts" not in reply and "No workouts in the last 30 days yet." in reply


def finish_a_glute_circuit(skill, store) -> str:
    talk = Conversation(skill)
    talk.launch()
    if next(iter(store.items.values())).get("workout"):
        talk.say("StartFreshIntent")
    intro = said(talk.say("BuildCircuitIntent", area=slot("area", "glutes", "GLUTE_MEDIUS")))
    talk.say("ReadyIntent")
    while not RunnerRecord.from_dict(next(iter(store.items.values()))).workout.finished and len(talk.turns) < 20:
        talk.say("AMAZON.NextIntent")
    talk.send(session_ended("EXCEEDED_MAX_REPROMPTS"))  # the summary heard, nothing more said: the session ends
    assert not next(iter(store.items.values())).get("workout"), "the workout is closed"
    return intro


def test_a_runner_hears_the_growth_once_and_does_the_grown_dose(skill, store, clock):
    intros = []
    for _ in range(3):
        intros.append(finish_a_glute_circuit(skill, store))
        clock.advance(days=3)
    record = RunnerRecord.from_dict(next(iter(store.items.values())))
    assert "in full" not in intros[0] + intros[1]
    grown = [c for c in record.progress if c.kind == p.DOSE_UP]
    assert grown and "in full" in intros[2]
    for change in grown:
        exercise = CATALOG[change.exercise]
        now, before = (coach.dose(VOICE.text, exercise.with_dose_steps(n)).rstrip(".")
                       for n in (change.steps, change.steps - 1))
        assert f"Up to {now} on {EN.exercises[change.exercise].name} today: you've done {before} in full twice." \
            in intros[2]
    for change in grown:
        assert record.preferences.dose_steps[change.exercise] == change.steps == 1
    # Asked again, the answer names what grew and its dose now.
    talk = Conversation(skill)
    talk.launch()
    reply = said(talk.say("ProgressionIntent"))
    assert "In the last 30 days you've done 3 workouts" in reply
    assert EN.exercises[grown[0].exercise].name in reply


# Simulated runners over weeks, through the whole conversation ---------------------------------------------------

SCRIPTED = {"EasierIntent": "that was too hard", "PainIntent": "this hurts"}
KIT_IDS = {"none": None, "resistance_band": "RESISTANCE_BAND", "dumbbells": "DUMBBELLS",
           "stability_ball": "STABILITY_BALL", "step_or_bench": "STEP_OR_BENCH"}


def stored(store) -> RunnerRecord:
    return RunnerRecord.from_dict(next(iter(store.items.values())))


def one_workout(talk, store, rng: random.Random, odds: dict[str, float], script: dict[int, str] | None = None,
                transcript: list[str] | None = None) -> str:
    """Launch, build a full circuit, and train it: "ready", then mostly "next" (each a delivery of as many sets as
    fit in a response), now and then "too hard", "this hurts" or a stop at a hand-back, answering whatever is
    asked (`script`: what to say once, at the first hand-back with at least that many sets done). Returns the
    circuit's intro."""
    script = dict(script or {})
    talk.launch()
    if stored(store).workout is not None:
        talk.say("StartFreshIntent")
    intro = said(talk.say("BuildCircuitIntent"))
    talk.say("ReadyIntent")
    for _ in range(300):
        if talk.session is None:
            break
        asked = pending_question(talk)
        if asked == "avoid":
            talk.say("AMAZON.YesIntent" if rng.random() < odds.get("avoid", 0.0) else "AMAZON.NoIntent")
        elif asked in ("keep_change", "keep_request", "pain"):
            talk.say(rng.choice(["AMAZON.YesIntent", "AMAZON.NoIntent"]))
        elif asked is not None:
            talk.say("AMAZON.NoIntent")
        elif stored(store).workout is None or stored(store).workout.finished:
            # The summary heard, nothing more to say: the session, open a moment for a remark, ends.
            talk.send(session_ended("EXCEEDED_MAX_REPROMPTS"))
            break
        else:
            roll = rng.random()
            sets_done = (stored(store).workout or None) and stored(store).workout.sets_done
            due = [at for at in script if sets_done is not None and at <= sets_done]
            if due:  # a delivery holds several sets: said at the first hand-back with that many done
                said_now = script.pop(due[0])
                reply = said(talk.say(said_now))
                if transcript is not None:
                    transcript.append(f"  after {sets_done} sets, {SCRIPTED[said_now]!r} -> {reply.split('. ')[0]}.")
            elif sets_done and roll < odds.get("easier", 0.0):
                talk.say("EasierIntent")
            elif sets_done and roll < odds.get("easier", 0.0) + odds.get("pain", 0.0):
                talk.say("PainIntent")
            elif sets_done and roll < odds.get("easier", 0.0) + odds.get("pain", 0.0) + odds.get("stop", 0.0):
                talk.say("AMAZON.StopIntent")
                break
            else:
                talk.say("AMAZON.NextIntent")
    return intro


def planned(intro: str) -> list[str]:
    """The exercises an intro lists: "Full circuit: a, b, c and d. 2 rounds, …"."""
    listing = intro.split(". ")[0].split(": ", 1)[-1].lower()
    return [name.strip() for part in listing.split(", ") for name in part.split(" and ")]


def told(change: p.Change, text: str) -> bool:
    """Whether `text` tells the runner about `change` (alone, or among doses grown at once)."""
    name, text = EN.exercises[change.to].name.lower(), text.lower()
    if change.kind == p.LADDER_UP:
        return f"{name} in place of {EN.exercises[change.exercise].name}".lower() in text
    now = coach.dose(VOICE.text, CATALOG[change.to].with_dose_steps(change.steps)).rstrip(".")
    if change.kind == p.EASE_BACK:
        return f"{name} eases back to {now} today" in text
    return f"up to {now} on {name} today" in text or re.search(rf"(: |, | and ){re.escape(name)} {now}\b",
                                                               text) is not None


def simulate(skill, store, clock, level: str, kit: str, weeks: int, seed: int, odds: dict[str, float]):
    """A runner training twice a week for `weeks`; the intros heard and the record after each workout."""
    rng = random.Random(seed)
    talk = Conversation(skill, user_id=f"amzn1.ask.account.SIM{level}{kit}{seed}")
    talk.launch()
    talk.say("SetLevelIntent", level=slot("level", level, level.upper()))
    if KIT_IDS[kit]:
        talk.say("HaveEquipmentIntent", equipment=slot("equipment", kit.replace("_", " "), KIT_IDS[kit]))
    talk.say("AMAZON.StopIntent")
    store_of = _OneRunner(store, talk.user_id)
    heard, records = [], []
    for _ in range(weeks):
        for gap in (3, 4):
            first = len(talk.turns)
            heard.append(one_workout(talk, store_of, rng, odds))
            records.append(stored(store_of))
            held_back_in_a_lighter_week(records, heard, " ".join(said(reply) for reply in talk.turns[first:]))
            clock.advance(days=gap)
    return heard, records


# A set's dose, said just before its "Go!" (in any of its words).
_GO_WORDS = "|".join(re.escape(v) for key in ("go", "side.first") for v in EN.phrases[key])
DOSE_AT_GO = re.compile(rf"(\d+ (?:reps|each side|seconds each side|seconds)\.) (?:{_GO_WORDS})")


def held_back_in_a_lighter_week(records: list[RunnerRecord], heard: list[str], spoken: str) -> None:
    """In a lighter week, a dose grown but not yet trained is done at its dose before it grew."""
    if len(records) < 2 or not p.lighter_week(records[-2].history, records[-1].history[-1].day):
        return
    for change in p.unheard(records[-2].progress, records[-2].told).values():
        name = EN.exercises[change.to].name
        if change.kind != p.DOSE_UP or name.lower() not in planned(heard[-1]):
            continue
        before, grown = (coach.dose(VOICE.text, CATALOG[change.to].with_dose_steps(n))
                         for n in (change.steps - 1, change.steps))
        # Its dose is said as its first set starts ("Next: bird dog. <set-up> ... 8 each side. Right side. Go!"),
        # and not again (its later sets are counted at it); after an announcement that leads to no dose (named
        # again after a skip or a swap), nothing is said of it.
        doses = []
        setup = EN.exercises[change.to].setup
        for named in re.finditer(rf"{re.escape(name)}[^.]*\. {re.escape(setup)}", spoken, re.IGNORECASE):
            # Up to its "Go!"; asides said in between ("so less work: 15 seconds.") do not count.
            go = re.compile(_GO_WORDS).search(spoken, named.end())
            said_dose = DOSE_AT_GO.search(spoken, named.end(), go.end() if go else len(spoken))
            if said_dose:
                doses.append(said_dose[1])
        done_today = change.to in records[-1].history[-1].did  # not when the workout stopped before it
        assert (doses or not done_today) and all(d == before for d in doses), (name, before, grown, doses)


class _OneRunner:
    """The store as seen by one runner's conversation (tests share a store between simulated runners)."""

    def __init__(self, store, user_id: str) -> None:
        self.store, self.user_id = store, user_id

    @property
    def items(self) -> dict:
        return {k: v for k, v in self.store.items.items() if self.user_id in k}


def check_progression(heard: list[str], records: list[RunnerRecord]) -> dict[str, int]:
    """Every rule of progression, read off what the runner heard and what was stored after each workout."""
    counts = {"grown": 0, "moved_up": 0, "eased_back": 0, "stepped_back": 0, "lighter": 0}
    final, lights = records[-1], []
    for n, record in enumerate(records):
        before = records[n - 1].progress if n else ()
        assert record.progress[:len(before)] == before, "a decision, once made, never changes"
        new = record.progress[len(before):]
        # This workout's decisions were made as it was planned, on the history as the one before left it.
        history = records[n - 1].history if n else ()
        light = p.lighter_week(history, record.history[-1].day)
        lights.append(light)
        if light:
            counts["lighter"] += 1
            assert "lighter week" in heard[n], heard[n]
            assert "in full" not in heard[n], "nothing grows in a lighter week, nor is growth told"
        for change in new:
            earlier = [c for c in before if c.exercise == change.exercise]
            ids = [s.id for s in history]
            cut = ids.index(earlier[-1].after) if earlier and earlier[-1].after in ids else -1
            window = history[cut + 1:]
            with_it = [s for s in window if change.exercise in s.picks]
            hurt = any(s.eased.get(change.exercise) == p.HURT for s in with_it)
            if change.kind in (p.DOSE_UP, p.LADDER_UP):
                counts["grown" if change.kind == p.DOSE_UP else "moved_up"] += 1
                assert not light, "nothing grows in a lighter week"
                assert not hurt, f"{change.exercise} hurt since its last change, yet it grew"
                last_two = with_it[-2:]
                assert len(last_two) == 2 and all(
                    s.finished and s.done >= s.total and change.exercise not in s.eased for s in last_two), \
                    f"{change.exercise} grew without two sessions in full since its last change"

            elif change.kind == p.EASE_BACK:
                counts["eased_back"] += 1
                assert hurt, f"{change.exercise} eased back without hurting"
            else:
                counts["stepped_back"] += 1
        for exercise, steps in record.preferences.dose_steps.items():
            assert abs(steps) <= MAX_DOSE_STEPS, (exercise, steps)
    # Told once: each change the runner then trained with is heard in exactly one intro, the first after it.
    for change in final.progress:
        if change.kind not in p.TOLD:
            continue
        decided = next(n for n, r in enumerate(records) if change in r.progress)
        same = sum(1 for c in final.progress if (c.to, c.kind, c.steps) == (change.to, change.kind, change.steps))
        # Planned into a circuit (named in its intro), not swapped in during one.
        trained = [n for n in range(decided, len(records)) if change.to in records[n].history[-1].picks
                   and EN.exercises[change.to].name.lower() in planned(heard[n])
                   and not (lights[n] and change.kind in p.GROWTH)]  # growth waits out a lighter week
        if trained and same == 1:
            assert told(change, heard[trained[0]]), (change, heard[trained[0]])
            assert sum(told(change, h) for h in heard) == 1, change
    return counts


def grown_from_held_back(records: list[RunnerRecord]) -> list[str]:
    """Doses grown on the strength of a session done below the dose they grew from: in a lighter week a growth not
    yet trained is held back (done at the dose before it), so that session is not one in full at the grown dose."""
    found = []
    workout_of = {record.history[-1].id: n for n, record in enumerate(records)}  # a session's index in `records`
    for n, record in enumerate(records):
        before = records[n - 1].progress if n else ()
        for change in record.progress[len(before):]:
            if change.kind != p.DOSE_UP:
                continue
            earlier = [c for c in before if c.exercise == change.exercise]
            ids = [s.id for s in records[n - 1].history] if n else []
            cut = ids.index(earlier[-1].after) if earlier and earlier[-1].after in ids else -1
            with_it = [s for s in (records[n - 1].history[cut + 1:] if n else ()) if change.exercise in s.picks]
            for s in with_it[-2:]:
                m = workout_of.get(s.id, 0)
                if m and p.lighter_week(records[m - 1].history, s.day) and any(
                        c.exercise == change.exercise and c.kind == p.DOSE_UP
                        for c in p.unheard(records[m - 1].progress, records[m - 1].told).values()):
                    found.append(f"{change.exercise} grew to step {change.steps} on {record.history[-1].day}, "
                                 f"counting {s.day}'s lighter-week session, done with step {change.steps - 1} held "
                                 "back, as one in full at that step")
    return found


@pytest.mark.parametrize("level", ["beginner", "intermediate", "advanced"])
@pytest.mark.parametrize("kit", ["none", "resistance_band"])
def test_simulated_runners_over_sixteen_weeks_keep_every_rule_of_progression(skill, store, clock, level, kit):
    """Twice a week for 16 weeks, full circuits, now and then too hard, a pain, a stop."""
    odds = {"easier": 0.01, "pain": 0.01, "stop": 0.01, "avoid": 0.3}
    heard, records = simulate(skill, store, clock, level, kit, weeks=16, seed=LEVELS_SEED[level], odds=odds)
    counts = check_progression(heard, records)
    print(level, kit, counts)
    assert counts["grown"] >= 10, "sixteen weeks of training grow doses"
    if level == "beginner":
        # A beginner's doses reach the top of their range (where the ladder takes over: tested on its own in
        # test_at_the_top_of_its_dose_an_exercise_moves_up_its_ladder), or something moves up already.
        tops = [e for e, steps in records[-1].preferences.dose_steps.items() if steps >= MAX_DOSE_STEPS - 1]
        assert counts["moved_up"] >= 1 or tops, "and some doses near the top of their range"
    assert counts["lighter"] == 8, "weeks 4, 8, 12 and 16 are lighter: two workouts each"
    assert not grown_from_held_back(records)


def test_a_runner_who_often_finds_it_hard_or_sore_grows_less_and_eases_back(skill, store, clock):
    heard, records = simulate(skill, store, clock, "intermediate", "none", weeks=8, seed=7,
                              odds={"easier": 0.04, "pain": 0.04, "stop": 0.02, "avoid": 0.2})
    counts = check_progression(heard, records)
    print(counts)
    assert counts["eased_back"] >= 1 and counts["grown"] >= 1
    assert not grown_from_held_back(records)


def test_four_weeks_of_one_runner(skill, store, clock):
    """The transcript in the issue's closing note: an intermediate runner with no kit, twice a week for four
    weeks; "too hard" once in week 2 and "this hurts" once in week 3 (kept in their workouts), the rest in full.
    Run with -s to read it."""
    scripts = {2: {4: "EasierIntent"}, 4: {3: "PainIntent"}}
    rng = random.Random(11)
    talk = Conversation(skill, user_id="amzn1.ask.account.FOURWEEKS")
    lines: list[str] = []
    heard, records = [], []
    for n in range(8):
        lines.append(f"{clock.now:%a %d %b} (week {n // 2 + 1}):")
        intro = one_workout(talk, _OneRunner(store, talk.user_id), rng, {"avoid": 0.0}, scripts.get(n), lines)
        lines.insert(len(lines) - (1 if n in scripts else 0), f"  {intro}")
        heard.append(intro)
        records.append(stored(_OneRunner(store, talk.user_id)))
        clock.advance(days=(3, 4)[n % 2])
    talk.launch()
    report = said(talk.say("ProgressionIntent"))
    lines.append(f"how am I progressing -> {report}")
    print("\n".join(lines))
    check_progression(heard, records)
    assert not any("in full" in h for h in heard[:2]), "nothing grows before two sessions"
    assert "A little more today, after two sessions in full: " in heard[5], "several grown: one sentence"
    assert any("in full" in h for h in heard[2:6])
    assert all("lighter week" in h for h in heard[6:]) and not any("lighter week" in h for h in heard[:6])
    hurt = next(e for e, why in records[4].history[-1].eased.items() if why == p.HURT)
    assert any(f"{EN.exercises[hurt].name.lower()} eases back" in h.lower() for h in heard[5:]), "told it eased"
    assert "In the last 30 days you've done 8 workouts." in report and "Grown:" in report and "Eased back:" in report
    eased = CATALOG[hurt].with_dose_steps(records[-1].preferences.dose_steps.get(hurt, 0))
    assert f"{EN.exercises[hurt].name} to {coach.dose(VOICE.text, eased).rstrip('.')}" in report, report
    assert not grown_from_held_back(records)


def test_the_card_shows_the_dose_the_coach_will_say(skill, store, clock):
    """Found by reading a card after a dose grew: the card listed the catalog's dose, the coach the grown one."""
    seeded_glute_runner(store, clock, "amzn1.ask.account.CARD")
    talk = Conversation(skill, user_id="amzn1.ask.account.CARD")
    talk.launch()
    reply = talk.say("BuildCircuitIntent", area=slot("area", "glutes", "GLUTE_MEDIUS"))
    assert "in full" in said(reply)
    card = reply["response"]["card"]["content"]
    doses = RunnerRecord.from_dict(session_record(talk.session)).preferences.dose_steps
    for line in card.splitlines()[2:]:
        name = line.split(". ", 1)[1].split(":")[0]
        exercise_id = next(e for e, text in EN.exercises.items() if text.name == name)
        dosed = CATALOG[exercise_id].with_dose_steps(doses.get(exercise_id, 0))
        assert line.endswith(coach.dose(VOICE.text, dosed)), (line, doses)
    assert any(doses.values())


def test_growth_waits_for_a_day_the_legs_are_not_spared(skill, store, clock):
    """Found in make chat: "give me a workout, my legs are sore" heard "Up to 17 reps on glute bridge today" next
    to "with your legs sore, I've left out…". On a day the legs are spared nothing grows; the day after it does."""
    seeded_glute_runner(store, clock, "amzn1.ask.account.SORE")
    talk = Conversation(skill, user_id="amzn1.ask.account.SORE")
    talk.launch()
    sore = talk.say("BuildCircuitIntent", area=slot("area", "glutes", "GLUTE_MEDIUS"), run=slot("run", "sore", "SORE"))
    assert "Sore legs" in said(sore) and "in full" not in said(sore)
    card = sore["response"]["card"]["content"]
    for exercise_id in RunnerRecord.from_dict(session_record(talk.session)).workout.exercises:
        assert f"{EN.exercises[exercise_id].name}: {coach.dose(VOICE.text, CATALOG[exercise_id])}" in card, card
    talk.say("AMAZON.StopIntent")
    clock.advance(days=1)
    talk.launch()
    talk.say("StartFreshIntent")
    fresh = said(talk.say("BuildCircuitIntent", area=slot("area", "glutes", "GLUTE_MEDIUS")))
    assert "in full" in fresh and "sore" not in fresh
