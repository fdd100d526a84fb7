"""Errors that end a scan with exit code 2 and a one-line message."""


class PhiguardError(Exception):
    """A usage, config, model or input error; `str()` is the one-line message."""


class ModelNotInstalled(PhiguardError):
    pass


class ConfigError(PhiguardError):
    pass


class InputError(PhiguardError):
    pass
