"""What notifications tells the rest of the service, without knowing who listens."""

from django.dispatch import Signal

# Sent once an alert has reached its recipient by e-mail (at once or in a digest), with
# ``alert``. Sent after the delivery is recorded as sent; the sweep sends it again if the
# worker died in between, so receivers must be safe to run twice.
alert_delivered = Signal()
