import json
import logging

from groundswell.operations.logging import JsonFormatter


def test_json_logs_are_one_object_per_line_with_extra_fields_and_exceptions():
    formatter = JsonFormatter()
    record = logging.LogRecord("groundswell.worker", logging.WARNING, __file__, 1, "Queued %d tasks", (3,), None)
    record.task_id = "abc"
    entry = json.loads(formatter.format(record))
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "groundswell.worker"
    assert entry["message"] == "Queued 3 tasks"
    assert entry["task_id"] == "abc"
    assert entry["time"].endswith("+00:00")
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = formatter.format(record)
    assert "\n" not in line
    assert "ValueError: boom" in json.loads(line)["exception"]
