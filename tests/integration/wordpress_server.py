"""A throwaway, real WordPress on 127.0.0.1 for integration tests (plain Python, no Qt).

`WordPressServer.start()` builds everything in one temporary folder and `stop()` removes it:

- a private MariaDB (`mariadb-install-db`, then `mariadbd` on a Unix socket only, with
  `--skip-networking`; as root it runs as the `mysql` user, so its folders are chowned to it);
- a private copy of Debian's `/usr/share/wordpress` with its own wp-config.php (Debian's looks
  its configuration up by HTTP_HOST under /etc/wordpress) and a mu-plugin that silences mail;
- a PHP CLI script that runs `wp_install()` and creates an administrator, an author, a few
  categories, pretty permalinks and one Application Password per user;
- `php -S 127.0.0.1:PORT` with PHP_CLI_SERVER_WORKERS and a router, in its own process group so
  that stopping it also ends the workers it forked.

The packages come from scripts/install-wordpress.sh. Share one server across a test session and
tell tests apart by unique titles: the site is not reset between tests.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

WORDPRESS_SOURCE = Path("/usr/share/wordpress")
INSTALL_HINT = "Run `scripts/install-wordpress.sh` as root (it installs the Debian packages)"
PRETTY_PERMALINKS = "/%postname%/"
CATEGORIES = ("News", "Travel", "Recipes")
PHP_EXTENSIONS = ("mysqli", "gd", "dom", "mbstring")
# MariaDB for a throwaway site: small log and buffer pool, no durability.
MARIADB_TUNING = ("--innodb-log-file-size=8M", "--innodb-buffer-pool-size=32M")
MARIADB_SERVER_TUNING = (
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
    "--skip-name-resolve",
)
START_TIMEOUT = 60.0
POLL_INTERVAL = 0.05

MU_PLUGIN = """<?php
/*
 * Plugin Name: Draftpress test site
 * Description: No mail, and no HTTP requests at all while installing.
 */
add_filter('pre_wp_mail', '__return_true');
if (defined('WP_INSTALLING') && WP_INSTALLING) {
    add_filter('pre_http_request', function () {
        return new WP_Error('http_request_blocked', 'No HTTP while installing the test site.');
    });
}
"""

# Existing files (static assets, uploads, wp-login.php, xmlrpc.php, wp-admin/) are served or run
# as they are; everything else goes to index.php. Runs at global scope, as WordPress expects:
# never name a variable after a WordPress global ($wp, $post, ...), hence the dp_ prefixes.
ROUTER = """<?php
$dp_root = rtrim($_SERVER['DOCUMENT_ROOT'], '/');
$dp_path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
if ($dp_path !== '/' && file_exists($dp_root . $dp_path)) {
    return false;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $dp_root . '/index.php';
require $dp_root . '/index.php';
"""

# Never name a variable $wp here (nor any other WordPress global): this runs at global scope.
INSTALL_SCRIPT = """<?php
$dp_config = json_decode(file_get_contents($argv[1]), true);
$_SERVER['HTTP_HOST'] = $dp_config['host'];
$_SERVER['REQUEST_URI'] = '/';
define('WP_INSTALLING', true);
require $dp_config['site'] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

function dp_fail($what, $error) {
    fwrite(STDERR, $what . ': ' . (is_wp_error($error) ? $error->get_error_message() : $error));
    exit(1);
}

$dp_installed = wp_install(
    $dp_config['title'], $dp_config['admin_user'], $dp_config['admin_email'], true, '',
    $dp_config['admin_password']
);
$dp_admin_id = (int) $dp_installed['user_id'];
if (!$dp_admin_id) {
    dp_fail('wp_install', 'no administrator was created');
}

$dp_author_id = wp_insert_user([
    'user_login' => $dp_config['author_user'],
    'user_pass' => $dp_config['author_password'],
    'user_email' => $dp_config['author_email'],
    'display_name' => 'Test Author',
    'role' => 'author',
]);
if (is_wp_error($dp_author_id)) {
    dp_fail('author', $dp_author_id);
}

// A fresh, empty blog: drop "Hello world!", the sample page and the privacy policy draft.
foreach (get_posts(['post_type' => 'any', 'post_status' => 'any', 'numberposts' => -1,
                    'fields' => 'ids']) as $dp_post_id) {
    wp_delete_post($dp_post_id, true);
}
update_option('wp_page_for_privacy_policy', 0);
update_option('blogdescription', $dp_config['tagline']);

$wp_rewrite->set_permalink_structure($dp_config['permalinks']);
flush_rewrite_rules(false);

$dp_categories = ['Uncategorized' => 1];
foreach ($dp_config['categories'] as $dp_name) {
    $dp_term = wp_insert_term($dp_name, 'category');
    if (is_wp_error($dp_term)) {
        dp_fail('category ' . $dp_name, $dp_term);
    }
    $dp_categories[$dp_name] = (int) $dp_term['term_id'];
}

$dp_app_passwords = [];
foreach (['admin' => $dp_admin_id, 'author' => $dp_author_id] as $dp_role => $dp_user_id) {
    $dp_created = WP_Application_Passwords::create_new_application_password(
        $dp_user_id, ['name' => 'draftpress-tests']
    );
    if (is_wp_error($dp_created)) {
        dp_fail('application password', $dp_created);
    }
    $dp_app_passwords[$dp_role] = $dp_created[0];
}

echo "\\nDRAFTPRESS_RESULT " . json_encode([
    'admin_id' => $dp_admin_id,
    'author_id' => (int) $dp_author_id,
    'categories' => $dp_categories,
    'admin_app_password' => $dp_app_passwords['admin'],
    'author_app_password' => $dp_app_passwords['author'],
]) . "\\n";
"""


class WordPressError(RuntimeError):
    """The test WordPress could not be started, or a helper call failed."""


def _find(tool: str) -> str | None:
    """A tool on PATH, or in the sbin folders that a non-root PATH may lack."""
    found = shutil.which(tool)
    if found:
        return found
    for folder in ("/usr/sbin", "/usr/local/sbin", "/sbin"):
        candidate = Path(folder, tool)
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def missing_requirements() -> list[str]:
    """What this machine lacks to run the test WordPress; empty when everything is there."""
    missing = [
        tool for tool in ("php", "mariadbd", "mariadb-install-db", "mariadb") if not _find(tool)
    ]
    if not (WORDPRESS_SOURCE / "wp-settings.php").is_file():
        missing.append(f"WordPress ({WORDPRESS_SOURCE})")
    php = _find("php")
    if php:
        modules = (
            subprocess.run([php, "-m"], capture_output=True, text=True, timeout=30, check=False)
            .stdout.lower()
            .split()
        )
        missing += [f"php extension {name}" for name in PHP_EXTENSIONS if name not in modules]
    return missing


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _php_string(value: str) -> str:
    """A PHP single-quoted string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _group_alive(pgid: int) -> bool:
    """Whether a process of this group is still running (zombies, waiting to be reaped, don't
    count: the php workers are reparented when their master dies, and may stay zombies)."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            return True
    return False


def _kill_group(process: subprocess.Popen[bytes] | None, *, graceful: bool = False) -> None:
    """End a process started with start_new_session=True and everything in its group."""
    if process is None:
        return
    pgid = process.pid
    # SIGINT first: php's master then reaps its workers (after SIGTERM or SIGKILL they would
    # linger as zombies of init); whatever is still alive after that gets SIGKILL.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGINT if graceful else signal.SIGKILL)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while _group_alive(pgid) and time.monotonic() < deadline:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        time.sleep(POLL_INTERVAL)


def _processes_using(folder: Path) -> list[int]:
    """Running processes whose command line names something inside this folder."""
    needle = str(folder).encode() + b"/"
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = Path(entry.path, "cmdline").read_bytes()
            state = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if needle in cmdline and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def _kill_strays(folder: Path) -> None:
    """SIGKILL whatever still runs from this folder: a server started by a Popen that was
    interrupted before it returned, or a bootstrap mariadbd orphaned by mariadb-install-db."""
    deadline = time.monotonic() + 10
    while (pids := _processes_using(folder)) and time.monotonic() < deadline:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(POLL_INTERVAL)


@contextlib.contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Finish the block before a Ctrl-C that comes during it takes effect (a second Ctrl-C
    while cleaning up would otherwise leave servers or files behind)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    interrupted = False

    def remember(signum: int, frame: object) -> None:
        nonlocal interrupted
        interrupted = True

    previous = signal.signal(signal.SIGINT, remember)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if interrupted:
        raise KeyboardInterrupt


class WordPressServer:
    """One throwaway WordPress site, its database and its `php -S` server.

    After `start()`: `url` (e.g. http://127.0.0.1:PORT), `rest_url` (`url + "/wp-json/"`),
    `admin_user`/`admin_password`/`admin_app_password`, `author_user`/`author_password`/
    `author_app_password`, `admin_id`, `author_id`, and `category_ids` (name -> term id:
    Uncategorized, News, Travel, Recipes). `start_seconds` is how long starting took.
    """

    def __init__(self, *, workers: int = 4, start_timeout: float = START_TIMEOUT) -> None:
        self.workers = workers
        self.start_timeout = start_timeout
        self.admin_user = "admin"
        self.admin_password = secrets.token_hex(12)
        self.admin_email = "admin@example.com"
        self.author_user = "author"
        self.author_password = secrets.token_hex(12)
        self.author_email = "author@example.com"
        # Told apart from any other WordPress that might answer on the same port.
        self.tagline = f"Draftpress tests {secrets.token_hex(6)}"
        self.admin_app_password = ""
        self.author_app_password = ""
        self.admin_id = 0
        self.author_id = 0
        self.category_ids: dict[str, int] = {}
        self.port = 0
        self.root: Path | None = None
        self.start_seconds = 0.0
        self._mariadb: subprocess.Popen[bytes] | None = None
        self._php: subprocess.Popen[bytes] | None = None
        self._client: httpx.Client | None = None
        self._plain_permalinks = False
        self._eval_count = 0

    # -- addresses -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The site root, without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def rest_url(self) -> str:
        """The REST root with pretty permalinks (the default here)."""
        return f"{self.url}/wp-json/"

    def api_url(self, route: str) -> str:
        """The URL of a REST route such as "wp/v2/posts", for the current permalink setting:
        `/wp-json/ROUTE`, or `/?rest_route=/ROUTE` while plain permalinks are on."""
        route = route.lstrip("/")
        if self._plain_permalinks:
            return f"{self.url}/?rest_route=/{route}"
        return self.rest_url + route

    @property
    def site_dir(self) -> Path:
        assert self.root is not None, "the server is not started"
        return self.root / "site"

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> WordPressServer:
        if self.root is not None:
            raise WordPressError("this WordPressServer is already started")
        missing = missing_requirements()
        if missing:
            raise WordPressError(f"missing {', '.join(missing)}: {INSTALL_HINT}")
        began = time.monotonic()
        deadline = began + self.start_timeout
        atexit.register(self.stop)
        try:
            self.root = Path(tempfile.mkdtemp(prefix="draftpress-wp-"))
            # mariadbd runs as mysql and must reach its folders inside this one.
            self.root.chmod(0o755)
            self._start_mariadb(deadline)
            self._make_site()
            self.port = _free_port()
            self._write_wp_config()
            self._install()
            self._start_php(deadline)
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.monotonic() - began
        return self

    def stop(self) -> None:
        """End php and all its workers, and mariadbd; remove every file. Safe to call twice."""
        atexit.unregister(self.stop)
        with _ctrl_c_deferred():
            if self._client is not None:
                self._client.close()
                self._client = None
            _kill_group(self._php, graceful=True)
            self._php = None
            # The database is thrown away: no need for a clean (2 s) shutdown.
            _kill_group(self._mariadb)
            self._mariadb = None
            if self.root is not None:
                _kill_strays(self.root)
                shutil.rmtree(self.root, ignore_errors=True)
                self.root = None

    def __enter__(self) -> WordPressServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- MariaDB ---------------------------------------------------------------------------

    @property
    def _db_dir(self) -> Path:
        assert self.root is not None
        return self.root / "db"

    @property
    def db_socket(self) -> Path:
        return self._db_dir / "mariadb.sock"

    def _start_mariadb(self, deadline: float) -> None:
        db_dir = self._db_dir
        data = db_dir / "data"
        data.mkdir(parents=True)
        # Its own temporary folder: mariadbd otherwise uses $TMPDIR, which mysql may not write.
        db_tmp = db_dir / "tmp"
        db_tmp.mkdir()
        as_root = os.geteuid() == 0
        db_args = ["--user=mysql"] if as_root else []
        if as_root:
            # mariadbd drops to mysql; it fails without a word if it can't write these.
            for path in (db_dir, data, db_tmp):
                shutil.chown(path, "mysql", "mysql")
        db_args.append(f"--tmpdir={db_tmp}")
        install_log = db_dir / "install-db.log"
        with install_log.open("wb") as log:
            result = subprocess.run(
                [
                    _find("mariadb-install-db") or "mariadb-install-db",
                    "--no-defaults",
                    f"--datadir={data}",
                    *db_args,
                    "--auth-root-authentication-method=normal",
                    "--skip-test-db",
                    "--skip-name-resolve",
                    # No host name lookup at all: a machine (or chroot) without an /etc/hosts
                    # entry for its name made the install stop; the grants use IPs anyway.
                    "--force",
                    *MARIADB_TUNING,
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=max(deadline - time.monotonic(), 1),
                check=False,
            )
        if result.returncode != 0:
            raise WordPressError(f"mariadb-install-db failed:\n{_tail(install_log, 60)}")
        error_log = db_dir / "error.log"
        with (db_dir / "mariadbd.out").open("wb") as out:
            self._mariadb = subprocess.Popen(
                [
                    _find("mariadbd") or "mariadbd",
                    "--no-defaults",
                    f"--datadir={data}",
                    f"--socket={self.db_socket}",
                    f"--pid-file={db_dir / 'mariadbd.pid'}",
                    f"--log-error={error_log}",
                    "--skip-networking",
                    *db_args,
                    *MARIADB_TUNING,
                    *MARIADB_SERVER_TUNING,
                ],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        while not self._mariadb_answers():
            if self._mariadb.poll() is not None:
                raise WordPressError(
                    f"mariadbd exited with {self._mariadb.returncode}:\n{_tail(error_log)}"
                )
            if time.monotonic() > deadline:
                raise WordPressError(f"mariadbd did not come up in time:\n{_tail(error_log)}")
            time.sleep(POLL_INTERVAL)
        self.sql("CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")

    def _mariadb_answers(self) -> bool:
        """Whether mariadbd accepts a connection on its socket and greets it."""
        if not self.db_socket.exists():
            return False
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                probe.settimeout(1)
                probe.connect(str(self.db_socket))
                return bool(probe.recv(4))
        except OSError:
            return False

    def sql(self, statement: str, database: str = "") -> str:
        """Run SQL with the mariadb client as root; returns its tab-separated output."""
        result = subprocess.run(
            [
                _find("mariadb") or "mariadb",
                "--no-defaults",
                f"--socket={self.db_socket}",
                "--user=root",
                "--batch",
                "--skip-column-names",
                *([database] if database else []),
                "--execute",
                statement,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            raise WordPressError(f"SQL failed ({statement[:80]}): {result.stderr.strip()}")
        return result.stdout

    # -- the site --------------------------------------------------------------------------

    def _make_site(self) -> None:
        assert self.root is not None
        # Debian's tree has relative symlinks into /usr/share/php and /usr/share/javascript:
        # copy their targets (a copy of the links would dangle).
        shutil.copytree(
            WORDPRESS_SOURCE,
            self.site_dir,
            ignore=shutil.ignore_patterns("wp-config.php", ".htaccess"),
            ignore_dangling_symlinks=True,
        )
        mu_plugins = self.site_dir / "wp-content" / "mu-plugins"
        mu_plugins.mkdir(parents=True, exist_ok=True)
        (mu_plugins / "draftpress-tests.php").write_text(MU_PLUGIN)
        (self.root / "router.php").write_text(ROUTER)
        (self.root / "install.php").write_text(INSTALL_SCRIPT)

    def _write_wp_config(self) -> None:
        salts = "\n".join(
            f"define('{name}', '{secrets.token_hex(32)}');"
            for name in (
                "AUTH_KEY",
                "SECURE_AUTH_KEY",
                "LOGGED_IN_KEY",
                "NONCE_KEY",
                "AUTH_SALT",
                "SECURE_AUTH_SALT",
                "LOGGED_IN_SALT",
                "NONCE_SALT",
            )
        )
        config = f"""<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', {_php_string("localhost:" + str(self.db_socket))});
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
{salts}
$table_prefix = 'wp_';
define('WP_HOME', {_php_string(self.url)});
define('WP_SITEURL', {_php_string(self.url)});
// 'local' lets Application Passwords work over plain http.
define('WP_ENVIRONMENT_TYPE', 'local');
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('FS_METHOD', 'direct');
// PHP 8.2 prints deprecations from WordPress 6.1 otherwise, into REST responses too.
define('WP_DEBUG', false);
define('WP_DEBUG_DISPLAY', false);
if (!defined('ABSPATH')) {{
    define('ABSPATH', __DIR__ . '/');
}}
require_once ABSPATH . 'wp-settings.php';
"""
        (self.site_dir / "wp-config.php").write_text(config)

    def _install(self) -> None:
        assert self.root is not None
        config_file = self.root / "install.json"
        config_file.write_text(
            json.dumps(
                {
                    "site": str(self.site_dir),
                    "host": f"127.0.0.1:{self.port}",
                    "title": "Draftpress test blog",
                    "admin_user": self.admin_user,
                    "admin_password": self.admin_password,
                    "admin_email": self.admin_email,
                    "author_user": self.author_user,
                    "author_password": self.author_password,
                    "author_email": self.author_email,
                    "permalinks": PRETTY_PERMALINKS,
                    "categories": list(CATEGORIES),
                    "tagline": self.tagline,
                }
            )
        )
        result = self._run_php(self.root / "install.php", str(config_file))
        marker = "DRAFTPRESS_RESULT "
        lines = [line for line in result.stdout.splitlines() if line.startswith(marker)]
        if result.returncode != 0 or not lines:
            raise WordPressError(
                f"installing WordPress failed ({result.returncode}):\n"
                f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
            )
        installed = json.loads(lines[-1][len(marker) :])
        self.admin_id = installed["admin_id"]
        self.author_id = installed["author_id"]
        self.category_ids = dict(installed["categories"])
        self.admin_app_password = installed["admin_app_password"]
        self.author_app_password = installed["author_app_password"]
        self._plain_permalinks = False

    def _run_php(self, script: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [_find("php") or "php", "-d", "display_errors=stderr", str(script), *args],
            cwd=self.site_dir,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def _start_php(self, deadline: float) -> None:
        assert self.root is not None
        for _attempt in range(3):
            log = self.root / "php-server.log"
            with log.open("wb") as out:
                self._php = subprocess.Popen(
                    [
                        _find("php") or "php",
                        "-d",
                        "upload_max_filesize=64M",
                        "-d",
                        "post_max_size=64M",
                        "-d",
                        "memory_limit=256M",
                        "-d",
                        "display_errors=0",
                        "-S",
                        f"127.0.0.1:{self.port}",
                        "-t",
                        str(self.site_dir),
                        str(self.root / "router.php"),
                    ],
                    cwd=self.site_dir,
                    env={**os.environ, "PHP_CLI_SERVER_WORKERS": str(self.workers)},
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            if self._wait_for_rest(deadline, log):
                return
            # The port was taken between choosing it and binding it: choose another. The site's
            # address lives only in wp-config.php (WP_HOME, WP_SITEURL), so that is cheap.
            _kill_group(self._php)
            self._php = None
            self.port = _free_port()
            self._write_wp_config()
        raise WordPressError("php -S could not bind a port three times")

    def stop_php(self) -> None:
        """Stop `php -S` and its workers (the database stays): the blog is down."""
        _kill_group(self._php, graceful=True)
        self._php = None

    def start_php(self) -> None:
        """Start `php -S` again after stop_php(), on the same port if it is free."""
        assert self.root is not None, "the server is not started"
        self._start_php(time.monotonic() + self.start_timeout)

    def _wait_for_rest(self, deadline: float, log: Path) -> bool:
        """Poll the REST root until it answers as WordPress; False if php could not bind."""
        assert self._php is not None
        last = "no answer yet"
        with httpx.Client(timeout=5, trust_env=False) as probe:
            while True:
                if self._php.poll() is not None:
                    text = _tail(log)
                    if "Address already in use" in text:
                        return False
                    raise WordPressError(f"php -S exited with {self._php.returncode}:\n{text}")
                try:
                    answer = probe.get(self.rest_url)
                    if (
                        answer.status_code == 200
                        and 'rel="https://api.w.org/"' in answer.headers.get("link", "")
                        and answer.json().get("description") == self.tagline
                    ):
                        return True
                    last = f"{answer.status_code}: {answer.text[:300]}"
                except (httpx.TransportError, ValueError) as error:
                    last = repr(error)
                if time.monotonic() > deadline:
                    raise WordPressError(
                        f"WordPress did not answer at {self.rest_url} in time ({last}):\n"
                        f"{_tail(log)}"
                    )
                time.sleep(POLL_INTERVAL)

    # -- helpers for tests -----------------------------------------------------------------

    def auth(self, user: str = "admin") -> httpx.BasicAuth:
        """Basic auth with the Application Password of "admin" or "author"."""
        if user == "admin":
            return httpx.BasicAuth(self.admin_user, self.admin_app_password)
        if user == "author":
            return httpx.BasicAuth(self.author_user, self.author_app_password)
        raise ValueError(f"unknown user {user!r}: use 'admin' or 'author'")

    @property
    def client(self) -> httpx.Client:
        """A plain httpx client (no proxies from the environment), closed by stop()."""
        if self._client is None:
            self._client = httpx.Client(timeout=30, trust_env=False)
        return self._client

    def request(
        self, method: str, route: str, *, as_user: str | None = "admin", **kwargs: Any
    ) -> httpx.Response:
        """A REST request to a route such as "wp/v2/posts", as "admin", "author" or None."""
        if as_user is not None:
            kwargs.setdefault("auth", self.auth(as_user))
        url = httpx.URL(self.api_url(route))
        if kwargs.get("params"):
            # httpx replaces a URL's query with `params` instead of adding to it, which would
            # drop `?rest_route=` under plain permalinks: merge them into the URL instead.
            url = url.copy_merge_params(kwargs.pop("params"))
        return self.client.request(method, url, **kwargs)

    def _ok(self, response: httpx.Response) -> httpx.Response:
        if response.is_error:
            raise WordPressError(
                f"{response.request.method} {response.request.url} -> "
                f"{response.status_code}: {response.text[:500]}"
            )
        return response

    def count_posts(self, status: str = "any") -> int:
        """How many posts have this status ("any": all but trash and auto-drafts)."""
        response = self._ok(
            self.request("GET", "wp/v2/posts", params={"status": status, "per_page": 1})
        )
        return int(response.headers["x-wp-total"])

    def count_media(self) -> int:
        """How many attachments the media library holds."""
        response = self._ok(self.request("GET", "wp/v2/media", params={"per_page": 1}))
        return int(response.headers["x-wp-total"])

    def get_post_raw(self, post_id: int) -> dict[str, Any]:
        """The post as the REST API gives it with context=edit: `["content"]["raw"]` is the
        stored source, `["title"]["raw"]`, `["modified_gmt"]`, `["content"]["block_version"]`."""
        response = self.request("GET", f"wp/v2/posts/{post_id}", params={"context": "edit"})
        return self._ok(response).json()

    def edit_post_on_server(self, post_id: int, content: str) -> dict[str, Any]:
        """Change a post's content as a writer would in wp-admin (as the administrator, with a
        revision). Its modification time is moved at least one second past the previous one,
        so a change made in the same second as the app's own save is still detectable.
        Returns the post with context=edit."""
        code = f"""
wp_set_current_user({self.admin_id});
$dp_id = {int(post_id)};
$dp_before = get_post($dp_id);
if (!$dp_before) {{ fwrite(STDERR, 'no post ' . $dp_id); exit(1); }}
$dp_result = wp_update_post(['ID' => $dp_id, 'post_content' => wp_slash({_php_string(content)})],
                            true);
if (is_wp_error($dp_result)) {{ fwrite(STDERR, $dp_result->get_error_message()); exit(1); }}
$dp_after = get_post($dp_id);
if ($dp_after->post_modified_gmt <= $dp_before->post_modified_gmt) {{
    $dp_gmt = strtotime($dp_before->post_modified_gmt . ' UTC') + 1;
    $wpdb->update($wpdb->posts, [
        'post_modified_gmt' => gmdate('Y-m-d H:i:s', $dp_gmt),
        'post_modified' => get_date_from_gmt(gmdate('Y-m-d H:i:s', $dp_gmt)),
    ], ['ID' => $dp_id]);
    clean_post_cache($dp_id);
}}
"""
        self.php_eval(code)
        return self.get_post_raw(post_id)

    def set_plain_permalinks(self, plain: bool = True) -> None:
        """Switch to plain permalinks (no /wp-json/: only `/?rest_route=/`), or back to pretty
        ones. Helpers here follow the switch; restore pretty permalinks when done."""
        structure = "" if plain else PRETTY_PERMALINKS
        self.php_eval(
            f"$wp_rewrite->set_permalink_structure({_php_string(structure)});\n"
            "flush_rewrite_rules(false);\n"
        )
        self._plain_permalinks = plain

    @contextlib.contextmanager
    def plain_permalinks(self) -> Iterator[None]:
        """Plain permalinks inside the block, pretty ones again after it (also on failure)."""
        self.set_plain_permalinks(True)
        try:
            yield
        finally:
            self.set_plain_permalinks(False)

    def php_eval(self, code: str, *, as_admin: bool = True) -> str:
        """Run PHP code (without `<?php`) after loading wp-load.php; returns what it printed.

        The code runs at global scope: WordPress globals ($wpdb, $wp_rewrite, ...) are there,
        and a variable named like one of them (never `$wp`, `$post`) overwrites it. Exit
        non-zero (or fail) to raise WordPressError with what it printed on stderr. As the
        administrator unless as_admin is False (then no user: content goes through kses)."""
        assert self.root is not None, "the server is not started"
        self._eval_count += 1
        script = self.root / f"eval-{self._eval_count}.php"
        login = f"wp_set_current_user({self.admin_id});\n" if as_admin else ""
        script.write_text(
            "<?php\n"
            f"$_SERVER['HTTP_HOST'] = '127.0.0.1:{self.port}';\n"
            "$_SERVER['REQUEST_URI'] = '/';\n"
            f"require {_php_string(str(self.site_dir / 'wp-load.php'))};\n"
            f"{login}{code}\n"
        )
        try:
            result = self._run_php(script)
        finally:
            script.unlink(missing_ok=True)
        if result.returncode != 0:
            raise WordPressError(
                f"php_eval failed ({result.returncode}): {result.stderr.strip()[-2000:]}\n"
                f"{result.stdout[-1000:]}"
            )
        return result.stdout
