"""Payroll imports: the upload is kept byte for byte, checked all-or-nothing, and an
accepted one is stored as a columnar copy that compliance runs read."""

import hashlib
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.leases import LeasedWork
from config.private_files import payroll_columnar_upload_to
from config.queue import enqueue_on_commit
from contracts.compliance.models import ImportStatus, PayrollImport
from contracts.compliance.parsing import parse_payroll
from contracts.compliance.services.runs import (
    compliance_check,
    compliance_run_execute,
    compliance_run_start,
    contract_periods,
)
from contracts.compliance.storage import payroll_frame_write
from contracts.enterprises.access import require_role
from contracts.enterprises.models import Enterprise, Role
from contracts.errors import PayrollFileTooLarge
from contracts.models import ContractStatus

logger = logging.getLogger(__name__)

PAYROLL_ROLES = {Role.UNION_LEADER, Role.UNION_NEGOTIATOR, Role.EMPLOYER_NEGOTIATOR, Role.ADMIN}


@transaction.atomic
def payroll_import_upload(*, user, enterprise: Enterprise, upload: UploadedFile) -> PayrollImport:
    """Keep the uploaded file and queue its import; a file over the size limit is refused before parsing."""
    require_role(
        user=user,
        enterprise=enterprise,
        roles=PAYROLL_ROLES,
        message=_("Only union leaders, negotiators and administrators of this enterprise may upload payroll."),
    )
    assert upload.size is not None and upload.name is not None  # an uploaded file has both
    limit = settings.PAYROLL_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise PayrollFileTooLarge(
            _("The file is %(size)s MB; at most %(limit)s MB can be imported at once.")
            % {"size": round(upload.size / 2**20, 1), "limit": round(limit / 2**20, 1)},
            extra={"size": upload.size, "limit": limit},
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    payroll = PayrollImport(
        enterprise=enterprise,
        original_name=upload.name[:255],
        size=upload.size,
        checksum=digest.hexdigest(),
        uploaded_by=user,
    )
    payroll.file.save(upload.name, upload, save=False)
    payroll.save()
    # The row is what counts: a broker that refuses the message is logged, and the sweep queues it.
    enqueue_on_commit("contracts.import_payroll", payroll.pk, robust=True)
    return payroll


# An import is leased work (config/leases.py): its lease is renewed as it makes progress.
IMPORTS = LeasedWork(PayrollImport, waiting=ImportStatus.PENDING, working=ImportStatus.PROCESSING)


def payroll_import_process(*, payroll_id: int) -> PayrollImport | None:
    """Parse and validate the kept upload; accept it whole (and store its columnar copy) or
    reject it whole with every problem. Safe to run twice: only a pending import, or one whose
    worker's lease ran out, is processed."""
    if not IMPORTS.claim(payroll_id, progress=5):
        return PayrollImport.objects.filter(pk=payroll_id).first()
    payroll = PayrollImport.objects.select_related("enterprise").get(pk=payroll_id)
    result = parse_payroll(payroll.file.path, filename=payroll.original_name)
    IMPORTS.renew(payroll_id, progress=60)
    # An unguessable name beside the upload's (config/private_files.py), never served as media.
    target = Path(settings.MEDIA_ROOT) / payroll_columnar_upload_to(payroll, "")
    checked = {}
    if result.frame is not None:  # accepted
        # The columnar copy is written on a thread (Arrow releases the GIL) while the rows, still
        # in memory, are checked against the contracts in effect; nothing is stored before both end.
        with ThreadPoolExecutor(max_workers=1) as pool:
            written = pool.submit(payroll_frame_write, result.frame, path=target)
            checked = {
                contract.pk: compliance_check(contract=contract, payroll=result.frame)
                for contract in _contracts_to_check(payroll.enterprise, result.periods)
            }
            written.result()
    with transaction.atomic():
        payroll = PayrollImport.objects.select_for_update().get(pk=payroll_id)
        if payroll.status != ImportStatus.PROCESSING:
            return payroll
        payroll.encoding = result.encoding or ""
        payroll.problems = result.problems
        payroll.problem_count = result.problem_count
        payroll.row_count = result.row_count
        payroll.periods = result.periods
        if result.accepted:
            payroll.columnar.name = str(target.relative_to(settings.MEDIA_ROOT))
            payroll.status = ImportStatus.ACCEPTED
        else:
            payroll.status = ImportStatus.REJECTED
        payroll.progress, payroll.lease_until = 100, None
        payroll.finished_at = timezone.now()
        payroll.save()
        runs = _start_runs_for(payroll) if payroll.status == ImportStatus.ACCEPTED else []
    # Record what the checks found. The runs are queued too, so a failure here is taken up by
    # the run task; a finished run is left alone.
    for run in runs:
        try:
            compliance_run_execute(run_id=run.pk, payroll=result.frame, checked=checked.get(run.contract_id))
        except Exception:
            logger.exception(
                "compliance run %s after import %s failed; its queued task runs it once more", run.pk, payroll_id
            )
    return payroll


def _contracts_to_check(enterprise: Enterprise, periods: list[str]) -> list:
    """The contracts of the enterprise that are or were in effect in any of ``periods``."""
    wanted = set(periods)
    return [
        contract
        for contract in enterprise.contracts.select_related("enterprise").filter(
            status__in=[ContractStatus.EFFECTIVE, ContractStatus.EXPIRED]
        )
        if wanted & contract_periods(contract)
    ]


def _start_runs_for(payroll: PayrollImport) -> list:
    """A new payroll import of an enterprise with contracts in effect in its periods starts their checks."""
    return [
        compliance_run_start(user=None, contract=contract, payroll_import=payroll)
        for contract in _contracts_to_check(payroll.enterprise, payroll.periods)
    ]
