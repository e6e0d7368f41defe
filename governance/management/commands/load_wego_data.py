from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from governance.services.offices import load_reference_data as load_governance
from members.services import load_reference_data as load_members


class Command(BaseCommand):
    help = (
        "Load WeGO's reference data (categories, members, governing bodies, posts, the current term and "
        "its offices). Safe to run again: it only adds what is missing."
    )

    def handle(self, *args, **options):
        try:
            # One transaction: the offices need the members, and a failure
            # leaves neither half-loaded.
            with transaction.atomic():
                members = load_members()
                governance = load_governance()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        for part, created in (("members", members), ("governance", governance)):
            summary = ", ".join(f"{count} {what}" for what, count in created.items())
            self.stdout.write(self.style.SUCCESS(f"WeGO reference data ({part}) loaded; created {summary}."))
