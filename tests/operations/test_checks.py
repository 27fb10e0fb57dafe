"""`groundswell check --deploy`, run as an operator runs it, with a production environment."""

import secrets
from pathlib import Path

import pytest

from tests.operations.processes import groundswell, groundswell_environment

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "groundswell.env.example"


def documented_production_environment() -> dict:
    """deploy/groundswell.env.example, the file docs/deployment.md tells operators to copy."""
    variables = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            variables[name.strip()] = value.strip()
    return variables


DOCUMENTED_PRODUCTION = documented_production_environment()


def run_check(tmp_path, **variables):
    environment = groundswell_environment(
        **{**DOCUMENTED_PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50), "GROUNDSWELL_DATA_DIR": tmp_path, **variables}
    )
    environment = {key: value for key, value in environment.items() if value != "<unset>"}
    return groundswell("check", "--deploy", environment=environment)


def test_the_example_key_must_be_replaced(tmp_path):
    result = run_check(tmp_path, SECRET_KEY=DOCUMENTED_PRODUCTION["SECRET_KEY"])
    assert result.returncode != 0
    assert "groundswell.E001" in result.stderr


def test_the_documented_production_environment_passes(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "variables, problem",
    [
        ({"SECRET_KEY": "short"}, "groundswell.E001"),
        ({"SECRET_KEY": "example-" + "x" * 30 + secrets.token_hex(10)}, "groundswell.E002"),
        ({"ALLOWED_HOSTS": "*"}, "groundswell.E003"),
        ({"ALLOWED_HOSTS": "localhost,127.0.0.1", "SITE_URL": "https://localhost"}, "groundswell.E004"),
        ({"SITE_URL": "http://petitions.example.org"}, "groundswell.E005"),
        ({"SITE_URL": "https://elsewhere.example.org"}, "groundswell.E006"),
        ({"SMTP_HOST": "<unset>"}, "groundswell.E007"),
        ({"SMTP_STARTTLS": "false"}, "groundswell.E008"),
        ({"DEFAULT_FROM_EMAIL": "<unset>"}, "groundswell.E009"),
        ({"DEBUG": "true"}, "groundswell.E010"),
        ({"SECURE_SSL_REDIRECT": "false"}, "groundswell.E011"),
        ({"BEHIND_HTTPS_PROXY": "false"}, "groundswell.W001"),
        ({"SECURE_HSTS_SECONDS": "<unset>"}, "groundswell.E012"),
        ({"CACHE_URL": "<unset>"}, "groundswell.W002"),
        ({"SECURE_HSTS_INCLUDE_SUBDOMAINS": "false"}, "security.W005"),
    ],
)
def test_each_problem_in_a_bad_environment_is_named(tmp_path, variables, problem):
    result = run_check(tmp_path, **variables)
    assert result.returncode != 0
    assert problem in result.stderr


def test_a_bad_environment_gets_every_problem_named_at_once(tmp_path):
    result = run_check(tmp_path, SECRET_KEY="short", ALLOWED_HOSTS="*", SITE_URL="http://x.example.org", SMTP_HOST="<unset>", SECURE_HSTS_SECONDS="<unset>")
    assert result.returncode != 0
    for problem in ("E001", "E003", "E005", "E007", "E012", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "SMTP_HOST", "SECURE_HSTS_SECONDS"):
        assert problem in result.stderr


def test_without_deploy_check_keeps_djangos_default(tmp_path):
    environment = groundswell_environment(GROUNDSWELL_DATA_DIR=tmp_path, ALLOWED_HOSTS="localhost", SITE_URL="http://localhost")
    result = groundswell("check", environment=environment)
    assert result.returncode == 0, result.stderr


def test_taking_out_the_cross_site_protection_is_an_error(settings):
    from groundswell.operations.checks import check_cross_site_protection

    assert check_cross_site_protection(None) == []
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if "crossorigin" not in name]
    assert [problem.id for problem in check_cross_site_protection(None)] == ["groundswell.E014"]
