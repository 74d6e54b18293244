"""The runner's day is their own day (issue 24): "today", "tomorrow", a race "on Saturday", the last workout's day,
this week, a sore part and the areas left out today are counted on the runner's clock, in the zone their device
says, not in UTC. A runner in California at 6 pm has not yet reached tomorrow, though UTC has; one in Brisbane
just after midnight has, though UTC has not.

Each conversation below was wrong before (every day was the UTC date): see NOTE-day.md's measure.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runner_strength.storage.memory import MemoryStore
from tests.support.clock import Clock
from tests.support.envelopes import Conversation, heard, said, slot
from tests.support.skills import device_in, make_skill
from tests.test_pain_parts import part
from tests.test_preferences_history import do_a_workout

PACIFIC = "America/Los_Angeles"
BRISBANE = "Australia/Brisbane"  # UTC+10 all year


class Runner:
    """A runner whose device is in `zone`, talking to the skill on a clock set by the runner's own time."""

    def __init__(self, zone: str) -> None:
        self.zone = zone
        self.store = MemoryStore()
        self.clock = Clock()
        self.skill = make_skill(self.store, self.clock, settings=device_in(zone))

    def at(self, local: str) -> Conversation:
        """A new session at `local` ("2026-11-27 18:00") on the runner's clock."""
        moment = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(self.zone))
        self.clock.now = moment.astimezone(UTC)
        return Conversation(self.skill)

    @property
    def record(self) -> dict:
        return next(iter(self.store.items.values()))

    def circuit(self) -> dict:
        return self.record["workout"]["circuit"]


def race(day: str, spoken: str) -> dict:
    return {"run": slot("run", "race", "RACE"), "day": slot("day", spoken, day)}


# Friday 27 November 2026, 6 pm in California: 02:00 UTC on Saturday.

def test_a_race_on_saturday_said_on_friday_evening_is_tomorrow():
    runner = Runner(PACIFIC)
    talk = runner.at("2026-11-27 18:00")
    talk.launch()
    reply = talk.say("TodaysRunIntent", **race("SATURDAY", "saturday"))
    assert heard(reply, "running.race_tomorrow"), said(reply)
    assert runner.record["runs"] == [["RACE", "2026-11-28"]]


def test_race_eve_at_six_leaves_the_legs_alone_and_the_evening_after_the_race_is_recovery():
    runner = Runner(PACIFIC)
    talk = runner.at("2026-11-25 08:00")
    talk.launch()
    talk.say("TodaysRunIntent", **race("SATURDAY", "saturday"))
    talk = runner.at("2026-11-27 18:00")  # Friday evening: the race is tomorrow
    reply = talk.say("BuildCircuitIntent")
    assert heard(reply, "note.legs_off_race"), said(reply)
    assert set(runner.circuit()["areas"]) <= {"LOWER_BACK", "REAR_DELTS"}
    talk = runner.at("2026-11-29 18:00")  # Sunday evening: the race was yesterday
    talk.launch()
    talk.say("StartFreshIntent")
    reply = talk.say("BuildCircuitIntent")
    assert heard(reply, "note.legs_after_race"), said(reply)


def test_a_long_run_tomorrow_said_on_friday_evening_is_saturdays_and_sunday_is_for_recovery():
    runner = Runner(PACIFIC)
    talk = runner.at("2026-11-27 18:00")
    talk.launch()
    reply = talk.say("TodaysRunIntent", run=slot("run", "long run tomorrow", "LONG_RUN_TOMORROW"))
    assert heard(reply, "running.long_run_tomorrow"), said(reply)
    assert runner.record["runs"] == [["LONG_RUN", "2026-11-28"]]
    talk = runner.at("2026-11-29 08:00")
    reply = talk.say("BuildCircuitIntent")
    assert heard(reply, "note.legs_after_long_run"), said(reply)


def test_a_run_today_at_six_is_not_still_today_the_next_morning():
    runner = Runner(PACIFIC)
    talk = runner.at("2026-11-27 18:00")
    talk.launch()
    talk.say("TodaysRunIntent", miles=slot("miles", "10"))
    assert runner.record["runs"] == [["RAN", "2026-11-27"]]
    talk = runner.at("2026-11-28 08:00")
    reply = talk.say("BuildCircuitIntent")
    assert not heard(reply, "note.legs_ran"), said(reply)
    assert "HAMSTRINGS" in runner.circuit()["areas"]


def test_an_area_left_out_today_in_the_afternoon_is_still_left_out_at_six():
    runner = Runner(PACIFIC)
    talk = runner.at("2026-11-27 15:00")
    talk.launch()
    talk.say("RemoveAreaIntent", area=slot("area", "hamstrings", "HAMSTRINGS"))
    talk = runner.at("2026-11-27 18:00")
    talk.say("BuildCircuitIntent")
    assert "HAMSTRINGS" not in runner.circuit()["areas"]


def test_a_workout_at_six_is_yesterdays_the_next_afternoon():
    runner = Runner(PACIFIC)
    do_a_workout(runner.at("2026-11-27 18:00"))
    assert runner.record["history"][-1]["day"] == "2026-11-27"
    last = said(runner.at("2026-11-28 15:00").say("LastWorkoutIntent"))
    assert "yesterday" in last, last


def test_a_sore_knee_at_six_is_asked_about_the_next_morning():
    runner = Runner(PACIFIC)
    talk = runner.at("2026-11-23 18:00")
    talk.launch()
    talk.say("PainIntent", **part("knee"))
    assert [s["day"] for s in runner.record["sore"]] == ["2026-11-23"]
    reply = runner.at("2026-11-24 07:00").launch()
    assert heard(reply, "sore.check", part="knee"), said(reply)


def test_this_week_and_the_streak_count_sunday_evening_in_its_own_week():
    runner = Runner(PACIFIC)
    do_a_workout(runner.at("2026-11-21 18:00"))  # Saturday
    do_a_workout(runner.at("2026-11-22 18:00"))  # Sunday
    reply = runner.at("2026-11-22 19:00").say("StreakIntent")
    assert said(reply).startswith("2 workouts this week"), said(reply)
    assert "one week in a row" in said(reply)


def test_the_last_seven_days_are_the_runners():
    runner = Runner(PACIFIC)
    do_a_workout(runner.at("2026-11-20 18:00"))  # Friday evening, a week before
    reply = runner.at("2026-11-27 15:00").say("WeekCountIntent")
    assert heard(reply, "history.week_none"), said(reply)


# Brisbane, UTC+10: just after midnight it is already the next day there.

def test_just_after_midnight_in_brisbane_saturdays_race_is_today():
    runner = Runner(BRISBANE)
    talk = runner.at("2026-11-28 00:30")  # 14:30 UTC on Friday
    talk.launch()
    reply = talk.say("TodaysRunIntent", **race("SATURDAY", "saturday"))
    assert heard(reply, "running.race_today"), said(reply)


def test_just_after_midnight_in_brisbane_tomorrow_is_sunday():
    runner = Runner(BRISBANE)
    talk = runner.at("2026-11-28 00:30")
    talk.launch()
    talk.say("TodaysRunIntent", run=slot("run", "race tomorrow", "RACE_TOMORROW"))
    assert runner.record["runs"] == [["RACE", "2026-11-29"]]


@pytest.mark.parametrize("zone", [PACIFIC, BRISBANE])
def test_a_session_keeps_its_zone_and_the_record_the_zone_its_device_said(zone):
    runner = Runner(zone)
    talk = runner.at("2026-11-27 18:00")
    talk.launch()
    assert talk.session["time_zone"] == zone
    talk.say("BuildCircuitIntent")
    assert runner.record["time_zone"] == zone


# Day boundaries across zones: the day kept for "I ran today" a second before the runner's midnight and at it, in zones
# from UTC+14 to UTC-8, with a half-hour offset, and either side of London's and Los Angeles's changes of the clocks in
# 2026 (London: 29 March and 25 October; Los Angeles: 8 March and 1 November).
MIDNIGHTS = [  # (zone, the runner's midnight in UTC, the day that begins there)
    ("Pacific/Kiritimati", "2026-12-31T10:00:00", "2027-01-01"),  # UTC+14
    ("Asia/Kolkata", "2026-11-27T18:30:00", "2026-11-28"),  # UTC+5:30
    ("Australia/Brisbane", "2026-11-27T14:00:00", "2026-11-28"),  # UTC+10
    ("Europe/London", "2026-03-29T23:00:00", "2026-03-30"),  # the first midnight of summer time
    ("Europe/London", "2026-10-24T23:00:00", "2026-10-25"),  # the last one: the clocks go back at 2 am
    ("America/Los_Angeles", "2026-03-08T08:00:00", "2026-03-08"),  # PST: the clocks go forward at 2 am
    ("America/Los_Angeles", "2026-03-09T07:00:00", "2026-03-09"),  # PDT
    ("America/Los_Angeles", "2026-11-01T07:00:00", "2026-11-01"),  # PDT: the clocks go back at 2 am
    ("America/Los_Angeles", "2026-11-02T08:00:00", "2026-11-02"),  # PST
]


def day_kept(runner: Runner, moment: datetime) -> str:
    runner.store.items.clear()
    runner.clock.now = moment
    talk = Conversation(runner.skill)
    talk.launch()
    talk.say("TodaysRunIntent", run=slot("run", "easy day", "EASY_DAY"))
    return runner.record["runs"][-1][1]


@pytest.mark.parametrize(("zone", "midnight", "day"), MIDNIGHTS)
def test_the_day_turns_at_the_runners_midnight(zone, midnight, day):
    runner = Runner(zone)
    at = datetime.fromisoformat(midnight).replace(tzinfo=UTC)
    before = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    assert (day_kept(runner, at - timedelta(seconds=1)), day_kept(runner, at)) == (before, day)


ZONES = ["Pacific/Kiritimati", "Asia/Kolkata", "Australia/Brisbane", "Europe/London", "America/Los_Angeles", "UTC"]


@settings(max_examples=60)
@given(st.sampled_from(ZONES), st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC)))
def test_any_moment_is_the_day_the_runners_wall_clock_shows(zone, moment):
    wall = moment.astimezone(ZoneInfo(zone))
    assert day_kept(Runner(zone), moment) == f"{wall.year:04d}-{wall.month:02d}-{wall.day:02d}"
