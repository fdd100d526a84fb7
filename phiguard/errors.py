"""Errors that end a scan with exit code 2 and a one-line message, and one file's unexpected failure."""
import os
import sys
import traceback

DEBUG_ENV = "PHIGUARD_DEBUG"
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2  # no blocking finding; blocking findings; not all checked


class PhiguardError(Exception):
    """A usage, config, model or input error; `str()` is the one-line message."""


class ModelNotInstalled(PhiguardError):
    pass


class ConfigError(PhiguardError):
    pass


class InputError(PhiguardError):
    pass


def internal_error(stage: str) -> str:
    """The error of one file whose `stage` raised unexpectedly (call it in the `except` block). Names the stage
    only: the exception's text may quote the file. PHIGUARD_DEBUG=1 prints the traceback on stderr."""
    debug_trace()
    return f"not checked: internal error in the {stage}; run with {DEBUG_ENV}=1 and report it"


def debug_trace() -> None:
    """With PHIGUARD_DEBUG=1, the traceback of the exception being handled, on stderr."""
    if os.environ.get(DEBUG_ENV) and sys.exc_info()[0] is not None:
        traceback.print_exc()
