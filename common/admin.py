"""The admin is a window onto the records, not a second write path.

A domain model's admin either calls its app's services from `save_model` /
`save_formset`, or is read-only (with actions that call services). The model's own
rules (`clean()`, constraints) show as form errors before anything is saved; a refusal
only the service can make (a lock lost to a race, a workflow rule) rolls the whole
save back and shows as an error message instead of a server error.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect


class ReadOnlyAdmin(admin.ModelAdmin):
    """A window only, for records that only a service, a webhook or a task writes: no
    adding, changing or deleting here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ServiceWriteAdmin(admin.ModelAdmin):
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            # The admin's own transaction wraps save_model and save_related: a service
            # refusing either undoes both.
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_actions(self, request):
        # "Delete selected" deletes with one queryset.delete(), around delete_model. Where
        # deleting goes through a service, it is offered one object at a time only.
        actions = super().get_actions(request)
        if type(self).delete_model is not admin.ModelAdmin.delete_model:
            actions.pop("delete_selected", None)
        return actions


def adopt(obj, saved) -> None:
    """Point the admin's unsaved `obj` at the row a service saved, so the admin's log
    and redirect name it."""
    obj.pk = saved.pk
    obj.refresh_from_db()


def record_formset(formset) -> None:
    """What the admin's change message reads, for a formset saved through a service
    rather than by `formset.save()`."""
    kept = [f for f in formset.forms if f.has_changed() and f not in formset.deleted_forms]
    formset.new_objects = [f.instance for f in kept if f.initial == {}]
    formset.changed_objects = [(f.instance, f.changed_data) for f in kept if f.initial != {}]
    formset.deleted_objects = [f.instance for f in formset.deleted_forms if f.instance.pk]
