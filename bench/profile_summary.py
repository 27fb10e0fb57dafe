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


def main(path: str) -> None:
    stacks = Counter()
    for line in open(path):
        stack, _, count = line.rstrip().rpartition(" ")
        if stack and count.isdigit():
            stacks[stack] += int(count)
    busy = {s: n for s, n in stacks.items() if not s.split(";")[-1].startswith(IDLE)}
    total = sum(busy.values()) or 1
    print(f"{total} busy samples ({sum(stacks.values())} in all)")
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
