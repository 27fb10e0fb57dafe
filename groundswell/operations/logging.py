"""Structured logs: with LOG_FORMAT=json each record is one line of JSON.

No dependency is needed for this. The formatter writes only what the log call gave it; Groundswell
never logs supporters' names, emails or postcodes, and request bodies are never logged.
"""

import json
import logging
from datetime import datetime, timezone

# Attributes every LogRecord has; anything else was passed with `extra=` and is included.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
