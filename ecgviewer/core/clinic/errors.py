"""Clinic case-base failures a user can act on (all :class:`EcgError`, one line each)."""

from ecgviewer.core.errors import EcgError


class ClinicStoreError(EcgError):
    """The clinic's database cannot be read or written (read-only folder, full disk, busy)."""


class CaseNotFoundError(EcgError):
    """No clinic case has the id given."""


class InvalidCaseError(EcgError):
    """A case's details or ECG cannot be saved as they are (unknown statement, bad age...)."""


class BundleError(EcgError):
    """A case bundle is damaged, tampered with, or from a newer ecgviewer: nothing imported."""


class Cancelled(EcgError):
    """The user cancelled an import, export or re-encoding: nothing was changed."""
