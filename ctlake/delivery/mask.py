"""Secrets in URLs: masked wherever text is shown, revealed only to the HTTP request.

Webhook URLs carry their credentials in plain sight: userinfo (`https://user:pass@host`),
query strings (`?token=...`, `?sig=...`, `X-Amz-Signature=...`), and tokens in the path
(Slack's `/services/T0/B0/XXXX`, Discord's `/api/webhooks/<id>/<token>`). `mask_url` keeps
what helps a person recognise the target — scheme, host, port, and plain path words such as
`services` or `hooks` — and replaces everything else with `***`. `mask_text` does the same
to a URL wherever it appears in a message (an exception text, a log line).

`SecretUrl` holds a webhook URL from the config: its `str()` and `repr()` are masked, and
only `request()` — called by the HTTP POST — sees the real value, with the userinfo moved
into an `Authorization: Basic` header (urllib would take `user:pass@host` for a host and a
port). Every secret part of a `SecretUrl` is also remembered, so `mask_text` removes it
from any text even when a library quotes a fragment that no longer looks like a URL
(`nonnumeric port: 'pass@host'`): the error boundary masks what it prints, tracebacks too.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

from ctlake.errors import BadInputError

MASK = "***"
# A path segment shown as is: a lower-case word ('services', 'hooks', 'api', 'webhook.php');
# from the first segment that is not one, the rest of the path is masked.
_PLAIN_SEGMENT = re.compile(r"^[a-z._-]{1,16}$")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]+")
# What urllib can send: printable ASCII without spaces (anything else must be %-encoded).
_SENDABLE = re.compile(r"^[\x21-\x7e]*$")
# Remembered secrets shorter than this would mask ordinary words in unrelated messages; a
# password is remembered from a shorter length, since it is a secret whatever it looks like.
_MIN_SECRET = 8
_MIN_PASSWORD = 4
# Secret parts of the URLs this process has read. Process-wide on purpose: an error raised
# anywhere (a sink, a config check, DuckDB quoting a URL) is masked at the one boundary
# that prints it, which cannot know which configuration the failing code had read.
_known: set[str] = set()


def mask_url(url: str) -> str:
    """`url` with userinfo, query, fragment and token-like path segments masked."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK
    if not parts.scheme or not parts.netloc:
        return MASK
    _userinfo, at, host = parts.netloc.rpartition("@")
    if not _valid_host(parts):
        host = MASK  # a password holding '/' or '#' ends the host early: show none of it
    if at:
        host = f"{MASK}@{host}"
    path = _mask_path(parts.path)
    query = "&".join(_mask_pair(pair) for pair in parts.query.split("&")) if parts.query else ""
    return urlunsplit((parts.scheme, host, path, query, MASK if parts.fragment else ""))


def mask_credentials(url: str) -> str:
    """A storage URL (`s3a://bucket/prefix`) with its userinfo and query masked, when it has
    any: its bucket and path are no secret, and are what a reader wants to check, though a
    path segment may look like a token to `mask_url`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK
    _userinfo, at, host = parts.netloc.rpartition("@")
    if not (at or parts.query or parts.fragment):
        return url
    if not _valid_host(parts):
        return mask_url(url)  # where the host ends is unclear: mask all that might be secret
    host = f"{MASK}@{host}" if at else host
    return urlunsplit((parts.scheme, host, parts.path, MASK if parts.query else "", ""))


def mask_text(text: str, *urls: str | SecretUrl) -> str:
    """`text` with each of `urls`, anything else that looks like a URL, and every secret
    part of a URL this process has read (`SecretUrl`, `remember`) masked."""
    for url in urls:
        raw = url.reveal() if isinstance(url, SecretUrl) else url
        if raw:
            text = text.replace(raw, mask_url(raw))
    text = _URL.sub(lambda match: _masked(match.group(0)), text)
    for secret in sorted(_known, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def _masked(url: str) -> str:
    """A URL found in text: a web one as `mask_url` masks it (a webhook's path can be its
    token); a storage one (`s3://bucket/key`) with only its credentials masked, since its
    path names the file an error is about."""
    scheme = url.partition("://")[0].lower()
    return mask_url(url) if scheme in ("http", "https") else mask_credentials(url)


def remember(url: str) -> None:
    """Have `mask_text` mask the secret parts of `url` in any text from now on."""
    _known.update(_secret_parts(url))


class SecretUrl:
    """A webhook URL that works and whose secrets are never shown.

    Made only from a URL that urllib can send (see `url_problem`); `str()` and `repr()` give
    the masked URL, so a sink can be printed, logged or put in an exception safely."""

    __slots__ = ("_url",)

    def __init__(self, url: str) -> None:
        problem = url_problem(url)
        if problem:
            raise ValueError(problem)  # the problem never quotes the URL
        self._url = url
        remember(url)

    def request(self) -> tuple[str, str | None]:
        """The URL to send to, without userinfo, and the `Authorization` header value made
        of that userinfo (HTTP Basic, UTF-8), or None when the URL has none."""
        parts = urlsplit(self._url)
        userinfo, at, host = parts.netloc.rpartition("@")
        if not at:
            return self._url, None
        user, _, password = userinfo.partition(":")
        token = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode("ascii")
        return urlunsplit(parts._replace(netloc=host)), f"Basic {token}"

    def reveal(self) -> str:
        """The URL as configured, secrets included: for the HTTP request and nothing else."""
        return self._url

    def __str__(self) -> str:
        return mask_url(self._url)

    def __repr__(self) -> str:
        return f"SecretUrl({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretUrl) and other._url == self._url

    def __hash__(self) -> int:
        return hash(self._url)


def url_problem(url: str) -> str | None:
    """Why urllib cannot POST to `url`, as 'expected ...' text that never quotes the URL;
    None when it can."""
    if not _SENDABLE.match(url):
        return "expected printable ASCII without spaces (percent-encode the rest: a space is %20)"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "expected a valid URL (an IPv6 host goes in [brackets])"
    if parts.scheme.lower() not in ("http", "https"):
        return "expected an http:// or https:// URL"
    if not parts.hostname:
        return "expected a host name after the //"
    if not _valid_host(parts):
        return (
            "expected the host's port to be a number from 1 to 65535 (in a user name or "
            "password, write '/' as %2F, '?' as %3F and '#' as %23)"
        )
    return None


def webhook_url(value: str, what: str) -> SecretUrl:
    """`value` as a `SecretUrl`, or one BadInputError naming `what` and the masked URL."""
    try:
        return SecretUrl(value)
    except ValueError as exc:
        raise BadInputError(f"{what}: {exc}, got {mask_url(value)!r}") from None


def _valid_host(parts: SplitResult) -> bool:
    try:
        port = parts.port
    except ValueError:
        return False
    return bool(parts.hostname) and port != 0


def _secret_parts(url: str) -> set[str]:
    """What `mask_url` hides of `url`, but only what is long enough to be told from an
    ordinary word (a password whatever it looks like)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return {url}
    userinfo, at, host = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    if not _valid_host(parts):  # 'user:pa/ss@host' ends the host at '/': 'pa' is a secret
        password = host.partition(":")[2]
    found = {userinfo, user, unquote(user)} if at else set()
    hidden = _mask_path(parts.path)
    if hidden != parts.path:
        rest = parts.path[len(hidden) - len(MASK) :]
        found |= {rest, *rest.split("/")}
    for pair in parts.query.split("&"):
        value = pair.partition("=")[2] or pair
        found |= {value, unquote(value)}
    found.add(parts.fragment)
    secrets = {s for s in found if len(s) >= _MIN_SECRET}
    return secrets | {p for p in (password, unquote(password)) if len(p) >= _MIN_PASSWORD}


def _mask_path(path: str) -> str:
    shown: list[str] = []
    for segment in path.split("/"):
        if segment and not _PLAIN_SEGMENT.match(segment):
            return "/".join(shown) + "/" + MASK
        shown.append(segment)
    return path


def _mask_pair(pair: str) -> str:
    name, sep, _value = pair.partition("=")
    return f"{name}={MASK}" if sep else MASK
