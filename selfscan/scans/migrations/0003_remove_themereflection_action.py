"""The single "Eén verbeteractie" text gives way to improvement actions (selfscan/plans): the
plans data migration copies the texts first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("scans", "0002_reflection_history_and_pending_posts"),
        ("plans", "0002_actions_from_reflections"),
    ]

    operations = [
        migrations.RemoveField(model_name="themereflection", name="action"),
    ]
