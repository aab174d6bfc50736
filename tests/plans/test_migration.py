"""The data migration: every non-empty "Eén verbeteractie" becomes an improvement action
before the text field is dropped; the reverse puts the text back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("scans", "0002_reflection_history_and_pending_posts"), ("plans", "0001_initial")]
AFTER = [("scans", "0003_remove_themereflection_action")]


def _state(executor, nodes):
    """The models as the database has them after migrating to `nodes`: every applied migration
    (an app whose later migration depends on scans, such as exports' job scan, is unapplied
    with it, so its leaf would not do)."""
    applied = MigrationExecutor(connection).loader.applied_migrations
    return executor.loader.project_state(sorted(applied)).apps


def _world(apps):
    Norm = apps.get_model("norms", "Norm")
    NormVersion = apps.get_model("norms", "NormVersion")
    Theme = apps.get_model("norms", "Theme")
    Bestuur = apps.get_model("organisations", "Bestuur")
    School = apps.get_model("organisations", "School")
    Round = apps.get_model("rounds", "Round")
    Scan = apps.get_model("scans", "Scan")
    User = apps.get_model("accounts", "User")
    norm = Norm.objects.create(key="mig", name="MIG")
    version = NormVersion.objects.create(norm=norm, label="1", title="MIG 1")
    t1 = Theme.objects.create(version=version, code="T01", title="Een", order=1)
    t2 = Theme.objects.create(version=version, code="T02", title="Twee", order=2)
    t3 = Theme.objects.create(version=version, code="T03", title="Drie", order=3)
    bestuur = Bestuur.objects.create(name="B", bevoegd_gezag_nummer="1")
    school = School.objects.create(name="S", vestigingscode="11AA00", bestuur=bestuur, sector="PO")
    round_ = Round.objects.create(
        name="R", version_po=version, opens_on="2024-10-01", closes_on="2024-12-01"
    )
    scan = Scan.objects.create(
        round=round_, school=school, norm_version=version, sector="PO", bestuur=bestuur
    )
    user = User.objects.create(username="ib@example.org", email="ib@example.org")
    return scan, (t1, t2, t3), user


@pytest.mark.django_db(transaction=True)
def test_existing_action_texts_become_actions_and_come_back_on_reverse():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = _state(executor, BEFORE)
    scan, (t1, t2, t3), user = _world(old)
    Reflection = old.get_model("scans", "ThemeReflection")
    Reflection.objects.create(
        scan=scan, theme=t1, reflection="R1", action="  Scholing in maart.  ", updated_by=user
    )
    Reflection.objects.create(scan=scan, theme=t2, reflection="R2", action="")
    Reflection.objects.create(scan=scan, theme=t3, reflection="", action="   ")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = _state(executor, AFTER)
    actions = list(new.get_model("plans", "ImprovementAction").objects.all())
    assert [(a.scan_id, a.theme_id, a.what, a.status, a.created_by_id) for a in actions] == [
        (scan.pk, t1.pk, "Scholing in maart.", "gepland", user.pk)
    ]
    reflections = new.get_model("scans", "ThemeReflection").objects.order_by("theme_id")
    assert [r.reflection for r in reflections] == ["R1", "R2", ""]  # reflections untouched
    assert "action" not in {f.name for f in new.get_model("scans", "ThemeReflection")._meta.fields}

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    back = _state(executor, BEFORE)
    texts = dict(
        back.get_model("scans", "ThemeReflection").objects.values_list("theme_id", "action")
    )
    assert texts[t1.pk] == "Scholing in maart."
    assert texts[t2.pk] == ""
    # leave the database migrated for the tests that follow
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
