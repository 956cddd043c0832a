"""Fixtures that run real processes next to the test process: a Celery worker and headless Chromium.

The worker uses the test database (so tests that use it need ``transactional_db`` or
``django_db(transaction=True)``: it only sees committed rows), the same cache as the test
process, and, on the embedded filesystem broker, a broker folder of its own.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from config.celery import app as celery_app

WORKER_START_TIMEOUT = 60  # seconds until the worker logs "ready."
WORKER_STOP_TIMEOUT = 15  # seconds after SIGTERM before SIGKILL

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1024",
    # The live server is local; every other host fails at once instead of reaching the network.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
)


# --- Celery worker -----------------------------------------------------------------


def database_url(settings_dict: dict) -> str:
    """A ``DATABASE_URL`` that points another process at the database of ``settings_dict``."""
    engine = settings_dict["ENGINE"]
    name = str(settings_dict["NAME"])
    if engine == "django.db.backends.sqlite3":
        if name == ":memory:" or name.startswith("file:"):
            pytest.fail(f"the worker cannot share an in-memory SQLite test database ({name}); use a file")
        return f"sqlite:///{Path(name).resolve()}"
    if engine == "django.db.backends.postgresql":
        user = quote(settings_dict.get("USER") or "", safe="")
        password = quote(settings_dict.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = quote(settings_dict.get("HOST") or "", safe="")  # a socket folder becomes %2F...
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        return f"postgres://{credentials}{host}{port}/{quote(name, safe='')}"
    pytest.fail(f"no DATABASE_URL for the worker on {engine}")


def _set_broker_transport_options(options: dict) -> None:
    """Override the broker options in this process; Celery reads the CELERY_-namespaced key first."""
    celery_app.conf["CELERY_BROKER_TRANSPORT_OPTIONS"] = options
    celery_app.conf["broker_transport_options"] = options
    assert celery_app.conf.broker_transport_options == options
    _reset_producer_pools()


def _reset_producer_pools() -> None:
    """Make the next ``.delay()`` open a connection with the current broker settings."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


class WorkerProcess:
    def __init__(self, process: subprocess.Popen, log_path: Path):
        self.process = process
        self.log_path = log_path

    def log(self, last_lines: int = 60) -> str:
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-last_lines:])

    def assert_running(self) -> None:
        if self.process.poll() is not None:
            pytest.fail(f"the Celery worker exited with code {self.process.returncode}; its log:\n{self.log()}")

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while " ready." not in self.log_path.read_text(errors="replace"):
            self.assert_running()
            if time.monotonic() > deadline:
                pytest.fail(f"the Celery worker was not ready after {timeout:.0f} s; its log:\n{self.log()}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # warm shutdown
        try:
            self.process.wait(timeout=WORKER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=WORKER_STOP_TIMEOUT)


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, tmp_path_factory) -> Iterator[WorkerProcess]:
    """A real ``celery worker --pool=solo`` on the test database, for the whole session.

    The broker must belong to the test suite: on the filesystem broker the worker and this
    process get a fresh folder; on a server broker (Redis in CI) tasks that earlier tests
    queued without a worker are purged before the worker starts.
    """
    folder = tmp_path_factory.mktemp("celery-worker")
    env = {
        **os.environ,
        # After django_db_setup the connection points at the test database.
        "DATABASE_URL": database_url(connection.settings_dict),
        # Same folder as this process, so the embedded file cache is shared.
        "CONCORD_VAR_DIR": str(settings.VAR_DIR),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
    }

    previous_options = celery_app.conf.broker_transport_options
    filesystem_broker = celery_app.conf.broker_url.startswith("filesystem://")
    if filesystem_broker:
        broker_dir = folder / "broker"
        old_dir = Path(previous_options["data_folder_in"]).parent
        options = dict(previous_options)
        for key, value in previous_options.items():
            if isinstance(value, str) and Path(value).is_relative_to(old_dir):
                options[key] = str(broker_dir / Path(value).relative_to(old_dir))
                Path(options[key]).mkdir(parents=True, exist_ok=True)
        env["CONCORD_BROKER_DIR"] = str(broker_dir)
        _set_broker_transport_options(options)
    else:
        celery_app.control.purge()

    log_path = folder / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "--app=config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=concord-test-{os.getpid()}@%h",
                "--include=tests.integration.worker_tasks",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one
        )
    worker = WorkerProcess(process, log_path)
    try:
        worker.wait_ready(WORKER_START_TIMEOUT)
        yield worker
    finally:
        worker.stop()
        if filesystem_broker:
            _set_broker_transport_options(previous_options)


@pytest.fixture
def remove_stored_files():
    """The workers share the media folder of this process: remove the payroll files, columnar
    copies and documents the test stored there."""
    from contracts.compliance.models import PayrollImport
    from contracts.models import Document

    yield
    for payroll in PayrollImport.objects.all():
        for stored in (payroll.file, payroll.columnar):
            if stored:
                stored.delete(save=False)
    for document in Document.objects.all():
        for stored in (document.file, document.pdf):
            if stored:
                stored.delete(save=False)


# --- Headless Chromium ---------------------------------------------------------------


@pytest.fixture
def browser_languages() -> str:
    """The Accept-Language of the browser: Chinese, like our users'. Parametrize to change."""
    return "zh-CN,zh"


@pytest.fixture
def browser(tmp_path, browser_languages) -> Iterator[webdriver.Chrome]:
    """Debian's headless Chromium through its chromedriver; nothing is downloaded.

    Skipped where Chromium is not installed, unless ``CONCORD_REQUIRE_BROWSER=1`` (CI),
    which turns the skip into a failure.
    """
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        reason = f"headless browser tests need Debian's chromium and chromium-driver ({', '.join(missing)} missing)"
        if os.environ.get("CONCORD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}, and CONCORD_REQUIRE_BROWSER=1")
        pytest.skip(reason)

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.add_argument(f"--lang={browser_languages.split(',')[0]}")
    options.add_experimental_option("prefs", {"intl.accept_languages": browser_languages})
    # The console, read with driver.get_log("browser"): Content-Security-Policy refusals show there.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=str(CHROMEDRIVER), log_output=str(tmp_path / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


# --- A Celery worker a test can kill and start again -----------------------------------------


def _private_broker(folder: Path):
    """A broker only this test's workers use, so the session's ``celery_worker`` never takes
    their tasks: a fresh folder on the filesystem broker, a Redis database of its own
    otherwise. Returns the workers' environment and a function that restores this process."""
    from urllib.parse import urlsplit, urlunsplit

    from kombu import pools

    conf = celery_app.conf
    if conf.broker_url.startswith("filesystem://"):
        previous = conf.broker_transport_options
        options = dict(previous)
        for key, sub in (("data_folder_in", "queue"), ("data_folder_out", "queue"), ("processed_folder", "processed")):
            options[key] = str(folder / sub)
        options["control_folder"] = str(folder / "control")
        for sub in ("queue", "processed", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)

        def use(target: dict) -> None:
            _set_broker_transport_options(target)
            pools.reset()  # kombu keeps pools per broker URL, closed ones too: start afresh

        use(options)
        return {"CONCORD_BROKER_DIR": str(folder)}, lambda: use(previous)
    url = urlsplit(conf.broker_url)
    if url.scheme not in ("redis", "rediss"):
        pytest.fail(f"no private broker for the restartable worker on {url.scheme}://")
    private = urlunsplit(url._replace(path="/15"))  # CI keeps the broker in 1 and the cache in 2

    def write_to(target: str | None) -> None:
        conf["CELERY_BROKER_WRITE_URL"] = target
        conf["broker_write_url"] = target
        _reset_producer_pools()
        pools.reset()  # kombu keeps pools per broker URL, closed ones too: start afresh

    write_to(private)
    celery_app.control.purge()  # what an earlier run left there
    return {"CELERY_BROKER_URL": private}, lambda: write_to(None)


class RestartableWorker:
    """Celery workers (``--pool=solo``) started one after another on the same private broker
    and environment: ``start()``, ``kill()`` (SIGKILL, as a crash or the OOM killer would:
    no warm shutdown, no acknowledgement, no clean-up), ``start()`` again."""

    def __init__(self, folder: Path, env: dict[str, str]):
        self.folder = folder
        self.env = env
        self.starts = 0
        self.current: WorkerProcess | None = None

    def start(self, queues: str | None = None) -> WorkerProcess:
        """Start the next worker, on every queue or on ``queues`` (comma-separated) only."""
        assert self.current is None or self.current.process.poll() is not None, "a worker is already running"
        self.starts += 1
        log_path = self.folder / f"worker-{self.starts}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "--app=config",
                    "worker",
                    "--pool=solo",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    f"--hostname=concord-restartable-{os.getpid()}-{id(self)}-{self.starts}@%h",
                    *([f"--queues={queues}"] if queues else []),
                ],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.current = WorkerProcess(process, log_path)
        self.current.wait_ready(WORKER_START_TIMEOUT)
        return self.current

    def kill(self) -> None:
        """SIGKILL the worker's process group and wait until it is gone."""
        self.current.assert_running()
        os.killpg(self.current.process.pid, signal.SIGKILL)
        self.current.process.wait(timeout=WORKER_STOP_TIMEOUT)

    def stop(self) -> None:
        if self.current is not None:
            self.current.stop()

    def assert_running(self) -> None:
        assert self.current is not None, "no worker was started"
        self.current.assert_running()

    def log(self, last_lines: int = 60) -> str:
        """The end of each started worker's log, oldest first."""
        parts = []
        for n in range(1, self.starts + 1):
            lines = (self.folder / f"worker-{n}.log").read_text(errors="replace").splitlines()
            parts.append(f"--- worker start {n} ---\n" + "\n".join(lines[-last_lines:]))
        return "\n".join(parts)


@pytest.fixture
def restartable_worker(transactional_db, tmp_path) -> Iterator:
    """``restartable_worker(**env)`` makes a ``RestartableWorker`` with extra environment
    (say ``EMAIL_URL``); call ``.start()`` on it. Like ``celery_worker`` it runs on the test
    database (committed rows only) and the shared cache, but on a broker of its own."""
    broker_env, restore = _private_broker(tmp_path / "broker")
    made: list[RestartableWorker] = []

    def make(**extra_env: str) -> RestartableWorker:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(connection.settings_dict),
            "CONCORD_VAR_DIR": str(settings.VAR_DIR),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONUNBUFFERED": "1",
            **broker_env,
            **extra_env,
        }
        worker = RestartableWorker(tmp_path, env)
        made.append(worker)
        return worker

    try:
        yield make
    finally:
        for worker in made:
            worker.stop()
        restore()


# --- Screenshots -------------------------------------------------------------------------------

SCREENSHOT_SIZES = ((1280, 900), (390, 844))  # desktop, phone: (width, height) of the viewport
SCREENSHOT_MAX_HEIGHT = 8000  # px: a page longer than this is cut
PHONE_WIDTH = 390


def set_viewport(driver: webdriver.Chrome, width: int, height: int) -> None:
    """Make the page's viewport exactly ``width`` × ``height`` CSS pixels, without scrollbars (as
    on a phone, where they overlay the page), and wait until the page has laid itself out again."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": True})
    # Two animation frames: the resize event has run (ECharts redraws on it) and the page is painted.
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "requestAnimationFrame(() => requestAnimationFrame(() => done(window.innerWidth)));"
    )


def sideways_overflow(driver: webdriver.Chrome) -> str | None:
    """None if the page does not scroll sideways; otherwise its width and the elements reaching
    past the right edge of the viewport (the outermost ones)."""
    return driver.execute_script(
        """
        const root = document.documentElement, width = window.innerWidth;
        if (root.scrollWidth <= width) return null;
        const past = [...document.body.querySelectorAll('*')].filter(element => {
          const box = element.getBoundingClientRect();
          return box.width && box.right > width + 0.5;
        });
        const outermost = past.filter(element => !past.includes(element.parentElement)).slice(0, 8);
        const name = element => element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
          + [...element.classList].map(c => '.' + c).join('')
          + ' (right edge ' + Math.round(element.getBoundingClientRect().right) + ' px)';
        return 'the page is ' + root.scrollWidth + ' px wide in a ' + width + ' px viewport: '
          + outermost.map(name).join(', ');
        """
    )


@pytest.fixture
def screenshot(request):
    """``screenshot(driver, step)``: the whole page as it is now, at desktop (1280×900) and phone
    (390×844) size, saved as ``VAR_DIR/screenshots/<test name>-<step>-<width>.png`` (CI keeps the
    var folder with its run); at phone width the page must not scroll sideways. The driver's
    viewport is restored afterwards. Returns the paths."""
    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    test_name = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)

    def take(driver: webdriver.Chrome, step: str) -> list[Path]:
        import base64

        before = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        paths, overflow = [], None
        try:
            for width, height in SCREENSHOT_SIZES:
                set_viewport(driver, width, height)
                if width <= PHONE_WIDTH:
                    overflow = sideways_overflow(driver)
                content = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
                clip = {
                    "x": 0,
                    "y": 0,
                    "width": max(width, int(content["width"])),
                    "height": min(max(height, int(content["height"])), SCREENSHOT_MAX_HEIGHT),
                    "scale": 1,
                }
                shot = driver.execute_cdp_cmd(
                    "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
                )
                path = folder / f"{test_name}-{step}-{width}.png"
                path.write_bytes(base64.b64decode(shot["data"]))
                paths.append(path)
        finally:
            set_viewport(driver, *before)
        assert overflow is None, f"{step}: at {PHONE_WIDTH} px {overflow} (see {paths[-1]})"
        return paths

    return take
