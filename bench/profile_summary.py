"""Summarise a py-spy collapsed-stack profile: where the web server's time goes.

    .venv/bin/python bench/viral_load.py --database postgres --profile /tmp/web.txt
    .venv/bin/python bench/profile_summary.py /tmp/web.txt

Prints, for the busiest request handlers and for named parts of a request (middleware, our
views and actions, templates, the database driver, the WSGI server), the share of all samples
in which they were on the stack (inclusive time). Idle samples (threads waiting for work) are left out.
"""

import sys
from collections import Counter

PARTS = {
    "sign (POST petition page)": "petition_detail (groundswell/petitions/views.py",
    "  sign_petition action": "sign_petition (groundswell/petitions/actions.py",
    "  form validation": "full_clean (django/forms/forms.py",
    "confirm page and button": "confirm (groundswell/petitions/views.py",
    "  confirm_signature action": "confirm_signature (groundswell/petitions/actions.py",
    "petition JSON": "petition_json (groundswell/petitions/views.py",
    "page cache": "anonymous_page (groundswell/core/pagecache.py",
    "template rendering": "render (django/template/base.py",
    "database driver (psycopg)": "(psycopg/",
    "  commits": "commit (django/db/backends/base/base.py",
    "CSRF checks": "process_view (django/middleware/csrf.py",
    "sessions middleware": "(django/contrib/sessions/middleware.py",
    "CSP middleware": "(csp/middleware.py",
    "WhiteNoise middleware": "(whitenoise/middleware.py",
    "Django request handling (all)": "get_response (django/core/handlers/base.py",
    "WSGI server outside Django": None,
}
IDLE = ("wait (threading.py", "select (selectors.py", "poll (selectors.py", "accept (", "sleep (", "_wait_for_tstate_lock")


def _busy_stacks(path: str) -> tuple[dict[str, int], int]:
    stacks = Counter()
    for line in open(path):
        stack, _, count = line.rstrip().rpartition(" ")
        if stack and count.isdigit():
            stacks[stack] += int(count)
    return {s: n for s, n in stacks.items() if not s.split(";")[-1].startswith(IDLE)}, sum(stacks.values())


# Which request of the signing flow a sample belongs to, by the view on its stack (keys of the
# load generator's result). A POST is told from a GET of the same view by what only the POST
# calls; its samples before that (CSRF middleware, the form's first lines) count as the GET's, so
# the POSTs' shares are slight underestimates.
_VIEWS = "(groundswell/petitions/views.py"


def _request_of(stack: str) -> str:
    if f"petition_detail {_VIEWS}" in stack:
        return "sign" if any(m in stack for m in ("sign_petition (", "full_clean (", "is_valid (")) else "sign_form"
    if f"confirm {_VIEWS}" in stack:
        return "confirm" if "confirm_signature (" in stack else "confirm_page"
    if f"check_email {_VIEWS}" in stack:
        return "signed_page"
    if f"confirmed {_VIEWS}" in stack:
        return "confirmed_page"
    if f"petition_json {_VIEWS}" in stack:
        return "count_reads"
    return "other"


def shares_by_request(path: str) -> dict[str, float]:
    """Each request's share of the web server's busy samples (the petition page's GETs by signers
    and by readers are one view, counted under "sign_form")."""
    busy, _ = _busy_stacks(path)
    total = sum(busy.values()) or 1
    shares = Counter()
    for stack, n in busy.items():
        shares[_request_of(stack)] += n
    return {key: n / total for key, n in shares.items()} | {"other": shares["other"] / total}


def main(path: str) -> None:
    busy, everything = _busy_stacks(path)
    total = sum(busy.values()) or 1
    print(f"{total} busy samples ({everything} in all)")
    for label, marker in PARTS.items():
        if marker is None:
            share = sum(n for s, n in busy.items() if "get_response (django/core/handlers/base.py" not in s)
        else:
            share = sum(n for s, n in busy.items() if marker in s)
        print(f"  {label:38} {100 * share / total:5.1f}%")
    leaf = Counter()
    for s, n in busy.items():
        leaf[s.split(";")[-1]] += n
    print("Top functions by own time:")
    for frame, n in leaf.most_common(12):
        print(f"  {100 * n / total:5.1f}%  {frame[:110]}")


if __name__ == "__main__":
    main(sys.argv[1])
