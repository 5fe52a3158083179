"""The post and where it lives: files, front matter, the drafts library (no Qt)."""
