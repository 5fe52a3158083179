"""Publishing to blogs: clients, accounts, the publisher (no Qt)."""
