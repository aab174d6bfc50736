from tests.access.matrix import Rule, everyone

# Sign in with the school's account. The matrix runs without SSO_PROVIDERS (SSO off): both
# URLs answer 404 for everyone. With a provider configured the start sends everyone to the
# provider and a callback without a valid state shows the refusal page (403) to everyone:
# tests/sso/test_password_login.py and, against a real provider, tests/sso/test_browser_flow.py.
RULES = [
    Rule("sso:start", everyone(404), kwargs=lambda w: {"provider": "microsoft"}),
    Rule("sso:callback", everyone(404), kwargs=lambda w: {"provider": "microsoft"}),
]
