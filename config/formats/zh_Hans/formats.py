"""Chinese number format as amounts are written on payslips, contracts and bank statements:
grouped by thousands with a comma (2,850 元; 1,234.56元). Django's own zh_Hans format leaves
numbers ungrouped (its grouping is by 万 with no separator). Dates and times stay Django's."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
