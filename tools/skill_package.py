"""The skill package the ASK CLI deploys: `make skill-package` writes skill-package/ (git-ignored) from the
repository's own layout, which stays as it is (skill.json, interaction_model/<locale>.json, lambda/):

    skill-package/skill.json                             skill.json, its endpoints the function's ARN when given
    skill-package/interactionModels/custom/<locale>.json every locale's interaction model, as committed

Then `ask deploy --target skill-metadata` (ask-resources.json at the root names skill-package/) uploads the
manifest and the models; the code goes with `sam deploy` (template.yaml), whose stack output SkillFunctionArn is the
ARN. Give it one of:

    python tools/skill_package.py --function-arn arn:aws:lambda:us-east-1:123456789012:function:runner-strength
    python tools/skill_package.py --stack-outputs outputs.json   # `sam list stack-outputs --output json`, or
                                                                  # `aws cloudformation describe-stacks`
    FUNCTION_ARN=... make skill-package

Without one, the manifest keeps skill.json's placeholders and says so: Amazon refuses a package whose endpoint is
not a real ARN, so the package is then for looking at, not for deploying.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "skill-package"
ARN_OUTPUT = "SkillFunctionArn"  # template.yaml's output naming the function
_ARN = re.compile(r"arn:aws[a-z-]*:lambda:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}"
                  r"(?::[A-Za-z0-9_$-]+)?")  # a version or alias may follow


class PackageError(ValueError):
    """What was given cannot make a package; the message says what."""


def arn_from_outputs(data: Any) -> str:
    """The function's ARN from a stack's outputs, as `sam list stack-outputs --output json` writes them (a list of
    {OutputKey, OutputValue}) or as `aws cloudformation describe-stacks` does ({"Stacks": [{"Outputs": [...]}]})."""
    outputs = data
    if isinstance(data, dict) and isinstance(data.get("Stacks"), list) and data["Stacks"]:
        outputs = data["Stacks"][0].get("Outputs")
    if not isinstance(outputs, list):
        raise PackageError("stack outputs: expected a list of OutputKey/OutputValue, or describe-stacks' JSON")
    for output in outputs:
        if isinstance(output, dict) and output.get("OutputKey") == ARN_OUTPUT:
            return str(output.get("OutputValue", ""))
    raise PackageError(f"stack outputs: no {ARN_OUTPUT} (is it template.yaml's stack?)")


def checked_arn(arn: str) -> str:
    if not _ARN.fullmatch(arn):
        raise PackageError(f"not a Lambda function ARN: {arn!r}")
    return arn


def manifest(function_arn: str | None) -> dict[str, Any]:
    """skill.json with the skill's endpoint and its events' endpoint set to the function, when given."""
    skill = json.loads((ROOT / "skill.json").read_text(encoding="utf-8"))
    if function_arn is not None:
        body = skill["manifest"]
        body["apis"]["custom"]["endpoint"]["uri"] = function_arn
        if "events" in body:
            body["events"]["endpoint"]["uri"] = function_arn
    return skill


def build(out: Path, function_arn: str | None) -> list[Path]:
    """Write the package to `out` (replacing what was there); the files written."""
    if out.exists():
        shutil.rmtree(out)
    models = out / "interactionModels" / "custom"
    models.mkdir(parents=True)
    written = [out / "skill.json"]
    written[0].write_text(json.dumps(manifest(function_arn), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for model in sorted((ROOT / "interaction_model").glob("*.json")):
        shutil.copyfile(model, models / model.name)
        written.append(models / model.name)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    given = parser.add_mutually_exclusive_group()
    given.add_argument("--function-arn", help="the skill function's ARN (default: $FUNCTION_ARN)")
    given.add_argument("--stack-outputs", type=Path, help="a JSON file of the SAM stack's outputs")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        if args.stack_outputs is not None:
            arn = checked_arn(arn_from_outputs(json.loads(args.stack_outputs.read_text(encoding="utf-8"))))
        else:
            given_arn = args.function_arn or os.environ.get("FUNCTION_ARN") or None
            arn = checked_arn(given_arn) if given_arn else None
        written = build(args.out, arn)
    except (PackageError, OSError, json.JSONDecodeError) as err:
        print(f"skill-package: {err}", file=sys.stderr)
        return 2
    print(f"skill-package: wrote {len(written)} files to {args.out}")
    if arn is None:
        print("skill-package: no function ARN given, so the endpoints keep skill.json's placeholders; give "
              "--function-arn, --stack-outputs or FUNCTION_ARN before `ask deploy --target skill-metadata`",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
