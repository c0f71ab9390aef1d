from django.contrib import admin

from .models import SchedulerHeartbeat


@admin.register(SchedulerHeartbeat)
class SchedulerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "ticked_at"]
    readonly_fields = ["name", "ticked_at"]
