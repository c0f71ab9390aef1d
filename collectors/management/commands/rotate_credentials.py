from django.core.management.base import BaseCommand

from collectors.services import credentials_rotate


class Command(BaseCommand):
    help = "Re-encrypt every data source credential under the first FIELD_ENCRYPTION_KEY key."

    def handle(self, *args, **options) -> None:
        count = credentials_rotate()
        self.stdout.write(f"{count} credential(s) re-encrypted under the first key.")
