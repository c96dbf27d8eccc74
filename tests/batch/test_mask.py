"""Secrets in webhook URLs are never printed: userinfo, query strings, path tokens."""

from __future__ import annotations

import pytest

from ctlake.delivery import mask_text, mask_url


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
