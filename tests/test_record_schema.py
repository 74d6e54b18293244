"""A stored record says which schema wrote it, and that is read: an older record is upgraded one schema at a time
(training/record.py MIGRATIONS), one with no schema is read as the oldest, and one from a newer release is read as
far as this one understands it and written back without losing what it does not."""

from __future__ import annotations

import copy
import logging
from dataclasses import replace

from runner_strength.training.record import (
    MIGRATIONS,
    SCHEMA,
    Preferences,
    RunnerRecord,
    Session,
    Streak,
    merge,
    upgraded,
)

# A record as the first release wrote it (schema 1, commit 7fea8ea): a visit count and the last workout's picks,
# four preferences, no history, streak or version.
SCHEMA_1 = {
    "schema": 1,
    "preferences": {"areas": ["HAMSTRINGS"], "rounds": 3, "equipment": ["resistance_band"], "level": "advanced"},
    "workout": None,
    "workout_updated": None,
    "last_picks": ["good_morning", "clamshell"],
    "workouts_finished": 4,
    "visits": 9,
}

# A record as schema 2 was first written (commit 0ed5480), before the day's skips, today's running, progression's
# log, the avoided exercises and a history entry's exercises done were added to it without a new number.
SCHEMA_2_FIRST = {
    "schema": 2,
    "version": 7,
    "preferences": {"areas": [], "rounds": None, "equipment": [], "level": "beginner", "rest_seconds": 45,
                    "pace": "slower", "cues": "brief"},
    "workout": None,
    "workout_id": None,
    "workout_updated": None,
    "history": [{"id": "w1", "day": "2026-11-20", "areas": ["HAMSTRINGS"], "picks": ["good_morning"], "done": 4,
                 "total": 4, "finished": True}],
    "streak": {"days": 1, "best": 2, "last_day": "2026-11-20"},
    "workouts_finished": 5,
    "welcomed": True,
}


def test_every_schema_before_todays_has_its_migration():
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA))


def test_a_schema_1_record_is_read_and_written_back_in_todays_schema():
    stored = copy.deepcopy(SCHEMA_1)
    record = RunnerRecord.from_dict(stored)
    assert stored == SCHEMA_1, "what was read is left as it was"
    assert record.preferences == Preferences(areas=("HAMSTRINGS",), rounds=3,
                                             equipment=frozenset({"resistance_band"}), level="advanced")
    assert record.workouts_finished == 4 and record.welcomed, "nine visits: the welcome was heard"
    assert record.history == () and record.streak == Streak() and record.version == 0
    written = record.to_dict()
    assert written["schema"] == SCHEMA and not {"visits", "last_picks"} & written.keys()
    assert RunnerRecord.from_dict(written) == record


def test_a_runner_who_never_visited_under_schema_1_is_welcomed_still():
    assert not RunnerRecord.from_dict({**SCHEMA_1, "visits": 0}).welcomed


def test_a_record_from_before_fields_were_added_reads_whole():
    record = RunnerRecord.from_dict(copy.deepcopy(SCHEMA_2_FIRST))
    assert (record.version, record.welcomed, record.workouts_finished) == (7, True, 5)
    assert record.preferences.rest_seconds == 45 and record.preferences.pace == "slower"
    assert record.history == (Session("w1", "2026-11-20", ("HAMSTRINGS",), ("good_morning",), 4, 4, True),)
    assert (record.runs, record.progress, record.told, record.skip_areas) == ((), (), (), ())


def test_a_merge_after_reading_an_older_record_keeps_what_the_other_device_wrote():
    """The merge base is taken from the record as today's schema reads it. Taken from the stored data as it was (as
    before the schema was read), a field the old record lacked looked changed on this device, and this device's
    empty value overwrote what the other device had saved there meanwhile."""
    stored = copy.deepcopy(SCHEMA_2_FIRST)
    mine = RunnerRecord.from_dict(stored)
    base = mine.summary(stored)
    theirs = RunnerRecord.from_dict({**mine.to_dict(), "runs": [["RACE", "2026-11-28"]], "told": ["k1"],
                                     "version": 8})
    merged = merge(base, mine, theirs)
    assert merged.runs == (("RACE", "2026-11-28"),) and merged.told == ("k1",)
    assert merged.version == 8


def test_a_record_with_no_schema_is_read_as_the_oldest_and_loses_nothing():
    today = RunnerRecord(welcomed=True, workouts_finished=2, told=("k1",),
                         preferences=Preferences(avoid=frozenset({"clamshell"})))
    without = today.to_dict()
    del without["schema"]
    assert RunnerRecord.from_dict(without) == today
    first = {k: v for k, v in SCHEMA_1.items() if k != "schema"}
    assert RunnerRecord.from_dict(first).welcomed and RunnerRecord.from_dict(first).preferences.level == "advanced"
    assert RunnerRecord.from_dict({**without, "schema": "two"}) == today, "an unreadable schema reads as the oldest"


def newer_record() -> dict:
    data = RunnerRecord(welcomed=True, workouts_finished=6, version=3).to_dict()
    data["schema"] = SCHEMA + 1
    data["coach_voice"] = {"name": "calm", "since": "2027-01-02"}
    data["preferences"]["music"] = "on"
    return data


def test_a_record_from_a_newer_schema_is_read_as_far_as_known_and_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="runner_strength.training.record"):
        record = RunnerRecord.from_dict(newer_record())
    assert (record.welcomed, record.workouts_finished, record.version) == (True, 6, 3)
    assert f"a record of schema {SCHEMA + 1}, newer than this release's {SCHEMA}" in caplog.text


def test_a_record_from_a_newer_schema_is_written_back_with_what_this_release_does_not_know():
    stored = newer_record()
    record = RunnerRecord.from_dict(stored)
    changed = record.finished()
    written = changed.to_dict()
    assert written["schema"] == SCHEMA + 1, "not silently downgraded"
    assert written["coach_voice"] == {"name": "calm", "since": "2027-01-02"}
    assert written["preferences"]["music"] == "on"
    assert written["workouts_finished"] == 7
    assert RunnerRecord.from_dict(written).to_dict() == written
    assert upgraded(stored) is stored


def test_a_merge_keeps_a_newer_schemas_fields():
    stored = newer_record()
    mine = RunnerRecord.from_dict(stored)
    base = mine.summary(stored)
    theirs = RunnerRecord.from_dict({**stored, "workouts_finished": 9, "version": 4})
    merged = merge(base, mine.finished(), theirs).to_dict()
    assert merged["coach_voice"]["name"] == "calm" and merged["preferences"]["music"] == "on"
    assert merged["schema"] == SCHEMA + 1 and merged["workouts_finished"] == 10


def test_todays_records_carry_no_unknown_fields():
    """Fields this release does not know are kept only from a newer schema: in today's they are junk, dropped."""
    data = {**RunnerRecord().to_dict(), "visits": 3}
    data["preferences"]["music"] = "on"
    written = RunnerRecord.from_dict(data).to_dict()
    assert "visits" not in written and "music" not in written["preferences"]


def test_a_schema_4_record_knows_no_time_zone_and_one_not_known_here_is_none():
    """Schema 5 keeps the time zone the runner's device last said (the runner's day when no device says one)."""
    schema_4 = {k: v for k, v in RunnerRecord().to_dict().items() if k != "time_zone"} | {"schema": 4}
    assert RunnerRecord.from_dict(schema_4).to_dict()["time_zone"] is None
    assert RunnerRecord.from_dict(schema_4).to_dict()["schema"] == SCHEMA == 5
    said = RunnerRecord(time_zone="America/Los_Angeles").to_dict()
    assert RunnerRecord.from_dict(said).time_zone == "America/Los_Angeles"
    for junk in ("Mars/Olympus_Mons", "../../etc/passwd", 7, ""):
        assert RunnerRecord.from_dict({**said, "time_zone": junk}).time_zone is None


def test_a_merge_keeps_the_zone_one_device_learnt_while_the_other_saved():
    stored = RunnerRecord(version=3).to_dict()
    mine = RunnerRecord.from_dict(stored)
    base = mine.summary(stored)
    theirs = RunnerRecord.from_dict({**stored, "workouts_finished": 2, "version": 4})
    merged = merge(base, replace(mine, time_zone="Asia/Kolkata"), theirs)
    assert (merged.time_zone, merged.workouts_finished) == ("Asia/Kolkata", 2)
