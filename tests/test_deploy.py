"""Deployment: template.yaml (AWS SAM) passes cfn-lint and says what the skill needs, requirements-lambda.txt
keeps requirements.txt's pins, and `tools/package.py` builds a small, reproducible zip with CPython 3.11
bytecode whose handler answers a launch when run from the extracted zip alone.

The package tests run pip (from PyPI or its cache) twice: about ten seconds."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from tests.support.envelopes import SKILL_ID, envelope, launch
from tools.endpoint import ROOT
from tools.package import MAX_BYTES, PLATFORM, PYTHON, ZIP_NAME, PackageError, check_size
from tools.settings_api import Device, Stand, serving

TEMPLATE = ROOT / "template.yaml"
LAMBDA_PROVIDES = {"boto3", "botocore", "s3transfer", "jmespath"}
WEB_ONLY = {"flask", "werkzeug", "gunicorn", "cryptography", "cffi", "pycparser", "blinker", "click",
            "itsdangerous", "jinja2", "markupsafe", "packaging"}
# What the store calls (storage/dynamodb.py's `self._call("get_item", …)`), as IAM actions: the function may do
# exactly these, so a new call needs its permission and a permission no call uses goes.
STORE_CODE = ROOT / "lambda" / "runner_strength" / "storage" / "dynamodb.py"
ITEM_ACTIONS = {"dynamodb:" + "".join(w.title() for w in op.split("_"))
                for op in re.findall(r'_call\("([a-z_]+)"', STORE_CODE.read_text())}


# --- template.yaml -------------------------------------------------------------------------------------------

class CloudFormationLoader(yaml.SafeLoader):
    """YAML as CloudFormation reads it: the short forms (!Ref X, !GetAtt A.B, !Sub s, …) become their long
    forms ({"Ref": "X"}, {"Fn::GetAtt": ["A", "B"]}, {"Fn::Sub": "s"})."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict:
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {"Ref" if suffix == "Ref" else f"Fn::{suffix}": value}


CloudFormationLoader.add_multi_constructor("!", _intrinsic)


@pytest.fixture(scope="module")
def template() -> dict:
    return yaml.load(TEMPLATE.read_text(), Loader=CloudFormationLoader)


@pytest.fixture(scope="module")
def function(template) -> dict:
    resource = template["Resources"]["SkillFunction"]
    assert resource["Type"] == "AWS::Serverless::Function"
    return resource["Properties"]


def test_the_sam_template_passes_cfn_lint():
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run([str(cfn_lint), str(TEMPLATE)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"cfn-lint exit {result.returncode}:\n{result.stdout}{result.stderr}"


def test_the_template_is_a_sam_template(template):
    assert template["Transform"] == "AWS::Serverless-2016-10-31"
    assert set(template["Resources"]) == {"RunnerTable", "SkillFunction"}


def test_every_reference_names_a_parameter_or_resource_of_the_template(template):
    """cfn-lint checks references in plain CloudFormation but not inside SAM resources' properties."""
    known = set(template["Parameters"]) | set(template["Resources"])
    named: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "Ref":
                    named.append(value)
                elif key == "Fn::GetAtt":
                    named.append(value[0])
                elif key == "Fn::Sub":
                    text = value if isinstance(value, str) else value[0]
                    named.extend(name.split(".")[0] for name in re.findall(r"\$\{(?!!)([^}]+)\}", text))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(template["Resources"])
    walk(template["Outputs"])
    assert named
    assert [name for name in named if name not in known and not name.startswith("AWS::")] == []


def test_the_function_runs_the_python_and_architecture_the_package_is_built_for(function):
    # tools/package.py compiles the .pyc with CPython 3.11 and installs wheels for arm64: another runtime
    # would ignore the bytecode, another architecture could not load charset-normalizer's compiled modules.
    assert function["Runtime"] == f"python{PYTHON[0]}.{PYTHON[1]}" == "python3.11"
    assert sys.version_info[:2] == PYTHON
    assert function["Architectures"] == ["arm64"] and "aarch64" in PLATFORM
    assert function["CodeUri"] == f"build/{ZIP_NAME}"
    module, _, handler = function["Handler"].partition(".")
    assert (module, handler) == ("lambda_function", "lambda_handler")
    assert (ROOT / "lambda" / f"{module}.py").is_file()
    assert function["MemorySize"] == 256
    assert function["Timeout"] == 8  # Alexa waits 8 seconds


def test_the_table_is_on_demand_with_recovery_and_encryption_and_outlives_the_stack(template):
    table = template["Resources"]["RunnerTable"]
    assert table["Type"] == "AWS::DynamoDB::Table"
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"
    properties = table["Properties"]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert "ProvisionedThroughput" not in properties
    assert properties["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert properties["AttributeDefinitions"] == [{"AttributeName": "id", "AttributeType": "S"}]
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["SSESpecification"] == {"SSEEnabled": True}


def test_the_function_may_only_do_what_the_store_calls_on_items_of_the_table(function):
    assert {"dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"} == ITEM_ACTIONS, \
        "saves are conditional updates: nothing puts a whole item"
    # No SAM policy templates (DynamoDBCrudPolicy would add Scan, Query and the batch operations) and no
    # managed policies: one inline statement.
    [policy] = function["Policies"]
    assert isinstance(policy, dict) and set(policy) == {"Version", "Statement"}
    [statement] = policy["Statement"]
    assert statement["Effect"] == "Allow"
    assert len(statement["Action"]) == len(ITEM_ACTIONS) and set(statement["Action"]) == ITEM_ACTIONS
    assert statement["Resource"] == {"Fn::GetAtt": ["RunnerTable", "Arn"]}
    assert set(statement) == {"Effect", "Action", "Resource"}


def test_only_the_skill_can_invoke_the_function(template, function):
    assert function["Events"] == {"AlexaSkill": {"Type": "AlexaSkill", "Properties": {"SkillId": {"Ref": "SkillId"}}}}
    parameter = template["Parameters"]["SkillId"]
    assert parameter["Type"] == "String"
    pattern = re.compile(parameter["AllowedPattern"])
    assert pattern.fullmatch(SKILL_ID)
    for wrong in ("", "amzn1.ask.skill.", "amzn1.ask.account.TESTRUNNER", f" {SKILL_ID}", f"{SKILL_ID}\n"):
        assert not pattern.fullmatch(wrong), wrong


def test_the_function_is_told_its_table_and_its_skill(function):
    assert function["Environment"]["Variables"] == {
        "SKILL_STORE": {"Fn::Sub": "dynamodb:${RunnerTable}"},
        "SKILL_ID": {"Ref": "SkillId"},
    }


def test_the_outputs_give_the_endpoint_arn_and_the_table_name(template):
    outputs = {name: output["Value"] for name, output in template["Outputs"].items()}
    assert outputs == {"SkillFunctionArn": {"Fn::GetAtt": ["SkillFunction", "Arn"]},
                       "RunnerTableName": {"Ref": "RunnerTable"}}


# --- requirements-lambda.txt ---------------------------------------------------------------------------------

def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        name, sep, version = line.partition("==")
        assert sep and version.strip(), f"{path.name}: {line!r} is not pinned with =="
        found[_name(name.strip())] = version.strip()
    return found


def test_lambda_requirements_match_the_main_pins():
    main, lambda_ = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements-lambda.txt")
    assert {name: main.get(name) for name in lambda_} == lambda_
    assert set(lambda_) == {"ask-sdk-core", "ask-sdk-model", "ask-sdk-runtime", "python-dateutil", "six",
                            "requests", "urllib3", "certifi", "charset-normalizer", "idna", "tzdata"}
    assert not set(lambda_) & (LAMBDA_PROVIDES | WEB_ONLY)
    # Everything in requirements.txt is either packaged, provided by Lambda or the web service's.
    assert set(main) <= set(lambda_) | LAMBDA_PROVIDES | WEB_ONLY


def test_lambda_requirements_hold_their_own_dependencies():
    """The package installs them with --no-deps, so a dependency missing here would be missing on Lambda."""
    lambda_ = pins(ROOT / "requirements-lambda.txt")
    missing = []
    for name in lambda_:
        for spec in metadata.requires(name) or []:
            requirement = Requirement(spec)
            if requirement.marker and not requirement.marker.evaluate({"extra": "", "python_version": "3.11"}):
                continue
            if _name(requirement.name) not in lambda_ and _name(requirement.name) not in LAMBDA_PROVIDES:
                missing.append(f"{name} needs {spec}")
    assert missing == []


# --- tools/package.py ----------------------------------------------------------------------------------------

def build_package(out_dir: Path) -> tuple[Path, str]:
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "package.py"), "--out-dir", str(out_dir)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"package.py exit {result.returncode}:\n{result.stdout}{result.stderr}"
    return out_dir / ZIP_NAME, result.stdout


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> tuple[Path, str]:
    return build_package(tmp_path_factory.mktemp("build"))


def test_make_package_builds_a_small_zip_with_bytecode(package):
    zip_path, output = package
    size = zip_path.stat().st_size
    assert size < MAX_BYTES
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        infos = archive.infolist()
        header = archive.read("runner_strength/__pycache__/__init__.cpython-311.pyc")[:8]
    assert f"{zip_path}: {size} bytes ({size / 2**20:.2f} MB), {len(names)} files" in output
    assert names == sorted(names, key=lambda name: name.split("/")) and len(set(names)) == len(names)
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}

    present = set(names)
    for needed in ("lambda_function.py", "__pycache__/lambda_function.cpython-311.pyc",
                   "runner_strength/training/catalog.json", "runner_strength/speech/locale/en-US/phrases.json",
                   "runner_strength/speech/locale/en-US/exercises.json", "ask_sdk_core/skill.py",
                   "ask_sdk_core/__pycache__/skill.cpython-311.pyc", "ask_sdk_model/__init__.py",
                   "requests/__init__.py", "certifi/cacert.pem"):
        assert needed in present, needed
    ours = [name for name in names if name.startswith("runner_strength/") and name.endswith(".py")]
    assert len(ours) > 20
    for source in ours:
        folder, _, file = source.rpartition("/")
        assert f"{folder}/__pycache__/{file[:-3]}.cpython-311.pyc" in present, source
    # Unchecked-hash bytecode for this Python: loaded without looking at the .py's time or contents.
    assert header[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(header[4:8], "little") == 0b01

    top_level = {name.split("/")[0].split("-")[0].lower() for name in names}
    for unwanted in ("boto3", "botocore", "s3transfer", "flask", "werkzeug", "gunicorn", "cryptography", "cffi",
                     "bin"):
        assert unwanted not in top_level, unwanted
    assert not [name for name in names if name.endswith(("/RECORD", "/INSTALLER", "/REQUESTED"))]


def test_the_packaged_handler_answers_a_launch_from_the_extracted_zip(package, tmp_path):
    zip_path, _ = package
    task = tmp_path / "task"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(task)
    # The bytecode is what runs: a source that cannot run shows it is never compiled, nor even checked.
    (task / "runner_strength" / "__init__.py").write_text("raise RuntimeError('the .py ran, not the .pyc')\n")
    # As on Lambda: the code directory first, then the runtime's boto3 (here the venv's), no site-packages.
    site_packages = sysconfig.get_paths()["purelib"]
    probe = """
import json, sys
event = json.load(sys.stdin)
import lambda_function
response = lambda_function.lambda_handler(event, None)
import runner_strength, ask_sdk_core, zoneinfo
origins = {name: getattr(module, "__file__", None) for name, module in sorted(sys.modules.items())}
print(json.dumps({"response": response, "runner_strength": runner_strength.__file__,
                  "ask_sdk_core": ask_sdk_core.__file__, "origins": origins, "tzpath": zoneinfo.TZPATH}))
"""
    # No system time zones (PYTHONTZPATH empty), as a Lambda image need not have them: the device's zone is known
    # from the packaged tzdata alone.
    env = {"PYTHONPATH": f"{task}{os.pathsep}{site_packages}", "PYTHONDONTWRITEBYTECODE": "1", "PATH": "",
           "SKILL_STORE": f"sqlite:{tmp_path / 'runners.sqlite3'}", "SKILL_ID": SKILL_ID, "PYTHONTZPATH": ""}
    with serving(Stand(default=Device("America/Los_Angeles"))) as settings:
        event = envelope(launch(), api_endpoint=settings.url)
        result = subprocess.run([sys.executable, "-S", "-c", probe], input=json.dumps(event), cwd=task,
                                env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["runner_strength"].startswith(f"{task}/")
    assert answer["ask_sdk_core"].startswith(f"{task}/")
    assert "Runner Strength" in answer["response"]["response"]["outputSpeech"]["ssml"]
    assert answer["tzpath"] == [] and answer["origins"]["tzdata"].startswith(f"{task}/")
    assert answer["response"]["sessionAttributes"]["time_zone"] == "America/Los_Angeles"
    from_site_packages = {name.split(".")[0] for name, file in answer["origins"].items()
                          if file and file.startswith(site_packages)}
    assert from_site_packages <= LAMBDA_PROVIDES


def test_the_package_is_reproducible(package, tmp_path):
    zip_path, _ = package
    again, _ = build_package(tmp_path)
    assert again.read_bytes() == zip_path.read_bytes()


def test_a_package_over_the_limit_is_refused_with_the_reason(tmp_path):
    oversized = tmp_path / ZIP_NAME
    oversized.write_bytes(b"\0" * 2048)
    assert check_size(oversized, limit=2048) == 2048
    with pytest.raises(PackageError, match=r"2049 bytes .*, over the limit of 2048 bytes"):
        oversized.write_bytes(b"\0" * 2049)
        check_size(oversized, limit=2048)
