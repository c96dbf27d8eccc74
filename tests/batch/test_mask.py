"""Secrets in webhook URLs are never printed: userinfo, query strings, path tokens; a URL
with credentials works (userinfo as HTTP Basic) or is refused in one masked line."""

from __future__ import annotations

import base64

import pytest

from ctlake.config import Sink
from ctlake.delivery.mask import SecretUrl, mask_text, mask_url, url_problem, webhook_url
from ctlake.errors import BadInputError


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://hooks.slack.com/services/T0001/B0002/XXXXXXXXXXXXXXXX",
            "https://hooks.slack.com/services/***",
        ),
        ("https://user:pa55@example.com:8443/hook", "https://***@example.com:8443/hook"),
        ("https://example.com/hook?token=abc&v=1", "https://example.com/hook?token=***&v=***"),
        (
            "https://discord.com/api/webhooks/123456/abcDEFtoken",
            "https://discord.com/api/webhooks/***",
        ),
        ("https://example.com/hook#sig", "https://example.com/hook#***"),
        ("http://127.0.0.1:8080/hook", "http://127.0.0.1:8080/hook"),
        ("not a url", "***"),
    ],
)
def test_a_webhook_url_is_shown_without_its_secrets(url: str, shown: str) -> None:
    assert mask_url(url) == shown


def test_urls_inside_a_message_are_masked() -> None:
    message = "POST https://u:p@h.example/x/Secret123?k=v failed; retry"
    assert mask_text(message) == "POST https://***@h.example/x/***?k=*** failed; retry"
    assert "Secret123" not in mask_text(
        "at https://h.example/Secret123", "https://h.example/Secret123"
    )


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=f00d",
            "https://b.s3.amazonaws.com/k?X-Amz-Credential=***&X-Amz-Signature=***",
        ),
        (
            "https://h.example/cb?access_token=abc&sig=def",
            "https://h.example/cb?access_token=***&sig=***",
        ),
        ("https://user:pa/ss@h.example/x", "https://***/***"),  # the host ends at '/': hide it
        ("https://h.example:bad/hook", "https://***/hook"),
        ("http://[::1]:8080/hook", "http://[::1]:8080/hook"),
    ],
)
def test_tokens_and_broken_hosts_are_masked(url: str, shown: str) -> None:
    assert mask_url(url) == shown


def test_a_secret_url_is_masked_when_shown_and_whole_only_for_the_request() -> None:
    url = SecretUrl("https://us%40er:pa%3Ass@h.example:8443/hook?token=Tok3nValue")
    assert str(url) == "https://***@h.example:8443/hook?token=***"
    assert repr(url) == "SecretUrl('https://***@h.example:8443/hook?token=***')"
    assert f"{url}" == str(url) and "Tok3n" not in repr(Sink("webhook", "w", str(url), url=url))
    target, authorization = url.request()
    assert target == "https://h.example:8443/hook?token=Tok3nValue"
    assert authorization == "Basic " + base64.b64encode(b"us@er:pa:ss").decode()
    assert SecretUrl("https://h.example/hook").request() == ("https://h.example/hook", None)


def test_a_fragment_of_a_secret_url_is_masked_in_any_text() -> None:
    SecretUrl("https://user:Pa55word@h.example/services/T0/B0/XyZ123abcDEF?token=t0kenValue")
    said = "InvalidURL: nonnumeric port: 'Pa55word@h.example' (t0kenValue, XyZ123abcDEF)"
    assert mask_text(said) == "InvalidURL: nonnumeric port: '***@h.example' (***, ***)"
    assert mask_text("json and user and 12") == "json and user and 12"  # short words stay


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://h.example/x", "expected an http:// or https:// URL"),
        ("https:///x", "expected a host name after the //"),
        ("https://user:pa/ss@h.example/x", "expected the host's port to be a number"),
        ("https://user:pa#ss@h.example/x", "expected the host's port to be a number"),
        ("https://h.example:0/x", "expected the host's port to be a number"),
        ("https://h.example:70000/x", "expected the host's port to be a number"),
        ("https://h.example/a b", "expected printable ASCII without spaces"),
        ("https://h.example/é", "expected printable ASCII without spaces"),
        ("https://[::1/x", "expected a valid URL"),
    ],
)
def test_a_url_urllib_cannot_post_to_is_refused_without_quoting_it(url: str, problem: str) -> None:
    assert (url_problem(url) or "").startswith(problem)
    with pytest.raises(BadInputError) as error:
        webhook_url(url, "--webhook")
    assert str(error.value).startswith(f"--webhook: {problem}")
    assert "pa/ss" not in str(error.value) and "pa#ss" not in str(error.value)
    assert url_problem("https://user:p%2Fss@h.example:443/x?token=a") is None


def test_a_storage_url_in_an_error_keeps_its_path_and_loses_its_credentials() -> None:
    assert mask_text("s3://trail-bucket/AWSLogs/x1: no such file or folder") == (
        "s3://trail-bucket/AWSLogs/x1: no such file or folder"
    )
    assert mask_text("cannot read s3a://AKIAKEY:s3cr3t-value@bucket/key") == (
        "cannot read s3a://***@bucket/key"
    )
