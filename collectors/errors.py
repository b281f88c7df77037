"""Named errors for the conditions a user must act on, so the CLI can say what is wrong and where."""

from __future__ import annotations


class EcotrendsError(Exception):
    """Base class: every error ecotrends raises on purpose."""


class ConfigError(EcotrendsError):
    """A curated input file (projects, claims) is malformed; the message names file, entry and field."""


class InputFileError(EcotrendsError):
    """An import file is malformed; the message names the file, the line and the problem."""


class SourceError(EcotrendsError):
    """A source answered in a way that stops collection for one subject or the whole run."""


class NotFoundError(SourceError):
    """The source does not know the repository, package or term (HTTP 404)."""


class AuthError(SourceError):
    """The credentials were refused (for example a bad or expired GITHUB_TOKEN)."""


class RateLimitedError(SourceError):
    """The source asked us to wait longer than a run should; stored data is left as it was."""


class TransientError(SourceError):
    """Retries were exhausted on timeouts, connection errors or 5xx answers."""


class SourceStoppedError(TransientError):
    """The source cannot go on in this run (offline, or out of its time budget): its client asks nothing more,
    and the run records what stopped it. The next run starts afresh."""


class OfflineError(SourceStoppedError):
    """The host refused the connection or its name does not resolve: retrying within seconds cannot help."""


class OutOfTimeError(SourceStoppedError):
    """No usable answer within the source's time budget (a hung, trickling or throttling service)."""


class PayloadError(SourceError):
    """The answer does not have the documented shape (truncated JSON, an HTML error page, an error feed)."""


class RefusedBatchError(SourceError):
    """A batch would overwrite real values with zeros, or is empty where data is expected; nothing was written."""


class LockedError(EcotrendsError):
    """Another ecotrends run holds the lock on the same database."""
