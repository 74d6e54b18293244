"""The benchmarks run (quickly) in every test run so their code cannot rot. Nothing here asserts speed."""

from __future__ import annotations

import subprocess
import sys

from tools.endpoint import ROOT


def test_the_quick_benchmark_run_writes_every_section(tmp_path):
    output = tmp_path / "RESULTS.md"
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--output", str(output)],
                            capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    text = output.read_text()
    for section in ("## Warm turn", "## Cold start", "## Storage calls", "## HTTP", "## Flood", "## Sizes",
                    "## Cost model",
                    "## Screens as the history grows", "## The coach's clock", "## Soak", "## Hands-free"):
        assert section in text, section
    assert "| default full circuit | normal |" in text and "| 45-minute circuit | brief |" in text
    for turn in ("| launch |", "| build |", "| next set |", "| stop |"):
        assert turn in text
    # The launch, the build, five deliveries (a full circuit of ten sets), the close after the summary; then a
    # returning launch: one read a session (was 13 writes, one a set).
    assert "Total: 2 reads, 8 writes" in text, "the storage counts are the ones the DynamoDB tests prove"
