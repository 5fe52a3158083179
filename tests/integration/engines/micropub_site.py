"""A real Micropub server for the tests: a second test WordPress with the Micropub and
IndieAuth plugins (indieweb/wordpress-micropub, indieweb/wordpress-indieauth).

The plugins are test fixtures, never part of Draftpress: they are copied at run time from the
folder named by `DRAFTPRESS_MICROPUB_PLUGINS` (default: `../shared/vendor/wordpress-plugins`
beside the checkout) into the test site's `wp-content/plugins`. A WordPress of its own, not the
session's shared one: IndieAuth hooks WordPress's authentication and adds `Link` headers and
REST routes to every answer, which the WordPress tests must not see.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from tests.integration.wordpress_server import WordPressServer

CHECKOUT = Path(__file__).resolve().parents[3]
PLUGINS_VARIABLE = "DRAFTPRESS_MICROPUB_PLUGINS"
PLUGINS = ("indieauth", "micropub")
TOKEN_SCOPE = "create update delete media"
CLIENT_ID = "https://draftpress.test/"


def plugins_folder() -> Path:
    """Return the folder holding the two plugins (the environment's, or the default)."""
    configured = os.environ.get(PLUGINS_VARIABLE)
    if configured:
        return Path(configured)
    return (CHECKOUT / ".." / "shared" / "vendor" / "wordpress-plugins").resolve()


def missing_plugins() -> str:
    """Return why the Micropub tests cannot run ("" when the plugins are there)."""
    folder = plugins_folder()
    absent = [name for name in PLUGINS if not (folder / name / f"{name}.php").is_file()]
    if absent:
        return (
            f"the Micropub tests need the {' and '.join(absent)} WordPress plugin(s) in {folder} "
            f"(set {PLUGINS_VARIABLE} to the folder holding them)"
        )
    return ""


@dataclass
class MicropubSite:
    """The started site, its Micropub endpoint and a bearer token for its administrator."""

    server: WordPressServer
    token: str
    setup_seconds: float

    @property
    def url(self) -> str:
        """The site's home page."""
        return self.server.url

    @property
    def endpoint(self) -> str:
        """The Micropub endpoint."""
        return self.server.url + "/wp-json/micropub/1.0/endpoint"

    def make_token(self, user_id: int, scope: str = TOKEN_SCOPE) -> str:
        """Issue an IndieAuth bearer token for a user, as the plugin's token endpoint would."""
        return make_token(self.server, user_id, scope)

    def count_posts(self) -> int:
        """How many posts the site holds (any status but trash)."""
        return self.server.count_posts()

    def count_media(self) -> int:
        """How many images the media library holds."""
        return self.server.count_media()


def activate_plugins(server: WordPressServer) -> None:
    """Copy the plugins into the site and activate them."""
    source = plugins_folder()
    target = server.site_dir / "wp-content" / "plugins"
    for name in PLUGINS:
        shutil.copytree(source / name, target / name)
    server.php_eval(
        "require_once ABSPATH . 'wp-admin/includes/plugin.php';\n"
        "foreach (['indieauth/indieauth.php', 'micropub/micropub.php'] as $dp_plugin) {\n"
        "    $dp_result = activate_plugin($dp_plugin);\n"
        "    if (is_wp_error($dp_result)) {\n"
        "        fwrite(STDERR, $dp_result->get_error_message()); exit(1);\n"
        "    }\n"
        "}\n"
    )


def make_token(server: WordPressServer, user_id: int, scope: str = TOKEN_SCOPE) -> str:
    """Return a new bearer token for a user (the plugin's own token store)."""
    data = {"scope": scope, "client_id": CLIENT_ID, "user": user_id}
    printed = server.php_eval(
        f"$dp_in = json_decode({json.dumps(json.dumps(data))}, true);\n"
        "$dp_in['me'] = get_author_posts_url($dp_in['user']);\n"
        "$dp_in['iat'] = time();\n"
        "$dp_token = (new Token_User('_indieauth_token_', $dp_in['user']))->set($dp_in, 0);\n"
        "if (!$dp_token) { fwrite(STDERR, 'no token'); exit(1); }\n"
        "echo \"\\nDP_TOKEN \" . $dp_token . \"\\n\";\n"
    )
    for line in printed.splitlines():
        if line.startswith("DP_TOKEN "):
            return line.split(" ", 1)[1].strip()
    raise RuntimeError(f"no token printed: {printed[-500:]}")


def start_micropub_site() -> MicropubSite:
    """Start a WordPress, turn it into a Micropub server and make the admin's token."""
    began = time.monotonic()
    server = WordPressServer()
    server.start()
    try:
        activate_plugins(server)
        token = make_token(server, server.admin_id)
    except BaseException:
        server.stop()
        raise
    return MicropubSite(server, token, time.monotonic() - began)
