"""How fast the workers deliver email when there is a backlog, for a mix of kinds.

    .venv/bin/python bench/email_capacity.py                      # PostgreSQL and SQLite
    .venv/bin/python bench/email_capacity.py --database postgres --emails 10000 --workers 2
    BENCH_MIX_PERCENT=0 .venv/bin/python bench/email_capacity.py    # signature confirmations only
    .venv/bin/python bench/email_capacity.py --database postgres --emails 3000 --profile

The viral-load run can only show emails going out as fast as signatures come in. This fills the
one outbox (core/outbox.py) first, inserted directly: N emails, of which 70% signature
confirmations, 15% supporters' data links and 15% letters to an institution, each kind built from
its own data when sent. Then it starts `groundswell worker` processes in the production
configuration against bench/smtp_sink.mjs and times the delivery of all N, from the first
message arriving to the last.

With --profile, one sender runs in this process instead, under cProfile: it prints the CPU
milliseconds per email (`time.process_time()`, the worker's own, not the database's or the
sink's) and the functions that took most of it.
"""

import argparse
import os
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from viral_load import (  # noqa: E402
    free_port, groundswell_command, internal, production_environment, run, start, stop,
)


def fill_outbox(payload: dict) -> dict:
    from viral_load import _setup_django

    _setup_django()
    from django.utils import timezone

    from groundswell.core import outbox
    from groundswell.core.models import OutgoingEmail
    from groundswell.ledger.models import Target
    from groundswell.letters import emails as letter_emails
    from groundswell.letters.models import Contact, Letter, LetterAction
    from groundswell.petitions import emails as petition_emails
    from groundswell.petitions.forms import consent_wording
    from groundswell.petitions.models import Petition, Signature
    from groundswell.supporters import emails as supporter_emails
    from groundswell.supporters.models import ConsentStatement, DataLink

    total = payload["emails"]
    share = int(os.environ.get("BENCH_MIX_PERCENT", "15"))  # of each of data links and letters
    n_links, n_letters = total * share // 100, total * share // 100
    n_signatures = total - n_links - n_letters
    petition = Petition.objects.get(slug=payload["slug"])
    consent = ConsentStatement.for_text(purpose=ConsentStatement.Purpose.RECORD_SIGNATURE, text=consent_wording(petition))
    signatures = Signature.objects.bulk_create(
        [Signature(petition=petition, name=f"Backlog {i}", email=f"backlog{i}@bench.example.org",
                   email_normalised=f"backlog{i}@bench.example.org", country="GB", consent=consent) for i in range(n_signatures)],
        batch_size=2000,
    )
    links = DataLink.objects.bulk_create(
        [DataLink(email=f"data{i}@bench.example.org", email_normalised=f"data{i}@bench.example.org") for i in range(n_links)],
        batch_size=2000,
    )
    target = Target.objects.create(organisation=petition.campaign.organisation, name="Bench NHS Trust", kind=Target.Kind.NHS_BODY,
                                   contact_email="trust@bench.example.org")
    action = LetterAction.objects.create(campaign=petition.campaign, slug="bench-letter", title="Write to the trust",
                                         recipient_kind=LetterAction.RecipientKind.TARGET, target=target,
                                         subject="Care, not police", suggested_text="Please end it.")
    contact = Contact.objects.create(key=f"target:{target.pk}", name=target.name, email=target.contact_email, target=target)
    now = timezone.now()
    letters = Letter.objects.bulk_create(
        [Letter(action=action, contact=contact, supporter_name=f"Writer {i}", supporter_email=f"writer{i}@bench.example.org",
                supporter_email_normalised=f"writer{i}@bench.example.org", subject="Care, not police",
                personal=f"My own reasons, number {i}.", body="Please end it.", confirmed_at=now) for i in range(n_letters)],
        batch_size=2000,
    )
    rows = [OutgoingEmail(kind=petition_emails.SIGNATURE_EMAIL, object_id=s.pk, recipient_hash=outbox.recipient_hash(s.email)) for s in signatures]
    rows += [OutgoingEmail(kind=supporter_emails.DATA_LINK, object_id=link.pk, recipient_hash=outbox.recipient_hash(link.email)) for link in links]
    rows += [OutgoingEmail(kind=letter_emails.LETTER, object_id=letter.pk, recipient_hash=outbox.recipient_hash(contact.email)) for letter in letters]
    OutgoingEmail.objects.bulk_create(rows, batch_size=2000)
    return {"due": OutgoingEmail.objects.filter(state=OutgoingEmail.State.QUEUED).count(),
            "mix": {"signature confirmations": n_signatures, "data links": n_links, "letters": n_letters}}


def send_all_under_profile() -> dict:
    """Send everything due from this process under cProfile: the functions that took most of
    the time go to stderr (PROFILE_SORT, PROFILE_LINES), and the CPU ms per email is returned.
    Django must be set up. bench/update_send.py --profile uses it too."""
    import cProfile
    import pstats

    from groundswell.core import outbox

    profiler = cProfile.Profile()
    cpu = time.process_time()
    profiler.enable()
    sent = outbox.send_all_due()
    profiler.disable()
    cpu = time.process_time() - cpu
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats(os.environ.get("PROFILE_SORT", "tottime")).print_stats(int(os.environ.get("PROFILE_LINES", "30")))
    return {"sent": sent, "cpu_ms_per_email": 1000 * cpu / max(sent, 1)}


def profile_sender(_payload: dict) -> dict:
    """Send the whole backlog from this process under cProfile (--profile)."""
    from viral_load import _setup_django

    _setup_django()
    return send_all_under_profile()


def measure(database: str, emails: int, workers: int, profile: bool = False) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"groundswell-email-{database}-"))
    smtp_port = free_port()
    env = production_environment(database=database, data_dir=work, port=free_port(), smtp_port=smtp_port)
    run([*groundswell_command(), "migrate", "--noinput"], env)
    setup = internal("setup", env)
    filled = json.loads(run([sys.executable, __file__, "--internal-fill"], env, input=json.dumps({"slug": setup["slug"], "emails": emails})).strip().splitlines()[-1])
    sink = subprocess.Popen(["node", str(HERE / "smtp_sink.mjs"), str(smtp_port), str(emails)], stdout=subprocess.PIPE, text=True)
    assert json.loads(sink.stdout.readline())["listening"] == smtp_port
    if profile:
        result = subprocess.run([sys.executable, __file__, "--internal-profile"], env=env, input="{}", capture_output=True, text=True, check=True)
        sink.kill()
        print(result.stderr, file=sys.stderr)
        return json.loads(result.stdout.strip().splitlines()[-1])
    started = time.monotonic()
    processes = [start([*groundswell_command(), "worker", "--verbosity", "0"], env, work / f"worker{i}.log") for i in range(workers)]
    try:
        done = json.loads(sink.stdout.readline())
    finally:
        stop(processes)
        sink.kill()
    return {"database": database, "due": filled["due"], "workers": workers, "received": done["received"],
            "seconds": done["seconds"], "per_second": done["received"] / done["seconds"],
            "from_start_seconds": time.monotonic() - started}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--internal-fill", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--emails", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="one sender in-process under cProfile: CPU ms per email")
    parser.add_argument("--internal-profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.internal_fill:
        print(json.dumps(fill_outbox(json.loads(sys.stdin.read()))))
        return 0
    if args.internal_profile:
        print(json.dumps(profile_sender(json.loads(sys.stdin.read()))))
        return 0
    databases = ["postgres", "sqlite"] if args.database == "both" else [args.database]
    print(f"\nEmail capacity: a backlog of {args.emails:,} emails (70% signature confirmations, 15% data links, "
          f"15% letters), {args.workers} workers")
    if args.profile:
        for database in databases:
            r = measure(database, args.emails, 1, profile=True)
            print(f"{database}: {r['sent']:,} sent by one sender in-process, {r['cpu_ms_per_email']:.3f} CPU ms per email (under cProfile)")
        return 0
    print(f"{'database':>10} {'delivered':>10} {'seconds':>8} {'emails/s':>9}")
    for database in databases:
        r = measure(database, args.emails, args.workers)
        print(f"{r['database']:>10} {r['received']:>10,} {r['seconds']:>8.1f} {r['per_second']:>9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
