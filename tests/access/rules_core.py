from tests.access.matrix import ALL, ANONYMOUS, ROLES, Rule, everyone, logged_in

RULES = [
    Rule("core:home", everyone(200)),
    Rule("health", everyone(200)),
    Rule("set_language", everyone(302), method="post", data=lambda w: {"language": "nl"}),
    # A logged-in user who opens the login page is sent on (redirect_authenticated_user).
    Rule("accounts:login", {ANONYMOUS: 200, **dict.fromkeys(ROLES, 302)}),
    Rule("accounts:logout", dict.fromkeys(ALL, 302), method="post"),
    # Django's admin is for administrators (is_staff) only; it redirects everyone else to its
    # own login page. Its many URLs are checked through the index.
    Rule("admin:index", {**logged_in(302), "admin": 200, ANONYMOUS: 302}),
]
