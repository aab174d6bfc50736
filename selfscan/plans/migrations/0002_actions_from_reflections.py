"""Each non-empty "Eén verbeteractie" text of a theme reflection becomes an improvement action
(status gepland, no owner or due date), by whoever last changed the reflection. The reverse
puts the earliest action of each scan and theme back into the (re-added) text field."""

from django.db import migrations


def forward(apps, schema_editor):
    ThemeReflection = apps.get_model("scans", "ThemeReflection")
    ImprovementAction = apps.get_model("plans", "ImprovementAction")
    batch = []
    for row in ThemeReflection.objects.exclude(action="").order_by("pk").iterator():
        text = row.action.strip()
        if not text:
            continue
        batch.append(
            ImprovementAction(
                scan_id=row.scan_id,
                theme_id=row.theme_id,
                what=text,
                status="gepland",
                created_by_id=row.updated_by_id,
                updated_by_id=row.updated_by_id,
            )
        )
        if len(batch) >= 1000:
            ImprovementAction.objects.bulk_create(batch)
            batch = []
    ImprovementAction.objects.bulk_create(batch)


def backward(apps, schema_editor):
    ThemeReflection = apps.get_model("scans", "ThemeReflection")
    ImprovementAction = apps.get_model("plans", "ImprovementAction")
    seen = set()
    for action in ImprovementAction.objects.order_by("pk").iterator():
        key = (action.scan_id, action.theme_id)
        if key in seen:
            continue
        seen.add(key)
        row, _created = ThemeReflection.objects.get_or_create(
            scan_id=action.scan_id, theme_id=action.theme_id
        )
        row.action = action.what[:2000]
        row.save(update_fields=["action"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("scans", "0002_reflection_history_and_pending_posts"),
    ]

    operations = [migrations.RunPython(forward, backward)]
