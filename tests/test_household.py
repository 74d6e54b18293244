"""Each person their own record (issue 24): two voices Alexa recognises on one account, and the account itself when no
voice is recognised, keep their own history, settings and what hurt; a session keeps to the runner it began with
whoever speaks next; a voice recognised on the account for the first time starts from what the account had, and hears
so once; "forget my data" said by a voice deletes only theirs. In-process on every store (DynamoDB on dynalite); the
same household through virtual-alexa and the served endpoint is in test_e2e_household.py, and what disabling the skill
deletes in test_privacy_events.py."""

from __future__ import annotations

import logging

from runner_strength.speech.phrases import load_locale
from runner_strength.training.record import RunnerRecord
from runner_strength.voice.areas.start import PICK_UP
from tests.support.envelopes import USER_ID, Conversation, ended, heard, request_for, said, session_record, slot
from tests.support.skills import make_skill
from tests.support.workouts import pending_question

ANNA, BEN = "amzn1.ask.person.ANNA", "amzn1.ask.person.BEN"
EN = load_locale("en-US")


def record(store, person: str | None) -> RunnerRecord | None:
    """The runner's record as stored: a voice's own, or (None) the account's; None when there is none."""
    data = store.get_attributes(request_for(USER_ID, person))
    return RunnerRecord.from_dict(data) if data else None


def areas_done(store, person: str | None) -> list[tuple[str, ...]]:
    return [entry.areas for entry in record(store, person).history]


def settings(skill, person: str | None) -> str:
    return said(Conversation(skill, person_id=person).say("SettingsIntent"))


def set_level(talk: Conversation, name: str, level_id: str) -> None:
    talk.say("SetLevelIntent", level=slot("level", name, level_id))


def core_with_pain(talk: Conversation, heard_by: str | None) -> str:
    """A core circuit begun by `talk`'s voice; at the first hand-back "that hurt", and the answers to what to do
    about it ("no" to the gentler one, "yes" to leaving the move out for good) heard with the voice `heard_by`, as
    Alexa may not recognise a short "yes"; then stop. The name of the move that hurt."""
    talk.launch()
    talk.say("BuildCircuitIntent", area=slot("area", "core", "LOWER_BACK"))
    talk.say("ReadyIntent")
    assert heard(talk.say("PainIntent"), "pain.safety")
    recognised, talk.person_id = talk.person_id, heard_by
    talk.say("AMAZON.NoIntent")
    reply = talk.say("AMAZON.YesIntent")
    (painful,) = session_record(talk.session)["preferences"]["avoid"]
    name = EN.exercises[painful].name
    assert heard(reply, "pain.avoided", name=name), said(reply)
    talk.person_id = recognised
    assert ended(talk.say("AMAZON.StopIntent"))
    return name


def some_sets(talk: Conversation, area: tuple[str, str]) -> None:
    talk.launch()
    talk.say("BuildCircuitIntent", area=slot("area", *area))
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    assert ended(talk.say("AMAZON.StopIntent"))


def test_two_voices_and_the_account_each_keep_their_own_history_settings_and_what_hurt(any_store, clock, caplog):
    skill = make_skill(any_store, clock)
    anna, ben, nobody = (Conversation(skill, person_id=p) for p in (ANNA, BEN, None))
    with caplog.at_level(logging.DEBUG):
        set_level(anna, "easy", "BEGINNER")
        hurt = core_with_pain(anna, heard_by=None)  # her "no" and "yes" not recognised as hers
        set_level(ben, "hard", "ADVANCED")
        some_sets(ben, ("hamstrings", "HAMSTRINGS"))
        some_sets(nobody, ("glutes", "GLUTE_MEDIUS"))  # no voice recognised: the account's own record
        set_level(nobody, "hard", "ADVANCED")
        set_level(nobody, "medium", "INTERMEDIATE")

    assert areas_done(any_store, ANNA) == [("LOWER_BACK",)]
    assert areas_done(any_store, BEN) == [("HAMSTRINGS",)]
    assert areas_done(any_store, None) == [("GLUTE_MEDIUS",)]
    hers, his, shared = settings(skill, ANNA), settings(skill, BEN), settings(skill, None)
    assert "set to beginner" in hers and f"Left out: {hurt}." in hers
    assert "set to advanced" in his and "Left out" not in his
    assert "set to intermediate" in shared and "Left out" not in shared
    places = {p: record(any_store, p).workout for p in (ANNA, BEN, None)}
    assert {p: w.circuit.areas for p, w in places.items()} \
        == {ANNA: ("LOWER_BACK",), BEN: ("HAMSTRINGS",), None: ("GLUTE_MEDIUS",)}, "each their own place"
    ids = (USER_ID, ANNA, BEN, ANNA.rsplit(".", 1)[-1] + ":")
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("runner_strength")]
    assert logged and not [line for line in logged if any(i in line for i in ids)], "no ids in the skill's log"


def test_a_session_keeps_to_the_runner_it_began_with_whoever_speaks_next(any_store, clock):
    """Before: a turn with no voice recognised saved Anna's workout into the account's record, found it 'deleted on
    another device' and dropped it from the session; a turn in Ben's voice did the same to his."""
    skill = make_skill(any_store, clock)
    anna = Conversation(skill, person_id=ANNA)
    anna.launch()
    anna.say("BuildCircuitIntent", rounds=slot("rounds", "4"))
    anna.say("ReadyIntent")
    done = record(any_store, ANNA).workout.sets_done
    for voice in (None, BEN, ANNA):
        anna.person_id = voice
        reply = anna.say("AMAZON.NextIntent")
        assert not heard(reply, "storage.forgotten") and not ended(reply), (voice, said(reply))
        assert record(any_store, ANNA).workout.sets_done > done, voice
        done = record(any_store, ANNA).workout.sets_done
    assert record(any_store, None) is None and record(any_store, BEN) is None


def test_a_voice_recognised_for_the_first_time_starts_from_the_accounts_record_and_hears_so_once(any_store, clock):
    """The runner who used the account before Alexa knew their voice keeps their settings, what hurt and their place;
    from then on what they do is theirs alone. Before: they started as a new runner, with the move that hurt back in
    their plans."""
    skill = make_skill(any_store, clock)
    before = Conversation(skill)  # the account, no voice recognised yet
    set_level(before, "easy", "BEGINNER")
    hurt = core_with_pain(before, heard_by=None)
    clock.advance(hours=2)
    shared = record(any_store, None)
    anna = Conversation(skill, person_id=ANNA)
    welcome = anna.launch()
    assert heard(welcome, "person.own_record") and pending_question(anna) in PICK_UP, said(welcome)
    assert record(any_store, ANNA).workout_id == record(any_store, None).workout_id, "her place, copied"
    anna.say("AMAZON.YesIntent")
    anna.say("AMAZON.NextIntent")
    anna.say("AMAZON.StopIntent")
    hers = record(any_store, ANNA)
    assert [EN.exercises[e].name for e in hers.preferences.avoid] == [hurt] and hers.preferences.level == "beginner"
    assert hers.history[-1].done > shared.history[-1].done, "her sets are hers"
    assert record(any_store, None) == shared, "the account's record is as it was"
    assert not heard(Conversation(skill, person_id=ANNA).launch(), "person.own_record"), "said once"
    # A second voice starts from the account's record too, not from Anna's.
    ben = Conversation(skill, person_id=BEN).launch()
    assert heard(ben, "person.own_record")
    assert record(any_store, BEN).workout.sets_done == 0


def test_a_first_voice_on_an_account_with_nothing_stored_is_a_new_runner(any_store, clock):
    skill = make_skill(any_store, clock)
    welcome = Conversation(skill, person_id=ANNA).launch()
    assert heard(welcome, "welcome.first") and not heard(welcome, "person.own_record")


def test_forget_my_data_said_by_a_voice_deletes_theirs_alone_and_they_start_afresh(any_store, clock):
    skill = make_skill(any_store, clock)
    set_level(Conversation(skill), "hard", "ADVANCED")
    set_level(Conversation(skill, person_id=BEN), "easy", "BEGINNER")
    anna = Conversation(skill, person_id=ANNA)
    anna.launch()
    assert heard(anna.say("ForgetMeIntent"), "forget.confirm_person")
    anna.person_id = None  # her "yes" not recognised: still her record the session carries
    done = anna.say("AMAZON.YesIntent")
    assert heard(done, "forget.done_person") and ended(done)
    assert record(any_store, ANNA) is None
    assert record(any_store, None).preferences.level == "advanced", "the account's shared record stays"
    assert record(any_store, BEN).preferences.level == "beginner"
    again = Conversation(skill, person_id=ANNA).launch()
    assert heard(again, "welcome.first") and not heard(again, "person.own_record"), "afresh, not from the account's"


def test_forget_my_data_with_no_voice_recognised_deletes_everything_household_members_included(any_store, clock):
    """PRODUCT.md: "forget my data" deletes everything, household members included; the question says so."""
    skill = make_skill(any_store, clock)
    set_level(Conversation(skill, person_id=ANNA), "easy", "BEGINNER")
    set_level(Conversation(skill, person_id=BEN), "hard", "ADVANCED")
    set_level(Conversation(skill), "hard", "ADVANCED")
    talk = Conversation(skill)
    assert heard(talk.say("ForgetMeIntent"), "forget.confirm_household")
    assert heard(talk.say("AMAZON.YesIntent"), "forget.done")
    assert record(any_store, None) is None and record(any_store, ANNA) is None and record(any_store, BEN) is None
    assert heard(Conversation(skill, person_id=ANNA).launch(), "welcome.first")


def test_forget_my_data_on_an_account_without_voices_asks_as_before(any_store, clock):
    skill = make_skill(any_store, clock)
    set_level(Conversation(skill), "hard", "ADVANCED")
    talk = Conversation(skill)
    assert heard(talk.say("ForgetMeIntent"), "forget.confirm")
    assert heard(talk.say("AMAZON.YesIntent"), "forget.done")
    assert record(any_store, None) is None
