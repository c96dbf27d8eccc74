"""Masking secrets in URLs before anything prints them.

Webhook URLs carry their credentials in plain sight: userinfo (`https://user:pass@host`),
query strings (`?token=...`, `?sig=...`), and tokens in the path (Slack's
`/services/T0/B0/XXXX`, Discord's `/api/webhooks/<id>/<token>`). `mask_url` keeps what
helps a person recognise the target — scheme, host, port, and plain path words such as
`services` or `hooks` — and replaces everything else with `***`. `mask_text` does the same
to a URL wherever it appears in a message (an exception text, a log line).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

MASK = "***"
# A path segment shown as is: a lower-case word ('services', 'hooks', 'api', 'webhook.php');
# from the first segment that is not one, the rest of the path is masked.
_PLAIN_SEGMENT = re.compile(r"^[a-z._-]{1,16}$")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]+")


def mask_url(url: str) -> str:
    """`url` with userinfo, query, fragment and token-like path segments masked."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return MASK
    if not parts.scheme or not parts.hostname:
        return MASK
    host = parts.hostname + (f":{port}" if port else "")
    if parts.username is not None or parts.password is not None:
        host = f"{MASK}@{host}"
    path = _mask_path(parts.path)
    query = "&".join(_mask_pair(pair) for pair in parts.query.split("&")) if parts.query else ""
    return urlunsplit((parts.scheme, host, path, query, MASK if parts.fragment else ""))


def mask_text(text: str, *urls: str) -> str:
    """`text` with each of `urls`, and anything else that looks like a URL, masked."""
    for url in urls:
        if url:
            text = text.replace(url, mask_url(url))
    return _URL.sub(lambda match: mask_url(match.group(0)), text)


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
