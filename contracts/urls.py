from contracts.compliance import pages as compliance_pages
from contracts.pages import congress, documents, versions
from contracts.pages import contracts as contract_pages

app_name = "contracts"

urlpatterns = [
    *contract_pages.urlpatterns,
    *versions.urlpatterns,
    *documents.urlpatterns,
    *compliance_pages.urlpatterns,
    *congress.urlpatterns,
]
