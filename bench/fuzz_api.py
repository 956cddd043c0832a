"""API fuzzing: Schemathesis against the project's own OpenAPI schema, as a user of enterprise A,
watching for server errors and for anything of enterprise B's.

Run: ``.venv/bin/python bench/fuzz_api.py [--examples N] [--seed S] [--report PATH]``

1. Prepares the database of the environment (``DATABASE_URL``; without it a fresh SQLite file in
   ``$CONCORD_VAR_DIR``, by default ``var/fuzz/``): ``migrate``, ``load_holidays``, then seeds
   enterprises A and B with everything the API shows (``bench/fuzz_seed.py``); B's texts carry a
   random marker and all of B's ids are recorded.
2. Starts the service (gunicorn, ``config.wsgi``) on a free port of 127.0.0.1, logs in as A's union
   negotiator, leader and admin through ``POST /api/v1/auth/token/`` and runs ``schemathesis run``
   on ``/api/schema/`` (all operations but ``/api/v1/auth/``; phases examples, coverage, fuzzing and
   stateful; at most N generated examples per operation) with the checks ``not_a_server_error``
   and ``no_cross_enterprise_leak`` (``bench/fuzz_hooks.py``).
3. Asks every operation with an id in its path for each of B's ids (alone, and under A's parent
   object) and requires the very answer an id that exists nowhere gets (404, same body).
4. Prints a summary and writes it as JSON (``var/fuzz/report.json`` or ``--report``); exits 1 on
   any server error or leak, 2 when the run itself could not be made.
"""

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

PYTHON = sys.executable
NOWHERE = 987_654_321  # an id no object has
EXCLUDED = r"^/api/v1/auth/"  # logging in, out and revoking tokens: the run's own session
METHOD_ORDER = {"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}


def say(text: str) -> None:
    print(f"==> {text}", flush=True)


# --- 1. the database -----------------------------------------------------------------------


def prepare_environment(var_dir: Path) -> dict[str, str]:
    """The environment of every process of the run; a fresh SQLite file unless DATABASE_URL is set."""
    env = dict(os.environ)
    env["CONCORD_VAR_DIR"] = str(var_dir)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env.setdefault("DEBUG", "0")  # answers as in production: no debug pages
    env.setdefault("DOCUMENTS_PDF", "0")  # no LibreOffice in the seeding
    # The throttles (config/settings.py) set far out of reach: the fuzzer is no login abuse.
    env.update(dict.fromkeys(("API_TOKEN_RATE", "API_WRITE_RATE"), "100000/min"))
    if not env.get("DATABASE_URL"):
        database = var_dir / "fuzz.sqlite3"
        for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            leftover.unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{database}"
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def seed(env: dict[str, str], watch_path: Path) -> dict[str, Any]:
    """Seed A and B in a process of its own (this one never opens the database)."""
    code = (
        "import json, sys, django; django.setup(); import fuzz_seed; "
        f"json.dump(fuzz_seed.seed(), open({str(watch_path)!r}, 'w', encoding='utf-8'))"
    )
    subprocess.run([PYTHON, "-c", code], cwd=ROOT, env={**env, "PYTHONPATH": str(BENCH)}, check=True)
    world = json.loads(watch_path.read_text(encoding="utf-8"))
    world["ids"] = world["b"]["ids"]  # what the hooks watch for
    watch_path.write_text(json.dumps(world), encoding="utf-8")
    return world


# --- 2. the service and Schemathesis ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--timeout",
        "120",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        wait_for(server, port, log)
    except BaseException:
        stop_server(server)
        raise
    return server


def wait_for(server: subprocess.Popen, port: int, log: Path) -> None:
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped at start (exit {server.returncode}); see {log}")
        try:
            # Any answer will do (401 here): /api/v1/health/ would wait for the broker and the worker.
            if requests.get(f"http://127.0.0.1:{port}/api/v1/term-kinds/", timeout=10).status_code < 500:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer within 60 s; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    """Gunicorn's master stops its workers on SIGTERM."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def log_in(base: str, username: str, password: str) -> str:
    import requests

    answer = requests.post(f"{base}/api/v1/auth/token/", json={"username": username, "password": password}, timeout=30)
    if answer.status_code != 200:
        raise RuntimeError(f"logging in as {username} gave {answer.status_code}: {answer.text[:500]}")
    return answer.json()["token"]


def config_file(schema: dict[str, Any], world: dict[str, Any], path: Path) -> Path:
    """A ``schemathesis.toml`` that draws ids, half the time, from A's and B's real ones: each
    path parameter from the ids of its kind, and the body fields and filters that name an object
    (``contract``, ``enterprise``, …) likewise, so the fuzzer gets past the 404s and tries B's ids."""
    from fuzz_hooks import FIELD_KINDS, parameter_kinds

    kinds = {kind for item in schema["paths"] for kind in parameter_kinds(item).values()} | set(FIELD_KINDS.values())
    lines = []
    for kind in sorted(kinds):
        values = sorted(set(world["a"]["ids"].get(kind, [])) | set(world["b"]["ids"].get(kind, [])))
        if values:
            lines += [f"[dictionaries.{kind}]", f"values = {json.dumps(values)}", ""]
    known = {line.split(".", 1)[1].rstrip("]") for line in lines if line.startswith("[dictionaries.")}
    bindings = [f'"{name}" = {{ dictionary = "{kind}", probability = 0.3 }}' for name, kind in FIELD_KINDS.items()]
    lines += ["[parameters]", *(b for b, kind in zip(bindings, FIELD_KINDS.values(), strict=True) if kind in known)]
    lines.append("")
    for item in sorted(schema["paths"]):
        bound = {name: kind for name, kind in parameter_kinds(item).items() if kind in known}
        if bound:
            pairs = ", ".join(
                f'"{name}" = {{ dictionary = "{kind}", probability = 0.5 }}' for name, kind in bound.items()
            )
            lines += ["[[operations]]", f"include-path = {json.dumps(item)}", f"parameters = {{ {pairs} }}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run_schemathesis(
    base: str, token: str, args: argparse.Namespace, watch: Path, out_dir: Path, config: Path
) -> tuple[dict[str, Any], int]:
    """``schemathesis run`` on the schema; its JSON report and exit code (its output goes to ours)."""
    command = [
        str(Path(PYTHON).parent / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        f"{base}/api/schema/",
        "--header",
        f"Authorization: Token {token}",
        "--checks",
        "not_a_server_error,no_cross_enterprise_leak",
        "--max-examples",
        str(args.examples),
        "--seed",
        str(args.seed),
        "--phases",
        args.phases,
        "--exclude-path-regex",
        EXCLUDED,
        "--workers",
        str(args.workers),
        "--continue-on-failure",
        "--suppress-health-check",
        "all",
        "--generation-database",
        "none",
        "--request-timeout",
        "60",
        "--no-color",
        "--report",
        "json",
        "--report-json-path",
        str(out_dir / "schemathesis.json"),
    ]
    if args.max_time:
        command += ["--max-time", str(args.max_time)]
    os.environ["FUZZ_WATCH"] = str(watch)  # for the hooks, here (the sweep) and in Schemathesis
    env = {**os.environ, "SCHEMATHESIS_HOOKS": str(BENCH / "fuzz_hooks.py")}
    printable = " ".join("'Authorization: Token …'" if part.startswith("Authorization") else part for part in command)
    say(f"schemathesis: {printable}")
    returncode = subprocess.run(command, cwd=out_dir, env=env, check=False).returncode
    report_path = out_dir / "schemathesis.json"
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {}
    return report, returncode


# --- 3. B's ids, asked for directly -----------------------------------------------------------


def normalised(text: str, numbers: list[int]) -> str:
    for number in numbers:
        text = re.sub(rf"\b{number}\b", "<id>", text)
    return text


def sweep(base: str, token: str, schema: dict[str, Any], world: dict[str, Any]) -> dict[str, Any]:
    """Every operation with ids in its path, with B's ids (each id alone, and nested under A's
    parent and B's own): the same status and body as for an id that exists nowhere."""
    import requests
    from fuzz_hooks import leak, parameter_kinds

    a_ids, b_ids = world["a"]["ids"], world["b"]["ids"]
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    operations = sorted(
        ((method, path) for path, item in schema["paths"].items() for method in item if method in METHOD_ORDER),
        key=lambda op: (METHOD_ORDER[op[0]], op[1]),
    )
    baseline: dict[tuple, tuple[int, str]] = {}
    requests_made, failures, server_errors, cases = 0, [], [], 0
    statuses: Counter[int] = Counter()
    for method, path in operations:
        if re.match(EXCLUDED, path):
            continue
        kinds = parameter_kinds(path)
        names = re.findall(r"\{(\w+)\}", path)
        if not names or set(names) - set(kinds):
            continue
        payload: dict[str, Any] | None = None if method == "get" else {}
        choices = []
        for name in names:
            kind = kinds[name]
            own = a_ids.get(kind, [])[:1]
            choices.append([("A", value) for value in own] + [("B", value) for value in b_ids.get(kind, [])])
        for combination in itertools.product(*choices):
            if all(side == "A" for side, _value in combination):
                continue
            values = {name: value for name, (_side, value) in zip(names, combination, strict=True)}
            nowhere = {
                name: (NOWHERE if side == "B" else value)
                for name, (side, value) in zip(names, combination, strict=True)
            }
            key = (method, path, tuple(sorted(nowhere.items())))
            cases += 1
            if key not in baseline:
                answer = session.request(method, base + path.format(**nowhere), json=payload, timeout=60)
                requests_made += 1
                baseline[key] = (answer.status_code, normalised(answer.text, [NOWHERE]))
            answer = session.request(method, base + path.format(**values), json=payload, timeout=60)
            requests_made += 1
            statuses[answer.status_code] += 1
            expected_status, expected_body = baseline[key]
            body = normalised(answer.text, [v for n, v in values.items() if nowhere[n] == NOWHERE])
            case = {
                "method": method.upper(),
                "path": path.format(**values),
                "body": "" if payload is None else "{}",
                "status": answer.status_code,
                "expected": expected_status,
                "answer": answer.text[:500],
            }
            if answer.status_code >= 500:
                server_errors.append(case)
                continue
            reason = leak(method.upper(), path, values, answer.status_code, answer.text, request_body={})
            if reason is None and (answer.status_code, body) != (expected_status, expected_body):
                reason = (
                    f"answered {answer.status_code} where an id that exists nowhere gets {expected_status}"
                    if answer.status_code != expected_status
                    else "answered another body than an id that exists nowhere gets"
                )
                case["expected_answer"] = expected_body[:500]
            if reason:
                failures.append({**case, "reason": reason})
    return {
        "cases": cases,
        "requests": requests_made,
        "statuses": dict(sorted(statuses.items())),
        "leaks": failures,
        "server_errors": server_errors,
    }


# --- 4. the summary ---------------------------------------------------------------------------


def server_tracebacks(log: Path, limit: int = 20) -> list[str]:
    """The server's logged 500s (Django's ``Internal Server Error: …`` and its traceback), one
    of each kind (same last frame and exception)."""
    if not log.exists():
        return []
    blocks: list[list[str]] = []
    current: list[str] | None = None
    ended = False  # the exception line is in: what follows is a chained traceback or the end
    chained = ("Traceback (", "The above exception", "During handling of")
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("Internal Server Error:"):
            current, ended = [line], False
            blocks.append(current)
        elif current is not None:
            if ended and line.strip() and not line.startswith(chained):
                current = None
            elif not line.startswith((" ", *chained)) and line.strip():
                current.append(line)
                ended = True
            elif not line.strip().startswith("^"):
                current.append(line)
    unique: dict[str, str] = {}
    for block in blocks:
        frames = [line for line in block if line.startswith('  File "')]
        unique.setdefault(f"{frames[-1:]} {block[-1]}", "\n".join(block))
    return list(unique.values())[:limit]


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "arch": platform.machine(),
        "cpu": cpu,
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
    }


def database_label(env: dict[str, str]) -> str:
    url = env["DATABASE_URL"]
    return re.sub(r"//[^@/]*@", "//", url)  # no password in the report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=20, help="generated examples per operation (default 20)")
    parser.add_argument("--seed", type=int, default=20261206, help="Schemathesis / Hypothesis seed")
    parser.add_argument("--report", type=Path, help="where the JSON summary goes (default var/fuzz/report.json)")
    parser.add_argument(
        "--phases", default="examples,coverage,fuzzing,stateful", help="Schemathesis phases (default: all four)"
    )
    parser.add_argument("--workers", type=int, default=2, help="Schemathesis workers (default 2)")
    parser.add_argument("--max-time", type=int, default=0, help="Schemathesis time budget in seconds (default none)")
    args = parser.parse_args()

    # `timeout` (CI) sends SIGTERM: leave through the `finally` that stops the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    started = time.monotonic()
    started_at = dt.datetime.now(dt.UTC)
    var_dir = Path(os.environ.get("CONCORD_VAR_DIR") or ROOT / "var" / "fuzz").resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    report_path = (args.report or var_dir / "report.json").resolve()
    work = Path(tempfile.mkdtemp(prefix="fuzz-", dir=var_dir))
    env = prepare_environment(var_dir)
    server = None
    try:
        say(f"database {database_label(env)}: migrate, load_holidays")
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_holidays", "--verbosity", "0")
        say("seeding enterprises A and B")
        watch = work / "watch.json"
        world = seed(env, watch)
        for letter in "ab":
            for skipped in world[letter]["skipped"]:
                say(f"not seeded in {letter.upper()}: {skipped}")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server_log = work / "server.log"
        say(f"starting gunicorn on {base} (log {server_log})")
        server = start_server(env, port, server_log)
        token = log_in(base, world["a"]["login"], world["password"])
        import requests

        schema = requests.get(f"{base}/api/schema/?format=json", timeout=60).json()
        fuzz_started = time.monotonic()
        config = config_file(schema, world, work / "schemathesis.toml")
        st_report, st_exit = run_schemathesis(base, token, args, watch, work, config)
        fuzz_seconds = time.monotonic() - fuzz_started
        say("asking for each of B's ids directly")
        swept = sweep(base, token, schema, world)
    except (subprocess.CalledProcessError, RuntimeError, OSError, ValueError) as error:
        print(f"fuzz_api: the run could not be made: {error}", file=sys.stderr)
        return 2
    finally:
        if server is not None:
            stop_server(server)

    failures = st_report.get("failures", [])
    server_error_failures = [f for f in failures if f.get("code") != "ST901"]
    leak_failures = [f for f in failures if f.get("code") == "ST901"]
    tracebacks = server_tracebacks(server_log)
    log_text = server_log.read_text(encoding="utf-8", errors="replace") if server_log.exists() else ""
    answered_500 = log_text.count("Internal Server Error:")
    worker_timeouts = log_text.count("WORKER TIMEOUT")
    operations = st_report.get("operations", {})
    test_cases = st_report.get("test_cases", {})
    summary = {
        "date": started_at.isoformat(timespec="seconds"),
        "machine": machine(),
        "database": database_label(env),
        "schemathesis": st_report.get("schemathesis_version"),
        "seed": args.seed,
        "examples_per_operation": args.examples,
        "phases": args.phases,
        "operations": {
            "in_schema": operations.get("total"),
            "tested": operations.get("tested"),
            "excluded": EXCLUDED,
        },
        "test_cases": test_cases.get("generated"),
        "schemathesis_exit": st_exit,
        "schemathesis_stop_reason": st_report.get("stop_reason"),
        "schemathesis_errors": st_report.get("errors", []),
        "server_errors": {
            "schemathesis_failures": server_error_failures,
            "sweep": swept["server_errors"],
            "answered_500": answered_500,
            "distinct_tracebacks": tracebacks,
        },
        "leaks": {"schemathesis_failures": leak_failures, "sweep": swept["leaks"]},
        "sweep": {"cases": swept["cases"], "requests": swept["requests"], "statuses": swept["statuses"]},
        "markers": world["markers"],
        "b_ids": {kind: len(ids) for kind, ids in world["b"]["ids"].items()},
        "not_seeded": world["a"]["skipped"] + world["b"]["skipped"],
        "fuzzing_seconds": round(fuzz_seconds, 1),
        "duration_seconds": round(time.monotonic() - started, 1),
        "work_dir": str(work),
    }
    # Every 500 Django answered is in the log (the sweep's too); a worker killed mid-request is not.
    n_server_errors = max(answered_500 + worker_timeouts, len(server_error_failures) + len(swept["server_errors"]))
    n_leaks = sum(f.get("count", 1) for f in leak_failures) + len(swept["leaks"])
    n_errors = len(summary["schemathesis_errors"])
    summary["totals"] = {"server_errors": n_server_errors, "leaks": n_leaks, "schemathesis_errors": n_errors}
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")

    print()
    say("API fuzzing summary")
    m = summary["machine"]
    print(f"  date            {summary['date']}  (nproc {m['nproc']}, {m['arch']}, {m['cpu']})")
    print(f"  database        {summary['database']}")
    print(f"  operations      {operations.get('tested')} tested of {operations.get('total')} (not {EXCLUDED})")
    print(f"  test cases      {test_cases.get('generated')} (at most {args.examples} generated per operation)")
    print(f"  B's ids asked   {swept['cases']} cases, {swept['requests']} requests, answers {swept['statuses']}")
    print(
        f"  server errors   {n_server_errors} answers, {len(tracebacks)} distinct tracebacks,"
        f" {sum(len(f.get('operations', [])) for f in server_error_failures)} operations failing in Schemathesis,"
        f" {len(swept['server_errors'])} in the sweep"
    )
    print(f"  leaks           {n_leaks}")
    print(f"  run errors      {n_errors}")
    print(f"  duration        {summary['duration_seconds']} s (Schemathesis {summary['fuzzing_seconds']} s)")
    print(f"  report          {report_path}")
    for case in swept["server_errors"] + swept["leaks"]:
        print(f"  FAIL {case['method']} {case['path']} body {case['body']} → {case['status']}", end="")
        print(f" (expected {case['expected']}): {case.get('reason', 'server error')}")
        print(f"       answer: {case['answer'][:300]}")
    for failure in failures:
        print(f"  FAIL {failure.get('title')} ×{failure.get('count')}: {', '.join(failure.get('operations', []))}")
        print("       (the failing requests, with curl commands, are printed above by Schemathesis)")
    for run_error in summary["schemathesis_errors"]:
        print(f"  ERROR {json.dumps(run_error, ensure_ascii=False)[:500]}")
    for traceback in tracebacks:
        print("  server traceback:")
        print("    " + traceback.replace("\n", "\n    "))
    if n_server_errors or n_leaks or n_errors or st_exit not in (0, 1):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
