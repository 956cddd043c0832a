"""The outbox in the admin: failed e-mails are filtered out and sent again from there."""

import pytest

from notifications.models import Delivery, DeliveryStatus, Level
from notifications.services import alert_raise
from notifications.tasks import send_delivery
from tests.factories import UserFactory
from tests.notifications.conftest import breach_context

pytestmark = pytest.mark.django_db


def test_an_admin_queues_failed_deliveries_again_and_leaves_sent_ones(
    admin_client, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(send_delivery, "delay", queued.append)
    users = [UserFactory(), UserFactory()]
    alert_raise(
        recipients=[u.pk for u in users],
        level=Level.BREACH,
        template="breach_found",
        context=breach_context(),
        dedup_key="breach:1",
    )
    failed, sent = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk=failed.pk).update(status=DeliveryStatus.FAILED, attempts=9, last_error="451 busy")
    Delivery.objects.filter(pk=sent.pk).update(status=DeliveryStatus.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/notifications/delivery/",
            {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    assert response.status_code == 200
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.PENDING, 0)
    assert sent.status == DeliveryStatus.SENT
    assert queued == [failed.pk]
