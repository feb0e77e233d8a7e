"""One root exception; every message names the file, the line where known, and what is wrong."""

from __future__ import annotations


class PublishError(Exception):
    """Base of every error publisher reports to a user (one line, no traceback)."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        self.source = source
        self.line = line
        self.reason = message
        where = source or "<input>"
        if line is not None:
            where += f":{line}"
        super().__init__(f"{where}: {message}")


class InputError(PublishError):
    """The input is not a usable callback record (empty, binary, too large, not a record)."""


class RenderError(PublishError):
    """A writer failed (pandoc or typst error, time-out, missing font)."""


class UsageError(PublishError):
    """The command line asks for something impossible (unknown format, -o on the input)."""


class ModelError(PublishError):
    """A document that breaks the model's rules (an unknown language, a number out of range,
    a JSON document that does not match the schema); the message names the field."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        super().__init__(message, source, line)
        if source is None:  # a document, not a file: the field path is the place
            self.args = (message,)
