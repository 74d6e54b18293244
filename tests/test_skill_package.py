"""`make skill-package` (tools/skill_package.py): the package `ask deploy --target skill-metadata` uploads, made from
the repository's own skill.json and interaction models, with the function's ARN from the SAM stack when given."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tools import skill_package
from tools.skill_package import ROOT, PackageError

ARN = "arn:aws:lambda:us-east-1:123456789012:function:runner-strength-SkillFunction-AbC123"


def test_the_package_holds_the_manifest_with_the_functions_arn_and_every_locales_model(tmp_path):
    written = skill_package.build(tmp_path / "pkg", ARN)
    manifest = json.loads((tmp_path / "pkg" / "skill.json").read_text())["manifest"]
    assert manifest["apis"]["custom"]["endpoint"]["uri"] == ARN and manifest["events"]["endpoint"]["uri"] == ARN
    committed = json.loads((ROOT / "skill.json").read_text())["manifest"]
    assert {k: v for k, v in manifest.items() if k not in ("apis", "events")} == \
        {k: v for k, v in committed.items() if k not in ("apis", "events")}
    locales = sorted(p.name for p in (ROOT / "interaction_model").glob("*.json"))
    assert locales and sorted(p.name for p in (tmp_path / "pkg" / "interactionModels" / "custom").iterdir()) == locales
    for name in locales:
        assert (tmp_path / "pkg" / "interactionModels" / "custom" / name).read_bytes() == \
            (ROOT / "interaction_model" / name).read_bytes()
    assert len(written) == 1 + len(locales)


def test_ask_resources_names_the_package_for_the_skill_metadata_target():
    resources = json.loads((ROOT / "ask-resources.json").read_text())
    assert resources["askcliResourcesVersion"] == "2020-03-31"
    assert resources["profiles"]["default"]["skillMetadata"]["src"] == "./skill-package"
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "/skill-package/" in ignored and "/.ask/" in ignored


@pytest.mark.parametrize("outputs", [
    [{"OutputKey": "RunnerTableName", "OutputValue": "t"}, {"OutputKey": "SkillFunctionArn", "OutputValue": ARN}],
    {"Stacks": [{"StackName": "runner-strength", "Outputs": [{"OutputKey": "SkillFunctionArn", "OutputValue": ARN}]}]},
])
def test_the_arn_is_read_from_the_stacks_outputs_as_sam_or_cloudformation_writes_them(outputs):
    assert skill_package.arn_from_outputs(outputs) == ARN


@pytest.mark.parametrize(("outputs", "complaint"), [
    ([{"OutputKey": "RunnerTableName", "OutputValue": "t"}], "no SkillFunctionArn"),
    ({"Stacks": []}, "expected a list"),
    ("arn", "expected a list"),
])
def test_outputs_without_the_function_are_refused_saying_why(outputs, complaint):
    with pytest.raises(PackageError, match=complaint):
        skill_package.arn_from_outputs(outputs)


@pytest.mark.parametrize("arn", ["", "arn:aws:lambda:REGION:ACCOUNT_ID:function:runner-strength",
                                 "arn:aws:s3:::bucket", "https://example.com/alexa"])
def test_what_is_not_a_lambda_arn_is_refused(arn):
    with pytest.raises(PackageError, match="not a Lambda function ARN"):
        skill_package.checked_arn(arn)


def test_the_command_writes_the_package_from_stack_outputs_and_refuses_a_bad_arn(tmp_path):
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps([{"OutputKey": "SkillFunctionArn", "OutputValue": ARN}]))
    run = [sys.executable, str(ROOT / "tools" / "skill_package.py"), "--out", str(tmp_path / "pkg")]
    done = subprocess.run([*run, "--stack-outputs", str(outputs)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert ARN in (tmp_path / "pkg" / "skill.json").read_text()
    refused = subprocess.run([*run, "--function-arn", "arn:aws:lambda:REGION:ACCOUNT_ID:function:x"],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "not a Lambda function ARN" in refused.stderr


def test_without_an_arn_the_package_keeps_the_placeholders_and_says_so(tmp_path, monkeypatch):
    monkeypatch.delenv("FUNCTION_ARN", raising=False)
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "skill_package.py"), "--out", str(tmp_path / "pkg")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "placeholders" in done.stderr
    manifest = json.loads((tmp_path / "pkg" / "skill.json").read_text())["manifest"]
    assert "ACCOUNT_ID" in manifest["apis"]["custom"]["endpoint"]["uri"]
