"""Log records as JSON lines, one object per line on stdout, for a log
collector to parse without a pattern of its own.

Each line carries the time (UTC, ISO 8601), level, logger and message, the
traceback when there is one, and the context the portal's loggers attach:
the request's method, path and status for ``django.request``; the task's
name and id for Celery's failures; anything passed as ``extra``.
"""

import datetime
import json
import logging

# The attributes every LogRecord has: anything else was passed as ``extra``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            entry["method"] = request.method
            entry["path"] = request.path
        for key, value in vars(record).items():
            if key in _STANDARD or key == "request" or key in entry:
                continue
            entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)
