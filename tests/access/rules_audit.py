from tests.access.matrix import Rule, staff_only

RULES = [
    Rule("audit:log", staff_only()),
]
