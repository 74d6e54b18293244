"""The SSML builder, the locale files and the voice that picks among their variants."""

import ast
import dataclasses
import itertools
import json
import random
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from runner_strength.speech.phrases import Voice, best_locale, load_locale, placeholders
from runner_strength.speech.ssml import MAX_SPEECH_CHARS, SpeechLimitError, Ssml, plain_text
from runner_strength.training.catalog import AREAS, DRILLS, EQUIPMENT, LEVELS, PARTS
from runner_strength.training.record import CUE_STYLES, PACES, Preferences
from runner_strength.voice.areas.pain import RED_FLAGS, URGENT
from tools.endpoint import ROOT

PACKAGE = ROOT / "lambda" / "runner_strength"
LOCALES = PACKAGE / "speech" / "locale"
EN = load_locale("en-US")


def test_text_is_escaped():
    assert Ssml().say('Knees & toes <up> "now"').to_ssml() == '<speak>Knees &amp; toes &lt;up&gt; "now"</speak>'


def test_long_pauses_are_chained_breaks_of_at_most_ten_seconds():
    ssml = Ssml().pause(27.5).to_ssml()
    assert ssml == '<speak><break time="10s"/> <break time="10s"/> <break time="7500ms"/></speak>'


def test_speech_over_the_limit_is_refused():
    ssml = Ssml()
    for _ in range(MAX_SPEECH_CHARS // 10):
        ssml.say("ten chars.")
    with pytest.raises(SpeechLimitError):
        ssml.to_ssml()


def test_audio_over_240_seconds_is_refused():
    ssml = Ssml().audio("https://example.com/a.mp3", 200)
    with pytest.raises(SpeechLimitError):
        ssml.audio("https://example.com/b.mp3", 41)


def test_plain_text_drops_tags_and_unescapes():
    assert plain_text('<speak>A &amp; B <break time="1s"/> C</speak>') == "A & B C"


# Where the placeholders of an f-string key get their values: by the whole key as written ("undo.field.{f}"),
# else by the placeholders' names together, else by each name (see _placeholder_name). A key built from a
# placeholder not listed here fails the check below until its values are added.
FIELD_SLOT_TYPES = {"pace": "PaceType", "cues": "CueStyleType"}  # a ChoiceSetting's field and its slot's type


def slot_ids(slot_type: str) -> tuple[str, ...]:
    model = json.loads((ROOT / "interaction_model" / "en-US.json").read_text())
    types = {t["name"]: t for t in model["interactionModel"]["languageModel"]["types"]}
    return tuple(value["id"] for value in types[slot_type]["values"])


def key_domains(root: Path, units: set[str]) -> dict[str | tuple[str, ...], tuple]:
    notes = {code for path in root.rglob("*.py")
             for code in re.findall(r'= "([a-z_]+)"  # value:', path.read_text())}
    return {
        "direction": ("harder", "easier"),
        "equipment": EQUIPMENT,
        "level": LEVELS,
        "pace": tuple(PACES),
        "cues": CUE_STYLES,
        "area": (*AREAS, DRILLS),
        "kind": ("reps", "hold"),
        "part": PARTS,
        "sign": tuple(sorted(RED_FLAGS | URGENT)),
        "side": ("", "_per_side"),
        "code": tuple(sorted(notes)),
        "unit": tuple(sorted(units)),
        "field": tuple(FIELD_SLOT_TYPES),
        "undo.field.{f}": tuple(f.name for f in dataclasses.fields(Preferences)),  # what "undo that" put back
        ("field", "value"): tuple((field, value.lower()) for field, slot_type in FIELD_SLOT_TYPES.items()
                                  for value in slot_ids(slot_type)),
    }


def _placeholder_name(node: ast.FormattedValue) -> str:
    """`{self.direction}` is "direction", `{level.lower()}` "level", `{named['equipment']}` "equipment"."""
    value = node.value
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "lower":
        value = value.func.value
    if isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Constant):
        return str(value.slice.value)
    return ast.unparse(value).split(".")[-1]


def _key_strings(value: ast.expr) -> list[ast.expr] | None:
    """The string literals and f-strings a key expression may evaluate to, or None if it is not one."""
    if (isinstance(value, ast.Constant) and isinstance(value.value, str)) or isinstance(value, ast.JoinedStr):
        return [value]
    if isinstance(value, ast.IfExp):
        body, orelse = _key_strings(value.body), _key_strings(value.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


# Calls whose first argument is a line key. A key handed on through a parameter or a loop variable (Turn.line to
# Voice.line; a notice kept in the session, then said) is checked where it is first written, at one of these.
KEY_TAKERS = ("line", "notice_once")


def _called(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def line_keys_in_code(root: Path = PACKAGE) -> tuple[set[str], list[str]]:
    """Every locale key the code under `root` asks for through `line(...)` (on any object, or bare), with keys
    built by f-strings expanded over their placeholders' values; and what could not be told."""
    found: list[tuple[str, ast.expr]] = []  # (where, a string literal or f-string)
    problems: list[str] = []
    units: set[str] = set()
    trees = {path: ast.parse(path.read_text(), str(path)) for path in sorted(root.rglob("*.py"))}
    constants = {target.id: node.value for tree in trees.values() for node in tree.body  # TROUBLE = "storage..."
                 if isinstance(node, ast.Assign) and _key_strings(node.value)
                 for target in node.targets if isinstance(target, ast.Name)}
    for path, tree in trees.items():
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        module_dicts = {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                        for target in node.targets if isinstance(target, ast.Name) and isinstance(node.value, ast.Dict)}
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.args):
            where, arg = f"{path.relative_to(root)}:{call.lineno}", call.args[0]
            if _called(call) == "amount":  # a count with its unit: the lines unit.<unit>.one and .other
                if isinstance(arg, ast.Constant):
                    units.add(arg.value)
                elif isinstance(arg, ast.Subscript) and isinstance(arg.value, ast.Name) \
                        and arg.value.id in module_dicts:
                    units |= {v.value for v in module_dicts[arg.value.id].values if isinstance(v, ast.Constant)}
                else:
                    problems.append(f"{where}: cannot tell which unit {ast.unparse(arg)} is")
                continue
            if _called(call) not in KEY_TAKERS:
                continue
            strings = _key_strings(arg)
            if strings is None and isinstance(arg, ast.Name):
                function = parents.get(call)
                while function is not None and not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    function = parents.get(function)
                assigned = [node.value for node in ast.walk(function or tree) if isinstance(node, ast.Assign)
                            and any(isinstance(t, ast.Name) and t.id == arg.id for t in node.targets)]
                loops = [n for n in ast.walk(function or tree) if isinstance(n, ast.For | ast.comprehension)]
                handed_on = {a.arg for a in function.args.args + function.args.kwonlyargs} if function else set()
                handed_on |= {n.id for loop in loops for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
                if not assigned and arg.id in handed_on:
                    continue  # a parameter or loop variable: its key is checked where it is first written
                if not assigned and arg.id in constants:
                    assigned = [constants[arg.id]]
                resolved = [_key_strings(value) for value in assigned]
                strings = None if not resolved or None in resolved else [s for r in resolved for s in r]
            if strings is None:
                problems.append(f"{where}: cannot tell which line {ast.unparse(arg)} is; pass a string or f-string, "
                                "or hand the key on through a function named in KEY_TAKERS in tests/test_speech.py")
                continue
            found += [(where, string) for string in strings]
    domains = key_domains(root, units)
    keys: set[str] = set()
    for where, string in found:
        if isinstance(string, ast.Constant):
            keys.add(string.value)
            continue
        parts = [v.value if isinstance(v, ast.Constant) else _placeholder_name(v) for v in string.values]
        holes = [v for v in string.values if isinstance(v, ast.FormattedValue)]
        names = tuple(_placeholder_name(v) for v in holes)
        written = "".join(v.value if isinstance(v, ast.Constant) else f"{{{ast.unparse(v.value)}}}"
                          for v in string.values)
        if written in domains:
            choices = [(value,) if isinstance(value, str) else value for value in domains[written]]
        elif names in domains:
            choices = list(domains[names])
        elif all(name in domains for name in names):
            choices = list(itertools.product(*(domains[name] for name in names)))
        else:
            unknown = next(ast.unparse(v.value) for v in holes if _placeholder_name(v) not in domains)
            problems.append(f"{where}: the key {ast.unparse(string)} has {{{unknown}}}, whose values are not known; "
                            "add its domain to key_domains in tests/test_speech.py")
            continue
        for choice in choices:
            values = iter(choice)
            keys.add("".join(part if isinstance(v, ast.Constant) else next(values)
                             for part, v in zip(parts, string.values, strict=True)))
    keys |= {f"unit.{unit}.{form}" for unit in units for form in ("one", "other")}
    return keys, problems


def test_every_line_the_code_says_is_in_the_locale_file():
    keys, problems = line_keys_in_code()
    assert not problems
    assert {"adjust.harder", "adjust.easier_dose", "equipment.dumbbells", "prefs.pace.slower"} <= keys, \
        "keys built by f-strings are found"
    missing = sorted(keys - set(EN.phrases))
    assert not missing


def test_the_line_check_expands_f_strings_and_names_a_placeholder_it_cannot_expand(tmp_path):
    (tmp_path / "area.py").write_text(textwrap.dedent("""
        def handle(turn, direction, ok):
            turn.line("adjust.no_target")
            said = turn.voice.line(f"adjust.{self.direction}_limit", name="x")
            line = "history.none" if ok else f"level.{turn.level.lower()}"
            return turn.line(line, said=said)

        def mood(mood):
            return line(f"mood.{mood}") + self.line(f"prefs.{self.field}.{value.lower()}")
    """))
    keys, problems = line_keys_in_code(tmp_path)
    assert keys == {"adjust.no_target", "adjust.harder_limit", "adjust.easier_limit", "history.none",
                    "level.beginner", "level.intermediate", "level.advanced", "prefs.pace.slower",
                    "prefs.pace.faster", "prefs.pace.normal", "prefs.cues.brief", "prefs.cues.detailed"}
    assert len(problems) == 1 and "{mood}" in problems[0] and "add its domain" in problems[0]


def test_lines_heard_often_have_several_variants():
    for key in ("welcome.back", "welcome.resume", "next.set", "encourage", "workout.done", "prompt.next",
                "goodbye", "rest"):
        assert len(EN.phrases[key]) >= 3, key


def _lines(folder: Path) -> dict[str, list[str]]:
    """Every text of a locale folder by where it lives: `phrases.json:<key>` (its variants) and
    `exercises.json:<id>.<field>`."""
    lines = {}
    for key, variants in json.loads((folder / "phrases.json").read_text(encoding="utf-8")).items():
        lines[f"phrases.json:{key}"] = [variants] if isinstance(variants, str) else list(variants)
    for exercise_id, texts in json.loads((folder / "exercises.json").read_text(encoding="utf-8")).items():
        for field, text in texts.items():
            lines[f"exercises.json:{exercise_id}.{field}"] = [text]
    return lines


def locale_differences(folder: Path, reference: Path = LOCALES / "en-US") -> list[str]:
    """How a locale folder differs from en-US: a line or exercise text missing or extra, or any variant whose
    placeholders are not those of the en-US line."""
    ours, theirs = _lines(reference), _lines(folder)
    problems = [f"{where} is missing" for where in sorted(ours.keys() - theirs.keys())]
    problems += [f"{where} is not in en-US" for where in sorted(theirs.keys() - ours.keys())]
    for where in sorted(ours.keys() & theirs.keys()):
        wanted = placeholders(ours[where][0])
        if not theirs[where]:
            problems.append(f"{where} has no variants")
        for number, variant in enumerate(theirs[where], 1):
            if placeholders(variant) != wanted:
                problems.append(f"{where} variant {number} has {sorted(placeholders(variant))}, "
                                f"en-US has {sorted(wanted)}")
    return problems


@pytest.mark.parametrize("folder", sorted(p for p in LOCALES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_every_locale_has_every_en_us_line_and_text_with_the_same_placeholders(folder):
    load_locale(folder.name)  # well-formed, every exercise with all its texts
    assert locale_differences(folder) == []


def test_the_locale_check_catches_a_missing_line_and_a_wrong_placeholder(tmp_path):
    broken = tmp_path / "xx-XX"
    shutil.copytree(LOCALES / "en-US", broken)
    assert locale_differences(broken) == [], "an exact copy passes"
    phrases = json.loads((broken / "phrases.json").read_text(encoding="utf-8"))
    dropped = sorted(phrases)[0]
    del phrases[dropped]
    # The last variant of a line with several, so every variant is seen to be checked, not just the first.
    key = next(k for k, v in phrases.items() if len(v) > 1 and placeholders(v[-1]))
    name = sorted(placeholders(phrases[key][-1]))[0]
    phrases[key][-1] = phrases[key][-1].replace("{" + name + "}", "{" + name + "_typo}")
    (broken / "phrases.json").write_text(json.dumps(phrases), encoding="utf-8")
    exercises = json.loads((broken / "exercises.json").read_text(encoding="utf-8"))
    exercise_id = sorted(exercises)[0]
    del exercises[exercise_id]["cue"]
    (broken / "exercises.json").write_text(json.dumps(exercises), encoding="utf-8")
    wanted = sorted(placeholders(phrases[key][0]))
    assert locale_differences(broken) == [
        f"exercises.json:{exercise_id}.cue is missing",
        f"phrases.json:{dropped} is missing",
        f"phrases.json:{key} variant {len(phrases[key])} has "
        f"{sorted(set(wanted) - {name} | {name + '_typo'})}, en-US has {wanted}",
    ]


def test_a_line_never_comes_out_the_same_way_twice_in_a_row():
    recent: dict[str, int] = {}
    voice = Voice(EN, random.Random(4), recent)
    said = [voice.line("encourage") for _ in range(200)]
    assert all(a != b for a, b in itertools.pairwise(said))
    assert len(set(said)) == len(EN.phrases["encourage"])


def test_the_variant_memory_carries_across_turns():
    recent: dict[str, int] = {}
    first = Voice(EN, random.Random(1), recent).line("goodbye")
    for seed in range(50):
        assert Voice(EN, random.Random(seed), dict(recent)).line("goodbye") != first


def test_an_unknown_locale_falls_back_by_language_then_to_en_us():
    assert best_locale("en-US") == "en-US"
    assert best_locale("en-GB") == "en-US"
    assert best_locale("de-DE") == "en-US"
    assert best_locale(None) == "en-US"


def test_a_sentence_opening_with_a_name_starts_with_a_capital_and_fragments_do_not():
    from runner_strength.speech.phrases import LocaleText

    text = LocaleText("en-US", {"whole": ("{name} is done.",), "part": ("{name} instead of {old}",)}, {})
    voice = Voice(text, random.Random(1), {})
    assert voice.line("whole", name="curtsy lunge") == "Curtsy lunge is done."
    assert voice.line("part", name="curtsy lunge", old="clamshell") == "curtsy lunge instead of clamshell"


def test_a_placeholder_that_starts_a_later_sentence_starts_with_a_capital():
    """Found in the four-week transcript: "…mini squat. one round, 10 minutes." (the rounds line opens a
    sentence mid-line)."""
    from runner_strength.speech.phrases import LocaleText

    text = LocaleText("en-US", {"intro": ("Full circuit: {exercises}. {rounds}, {minutes}.",),
                                "part": ("{name} instead of {old}",)}, {})
    voice = Voice(text, random.Random(1), {})
    assert voice.line("intro", exercises="dead bug", rounds="one round", minutes="10 minutes") == \
        "Full circuit: dead bug. One round, 10 minutes."
    assert voice.line("part", name="curtsy lunge", old="clamshell") == "curtsy lunge instead of clamshell"
    assert EN.phrases["intro.full"], "the real intro lines have such a placeholder"
    # "Warm-up. high knees, 20 seconds." (a line ending in a value that ends the sentence)
    drill = Voice(EN, random.Random(1), {}).line("warmup.drill", name="high knees", dose="20 seconds.")
    assert drill == "High knees, 20 seconds."
