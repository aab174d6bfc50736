"""Keep only the day a survey response came in (decision 0052): the exact time goes."""

import datetime as dt

import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import TruncDate


def to_day(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    # The day in the installation's time zone (TIME_ZONE), as the export showed it.
    Response.objects.update(submitted_on=TruncDate("submitted_at"))


def to_midnight(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    for response in Response.objects.only("pk", "submitted_on"):
        midnight = dt.datetime.combine(response.submitted_on, dt.time.min)
        Response.objects.filter(pk=response.pk).update(
            submitted_at=django.utils.timezone.make_aware(midnight)
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="response",
            name="submitted_on",
            field=models.DateField(
                default=django.utils.timezone.localdate, verbose_name="ingevuld op"
            ),
        ),
        migrations.RunPython(to_day, to_midnight),
        migrations.RemoveField(model_name="response", name="submitted_at"),
        migrations.AlterModelOptions(
            name="response",
            options={
                "ordering": ["submitted_on", "submission_token"],
                "verbose_name": "reactie",
                "verbose_name_plural": "reacties",
            },
        ),
    ]
