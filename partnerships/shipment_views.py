"""Product shipments and payments (being written)."""

from accounts.access import editor_required


@editor_required
def shipment_add(request, pk):
    raise NotImplementedError


@editor_required
def shipment_edit(request, pk, shipment_pk):
    raise NotImplementedError


@editor_required
def payment_add(request, pk):
    raise NotImplementedError
