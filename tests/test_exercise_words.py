"""Every word of instruction counts: each exercise's set-up and cue are short enough to say in a rest and over the
first reps, and a locale file without a set-up is refused with the entry named."""

import json
import re
import shutil

import pytest

from runner_strength.speech import phrases
from runner_strength.speech.phrases import LocaleError, load_locale
from runner_strength.training.catalog import DRILLS, load_catalog
from tools.endpoint import ROOT

LOCALES = ROOT / "lambda" / "runner_strength" / "speech" / "locale"
EN = load_locale("en-US")
CATALOG = load_catalog()
MAX_SETUP_WORDS, MAX_CUE_WORDS = 12, 10


@pytest.mark.parametrize("exercise_id", sorted(CATALOG.exercises))
def test_every_exercise_and_drill_has_a_short_setup_and_a_short_cue(exercise_id):
    words = EN.exercises[exercise_id]
    assert len(words.setup.split()) <= MAX_SETUP_WORDS, words.setup
    assert len(words.cue.split()) <= MAX_CUE_WORDS, words.cue
    assert words.setup.endswith("."), words.setup
    # The name is said just before the set-up; the set-up does not say it again.
    assert words.name.lower() not in words.setup.lower()


def test_the_warm_up_drills_have_a_setup_too():
    drills = [e.id for e in CATALOG.in_area(DRILLS)]
    assert drills
    assert all(EN.exercises[d].setup.strip() for d in drills)


def _planted(tmp_path, monkeypatch, change) -> str:
    """A copy of en-US as the locale `xx-XX`, with `change` applied to its first exercise; that exercise's id."""
    folder = tmp_path / "xx-XX"
    shutil.copytree(LOCALES / "en-US", folder)
    exercises = json.loads((folder / "exercises.json").read_text(encoding="utf-8"))
    exercise_id = sorted(exercises)[0]
    change(exercises[exercise_id])
    (folder / "exercises.json").write_text(json.dumps(exercises), encoding="utf-8")
    monkeypatch.setattr(phrases, "LOCALE_DIR", tmp_path)
    return exercise_id


def test_a_copy_of_en_us_loads(tmp_path, monkeypatch):
    _planted(tmp_path, monkeypatch, lambda entry: None)
    assert phrases.load_locale.__wrapped__("xx-XX").exercises == EN.exercises


def test_an_exercise_without_a_setup_is_refused_with_its_id(tmp_path, monkeypatch):
    exercise_id = _planted(tmp_path, monkeypatch, lambda entry: entry.pop("setup"))
    with pytest.raises(LocaleError, match=rf"exercises\.json: exercise '{re.escape(exercise_id)}' is missing setup"):
        phrases.load_locale.__wrapped__("xx-XX")


@pytest.mark.parametrize("empty", ["", "   "])
def test_an_exercise_with_an_empty_setup_is_refused_with_its_id(tmp_path, monkeypatch, empty):
    exercise_id = _planted(tmp_path, monkeypatch, lambda entry: entry.update(setup=empty))
    with pytest.raises(LocaleError, match=rf"exercises\.json: exercise '{re.escape(exercise_id)}' has an empty setup"):
        phrases.load_locale.__wrapped__("xx-XX")
