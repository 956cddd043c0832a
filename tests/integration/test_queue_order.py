"""Queues by kind of work, with real workers as `make run` starts them (one for imports only,
one for every queue) and a real SMTP server: an uploaded payroll file does not wait behind a
hundred e-mails, and each of those e-mails still goes out exactly once."""

import time
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.compliance.models import ImportStatus, PayrollImport
from contracts.compliance.services.imports import payroll_import_upload
from contracts.enterprises.models import Role
from notifications.models import Delivery, DeliveryStatus
from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory, payroll_csv
from tests.integration.test_notification_outbox import SETTLE, raise_breach, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

EMAILS = 100


def test_an_import_uploaded_while_a_hundred_emails_wait_is_taken_before_them(
    restartable_worker, smtp_server, remove_stored_files
):
    env = {"EMAIL_URL": smtp_server.url, "NOTIFICATIONS_SEND_TIMEOUT": "120"}
    every_queue, imports_only = restartable_worker(**env), restartable_worker(**env)
    every_queue.start()
    imports_only.start(queues="imports")
    # given a mail server that takes the first message and then hangs, so the hundred wait
    smtp_server.handler.stall_at = "DATA"
    readers = [UserFactory(email=f"leader{i}@example.org") for i in range(EMAILS)]
    raise_breach(readers, key="breach:queue-order")
    assert smtp_server.handler.stalled.wait(60), every_queue.log()

    # when a payroll file is uploaded while every e-mail is still to be sent
    enterprise = EnterpriseFactory()
    uploader = UserFactory()
    MembershipFactory(user=uploader, enterprise=enterprise, role=Role.UNION_LEADER)
    payroll = payroll_import_upload(
        user=uploader,
        enterprise=enterprise,
        upload=SimpleUploadedFile("payroll.csv", payroll_csv(("A1", "2026-03", 3000)), content_type="text/csv"),
    )

    # then it is imported before any of them has gone out
    wait_until(
        lambda: PayrollImport.objects.filter(pk=payroll.pk, status=ImportStatus.ACCEPTED).exists(),
        worker=imports_only,
        what="the payroll file was not imported",
    )
    assert not Delivery.objects.filter(status=DeliveryStatus.SENT).exists()

    # and once the mail server answers again, every e-mail goes out, each exactly once
    smtp_server.handler.release.set()
    wait_until(
        lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() == EMAILS,
        worker=every_queue,
        what=f"not all {EMAILS} e-mails were sent",
    )
    time.sleep(SETTLE)
    received = Counter(address for message in smtp_server.received for address in message.rcpt_tos)
    assert received == Counter({user.email: 1 for user in readers})
