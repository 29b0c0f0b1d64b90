"""caseboard: a live terminal board of children missing from care."""

__version__ = "0.1.0"
