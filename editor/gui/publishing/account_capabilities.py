"""What each account's engine can do, remembered for the window (fields shown, menus offered)."""

from __future__ import annotations

import logging

from editor.publish.accounts import Account, load_accounts
from editor.publish.engines.base import Capabilities
from editor.publish.engines.registry import capabilities_of
from editor.publish.errors import PublishError

log = logging.getLogger(__name__)


class AccountCapabilities:
    """The accounts and their engines' capabilities, read once and kept until forgotten."""

    def __init__(self) -> None:
        self._accounts: list[Account] | None = None
        self._by_name: dict[str, Capabilities] = {}

    def forget(self) -> None:
        """Read the accounts again next time (after Blog > Accounts…)."""
        self._accounts = None
        self._by_name.clear()

    def accounts(self) -> list[Account]:
        """Return the accounts (an unreadable accounts file: none)."""
        if self._accounts is None:
            try:
                self._accounts = load_accounts()
            except PublishError as error:
                log.warning("accounts not readable: %s", error)
                return []
        return self._accounts

    def of(self, account: Account) -> Capabilities:
        """Return what the account's engine can store and do."""
        if account.name not in self._by_name:
            self._by_name[account.name] = capabilities_of(account)
        return self._by_name[account.name]

    def for_blog(self, blog: str) -> Capabilities | None:
        """Return the capabilities of the post's blog (`blog:`, else the only account), or None
        when no account is known for it (every field is then shown)."""
        accounts = self.accounts()
        named = [a for a in accounts if a.name == blog] if blog else accounts[:1]
        if not named or (not blog and len(accounts) != 1):
            return None
        return self.of(named[0])

    def accounts_that_pull(self) -> list[Account]:
        """Return the accounts whose engine can read posts back (Open from Blog)."""
        return [account for account in self.accounts() if self.of(account).pull]
