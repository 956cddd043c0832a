"""The holiday calendar in the database: one row per year whose schedule is loaded (from the
State Council's notice, the ``chinese-calendar`` package or an administrator), and one row
per day of it that is not ordinary (a holiday, a rest day of a holiday period or a make-up
working day). Registered with Django through ``contracts.models``."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from contracts.rules.calendar.law import Festival, statutory_days
from contracts.rules.calendar.schedule import ScheduleDayKind, ScheduleSource


class HolidayYear(models.Model):
    """A year's schedule and where it comes from: a notice has its title, number and date."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=16, choices=ScheduleSource.choices)
    notice_title = models.CharField(_("notice title"), max_length=255, blank=True)
    notice_number = models.CharField(_("notice number"), max_length=64, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("holiday schedule of a year")
        verbose_name_plural = _("holiday schedules")

    def __str__(self):
        return str(self.year)

    @property
    def provisional(self) -> bool:
        """Only the law is known: the bridging and make-up working days are not."""
        return self.source == ScheduleSource.LAW

    def clean(self):
        if self.source == ScheduleSource.NOTICE and not (self.notice_title and self.notice_number):
            raise ValidationError(_("A State Council notice needs its title and number."))


class HolidayDay(models.Model):
    year = models.ForeignKey(HolidayYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ScheduleDayKind.choices)
    festival = models.CharField(_("holiday"), max_length=32, choices=Festival.choices)
    source = models.CharField(_("source"), max_length=16, choices=ScheduleSource.choices)

    class Meta:
        ordering = ["date"]
        verbose_name = _("day of the holiday schedule")
        verbose_name_plural = _("days of the holiday schedule")

    def __str__(self):
        return f"{self.date.isoformat()} {self.get_kind_display()}"

    def clean(self):
        # Called after the field checks even when they failed: the date may be missing.
        if getattr(self, "date", None) is None or self.year_id is None:
            return
        if self.date.year != self.year.year:
            raise ValidationError({"date": _("The day must lie in the schedule's year.")})
        if self.kind == ScheduleDayKind.WORKDAY:
            if self.date in statutory_days(self.date.year):
                raise ValidationError({"kind": _("A statutory holiday cannot be a working day.")})
            if self.date.weekday() < 5:
                raise ValidationError({"kind": _("A make-up working day is a Saturday or a Sunday.")})
