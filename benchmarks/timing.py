"""The coach's clock: what the runner is told, what the timing model says, and what espeak-ng renders.

    from benchmarks.timing import timing_table, timing_section
    rows = timing_table()            # holds, rests, side switches, whole generated workouts
    lines = timing_section(rows)     # the same as a Markdown section for benchmarks/RESULTS.md

"Rendered" is real audio: espeak-ng (`make audio` installs it and sox) reads each response's SSML, breaks and
all (`-m`), with its American English voice at the speed that reads the timing model's reference passage at 155
words a minute. That speed is measured on every run (`calibrate`), not assumed. Times inside a response are
read off the audio: the end of the words before an interval, the end of its last word ("1.", the last rep, the
second side's "Go!") and the start of the words after it, each found as the last or first sound in a render of
the response up to that point (espeak-ng does not say where a word falls, and a render cut after a word sounds
the same up to there). tests/test_rendered_audio.py checks a sample of these; what espeak-ng cannot tell us
about Alexa is listed in lambda/runner_strength/speech/timing.py.
"""

from __future__ import annotations

import array
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "lambda") not in sys.path:
    sys.path[:0] = [str(ROOT / "lambda"), str(ROOT)]

from runner_strength.device import SPEECH_STARTS_SECONDS  # noqa: E402
from runner_strength.speech import workout  # noqa: E402
from runner_strength.speech.phrases import Voice, load_locale  # noqa: E402
from runner_strength.speech.ssml import MARK, SPEECH, Segment, Ssml  # noqa: E402
from runner_strength.speech.timing import REFERENCE_TEXT, WORDS_PER_MINUTE, spoken_words  # noqa: E402
from runner_strength.speech.workout import Opening, Style  # noqa: E402
from runner_strength.training.builder import Circuit, CircuitRequest, build_circuit  # noqa: E402
from runner_strength.training.catalog import Catalog, load_catalog  # noqa: E402
from runner_strength.training.cursor import Cursor  # noqa: E402
from runner_strength.training.duration import RUNNER_TURN_SECONDS, SIDE_SWITCH_SECONDS  # noqa: E402
from runner_strength.training.record import PACES  # noqa: E402

ESPEAK = "espeak-ng"
VOICE = "en-us"
# Anything quieter than this (of 32767) is silence: espeak-ng's pauses are digital zero, its quietest sounds
# (the tail of an "s") a few hundred.
SILENCE = 100
FRAME_SECONDS = 0.005
# Pauses are whole milliseconds, so a modelled time can miss its target by half of one.
TOLERANCE = 0.01
_HEADER_BYTES = 44


class AudioUnavailable(RuntimeError):
    """espeak-ng is not installed: `make audio` installs it."""


@dataclass(frozen=True)
class Audio:
    """Mono 16-bit audio as espeak-ng renders it."""

    samples: array.array
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate

    @property
    def _frame(self) -> int:
        return max(1, round(self.rate * FRAME_SECONDS))

    def _loud(self, frame: int) -> bool:
        chunk = self.samples[frame * self._frame:(frame + 1) * self._frame]
        return bool(chunk) and (max(chunk) > SILENCE or -min(chunk) > SILENCE)

    def sound_end(self) -> float:
        """When the last sound ends."""
        frame = len(self.samples) // self._frame
        while frame >= 0 and not self._loud(frame):
            frame -= 1
        return (frame + 1) * self._frame / self.rate

    def sound_start(self, after: float = 0.0) -> float:
        """When the first sound at or after `after` seconds starts."""
        frame, last = int(after * self.rate) // self._frame, len(self.samples) // self._frame
        while frame <= last and not self._loud(frame):
            frame += 1
        return frame * self._frame / self.rate


def espeak_version() -> str:
    if shutil.which(ESPEAK) is None:
        raise AudioUnavailable(f"{ESPEAK} is not installed: run `make audio` (it installs espeak-ng and sox)")
    return subprocess.run([ESPEAK, "--version"], capture_output=True, text=True, check=True).stdout.strip()


_BREAKS = re.compile(r'<break time="(\d+)(ms|s)"/>(?:\s*<break time="\d+(?:ms|s)"/>)*')
_BREAK = re.compile(r'<break time="(\d+)(ms|s)"/>')


def for_espeak(ssml: str) -> str:
    """Alexa adds up a chain of breaks (that is how a pause over ten seconds is written); espeak-ng plays only
    one of them, so a chain becomes one break of the same total."""
    def total(chain: re.Match) -> str:
        ms = sum(int(n) * (1 if unit == "ms" else 1000) for n, unit in _BREAK.findall(chain.group()))
        return f'<break time="{ms}ms"/>'

    return _BREAKS.sub(total, ssml)


def render(text: str, speed: int, ssml: bool = True) -> Audio:
    """`text` (SSML, or plain text) as espeak-ng says it at `speed` (its -s)."""
    espeak_version()
    args = [ESPEAK, "-v", VOICE, "-s", str(speed), "--stdout"] + (["-m", for_espeak(text)] if ssml else [text])
    wav = subprocess.run(args, capture_output=True, check=True).stdout
    # Writing to a pipe, espeak-ng cannot go back to fill in the lengths: the header is fixed-size, skip it.
    if wav[:4] != b"RIFF" or wav[36:40] != b"data":
        raise RuntimeError("espeak-ng did not write the WAV it was asked for")
    rate = int.from_bytes(wav[24:28], "little")
    samples = array.array("h")
    samples.frombytes(wav[_HEADER_BYTES:len(wav) - (len(wav) - _HEADER_BYTES) % 2])
    if sys.byteorder != "little":
        samples.byteswap()
    return Audio(samples, rate)


def words_per_minute(speed: int) -> float:
    """espeak-ng's rate at `speed`, measured on the timing model's reference passage, first sound to last."""
    audio = render(REFERENCE_TEXT, speed, ssml=False)
    return len(spoken_words(REFERENCE_TEXT)) * 60 / (audio.sound_end() - audio.sound_start())


def calibrate(target: float = WORDS_PER_MINUTE) -> tuple[int, float]:
    """The espeak-ng speed (-s) that reads the reference passage closest to `target` words a minute, and the rate
    measured at it. Its rate is close to proportional to -s, so two corrections find it."""
    speed = 175
    for _ in range(2):
        speed = round(speed * target / words_per_minute(speed))
    candidates = {s: words_per_minute(s) for s in (speed - 1, speed, speed + 1)}
    best = min(candidates, key=lambda s: abs(candidates[s] - target))
    return best, candidates[best]


class RenderedResponse:
    """One response's timeline read off espeak-ng's audio: renders of the response up to a word, cached."""

    def __init__(self, ssml: Ssml, speed: int) -> None:
        self.ssml = ssml
        self.segments = ssml.timeline
        self.speed = speed
        self._renders: dict[int, Audio] = {}

    def _upto(self, index: int) -> Audio:
        """The response up to and including segment `index`."""
        if index not in self._renders:
            self._renders[index] = render(self.ssml.split([index + 1])[0].to_ssml(), self.speed)
        return self._renders[index]

    def end_of(self, index: int) -> float:
        """When the words of segment `index` end, from the first sound of the response (the model's zero)."""
        audio = self._upto(index)
        return audio.sound_end() - audio.sound_start()

    def start_of(self, index: int) -> float:
        """When the words of segment `index` start: the first sound after the words before them."""
        audio = self._upto(index)
        origin = audio.sound_start()
        before = _last_speech(self.segments, index)
        after = origin + self.end_of(before) + FRAME_SECONDS if before is not None else 0.0
        return audio.sound_start(after) - origin

    def seconds(self) -> float:
        """The whole response, first sound to last."""
        return self.end_of(len(self.segments) - 1)


def _last_speech(segments: tuple[Segment, ...], before: int) -> int | None:
    return next((i for i in range(before - 1, -1, -1) if segments[i].kind == SPEECH), None)


@dataclass(frozen=True)
class Interval:
    """A hold, a rep count, a rest or a side switch inside a response, as announced, modelled and rendered.

    `to_last` runs from the end of the words before it to the end of its last word ("1.", the last rep, the
    second side's "Go!"); `to_next` to the start of the words after it (None for a switch: its end is a "Go!")."""

    kind: str
    announced: float
    modelled_to_last: float
    modelled_to_next: float | None
    rendered_to_last: float | None = None
    rendered_to_next: float | None = None


def intervals(ssml: Ssml, speed: int | None = None) -> list[Interval]:
    """Every marked interval of a response; rendered too when `speed` is given."""
    segments = ssml.timeline
    rendered = RenderedResponse(ssml, speed) if speed is not None else None
    found = []
    for i, mark in enumerate(segments):
        if mark.kind != MARK:
            continue
        ends = mark.start + mark.seconds
        before = _last_speech(segments, i)
        inside = [j for j in range(i + 1, len(segments))
                  if segments[j].kind == SPEECH and segments[j].end <= ends + TOLERANCE]
        after = next((j for j in range(i + 1, len(segments))
                      if segments[j].kind == SPEECH and segments[j].start >= ends - TOLERANCE), None)
        if before is None or not inside:
            continue
        last = inside[-1]
        # A switch ends with the second side's "Go!": what follows is the work's own count. A rest ends as the next
        # set's "Go!" starts: that is where it is measured to.
        following = after if mark.text != "switch" else None
        interval = Interval(mark.text, mark.seconds, segments[last].end - mark.start,
                            None if following is None else segments[following].start - mark.start)
        if rendered is not None:
            # The silence between the words before and the mark (the beat after a hold's "1.") is a break,
            # which espeak-ng renders to the millisecond.
            start = rendered.end_of(before) + (mark.start - segments[before].end)
            interval = Interval(interval.kind, interval.announced, interval.modelled_to_last,
                                interval.modelled_to_next, rendered.end_of(last) - start,
                                None if following is None else rendered.start_of(following) - start)
        found.append(interval)
    return found


def workout_speech(circuit: Circuit, catalog: Catalog, voice: Voice, pace: float = 1.0, cues: str = "normal",
                   dose_steps: Mapping[str, int] | None = None) -> list[Ssml]:
    """Every response of a workout when the runner says "go" at every hand-back: deliveries from "ready" to the
    last, which ends with the summary (speech/workout.py, as voice/conversation/replies.deliver sends them)."""
    cursor = Cursor(circuit)
    style = Style(pace, cues, dict(dose_steps or {}))
    responses: list[Ssml] = []
    handbacks = 0
    opening = Opening()
    while not cursor.finished:
        closer = voice.line("closer.full" if handbacks < 2 else "closer.short")
        delivery = workout.deliver(voice, catalog, cursor, style, opening, closer)
        opening = Opening()
        if delivery.part is not None:
            delivery.ssml.say(voice.line("prompt.part", name=voice.exercise(cursor.steps[delivery.part[0]].exercise)
                                         .name))
            # The next response goes on with the step's next part (voice/conversation/replies.deliver).
            opening = Opening(workout.RESUME, place={"kind": workout.SWITCH, "mark": delivery.part[1], "into": 0.0})
        if delivery.rest_left is not None:
            # Handed back part-way into a long rest: the next response picks the rest up where this one left it.
            step, seconds, heard = delivery.rest_left
            opening = Opening(workout.RESUME, place={"step": step, "kind": workout.REST, "mark": -1,
                                                     "seconds": seconds, "into": round(heard, 1), "through": step})
        cursor = cursor.delivered(delivery.steps)
        if cursor.finished:
            delivery.ssml.say(voice.line("workout.done", done=cursor.sets_done, total=cursor.total_sets))
        responses.append(delivery.ssml)
        handbacks += 1
    return responses


def modelled_workout_seconds(responses: list[Ssml]) -> float:
    """A workout's responses, and the runner's turn and the next response starting at each hand-back."""
    return sum(r.seconds for r in responses) + (RUNNER_TURN_SECONDS + SPEECH_STARTS_SECONDS) * (len(responses) - 1)


@dataclass(frozen=True)
class TimingRow:
    what: str
    announced: float  # seconds: what the runner is told (a workout's "about N minutes": the estimate)
    modelled: float
    rendered: float | None
    modelled_to_next: float | None = None
    rendered_to_next: float | None = None


def _interval_row(what: str, interval: Interval) -> TimingRow:
    return TimingRow(what, interval.announced, interval.modelled_to_last, interval.rendered_to_last,
                     interval.modelled_to_next, interval.rendered_to_next)


def sample_set(catalog: Catalog, voice: Voice, exercise_id: str, rest_seconds: int, pace: float = 1.0,
               dose_steps: int = 0) -> Ssml:
    """A set of another exercise, the rest after it, then a set of `exercise_id`, as one response would say them
    in round one (the rest names `exercise_id` and how to set up, and leads into its "Go!")."""
    other = next(e for e in ("glute_bridge", "dead_bug") if e != exercise_id)
    circuit = Circuit(areas=(catalog[exercise_id].area,), warmup=(), exercises=(other, exercise_id), rounds=2,
                      rest_seconds=rest_seconds, estimated_seconds=0)
    cursor = Cursor(circuit)
    style = Style(pace, "normal", {exercise_id: dose_steps})
    ssml = workout.work(voice, catalog, cursor, 0, style)
    workout.rest_into(ssml, voice, catalog, cursor, 1, style, rest_seconds)
    return ssml.extend(workout.work(voice, catalog, cursor, 1, style))


def sample_workouts(count: int, seed: int = 11) -> list[tuple[str, Circuit, float, str]]:
    """`count` generated workouts across paces, cue styles, shapes and budgets: (label, circuit, pace, cues)."""
    catalog = load_catalog()
    rng = random.Random(seed)
    shapes = [((), None), (("GLUTE_MEDIUS", "HAMSTRINGS"), 20), (("LOWER_BACK",), 15), ((), 30),
              (("REAR_DELTS", "LOWER_BODY_STABILITY"), None), (("HAMSTRINGS",), 25)]
    workouts = []
    for n in range(count):
        areas, minutes = shapes[n % len(shapes)]
        pace_name = ("normal", "slower", "faster")[n % 3]
        cues = ("normal", "detailed", "brief")[(n // 3) % 3]
        request = CircuitRequest(areas=areas, minutes=minutes, pace=PACES[pace_name], cues=cues)
        circuit = build_circuit(request, catalog, rng.randrange(10**6))
        label = f"{'full' if not circuit.focus else 'focus'} circuit, {circuit.rounds} rounds, {pace_name} count, " \
                f"{cues} cues"
        workouts.append((label, circuit, PACES[pace_name], cues))
    return workouts


def timing_table(render_audio: bool = True, workouts: int = 3, seed: int = 5) -> tuple[list[TimingRow], dict]:
    """The timing table: a 30 s hold, rests of 30, 45 and 60 s, a 5 s side switch after a hold and after reps, and
    whole generated workouts (announced: the builder's estimate). Rendered with espeak-ng when `render_audio`;
    the second value says how (speed, measured rate, version)."""
    catalog = load_catalog()
    voice = Voice(load_locale("en-US"), random.Random(seed), {})
    info: dict = {}
    speed = None
    if render_audio:
        info["espeak"] = espeak_version()
        speed, info["words_per_minute"] = calibrate()
        info["speed"] = speed
    rows = []
    hold = next(i for i in intervals(sample_set(catalog, voice, "forearm_plank", 30), speed) if i.kind == "hold")
    rows.append(_interval_row("30 s hold (forearm plank), Go! to the final 1. / to the next words", hold))
    for rest in (30, 45, 60):
        found = intervals(sample_set(catalog, voice, "glute_bridge", rest), speed)
        rows.append(_interval_row(f"rest {rest} s, from Rest {rest} seconds to the next set's Go!",
                                  next(i for i in found if i.kind == "rest")))
    for exercise_id, after in (("side_plank", "a hold"), ("single_leg_glute_bridge", "reps")):
        found = intervals(sample_set(catalog, voice, exercise_id, 30), speed)
        switch = next(i for i in found if i.kind == "switch")
        rows.append(_interval_row(f"{SIDE_SWITCH_SECONDS} s side switch after {after}, to the second side's Go!",
                                  switch))
    for label, circuit, pace, cues in sample_workouts(workouts):
        responses = workout_speech(circuit, catalog, voice, pace, cues)
        rendered = None
        if speed is not None:
            rendered = sum(RenderedResponse(r, speed).seconds() for r in responses) \
                + (RUNNER_TURN_SECONDS + SPEECH_STARTS_SECONDS) * (len(responses) - 1)
        rows.append(TimingRow(f"workout: {label}", circuit.estimated_seconds, modelled_workout_seconds(responses),
                              rendered))
    return rows, info


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def timing_section(rows: list[TimingRow], info: dict) -> list[str]:
    """The table as a Markdown section."""
    how = (f"espeak-ng `-v {VOICE} -s {info['speed']}` ({info['words_per_minute']:.1f} words a minute measured on "
           f"the model's reference passage; {info['espeak']})") if "speed" in info else "not rendered"
    lines = ["## The coach's clock: announced vs modelled vs rendered", "",
             f"Seconds. Rendered: {how}. A workout's runner turns count {RUNNER_TURN_SECONDS:.0f} s each; "
             "its announced figure is the builder's estimate.", "",
             "| what | announced | modelled | rendered | modelled, to next words | rendered, to next words |",
             "|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row.what} | {row.announced:.0f} | {_seconds(row.modelled)} | {_seconds(row.rendered)} | "
                     f"{_seconds(row.modelled_to_next)} | {_seconds(row.rendered_to_next)} |")
    return lines


if __name__ == "__main__":
    table, how = timing_table()
    print("\n".join(timing_section(table, how)))
