"""One family of errors whose messages a clinician can act on.

Every failure the user can cause (a bad file, a missing companion file, a broken case
base) is raised as an :class:`EcgError` subclass. The CLI prints ``str(err)`` on one line
and exits 2; the GUI shows it in a message box. Anything else is a bug.
"""


class EcgError(Exception):
    """Base of all user-facing errors; ``str(err)`` is the message shown to the user."""


class UnsupportedFormatError(EcgError):
    """The file is not in a format ecgviewer can read."""


class CorruptFileError(EcgError):
    """The file has the right format but its content is broken or truncated."""


class MissingFileError(EcgError):
    """The file, or a companion file it needs, does not exist."""


class InvalidSignalError(EcgError):
    """The signal read is not usable as an ECG (NaNs, impossible sampling rate, ...)."""


class NotAnEcgImageError(EcgError):
    """An image that does not look like an ECG printout."""


class ResourceError(EcgError):
    """The bundled model, index or case metadata is missing or inconsistent."""
