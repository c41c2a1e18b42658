"""Domain errors of the ingestion pipeline; each becomes a per-file error in the run report."""


class SourceParseError(Exception):
    """A source file could not be turned into text. The message says what to do next."""


class EncryptedSourceError(SourceParseError):
    """The file is encrypted (password-protected PDF)."""


class NoTextLayerError(SourceParseError):
    """The file has no extractable text (image-only PDF): it needs OCR."""


class UnsafeSourceError(SourceParseError):
    """The file tries something hostile (entity expansion, external entities, path traversal)."""
