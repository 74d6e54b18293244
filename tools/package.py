"""Build the AWS Lambda deployment package: `build/runner-strength-lambda.zip` (`make package`).

The zip holds the skill's code (`lambda/lambda_function.py` and `lambda/runner_strength/` with its data files)
and requirements-lambda.txt installed as wheels for the Lambda platform: Linux on arm64 (Graviton), CPython
3.11. Every .py is compiled to a `__pycache__/*.cpython-311.pyc` beside it, so a cold start loads bytecode
instead of compiling the skill and ask-sdk-model's many modules. Those .pyc files are CPython 3.11 bytecode
(the magic number and the cache tag are per minor version; another Python ignores them and compiles again at
every cold start, since Lambda's code directory is read-only): that is why this must run on Python 3.11 and
why template.yaml pins the `python3.11` runtime. Change both together.

The .pyc files use unchecked-hash invalidation: Python loads them without comparing them to the .py's
modification time (zip extraction does not keep times reliably, and the code never changes under a deployed
function), and they do not embed a build time. With entries sorted, fixed 1980-01-01 timestamps and fixed
permissions, the same inputs give the same zip, byte for byte.

    python tools/package.py [--out-dir DIR]     # default: build/
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements-lambda.txt"
CODE_ROOT = ROOT / "lambda"
CODE = ("lambda_function.py", "runner_strength")
ZIP_NAME = "runner-strength-lambda.zip"
# Lambda's limit for a zip uploaded directly is 50 MB; ours is far smaller, and staying small keeps cold
# starts fast. Over this, something that should not be there (boto3, the web service's stack) got in.
MAX_BYTES = 10 * 1024 * 1024
PYTHON = (3, 11)  # the Lambda runtime in template.yaml: python3.11
PLATFORM = "manylinux2014_aarch64"  # template.yaml: Architectures [arm64]
# Where Lambda puts the code; tracebacks name the files there rather than this machine's temporary directory.
LAMBDA_TASK_ROOT = "/var/task"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# pip's bookkeeping from the install into the staging directory, never read at run time. bin/ holds console
# scripts pointing at this machine's interpreter; RECORD lists files with their hashes (including those
# scripts), INSTALLER and REQUESTED say how pip installed them. METADATA, entry points and licences stay.
INSTALL_JUNK_DIRS = ("bin",)
DIST_INFO_JUNK = ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json")


class PackageError(Exception):
    """The package cannot be built, or came out wrong; the message says why."""


def install_dependencies(target: Path, requirements: Path = REQUIREMENTS) -> None:
    # --no-deps: requirements-lambda.txt pins every package the function needs, dependencies included.
    # --only-binary: wheels only, so nothing is compiled for this machine's architecture by mistake.
    # --no-compile: the .pyc are made afterwards, in one pass, with the invalidation mode wanted.
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
        "--no-compile", "--only-binary=:all:", "--platform", PLATFORM, "--implementation", "cp",
        "--python-version", f"{PYTHON[0]}.{PYTHON[1]}", "--target", str(target), "-r", str(requirements),
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise PackageError(f"pip could not install {requirements.name} for {PLATFORM}:\n{result.stderr}")


def remove_install_junk(target: Path) -> None:
    for name in INSTALL_JUNK_DIRS:
        shutil.rmtree(target / name, ignore_errors=True)
    for dist_info in target.glob("*.dist-info"):
        for name in DIST_INFO_JUNK:
            (dist_info / name).unlink(missing_ok=True)
    for cache in [*target.rglob("__pycache__")]:
        shutil.rmtree(cache)


def copy_code(target: Path, code_root: Path = CODE_ROOT) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".DS_Store")
    for name in CODE:
        source = code_root / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)


def compile_bytecode(target: Path) -> None:
    # In a child process with a fixed hash seed: the order of set and frozenset constants in the bytecode
    # follows string hashes, which are randomised per process otherwise, and the .pyc would differ per build.
    command = [
        sys.executable, "-m", "compileall", "-q", "-f", "-d", LAMBDA_TASK_ROOT,
        "--invalidation-mode", "unchecked-hash", str(target),
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise PackageError(f"compileall failed:\n{result.stdout}{result.stderr}")


def write_zip(source: Path, zip_path: Path) -> int:
    """Zip every file under `source` deterministically; returns how many files went in."""
    files = sorted(path for path in source.rglob("*") if path.is_file())
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zip_path.with_name(zip_path.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(source).as_posix(), date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permissions below are honoured when Lambda extracts it
            info.external_attr = (0o100644 & 0xFFFF) << 16  # a regular file, rw-r--r--
            archive.writestr(info, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    partial.replace(zip_path)
    return len(files)


def check_size(zip_path: Path, limit: int = MAX_BYTES) -> int:
    size = zip_path.stat().st_size
    if size > limit:
        raise PackageError(f"{zip_path} is {size} bytes ({size / 2**20:.2f} MB), over the limit of {limit} bytes "
                           f"({limit / 2**20:g} MB): check requirements-lambda.txt for packages Lambda does not need")
    return size


def build(out_dir: Path) -> tuple[Path, int, int]:
    """Build the package into `out_dir`; returns its path, its size in bytes and how many files it holds."""
    if sys.version_info[:2] != PYTHON:
        raise PackageError(f"run this with Python {PYTHON[0]}.{PYTHON[1]}, the Lambda runtime's version (this is "
                           f"{sys.version_info[0]}.{sys.version_info[1]}): the .pyc files are made by this Python")
    zip_path = out_dir.resolve() / ZIP_NAME
    with tempfile.TemporaryDirectory(prefix="runner-strength-package-") as staging:
        target = Path(staging) / "task"
        install_dependencies(target)
        remove_install_junk(target)
        copy_code(target)
        compile_bytecode(target)
        count = write_zip(target, zip_path)
    return zip_path, check_size(zip_path), count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the AWS Lambda deployment zip.")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "build",
                        help="where to write runner-strength-lambda.zip (default: build/)")
    args = parser.parse_args(argv)
    try:
        zip_path, size, count = build(args.out_dir)
    except PackageError as err:
        print(f"package: {err}", file=sys.stderr)
        return 1
    print(f"{zip_path}: {size} bytes ({size / 2**20:.2f} MB), {count} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
