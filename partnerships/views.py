"""Partnership pages for marketers (being written)."""

from accounts.access import editor_required, marketer_required


@marketer_required
def partnership_list(request):
    raise NotImplementedError


@editor_required
def partnership_create(request):
    raise NotImplementedError


@marketer_required
def partnership_detail(request, pk):
    raise NotImplementedError


@editor_required
def partnership_transition(request, pk):
    raise NotImplementedError


@editor_required
def partnership_renew(request, pk):
    raise NotImplementedError
