""""This one" is the one the runner means, from every point of a workout: a remark about difficulty or pain is
about the set being done when it cuts into one, else the set just done (before any set, the one coming up);
"skip this one" and "something else" are about the set the runner is at (in it, or in the rest or count leading
into it; at a hand-back, the one coming up); "go back" is the set before that one, never the warm-up; "next" in a
set is through with it (it counts), in a rest it ends the rest; and every reply names the exercise it acted on.

Each point is a place in a freshly built full circuit (five exercises, two rounds): a request barges into the
last response (a delivery) at a second read from its timeline, or comes at its hand-back, after it was heard out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from runner_strength.speech.phrases import load_locale
from runner_strength.speech.ssml import Ssml
from runner_strength.training.catalog import load_catalog
from runner_strength.training.cursor import Cursor
from runner_strength.voice.areas.exercise import Harder
from tests.support.envelopes import Conversation, heard, said, session_record, speech
from tests.support.workouts import WORK_MARKS, mark_of, pending_question

CATALOG = load_catalog()
EN = load_locale("en-US")


def cursor_of(store) -> Cursor:
    return Cursor.from_dict(next(iter(store.items.values()))["workout"])


def prefs_of(store) -> dict:
    return next(iter(store.items.values()))["preferences"]


def name(exercise_id: str) -> str:
    return EN.exercises[exercise_id].name


def marks(talk: Conversation) -> list[list]:
    return talk.session["block_sent"]["marks"]


@dataclass(frozen=True)
class Point:
    """Where the runner speaks: `barge` seconds into the last delivery (None: at its hand-back, heard to the end),
    at workout step `step`, in a `kind` of interval: "work" (the set's own work), "rest" or "setup" (the rest or
    the count to get set leading into it), "warmup" (a drill of the warm-up, step 0), or "handback" (the rest the
    response ended in leads into it)."""

    barge: float | None
    step: int
    kind: str


def in_the_warm_up(talk: Conversation) -> Point:
    talk.say("ReadyIntent")
    drill = mark_of(talk, "hold", 0)
    return Point(drill[1] + 5, 0, "warmup")


def in_the_first_get_set_count(talk: Conversation) -> Point:
    talk.say("ReadyIntent")
    count = mark_of(talk, "setup")
    return Point(count[1] + 5, count[3], "setup")


def at_the_first_hand_back(talk: Conversation) -> Point:
    talk.say("ReadyIntent")
    closing = marks(talk)[-1]
    assert closing[0] == "rest", "a delivery ends in a rest"
    return Point(None, closing[3], "handback")


def in_a_rest_mid_delivery(talk: Conversation) -> Point:
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    rest = mark_of(talk, "rest")
    assert rest is not marks(talk)[-1], "a rest inside the delivery, not the one it ends in"
    return Point(rest[1] + 5, rest[3], "rest")


def half_way_through_a_set(talk: Conversation) -> Point:
    """In the work of the delivery's second set: a set was done just before it, in the same response."""
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    first = talk.session["block_sent"]["first"]
    work = next(m for m in marks(talk) if m[0] in WORK_MARKS and m[3] > first)
    return Point(work[1] + work[2] / 2, work[3], "work")


def at_a_rounds_end(talk: Conversation) -> Point:
    """The hand-back whose rest leads into round two."""
    talk.say("ReadyIntent")
    for _ in range(8):
        cursor = Cursor.from_dict(session_record(talk.session)["workout"])
        if cursor.next_step.round == 2 and cursor.next_step.index == 0:
            return Point(None, cursor.position, "handback")
        talk.say("AMAZON.NextIntent")
    raise AssertionError("no hand-back at a round's end")


def in_the_count_after_a_skip(talk: Conversation) -> Point:
    """"Skip this one" at the first hand-back, then in the count to get set for the set after the skipped one."""
    talk.say("ReadyIntent")
    talk.say("SkipIntent")
    count = mark_of(talk, "setup")
    return Point(count[1] + 5, count[3], "setup")


def in_the_count_after_going_back(talk: Conversation) -> Point:
    """"Go back" at the second hand-back, then in the count to get set for the set gone back to."""
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    talk.say("AMAZON.PreviousIntent")
    count = mark_of(talk, "setup")
    return Point(count[1] + 5, count[3], "setup")


POINTS: dict[str, Callable[[Conversation], Point]] = {
    "in the warm-up": in_the_warm_up,
    "in the first get-set count": in_the_first_get_set_count,
    "at the first hand-back": at_the_first_hand_back,
    "in a rest mid-delivery": in_a_rest_mid_delivery,
    "half-way through a set": half_way_through_a_set,
    "at a round's end": at_a_rounds_end,
    "in the count after a skip": in_the_count_after_a_skip,
    "in the count after going back": in_the_count_after_going_back,
}
BEFORE_ANY_SET = {"in the warm-up", "in the first get-set count"}


def at(skill, point: str) -> tuple[Conversation, Point]:
    talk = Conversation(skill)
    talk.launch()
    talk.say("BuildCircuitIntent")
    return talk, POINTS[point](talk)


def last_set_before(cursor: Cursor, step: int) -> int | None:
    """The set done most recently before step `step`, as the cursor stood before the runner spoke."""
    return max((i for i in cursor.done if i < step and cursor.steps[i].is_set), default=None)


def first_set_from(cursor: Cursor, step: int) -> int:
    return next(i for i in range(step, len(cursor.steps)) if cursor.steps[i].is_set)


def meant_by_a_remark(cursor: Cursor, where: Point) -> int:
    """What "too hard" or "too easy" is about: the set being done; else the set just done; before any, the next."""
    if where.kind == "work":
        return where.step
    last = last_set_before(cursor, where.step)
    return last if last is not None else first_set_from(cursor, where.step)


def the_one_at(cursor: Cursor, where: Point) -> int:
    """What "skip this one" and "something else" are about: the set the runner is at, or is setting up for."""
    return first_set_from(cursor, where.step)


def done_before(cursor: Cursor, step: int) -> frozenset[int]:
    return frozenset(i for i in cursor.done if i < step)


@pytest.mark.parametrize("point", POINTS)
def test_each_point_is_reached_as_described(skill, store, point):
    _, where = at(skill, point)
    before = cursor_of(store)
    assert before.steps[where.step].is_set == (where.kind != "warmup")
    last = last_set_before(before, where.step)
    assert (last is None) == (point in BEFORE_ANY_SET), "before any set exactly at the points that say so"
    if where.kind == "work":
        assert last is not None and last != where.step, "a set was done before the one being done"
    if point == "in the count after a skip":
        assert where.step - 1 in before.skipped and last == where.step - 2, "the skipped one is not the last done"


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("remark", ["HarderIntent", "EasierIntent"])
def test_harder_or_easier_is_about_the_set_meant_and_asks_to_keep_it(skill, store, point, remark):
    talk, where = at(skill, point)
    before = cursor_of(store)
    meant = before.steps[meant_by_a_remark(before, where)].exercise
    reply = talk.say(remark, barge=where.barge)
    assert name(meant).lower() in said(reply).lower(), "the reply names the exercise it acted on"
    prefs = prefs_of(store)
    changed = set(prefs["variants"]) | set(prefs["dose_steps"])
    assert changed == {meant}, "only the exercise meant is changed"
    assert pending_question(talk) == "keep_change"
    assert done_before(cursor_of(store), where.step) == done_before(before, where.step), "work done stays done"
    if where.kind == "work":
        assert where.step not in cursor_of(store).done, "the set cut part-way does not count"


@pytest.mark.parametrize("point", [p for p in POINTS if p != "in the warm-up"])
@pytest.mark.parametrize("answer", ["AMAZON.YesIntent", "AMAZON.NoIntent"])
def test_after_the_keep_question_the_workout_carries_on_with_a_count_into_the_set_it_was_at(
        skill, store, point, answer):
    talk, where = at(skill, point)
    talk.say("HarderIntent", barge=where.barge)
    changed = cursor_of(store)
    reply = talk.say(answer)
    assert heard(reply, "keep.change_kept" if answer == "AMAZON.YesIntent" else "keep.change_today")
    first = marks(talk)[0]
    assert first[0] == "setup" and first[3] == where.step, "on from the set the runner was at, with time to get set"
    coming = changed.steps[where.step].exercise
    assert name(coming).lower() in said(reply).lower(), "naming the set, as it now stands"


@pytest.mark.parametrize("point", [p for p in POINTS if p not in BEFORE_ANY_SET])
def test_this_hurts_is_about_the_set_meant_never_a_skipped_one(skill, store, point):
    talk, where = at(skill, point)
    before = cursor_of(store)
    hurt = where.step if where.kind == "work" else last_set_before(before, where.step)
    reply = talk.say("PainIntent", barge=where.barge)
    assert heard(reply, "pain.stop", name=name(before.steps[hurt].exercise)), said(reply)
    after = cursor_of(store)
    assert hurt not in after.done, "the set that hurt does not count"
    assert after.done == done_before(before, where.step) - {hurt}, "every other set done stays done"
    assert pending_question(talk) == "pain"


GO = tuple(EN.phrases["go"]) + tuple(EN.phrases["side.first"])


@pytest.mark.parametrize("point", sorted(BEFORE_ANY_SET))
def test_this_hurts_before_any_set_stops_and_says_the_safety_line(skill, store, point):
    """Said in the warm-up or in the count before the first set: nothing to uncount, but the runner stops; the
    reply does not put them back into the drill (or on into the first set) in the same breath."""
    talk, where = at(skill, point)
    reply = talk.say("PainIntent", barge=where.barge)
    assert heard(reply, "pain.stop_general") and heard(reply, "pain.safety")
    assert not any(go in said(reply) for go in GO), said(reply)
    assert cursor_of(store).sets_done == 0


@pytest.mark.parametrize("point", [p for p in POINTS if p != "in the warm-up"])
def test_skip_this_one_is_the_set_it_was_at_and_is_not_counted(skill, store, point):
    talk, where = at(skill, point)
    before = cursor_of(store)
    skipped = the_one_at(before, where)
    reply = talk.say("SkipIntent", barge=where.barge)
    assert heard(reply, "skip.set", name=name(before.steps[skipped].exercise)), said(reply)
    after = cursor_of(store)
    assert skipped in after.skipped and skipped not in after.done
    assert done_before(after, skipped) == done_before(before, skipped), "what was done before stays done"
    # Then on to the next set, with a count to get set for it.
    assert marks(talk)[0][0] == "setup" and marks(talk)[0][3] == skipped + 1
    assert name(before.steps[skipped + 1].exercise).lower() in said(reply).lower()
    counted = len({i for i in done_before(before, skipped) if before.steps[i].is_set}
                  | set(range(skipped + 1, talk.session["block_sent"]["through"] + 1)))
    left = said(talk.say("HowManyLeftIntent"))
    assert re.search(rf"done {counted} of {before.total_sets}\b", left), left


def test_skip_this_one_in_the_warm_up_skips_the_warm_up_not_a_set(skill, store):
    talk, where = at(skill, "in the warm-up")
    reply = talk.say("SkipIntent", barge=where.barge)
    assert heard(reply, "skip.warmup")
    after = cursor_of(store)
    assert 0 in after.skipped and 0 not in after.done
    assert marks(talk)[0][0] == "setup" and marks(talk)[0][3] == 1, "straight to the first set, with time to get set"


@pytest.mark.parametrize("point", POINTS)
def test_something_else_is_the_set_it_was_at(skill, store, point):
    talk, where = at(skill, point)
    before = cursor_of(store)
    index = the_one_at(before, where)
    old = before.steps[index].exercise
    reply = talk.say("SwapIntent", barge=where.barge)
    after = cursor_of(store)
    new = after.steps[index].exercise
    assert heard(reply, "adjust.swapped", old=name(old), new=name(new)), said(reply)
    assert new != old and CATALOG[new].area == CATALOG[old].area
    assert old not in [after.steps[i].exercise for i in range(index, len(after.steps))], "not later today either"
    done = [before.steps[i].exercise for i in sorted(done_before(before, where.step))]
    assert [after.steps[i].exercise for i in sorted(done_before(before, where.step))] == done, "done work as it was"
    if where.kind != "warmup":
        assert talk.session["block_sent"]["first"] == index, "and on with the new one"


@pytest.mark.parametrize("point", POINTS)
def test_go_back_is_the_set_before_the_one_it_was_at_never_the_warm_up(skill, store, point):
    talk, where = at(skill, point)
    before = cursor_of(store)
    at_set = first_set_from(before, where.step)
    earlier = [i for i in range(at_set - 1, -1, -1) if before.steps[i].is_set]
    reply = talk.say("AMAZON.PreviousIntent", barge=where.barge)
    if not earlier:
        assert heard(reply, "guide.at_start"), said(reply)
        assert 0 in cursor_of(store).done or where.kind == "warmup", "the warm-up is not done again"
        return
    target = earlier[0]
    assert heard(reply, "back.to", name=name(before.steps[target].exercise)), said(reply)
    first = marks(talk)[0]
    assert first[0] == "setup" and first[3] == target, "with a count to get set for it"
    assert done_before(cursor_of(store), target) == done_before(before, target), "what came before stays done"


def test_next_half_way_through_a_set_counts_it_and_a_whole_rest_follows(skill, store):
    talk, where = at(skill, "half-way through a set")
    before = cursor_of(store)
    talk.say("AMAZON.NextIntent", barge=where.barge)
    after = cursor_of(store)
    assert where.step in after.done and done_before(before, where.step) <= after.done
    rest = marks(talk)[0]
    assert rest[0] == "rest" and rest[3] == where.step + 1 and rest[2] == before.circuit.rest_seconds


def test_next_in_a_rest_ends_the_rest_and_the_set_starts(skill, store):
    talk, where = at(skill, "in a rest mid-delivery")
    before = cursor_of(store)
    reply = talk.say("AMAZON.NextIntent", barge=where.barge)
    first = marks(talk)[0]
    assert first[0] in WORK_MARKS and first[3] == where.step, "straight into the set the rest led into"
    assert done_before(cursor_of(store), where.step) == done_before(before, where.step)
    assert not re.match(r"\d+ seconds of rest left", said(reply))


def test_too_hard_after_the_last_set_of_an_exercise_changes_it_for_next_time_and_a_no_keeps_it_to_today(
        skill, store):
    """In the rest after an exercise's last set today, with a harder bodyweight move to step up to."""
    talk = Conversation(skill)
    talk.launch()
    for _ in range(10):  # circuits until one has such a rest in a response that hands back
        talk.say("StartFreshIntent")
        talk.say("BuildCircuitIntent")
        talk.say("ReadyIntent")
        while talk.session is not None and session_record(talk.session).get("workout"):
            cursor = Cursor.from_dict(session_record(talk.session)["workout"])
            rest = next((m for m in marks(talk) if m[0] == "rest" and last_of_a_steppable_move(cursor, m[3] - 1)),
                        None)
            if rest is not None:
                break
            talk.say("AMAZON.NextIntent")
        if talk.session is not None and session_record(talk.session).get("workout"):
            break
        talk.launch()
    else:
        raise AssertionError("no rest after a last set with a harder bodyweight move")
    meant = cursor.steps[rest[3] - 1].exercise
    harder = CATALOG[meant].harder
    reply = talk.say("HarderIntent", barge=rest[1] + 5)
    assert heard(reply, "adjust.harder_next", old=name(meant), new=name(harder)), said(reply)
    assert prefs_of(store)["variants"] == {meant: harder}
    reply = talk.say("AMAZON.NoIntent")
    assert heard(reply, "keep.change_today")
    assert meant not in prefs_of(store)["variants"] and meant not in prefs_of(store)["dose_steps"]
    assert marks(talk)[0][0] == "setup", "and the workout carries on, with time to get set"


def last_of_a_steppable_move(cursor: Cursor, index: int) -> bool:
    """Whether the step at `index` is its move's last set today, and the move has a harder bodyweight neighbour
    not in today's workout, one a coach gives an intermediate runner mid-workout."""
    step = cursor.steps[index]
    if not step.is_set or any(s.exercise == step.exercise for s in cursor.steps[index + 1:]):
        return False
    harder = CATALOG[step.exercise].harder
    return bool(harder) and CATALOG[harder].equipment == "none" and harder not in cursor.exercises \
        and Harder.rung_allowed("intermediate", CATALOG[harder], started=True)


def test_undo_that_right_after_a_harder_or_easier_choice_keeps_it_to_today(skill, store):
    """Found in make chat: "undo that" after "make this one a bit easier" said "Undone: …" and then asked again
    whether to keep the change it had just undone. It is the runner's no: today only, and nothing asked again."""
    talk = Conversation(skill)
    talk.launch()
    talk.say("BuildCircuitIntent")
    talk.say("ReadyIntent")
    meant = cursor_of(store).last_set_done.exercise
    talk.say("EasierIntent")
    reply = talk.say("UndoIntent")
    assert heard(reply, "keep.change_today")
    assert not any(v in said(reply) for v in EN.phrases["keep.change"])
    assert pending_question(talk) is None
    stored = prefs_of(store)
    assert meant not in stored["variants"] and meant not in stored["dose_steps"]


# A delivery that opens with something said first -------------------------------------------------------------

def rendered_seconds(reply: dict) -> float:
    """How long a response renders, by the timing model, from its SSML alone: its words between breaks, and its
    breaks."""
    ssml = Ssml()
    body = speech(reply).removeprefix("<speak>").removesuffix("</speak>")
    for part in re.split(r'(<break time="[\d.]+m?s"/>)', body):
        pause = re.fullmatch(r'<break time="([\d.]+)(ms|s)"/>', part)
        if pause:
            ssml.pause(float(pause[1]) / (1000 if pause[2] == "ms" else 1))
        elif part.strip():
            ssml.say(re.sub(r"<[^>]+>", " ", part))
    return ssml.seconds


def test_too_hard_in_a_rest_heard_after_an_aside_is_about_the_set_just_done(skill, store):
    """"How do I do this" in a rest: the answer, then the delivery carries on from that second. The runner hears
    the answer first, so everything after it comes that much later in the response: "too hard" said ten seconds
    into a rest further on is about the set just done, as anywhere else."""
    talk, where = at(skill, "in a rest mid-delivery")
    reply = talk.say("ExplainIntent", barge=where.barge)
    assert heard(reply, "explain", name=name(cursor_of(store).steps[where.step].exercise),
                 how_to=EN.exercises[cursor_of(store).steps[where.step].exercise].how_to)
    carried = cursor_of(store)
    delivery = talk.session["block_sent"]
    # What was said before the delivery: the response is that answer, then the delivery to its end.
    answer = rendered_seconds(reply) - delivery["ends"]
    rest = next(m for m in delivery["marks"] if m[0] == "rest" and m[3] > where.step)
    just_done = rest[3] - 1
    assert carried.steps[just_done].is_set and just_done in carried.done
    reply = talk.say("HarderIntent", barge=answer + rest[1] + 10)
    assert name(carried.steps[just_done].exercise).lower() in said(reply).lower(), said(reply)
    assert set(prefs_of(store)["variants"]) | set(prefs_of(store)["dose_steps"]) == \
        {carried.steps[just_done].exercise}
