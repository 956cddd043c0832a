"""Benchmark: the API and pages under load, on gunicorn and PostgreSQL, driven by wrk.

Run (PostgreSQL reachable, the database may be empty; wrk from Debian's package ``wrk``)::

    DATABASE_URL=postgres://concord:concord-ci@127.0.0.1:5432/concord_load \\
        .venv/bin/python bench/load.py [--seconds 60] [--connections 50] [--gunicorn-workers 4]

It migrates, loads the demo data, adds what the traffic needs (API tokens, 8,000 congress
delegates with a token each and an open secret ballot for them, a session cookie for the union's
chief), and serves ``bench/load_app.py`` with gunicorn on 127.0.0.1 (``DEBUG`` off, throttles
lifted). Then, in one run:

1. **mixed** traffic for ``--seconds``: five wrk processes at once, the connections shared out
   (breaches list 30 %, a contract with its clauses 30 %, a page 20 %, posting a proposal 10 %,
   casting a ballot 10 %, each ballot by another delegate);
2. **breaches alone** and **the bare view alone** (a Django view returning the same bytes as the
   breaches list, through the same middleware), 15 s each at all the connections: their ratio is
   how close the API comes to the ceiling of the stack it runs on.

It prints p50/p95/p99 and requests a second per kind with the machine and date, and writes them
as JSON to ``var/load/report.json``. Target (issue 13): p95 under 100 ms at 50 connections on 2
cores. Nothing here asserts a time.
"""

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "load"
DELEGATES = 8000
SHARES = {"breaches": 0.3, "contract": 0.3, "page": 0.2, "proposal": 0.1, "ballot": 0.1}
SOLO_SECONDS = 15
UNUSABLE = "!"  # Django's mark of a password nobody can log in with: the delegates use tokens

LUA = r"""
local method, path, body, auth = "%(method)s", "%(path)s", %(body)s, "%(auth)s"
local tokens, next_token = {}, 0
function init(args)
  if args[1] then for line in io.lines(args[1]) do tokens[#tokens + 1] = line end end
end
function request()
  local headers = {["Accept"] = "application/json", ["Accept-Language"] = "zh-hans"}
  if #tokens > 0 then
    next_token = next_token %% #tokens + 1
    headers["Authorization"] = "Token " .. tokens[next_token]
  elseif auth ~= "" then
    headers["Authorization"] = auth
  end
  if %(cookie)s then headers["Cookie"] = %(cookie)s end
  if body then headers["Content-Type"] = "application/json" end
  return wrk.format(method, path, headers, body)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "non_2xx": %%d, "socket_errors": %%d, ' ..
    '"p50_ms": %%.1f, "p95_ms": %%.1f, "p99_ms": %%.1f, "max_ms": %%.1f}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CONCORD_VAR_DIR": str(VAR),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "API_WRITE_RATE": "10000000/min",
        "API_TOKEN_RATE": "10000000/min",
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "filesystem://localhost//"),
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env: dict[str, str]) -> dict:
    """The demo data and what the traffic needs; returns the ids and credentials it uses."""
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_holidays", "--verbosity", "0")
    manage(env, "demo_data", "--verbosity", "0")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from knox.models import AuthToken

    from bargaining.models import ConsultationSession, Negotiation, NegotiationStatus, Side
    from contracts.enterprises.models import Membership, Role
    from contracts.models import CongressMode, CongressSession, Contract, ContractStatus
    from contracts.services.congress import congress_session_cancel, congress_session_open

    users = get_user_model()
    union = users.objects.get(username="demo")
    contract = Contract.objects.filter(status=ContractStatus.EFFECTIVE, clauses__isnull=False).distinct().first()
    # A round whose minutes are not signed yet, where the union may still put a proposal.
    round_open = ConsultationSession.objects.filter(
        negotiation__status=NegotiationStatus.IN_ROUNDS, union_signed_at__isnull=True
    ).first()
    if round_open is None:
        raise SystemExit("the demo data holds no round open for proposals")
    negotiation = Negotiation.objects.get(pk=round_open.negotiation_id)
    vote = (
        CongressSession.objects.filter(mode=CongressMode.BALLOT, closed_at__isnull=True)
        .select_related("contract__enterprise")
        .first()
    )
    with transaction.atomic():
        if vote.delegates_total < DELEGATES:
            contract_in_congress = vote.contract
            congress_session_cancel(user=union, session=vote)
            vote = congress_session_open(
                user=union,
                contract=contract_in_congress,
                delegates_total=DELEGATES,
                held_on=dt.date.today(),
                mode=CongressMode.BALLOT,
            )
        enterprise = vote.contract.enterprise
        have = users.objects.filter(username__startswith="load-delegate-").count()
        made = users.objects.bulk_create(
            [users(username=f"load-delegate-{n}", password=UNUSABLE) for n in range(have, DELEGATES)]
        )
        Membership.objects.bulk_create(
            [Membership(user=user, enterprise=enterprise, role=Role.CONGRESS_DELEGATE) for user in made]
        )
        delegates = users.objects.filter(username__startswith="load-delegate-").order_by("pk")
        AuthToken.objects.filter(user__in=delegates).delete()
        ballot_tokens = [AuthToken.objects.create(user=user)[1] for user in delegates]
    session = SessionStore()
    session["_auth_user_id"] = str(union.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = union.get_session_auth_hash()
    session.create()
    return {
        "token": AuthToken.objects.create(user=union)[1],
        "session_cookie": f"sessionid={session.session_key}",
        "contract": contract.pk,
        "negotiation": negotiation.pk,
        "round": round_open.pk,
        "side": Side.UNION,
        "vote": vote.pk,
        "ballot_tokens": ballot_tokens,
    }


def lua(folder: Path, name: str, *, method="GET", path="/", body=None, auth="", cookie=None) -> Path:
    script = folder / f"{name}.lua"
    script.write_text(
        LUA
        % {
            "method": method,
            "path": path,
            "body": "nil" if body is None else json.dumps(json.dumps(body)),
            "auth": auth,
            "cookie": "nil" if cookie is None else json.dumps(cookie),
        }
    )
    return script


def kinds(fixture: dict, folder: Path) -> dict[str, list[str]]:
    """wrk's script (and its argument) per kind of traffic."""
    auth = f"Token {fixture['token']}"
    # Each delegate votes once: the warm-up casts its ballots with the last 500 tokens, the run
    # with the others (wrk starts each script's list from its first token).
    tokens, warm_tokens = folder / "ballot-tokens.txt", folder / "ballot-warm-tokens.txt"
    tokens.write_text("\n".join(fixture["ballot_tokens"][:-500]) + "\n")
    warm_tokens.write_text("\n".join(fixture["ballot_tokens"][-500:]) + "\n")
    proposal = {
        "session": fixture["round"],
        "side": fixture["side"],
        "clause_category": "pay",
        "term_kind": "min_monthly_wage",
        "params": {"amount": "3100"},
        "text": "最低月工资不低于3100元。",
    }
    return {
        "breaches": [str(lua(folder, "breaches", path="/api/v1/breaches/", auth=auth))],
        "contract": [str(lua(folder, "contract", path=f"/api/v1/contracts/{fixture['contract']}/", auth=auth))],
        "page": [str(lua(folder, "page", path=f"/contracts/{fixture['contract']}/", cookie=fixture["session_cookie"]))],
        "proposal": [
            str(
                lua(
                    folder,
                    "proposal",
                    method="POST",
                    path=f"/api/v1/negotiations/{fixture['negotiation']}/proposals/",
                    body=proposal,
                    auth=auth,
                )
            )
        ],
        "ballot": [
            str(
                lua(
                    folder,
                    "ballot",
                    method="POST",
                    path=f"/api/v1/congress-sessions/{fixture['vote']}/ballots/",
                    body={"choice": "yes"},
                )
            ),
            str(tokens),
        ],
        "ballot-warm-up": [str(folder / "ballot.lua"), str(warm_tokens)],
        "bare": [str(lua(folder, "bare", path="/bench/bare/"))],
    }


def wrk(base: str, script: list[str], *, connections: int, seconds: int) -> subprocess.Popen:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script[0], base]
    if len(script) > 1:
        command += ["--", *script[1:]]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def result(process: subprocess.Popen) -> dict:
    out, _ = process.communicate()
    line = [line for line in out.splitlines() if line.startswith('{"requests"')]
    if not line:
        raise SystemExit(f"wrk gave no result:\n{out}")
    row = json.loads(line[-1])
    row["per_s"] = round(row["requests"] / (row["duration_us"] / 1e6), 1)
    return row


def gunicorn(env: dict[str, str], bare_body: Path, *, port: int, workers: int, log: Path) -> subprocess.Popen:
    """bench/load_app.py on 127.0.0.1:``port``, its bare view answering ``bare_body``'s bytes."""
    with log.open("a") as stderr:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "bench.load_app:application",
                f"--workers={workers}",
                f"--bind=127.0.0.1:{port}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env={**env, "BENCH_BARE_BODY": str(bare_body)},
            stderr=stderr,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith("postgres"):
        raise SystemExit("give a PostgreSQL DATABASE_URL (see the docstring)")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    VAR.mkdir(parents=True, exist_ok=True)
    env = environment(args.database_url)
    fixture = prepare(env)
    folder = Path(tempfile.mkdtemp(prefix="concord-load-"))
    scripts = kinds(fixture, folder)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    body = folder / "bare.json"
    server = None
    try:
        # The bare view's bytes: what the breaches list answers, fetched from a first server.
        body.write_bytes(b"{}")
        server = gunicorn(env, body, port=port, workers=args.gunicorn_workers, log=folder / "gunicorn.log")
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(  # noqa: S310  (our own http URL)
                    f"{base}/api/v1/breaches/", headers={"Authorization": f"Token {fixture['token']}"}
                )
                body.write_bytes(urllib.request.urlopen(request, timeout=5).read())  # noqa: S310  (our http URL)
                break
            except OSError as error:
                if time.monotonic() > deadline:
                    log = (folder / "gunicorn.log").read_text()
                    raise SystemExit(f"gunicorn did not answer; its log:\n{log}") from error
                time.sleep(0.5)
        server.terminate()
        server.wait(timeout=30)
        server = gunicorn(env, body, port=port, workers=args.gunicorn_workers, log=folder / "gunicorn.log")
        time.sleep(3)
        for name in ("breaches", "contract", "page", "proposal", "ballot-warm-up", "bare"):  # warm every worker
            result(wrk(base, scripts[name], connections=args.gunicorn_workers, seconds=1))

        mixed_procs = {
            name: wrk(base, scripts[name], connections=max(1, round(args.connections * share)), seconds=args.seconds)
            for name, share in SHARES.items()
        }
        mixed = {name: result(process) for name, process in mixed_procs.items()}
        solo = {
            name: result(wrk(base, scripts[name], connections=args.connections, seconds=SOLO_SECONDS))
            for name in ("breaches", "bare")
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)

    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "gunicorn_workers": args.gunicorn_workers,
        "connections": args.connections,
        "seconds": args.seconds,
        "mixed": mixed,
        "solo": solo,
        "breaches_to_bare": round(solo["breaches"]["per_s"] / solo["bare"]["per_s"], 3),
    }
    (VAR / "report.json").write_text(json.dumps(report, indent=2))
    print(f"# {report['date']} · {report['machine']} · gunicorn {args.gunicorn_workers} workers")
    print(f"## mixed, {args.connections} connections, {args.seconds} s")
    print("| kind | connections | req/s | p50 | p95 | p99 | non-2xx |")
    print("|---|---|---|---|---|---|---|")
    for name, row in mixed.items():
        connections = max(1, round(args.connections * SHARES[name]))
        print(
            f"| {name} | {connections} | {row['per_s']} | {row['p50_ms']} ms | {row['p95_ms']} ms"
            f" | {row['p99_ms']} ms | {row['non_2xx']} |"
        )
    print(f"## alone, {args.connections} connections, {SOLO_SECONDS} s")
    for name, row in solo.items():
        print(f"| {name} | {args.connections} | {row['per_s']} | {row['p50_ms']} ms | {row['p95_ms']} ms")
    print(f"breaches / bare view: {report['breaches_to_bare']:.1%}")


if __name__ == "__main__":
    main()
