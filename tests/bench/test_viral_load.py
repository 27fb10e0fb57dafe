"""A tiny run of the viral-load harness: it must run and count correctly. Nothing is timed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_a_short_run_signs_confirms_and_loses_nothing_even_when_a_web_worker_is_killed(tmp_path):
    database = "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    env = {**os.environ, "BENCH_PG_DATABASE": "groundswell_bench_test"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "viral_load.py"), "--database", database, "--duration", "3",
         "--clients", "4", "--confirmers", "2", "--count-readers", "1", "--page-readers", "1",
         "--ceiling-seconds", "1", "--drain-seconds", "10", "--web-workers", "2", "--web-threads", "2",
         "--kill-web-worker-after", "1",
         "--task-workers", "1", "--json", str(tmp_path / "result.json")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "nothing lost, nothing counted twice" in result.stdout
    import json

    [run] = json.loads((tmp_path / "result.json").read_text())
    verify = run["verify"]
    assert verify["ok"] is True
    # A signature whose response died with the worker may be stored without being acknowledged.
    assert verify["acknowledged"] > 0 and verify["missing"] == 0 and verify["duplicates"] == 0
    assert verify["confirmed_rows"] > 0 and verify["counted"] == verify["confirmed_rows"]
    assert run["ceiling"]["ok"] > 0 and run["count_reads"]["ok"] > 0
    assert run["signed_page"]["ok"] > 0 and run["confirmed_page"]["ok"] > 0  # the redirects are followed
    assert run["killed_web_worker"], "a web worker was killed with SIGKILL part-way"
    assert "was killed with SIGKILL" in result.stdout
    # CPU per signature, by part, counted from the start of signing: every part did some work,
    # and none is more than the whole run's CPU (start-up and the ceiling phase left out).
    per_signature = run["cpu_ms_per_signature"]
    assert set(per_signature) == set(run["cpu_seconds"])
    assert per_signature["web server"] > 0 and per_signature["task workers"] > 0
    for part, ms in per_signature.items():
        assert 0 <= ms * verify["acknowledged"] / 1000 <= run["cpu_seconds"][part] + 0.01, part
    # The web server's start-up (Django imported and warmed up in each worker: about a second
    # of CPU each) is not in it.
    assert per_signature["web server"] * verify["acknowledged"] / 1000 < run["cpu_seconds"]["web server"] - 0.5
    assert "CPU ms per acknowledged signature" in result.stdout
    # The ceiling phase's CPU per minimal request, the yardstick a signature is measured against:
    # every part's CPU from the phase's start, so neither start-up nor signing is in it.
    per_request = run["cpu_ms_per_ceiling_request"]
    assert set(per_request) == set(run["cpu_seconds"]) and per_request["web server"] > 0
    web_in_phases = (per_request["web server"] * run["ceiling"]["ok"] + per_signature["web server"] * verify["acknowledged"]) / 1000
    assert web_in_phases < run["cpu_seconds"]["web server"] - 0.5
    assert 0 < run["cpu_busy_share"]["ceiling"] <= 1.05 and 0 < run["cpu_busy_share"]["signing"] <= 1.05
    assert "A signature's CPU in minimal-view requests" in result.stdout


@pytest.mark.django_db
def test_the_check_notices_a_lost_or_miscounted_signature():
    sys.path.insert(0, str(ROOT / "bench"))
    from viral_load import SLUG, internal_verify

    from groundswell.petitions import actions
    from groundswell.petitions.models import SignatureCount
    from tests.factories import make_petition, sign

    petition = make_petition(slug=SLUG)
    actions.confirm_signature(signature=sign(petition, email="one@example.org").signature)
    sign(petition, email="two@example.org")
    good = internal_verify({"acknowledged": ["one@example.org", "two@example.org"], "confirmed": 1})
    assert good["ok"] is True

    lost = internal_verify({"acknowledged": ["one@example.org", "two@example.org", "three@example.org"], "confirmed": 1})
    assert lost["ok"] is False and lost["missing"] == 1

    SignatureCount.objects.filter(petition=petition).delete()
    miscounted = internal_verify({"acknowledged": ["one@example.org", "two@example.org"], "confirmed": 1})
    assert miscounted["ok"] is False and miscounted["counted"] == 0


def test_cpu_of_ended_children_is_still_counted_through_their_parent():
    """A PostgreSQL backend ends with its connection, and a killed web worker is replaced: their
    CPU must still count, through the parent that reaped them."""
    sys.path.insert(0, str(ROOT / "bench"))
    from viral_load import process_tree_cpu_seconds

    burn = "import time; t = time.process_time(); exec('while time.process_time() - t < 0.6: pass')"
    parent = subprocess.Popen(
        [sys.executable, "-c", f"import subprocess, sys, time; subprocess.run([sys.executable, '-c', {burn!r}]); print('reaped', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert parent.stdout.readline().strip() == "reaped"  # the child has ended and been waited for
        assert process_tree_cpu_seconds(parent.pid) >= 0.5
    finally:
        parent.kill()
        parent.wait()
