"""What the Django admin may do, in one place (issue 8, finding 9).

Business records, their import batches and the results computed from them change only
through the import pipeline and the assessment services, which enforce the rules (a final
cycle is immutable, every change is audited). In the admin they are read-only:
``ReadOnlyAdmin`` / ``ReadOnlyInline``. A superuser's POST to their add, change or delete
page is refused with 403 by Django itself.

Reference data the admin may still edit (organisation, levels, competencies, metrics, grade
policies) uses ``AuditedAdmin``: each change leaves a django-simple-history row naming the
admin user (``HistoryRequestMiddleware``), besides Django's own ``LogEntry`` shown below.
Nothing is deleted through the admin: what feeds a cycle is deactivated instead, so a final
cycle's evidence never loses a row. ``tests/core/test_admin.py`` checks every registered
model against these rules.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyMixin:
    """Viewable, never added, changed or deleted through the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A read-only admin for records that change only through imports or services."""


class ReadOnlyHistoryAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read-only, with the audit history of a model that has one."""


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


class AuditedAdmin(SimpleHistoryAdmin):
    """Editable reference data: every change is a history row naming the admin; no deletes."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    """Django's own record of every admin add, change and delete, for whoever audits admins."""

    list_display = ("action_time", "user", "content_type", "object_repr", "action_flag")
    list_filter = ("action_flag", "content_type")
    search_fields = ("object_repr", "change_message", "user__username")
    list_select_related = ("user", "content_type")
    date_hierarchy = "action_time"
