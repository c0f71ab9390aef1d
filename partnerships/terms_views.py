"""Terms editing, proposing, documents and differences (being written)."""

from accounts.access import editor_required, marketer_required


@editor_required
def terms_edit(request, pk):
    raise NotImplementedError


@editor_required
def terms_propose(request, pk):
    raise NotImplementedError


@marketer_required
def terms_document(request, pk, number):
    raise NotImplementedError


@marketer_required
def terms_pdf(request, pk, number):
    raise NotImplementedError


@marketer_required
def terms_diff(request, pk, number):
    raise NotImplementedError
