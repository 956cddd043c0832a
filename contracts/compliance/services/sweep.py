"""Work a lost worker or broker left behind: imports, runs and documents waiting since their
message was lost, or held under a lease that ran out (config/leases.py), are queued again. Each
task claims its row before it works, so queuing one too many costs nothing."""

from config.queue import enqueue
from contracts.compliance.services.imports import IMPORTS
from contracts.compliance.services.runs import RUNS
from contracts.services.documents import DOCUMENTS


def compliance_work_requeue() -> dict[str, int]:
    """Queue again every import, run and document that no live worker holds and no message will bring."""
    imports, runs, documents = IMPORTS.lost(), RUNS.lost(), DOCUMENTS.lost()
    for payroll_id in imports:
        enqueue("contracts.import_payroll", payroll_id)
    for run_id in runs:
        enqueue("contracts.run_compliance", run_id)
    for document_id in documents:
        enqueue("contracts.render_document", document_id)
    return {"imports": len(imports), "runs": len(runs), "documents": len(documents)}
