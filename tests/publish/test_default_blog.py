"""The default blog (Preferences): where a post naming no blog goes without a question."""

from __future__ import annotations

from editor.publish.accounts import Account
from editor.publish.publishing_service import unasked_account

A = Account("A", "https://a.example", "me")
B = Account("B", "https://b.example", "me")
ON_BLOG_A = "---\ntitle: T\nremote:\n  blog: A\n  id: 7\n---\nText\n"


def test_the_only_account_needs_no_default() -> None:
    assert unasked_account("Text\n", [A]) == A


def test_several_accounts_ask_unless_a_default_blog_is_set() -> None:
    assert unasked_account("Text\n", [A, B]) is None
    assert unasked_account("Text\n", [A, B], "B") == B


def test_a_default_that_is_no_longer_an_account_asks() -> None:
    assert unasked_account("Text\n", [A, B], "Gone") is None


def test_a_post_already_on_a_blog_is_never_sent_to_the_default_unasked() -> None:
    assert unasked_account(ON_BLOG_A, [A, B], "B") is None
