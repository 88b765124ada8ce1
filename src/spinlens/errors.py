"""The errors spinlens raises on purpose. Each carries a one-line message meant for the user."""


class SpinlensError(Exception):
    """Base class: anything spinlens reports as a clean one-line error."""


class InputError(SpinlensError):
    """The input cannot be analysed: empty, binary, not UTF-8, too large, not English, no article text."""


class FetchError(SpinlensError):
    """A URL could not be fetched, or was refused (private address, too large, too slow)."""


class ModelError(SpinlensError):
    """A model folder is missing or unreadable."""
