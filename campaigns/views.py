"""Campaign pages (being written)."""

from accounts.access import editor_required, marketer_required


@marketer_required
def campaign_list(request):
    raise NotImplementedError


@editor_required
def campaign_create(request):
    raise NotImplementedError


@marketer_required
def campaign_detail(request, pk):
    raise NotImplementedError


@editor_required
def campaign_edit(request, pk):
    raise NotImplementedError
