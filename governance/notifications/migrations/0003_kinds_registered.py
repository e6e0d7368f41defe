# The kinds of notice are registered by the code that sends them
# (governance/notifications/kinds.py); the column is unchanged.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_delivery_status_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(max_length=30, verbose_name="kind"),
        ),
    ]
