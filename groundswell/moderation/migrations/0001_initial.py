"""ModerationRecord moves here from protection, without moving its table.

Only Django's idea of which app owns the model changes (state_operations); the table
protection_moderationrecord, made by protection's 0001, keeps its name and its rows
(ModerationRecord.Meta.db_table). protection's 0004 drops the model from protection's state.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # The table is created by protection 0001; 0002 writes to it as protection's model.
        ("protection", "0003_merge_speed_and_labels"),
        ("petitions", "0007_petition_proof_of_work_required"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ModerationRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("invalidate", "Invalidation"), ("restore", "Restore")], max_length=12)),
                        ("moderator_email", models.CharField(blank=True, help_text="Kept if the moderator's account is deleted.", max_length=254)),
                        ("criteria", models.JSONField(default=dict)),
                        ("description", models.TextField(blank=True)),
                        ("expected", models.PositiveIntegerField(default=0, help_text="How many signatures matched when it was asked for.")),
                        ("processed", models.PositiveIntegerField(default=0)),
                        ("changed", models.PositiveIntegerField(default=0, help_text="Signatures invalidated (or restored).")),
                        ("count_change", models.IntegerField(default=0, help_text="How much the petition's count went down (or up).")),
                        ("state", models.CharField(choices=[("queued", "Waiting to start"), ("running", "Running"), ("done", "Finished")], default="queued", max_length=10)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("moderator", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("petition", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="petitions.petition")),
                    ],
                    options={
                        "db_table": "protection_moderationrecord",
                        "ordering": ["-created_at"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
