"""The project's small exception tree: every failure a user can cause is a KGError."""


class KGError(Exception):
    """Base class: the CLI turns it into a one-line ``Error: ...`` and exit code 1."""


class InputError(KGError):
    """An input path or record that cannot be read."""


class ModelError(KGError):
    """The spaCy pipeline cannot be loaded."""


class ExportError(KGError):
    """An output cannot be written."""
