"""Pull data sources now, in this process (no worker needed), and say how each went."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from collectors.models import Connection, Provider, State
from collectors.pulling import pull


class Command(BaseCommand):
    help = (
        "Pull every working data source now (or one provider's, or one connection), "
        "in this process. Paused ones and those needing new credentials are skipped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--provider", choices=Provider.values)
        parser.add_argument("--connection", type=int, help="the id of one data source")

    def handle(self, *args, provider: str | None, connection: int | None, **options) -> None:
        chosen = Connection.objects.order_by("pk")
        if provider:
            chosen = chosen.filter(provider=provider)
        if connection is not None:
            chosen = chosen.filter(pk=connection)
            if not chosen.exists():
                raise CommandError(f"No data source with id {connection}.")
        for pk, name in chosen.values_list("pk", "name"):
            # Due now, unless its state forbids pulling (the pull checks it under its lock).
            Connection.objects.filter(pk=pk, state__in=[State.OK, State.FAILING]).update(
                next_run_at=timezone.now()
            )
            outcome = pull(pk)
            row = Connection.objects.get(pk=pk)
            detail = f" ({row.last_error})" if outcome != "pulled" and row.last_error else ""
            self.stdout.write(f"{pk} {name}: {outcome}, state {row.state}{detail}")
