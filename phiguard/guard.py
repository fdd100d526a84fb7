"""Last-resort guard: an unexpected exception or an interrupt ends the command with exit 2 and one line,
never 0 or 1."""
from __future__ import annotations

import functools
import os
import sys
import traceback

import click

from .errors import DEBUG_ENV, EXIT_ERROR


def internal_error_message(exc: BaseException) -> str:
    """Names the exception type only: its text may quote the scanned content."""
    return (f"phiguard: error: internal error ({type(exc).__name__}); nothing was checked. "
            f"Rerun with {DEBUG_ENV}=1 for the traceback")


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that flushing it at exit does not raise again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests, embedding)
        pass


def fail_closed(command=None, *, closed_pipe_ok: bool = False):
    """Wraps a command. `closed_pipe_ok`: for commands that print information, not a verdict (`explain |
    head`), a reader that leaves early is a normal end (exit 0, nothing said)."""
    if command is None:
        return functools.partial(fail_closed, closed_pipe_ok=closed_pipe_ok)

    @functools.wraps(command)
    def guarded(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (click.exceptions.ClickException, click.exceptions.Exit):
            raise
        except (KeyboardInterrupt, click.exceptions.Abort):  # Ctrl-C: not a verdict ("findings" is exit 1)
            click.echo("phiguard: error: interrupted; the scan did not finish", err=True)
            sys.exit(EXIT_ERROR)
        except BrokenPipeError:  # `phiguard scan ... | head`: the reader left before the report was complete
            _silence_stdout()
            if closed_pipe_ok:
                sys.exit(0)
            click.echo("phiguard: error: the output was closed before the report was complete", err=True)
            sys.exit(EXIT_ERROR)
        except Exception as exc:  # noqa: BLE001 - the gate must not pass on a crash
            if os.environ.get(DEBUG_ENV):
                traceback.print_exc()
            click.echo(internal_error_message(exc), err=True)
            sys.exit(EXIT_ERROR)

    return guarded
