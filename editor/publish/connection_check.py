"""“Test connection”: find the API, log in, and say what the account may do on the blog."""

from __future__ import annotations

from dataclasses import dataclass, field

from editor.publish.blog_http import clear_text_warning
from editor.publish.wordpress_client import WordPressClient


@dataclass(frozen=True)
class ConnectionReport:
    """What a successful connection test found."""

    user_name: str
    roles: list[str]
    api_root: str
    can_publish: bool
    can_upload: bool
    can_create_categories: bool
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Return the report as a few lines for the writer."""

        def yes(flag: bool) -> str:
            return "yes" if flag else "no"

        lines = [
            f"Logged in as {self.user_name} ({', '.join(self.roles) or 'no role'}).",
            f"Publish posts: {yes(self.can_publish)}. Upload images: {yes(self.can_upload)}. "
            f"Create categories: {yes(self.can_create_categories)}.",
        ]
        return "\n".join(lines + self.warnings)


def check_connection(client: WordPressClient) -> ConnectionReport:
    """Discover the REST API and log in; raises a PublishError in plain words on failure."""
    root = client.discover()
    me = client.me()
    capabilities = me.get("capabilities") or {}
    warnings = []
    warning = clear_text_warning(client.site_url)
    if warning:
        warnings.append(warning)
    return ConnectionReport(
        user_name=str(me.get("name") or me.get("username") or me.get("slug") or "?"),
        roles=[str(role) for role in me.get("roles") or []],
        api_root=root.base,
        can_publish=bool(capabilities.get("publish_posts")),
        can_upload=bool(capabilities.get("upload_files")),
        can_create_categories=bool(capabilities.get("manage_categories")),
        warnings=warnings,
    )
