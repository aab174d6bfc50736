from tests.access.matrix import Rule, everyone, logged_in, only, staff_only

RULES = [
    Rule("accounts:password_reset", everyone(200)),
    Rule("accounts:password_reset_done", everyone(200)),
    # An invalid link shows the "link no longer works" page.
    Rule(
        "accounts:password_reset_confirm",
        everyone(200),
        kwargs=lambda w: {"uidb64": "MQ", "token": "ongeldig-token"},
    ),
    Rule("accounts:password_reset_complete", everyone(200)),
    # Unknown, expired or used invitation tokens answer 404 for everyone.
    Rule("accounts:invitation_accept", everyone(404), kwargs=lambda w: {"token": "onbekend"}),
    Rule("accounts:keep_alive", logged_in(204), method="post"),
    Rule("accounts:keep_alive", logged_in(405)),
    Rule("accounts:user_list", staff_only()),
    Rule("accounts:user_invite", staff_only()),
    Rule("accounts:user_bulk_invite", staff_only()),
    Rule("accounts:user_edit", staff_only(), kwargs=lambda w: {"pk": w.user("school").pk}),
    # Only an administrator changes an administrator; nobody edits their own account here.
    Rule(
        "accounts:user_edit",
        only({"admin": 403, "staff": 403}),
        kwargs=lambda w: {"pk": w.user("admin").pk},
        note="the administrator's own account / staff on an administrator",
    ),
    Rule(
        "accounts:user_edit",
        staff_only(404),
        kwargs=lambda w: {"pk": 999_999},
        note="an account that does not exist",
    ),
    Rule(
        "accounts:user_reinvite",
        staff_only(302),
        method="post",
        kwargs=lambda w: {"pk": w.user("school").pk},
    ),
]
