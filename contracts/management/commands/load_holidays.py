"""Load the holiday calendar into the database (R16, R18).

Without arguments: every year the installed ``chinese-calendar`` package knows (a year that
already has a State Council notice or an administrator's entries is kept as it is).
``--notice FILE``: a year's State Council notice from a small JSON or CSV file (the format is
in ``contracts/rules/calendar/notice.py`` and the README); all or nothing.
``--law YEAR``: write a year's statutory days from the law, to edit it in the admin.
Loading what is already there changes nothing and says so."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from contracts.rules.calendar.notice import HolidayNoticeInvalid, notice_read
from contracts.rules.calendar.package import package_version, package_years
from contracts.rules.calendar.services import (
    OUTCOME_LABELS,
    LoadOutcome,
    LoadResult,
    holiday_law_load,
    holiday_notice_load,
    holiday_package_load,
)


class Command(BaseCommand):
    help = "Load the holiday calendar: the chinese-calendar package's years, or a State Council notice file."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--notice", type=Path, metavar="FILE", help="a notice as a .json or .csv file")
        group.add_argument("--law", type=int, metavar="YEAR", help="a year's statutory days from the law alone")
        parser.add_argument("--year", type=int, action="append", help="with no other option: only this package year")

    def handle(self, *args, notice=None, law=None, year=None, **options):
        self.verbosity = options.get("verbosity", 1)
        if notice is not None:
            self._notice(notice)
        elif law is not None:
            if law in package_years():
                raise CommandError(
                    _("The chinese-calendar package knows %(year)s: load it from there.") % {"year": law}
                )
            self._report(holiday_law_load(year=law))
        else:
            years = year or None
            unknown = sorted(set(years or ()) - set(package_years()))
            if unknown:
                raise CommandError(
                    _("The chinese-calendar package does not know %(years)s.") % {"years": ", ".join(map(str, unknown))}
                )
            self._say(_("chinese-calendar %(version)s") % {"version": package_version()})
            for result in holiday_package_load(years=years):
                self._report(result)

    def _notice(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            notice = notice_read(path)
        except HolidayNoticeInvalid as error:
            lines = [_("%(where)s, field “%(field)s”: %(message)s") % problem for problem in error.extra["problems"]]
            raise CommandError("\n".join([_("The notice file was not loaded:"), *lines])) from error
        result = holiday_notice_load(notice=notice)
        self._say(f"{notice.title} ({notice.number}, {notice.published_on.isoformat()})")
        self._report(result)

    def _report(self, result: LoadResult) -> None:
        line = f"{result.year}: {OUTCOME_LABELS[result.outcome]}"
        if result.changed_days:
            days = ", ".join(day.isoformat() for day in result.changed_days)
            line += " — " + _("the calendar changed on %(days)s") % {"days": days}
        style = (
            self.style.SUCCESS if result.outcome in (LoadOutcome.CREATED, LoadOutcome.UPDATED) else self.style.NOTICE
        )
        self._say(style(line))

    def _say(self, line: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(line)
