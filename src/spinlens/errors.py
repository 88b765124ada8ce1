"""The errors spinlens raises on purpose. Each carries a one-line message meant for the user."""

from __future__ import annotations

import os
import shutil
import tempfile
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


class AnalysisError(SpinlensError):
    """One article of many could not be analysed because of a fault in spinlens, not in the article: the
    message names its place and the cause in one line; `cause` is the exception itself (also __cause__)."""

    def __init__(self, position: int, cause: BaseException) -> None:
        reason = " ".join(str(cause).split()) or "(no message)"
        super().__init__(f"item {position}: analysis failed: {type(cause).__name__}: {reason}")
        self.position = position
        self.cause = cause
        self.__cause__ = cause


def readable(text: str, limit: int = 200) -> str:
    """One printable line of at most `limit` characters: reasons and keys reach terminals and the database.
    A long one loses its middle, as a reason often starts with a long path and ends with the cause."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return text[:head] + "…" + text[len(text) - (limit - 1 - head):]


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """An output that cannot be written (to `path`, or a file below it) becomes an InputError naming it."""
    try:
        yield
    except OSError as error:
        raise InputError(f"cannot write {error.filename or path}: {error.strerror or error}") from None


@contextmanager
def replacing(out: Path) -> Iterator[Path]:
    """The path to write the file `out` to: one beside it, moved over it when the block ends without an
    error, so a failed write (a full disk, an interrupted export) leaves an existing file as it was. A device
    or pipe (/dev/null) is written in place, and so is a file in a folder we may not add to."""
    out = Path(out)
    if out.exists() and not out.is_file():
        yield out
        return
    target = Path(os.path.realpath(out))
    try:  # a new file of its own (never a link someone left there, nor another run's)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    except PermissionError:
        yield target
        return
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        if target.exists():  # the replaced file's permissions, not the new file's defaults
            shutil.copymode(target, partial)
        else:  # a new file's usual permissions: mkstemp made it 0600 whatever the umask
            os.chmod(partial, 0o666 & ~_umask())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _umask() -> int:
    """The process's umask, which can only be read by setting it: set back at once."""
    mask = os.umask(0o077)  # meanwhile a file another thread creates is at worst private
    os.umask(mask)
    return mask
