from django.core.management.base import BaseCommand

from members.services import load_reference_data


class Command(BaseCommand):
    help = "Load WeGO's reference data (members, categories). Safe to run again: it only adds what is missing."

    def handle(self, *args, **options):
        created = load_reference_data()
        summary = ", ".join(f"{count} {what}" for what, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"WeGO reference data loaded; created {summary}."))
