"""The admin page of a year's holiday schedule (registered from ``contracts.admin``).

An administrator may enter a year's notice by hand, or correct a day; every day changed here
is marked as an administrator's entry, and the deadlines read the calendar anew."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from contracts.rules.calendar.models import HolidayDay, HolidayYear
from contracts.rules.calendar.schedule import ScheduleSource
from contracts.rules.calendar.store import calendar_changed

WEEKDAYS = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))


class HolidayDayInline(admin.TabularInline):
    model = HolidayDay
    extra = 0
    fields = ["date", "weekday", "kind", "festival", "source"]
    readonly_fields = ["weekday", "source"]
    ordering = ["date"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return WEEKDAYS[obj.date.weekday()] if obj.date else ""


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "provisional", "notice_number", "published_on", "day_count", "loaded_at"]
    list_filter = ["source"]
    fields = ["year", "source", "notice_title", "notice_number", "published_on", "loaded_at"]
    readonly_fields = ["loaded_at"]
    inlines = [HolidayDayInline]

    @admin.display(description=_("provisional"), boolean=True)
    def provisional(self, obj):
        return obj.provisional

    @admin.display(description=_("days listed"))
    def day_count(self, obj):
        return obj.days.count()

    def save_formset(self, request, form, formset, change):
        for day_form in formset.forms:
            if day_form.has_changed() and day_form.instance is not None:
                day_form.instance.source = ScheduleSource.ADMIN
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        calendar_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        calendar_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        calendar_changed()


@admin.register(HolidayDay)
class HolidayDayAdmin(admin.ModelAdmin):
    """Every day of every schedule, to find one; a day edited here is an administrator's entry."""

    list_display = ["date", "weekday", "kind", "festival", "source", "year"]
    list_filter = ["kind", "festival", "source", "year"]
    date_hierarchy = "date"
    fields = ["year", "date", "kind", "festival", "source"]
    readonly_fields = ["source"]
    list_select_related = ["year"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return WEEKDAYS[obj.date.weekday()]

    def save_model(self, request, obj, form, change):
        obj.source = ScheduleSource.ADMIN
        super().save_model(request, obj, form, change)
        calendar_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        calendar_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        calendar_changed()
