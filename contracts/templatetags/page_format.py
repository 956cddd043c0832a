"""Template helpers every page uses: between a label and its value, a colon in the reader's
language (the full-width "：" in Chinese), the same one the e-mails use."""

from django import template

from notifications.templatetags.notification_format import sep

register = template.Library()
register.simple_tag(sep, name="sep")
