from django.core.management.base import BaseCommand

from common.crypto import rotate_everything


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored secret (data source credentials, shop webhook secrets) "
        "under the first FIELD_ENCRYPTION_KEY key."
    )

    def handle(self, *args, **options) -> None:
        for what, count in rotate_everything().items():
            self.stdout.write(f"{what}: {count} re-encrypted under the first key.")
