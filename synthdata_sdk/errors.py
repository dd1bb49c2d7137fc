"""Error types raised by synthdata. Every message names what was wrong and what was expected."""

from __future__ import annotations


class SynthDataError(Exception):
    """Base class of every error synthdata raises on purpose."""


class SchemaError(SynthDataError):
    """A schema cannot be generated from: unsupported, contradictory or malformed.

    ``pointer`` is the JSON pointer of the offending subschema (``""`` for the root),
    ``keyword`` the JSON Schema keyword involved and ``expected`` what would be accepted.
    """

    def __init__(self, pointer: str, keyword: str, message: str, expected: str = "") -> None:
        self.pointer = pointer
        self.keyword = keyword
        self.expected = expected
        self.detail = message
        location = pointer or "/"
        text = f"schema {location}: {keyword}: {message}"
        if expected:
            text += f" (expected {expected})"
        super().__init__(text)


class LimitError(SchemaError):
    """A schema (or request) would need more work or memory than a limit allows.

    ``limit`` names the limit (see ``synthdata_sdk.limits``), ``maximum`` its value and
    ``setting`` the environment variable that raises it.
    """

    def __init__(
        self, pointer: str, keyword: str, message: str, *, limit: str, maximum: int, setting: str
    ) -> None:
        self.limit = limit
        self.maximum = maximum
        self.setting = setting
        super().__init__(pointer, keyword, message, f"less, or a higher {setting}")


class ModelRejectedError(SchemaError):
    """A pydantic model rejected a record drawn from its JSON Schema: one of its checks (a
    ``field_validator``, a ``model_validator``, a custom type) goes beyond what its schema says.

    ``row`` is the record's index in the dataset, ``field`` the dotted field path (``""`` for
    the record as a whole), ``validator`` the qualified name of the validator function that
    raised (``""`` when the rejection came from pydantic's own checks) and ``attempts`` how
    many times the record was drawn again before the model was refused.
    """

    def __init__(
        self,
        model: str,
        row: int,
        field: str,
        reason: str,
        *,
        validator: str = "",
        attempts: int = 0,
    ) -> None:
        self.model, self.row, self.field = model, row, field
        self.validator, self.attempts = validator, attempts
        where = f"field {model}.{field}" if field else f"model {model}"
        by = f" (validator {validator})" if validator else ""
        after = f" after {attempts} redraw{'s' if attempts > 1 else ''}" if attempts else ""
        super().__init__(
            "/properties/" + field.split(".")[0] if field else "",
            "model",
            f"{where} rejects generated record {row}{after}{by}: {reason}",
            "a check the model's JSON Schema expresses (Field constraints), a validator that"
            " accepts most values of the schema, or a dict or .json schema without the model",
        )


class RequestError(SynthDataError):
    """A generation request is invalid: rows, seed, locale, profile, format or option."""


class TableSetError(SynthDataError, AttributeError):
    """A dataset is used as the wrong shape: ``records`` on a table set, ``tables`` on a
    single table. An AttributeError too, so ``hasattr`` and ``getattr`` with a default work."""


class UnknownTableError(SynthDataError, KeyError):
    """``dataset.tables[name]`` names no table of the set. A KeyError too, so ``in`` and
    ``get`` work as on any mapping."""

    def __str__(self) -> str:
        # KeyError's str() is the repr of its argument: the message, quotes and all
        return str(self.args[0]) if self.args else ""


class OutputPathError(RequestError):
    """A dataset or report cannot be written to the path asked for.

    Raised for a target that synthdata will not replace (a directory, socket, block device or
    a symbolic link to a regular file) and for a path it cannot create a file at; ``path`` is
    the path as given, never a temporary file's name.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(message)


class UnresolvedPromptError(RequestError):
    """A prompt names no template (or bundle) clearly enough to generate from.

    ``prompt`` is the text as given and ``nearest`` the closest names, best first (empty when
    no word of the prompt is in the library).
    """

    def __init__(self, prompt: str, nearest: tuple[str, ...], message: str) -> None:
        self.prompt = prompt
        self.nearest = nearest
        super().__init__(message)


class DatasetNotCachedError(SynthDataError):
    """A dataset is not in any cache and this run may not generate it.

    ``fingerprint`` and ``source`` name the dataset; the message says how to record it.
    """

    def __init__(self, fingerprint: str, source: str, message: str = "") -> None:
        self.fingerprint = fingerprint
        self.source = source
        super().__init__(message or f"dataset {fingerprint} ({source}) is not cached")


class CacheError(SynthDataError):
    """A cache store cannot be read or written."""


class CorruptCacheError(CacheError):
    """A cache entry fails verification: missing file, wrong size or sha256, bad manifest.

    ``fingerprint`` names the entry and ``reason`` says what did not match.
    """

    def __init__(self, fingerprint: str, reason: str) -> None:
        self.fingerprint = fingerprint
        self.reason = reason
        super().__init__(f"cache entry {fingerprint[:12]} is corrupt: {reason}")


class EntrySignatureError(CorruptCacheError):
    """A shared cache entry's manifest is not signed by the trusted key, so it is not served.

    Raised for a signature that does not verify, one made with another key or of another
    manifest, and for an entry without a signature when signed entries are required.
    """

    def __init__(self, fingerprint: str, reason: str) -> None:
        self.fingerprint = fingerprint
        self.reason = reason
        CacheError.__init__(self, f"cache entry {fingerprint[:12]} is not trusted: {reason}")


class ComplianceError(SynthDataError):
    """synthdata's own output broke a compliance profile it was asked for: a bug, never data.

    ``report`` is the ``ComplianceReport`` that found it (masked values only).
    """

    def __init__(self, message: str, report: object) -> None:
        self.report = report
        super().__init__(message)


class CacheLocationError(CacheError):
    """A cache folder, or something inside it, cannot be used as it is.

    The folder is a file, cannot be created or written, or holds a symbolic link where synthdata
    keeps its own folders and files (synthdata never follows a link inside its cache). ``path``
    names the offending path and ``problem`` says what is wrong with it.
    """

    def __init__(self, path: str, problem: str, hint: str = "") -> None:
        self.path = path
        self.problem = problem
        text = f"cache folder problem: {path} {problem}"
        if hint:
            text += f"; {hint}"
        super().__init__(text)


class LockFileError(CacheError):
    """A lock file (``synthdata.lock``) cannot be read, written or trusted.

    ``path`` names the file and ``problem`` says what is wrong with it.
    """

    def __init__(self, path: str, problem: str, hint: str = "") -> None:
        self.path = path
        self.problem = problem
        text = f"{path}: {problem}"
        if hint:
            text += f"; {hint}"
        super().__init__(text)


class UrlFileError(CacheError):
    """A file of presigned URLs (``synthdata cache presign``) cannot be read or trusted.

    ``path`` names the file and ``problem`` says what is wrong with it (where in the file).
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class CacheBusyError(CacheError):
    """A cache lock is held by another process and the wait for it timed out."""


class BackendError(SynthDataError):
    """A cloud service (S3, DynamoDB, Lambda...) refused or failed a call.

    ``code`` is the service's error code (``AccessDenied``, ``NoSuchBucket``...), ``request_id``
    the AWS request id to quote to support, and ``resource`` what was being reached (an S3 URI,
    a table name). The subclasses say what the caller can do about it.
    """

    def __init__(
        self, message: str, *, code: str = "", request_id: str = "", resource: str = ""
    ) -> None:
        self.code = code
        self.request_id = request_id
        self.resource = resource
        text = message
        if request_id:
            text += f" (AWS request id {request_id})"
        super().__init__(text)


class BackendAccessError(BackendError):
    """The caller's credentials may not do this (missing permission, key policy, no credentials)."""


class BackendNotFoundError(BackendError):
    """A bucket, table or function the configuration names does not exist."""


class BackendThrottledError(BackendError):
    """The service throttled the calls and kept doing so through every retry."""


class BackendUnavailableError(BackendError):
    """The service failed (5xx) or could not be reached, through every retry."""


class BackendConflictError(BackendError):
    """A conditional write found a state it may not change (for example a finished generation)."""


class BackendValidationError(BackendError):
    """The service refused the call's input (``ValidationException``, a request over a limit)."""


class BackendDependencyError(BackendError):
    """Something the service relies on failed: the agent's action function, the function's own
    code (a Lambda function error), a model that is not ready."""


class BackendResultError(BackendError):
    """A backend answered, but not with the dataset asked for: another fingerprint, no session
    pointer, a dataset stored elsewhere than configured, or an agent handing control back."""


class BackendConfigError(RequestError):
    """A backend setting is missing, unknown or wrong, in an argument, the environment or
    ``[tool.synthdata]``; ``key`` names the setting and ``origin`` where its value came from."""

    def __init__(self, key: str, origin: str, message: str) -> None:
        self.key = key
        self.origin = origin
        super().__init__(f"{origin}: {message}" if origin else message)


class ExtraNotInstalledError(RequestError):
    """A feature needs an optional extra that is not installed; the message says what to run."""


class TableSetNotSupportedError(RequestError, NotImplementedError):
    """A table set (``{"tables": {...}}`` or a bundle name) was given where one table is drawn
    (the hypothesis strategies); the message says what to use instead."""


class SynthDataWarning(UserWarning):
    """Base class of the warnings synthdata gives: something was read less strictly than asked."""


class UnsignedEntryWarning(SynthDataWarning):
    """A shared cache entry without a signature was served (signed entries are not required)."""


class UnknownKeywordWarning(SynthDataWarning):
    """A schema holds keywords synthdata does not know; they were read as annotations.

    ``keywords`` lists them as ``(pointer, keyword)`` pairs, in the schema as written.
    """

    def __init__(self, message: str, keywords: tuple[tuple[str, str], ...] = ()) -> None:
        self.keywords = keywords
        super().__init__(message)
