"""SSO is configured from the environment; a half configuration refuses to start."""

from tests.processes import run_project

PRINT = (
    "from django.conf import settings; print(settings.SSO_PROVIDERS, settings.SSO_REQUIRED_ROLES)"
)


def run_shell(**env: str):
    return run_project(
        "manage.py", "shell", "--no-imports", "-c", PRINT, strip=("DJANGO_", "SSO_"), **env
    )


def test_off_when_not_configured():
    result = run_shell()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[] []"


def test_two_providers_from_the_environment():
    result = run_shell(
        SSO_PROVIDERS="microsoft, Google",
        SSO_MICROSOFT_ISSUER="https://login.microsoftonline.com/t/v2.0/",
        SSO_MICROSOFT_CLIENT_ID="id-m",
        SSO_MICROSOFT_CLIENT_SECRET="geheim-m",
        SSO_MICROSOFT_LABEL="Inloggen met Microsoft",
        SSO_MICROSOFT_TRUST_EMAIL="1",
        SSO_GOOGLE_ISSUER="https://accounts.google.com",
        SSO_GOOGLE_CLIENT_ID="id-g",
        SSO_GOOGLE_CLIENT_SECRET="geheim-g",
        SSO_REQUIRED_ROLES="staff,Admin",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout.strip().splitlines()[-1]
    assert "'issuer': 'https://login.microsoftonline.com/t/v2.0'" in out
    assert "'label': 'Inloggen met Microsoft'" in out and "'trust_email': True" in out
    assert "'slug': 'google'" in out and "'label': 'Inloggen met Google'" in out
    assert out.strip().endswith("['staff', 'admin']")


def test_a_provider_without_its_secret_refuses_to_start():
    result = run_shell(
        SSO_PROVIDERS="microsoft",
        SSO_MICROSOFT_ISSUER="https://login.example.org",
        SSO_MICROSOFT_CLIENT_ID="id",
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "selfscan: SSO provider 'microsoft': set SSO_MICROSOFT_CLIENT_SECRET "
        "(names in SSO_PROVIDERS are letters, digits and dashes)."
    )


def test_required_roles_without_providers_or_with_a_wrong_role_refuse_to_start():
    assert "nobody could log in" in run_shell(SSO_REQUIRED_ROLES="staff").stderr
    assert "choose from" in run_shell(SSO_REQUIRED_ROLES="directeur").stderr
