"""The errors spinlens raises on purpose. Each carries a one-line message meant for the user."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class SpinlensError(Exception):
    """Base class: anything spinlens reports as a clean one-line error."""


class InputError(SpinlensError):
    """The input cannot be analysed: empty, binary, not UTF-8, too large, not English, no article text."""


class FetchError(SpinlensError):
    """A URL could not be fetched, or was refused (private address, too large, too slow)."""


class ModelError(SpinlensError):
    """A model folder is missing or unreadable."""


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """An output that cannot be written (to `path`, or a file below it) becomes an InputError naming it."""
    try:
        yield
    except OSError as error:
        raise InputError(f"cannot write {error.filename or path}: {error.strerror or error}") from None
