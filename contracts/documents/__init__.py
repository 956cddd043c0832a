"""Generated documents: the collective contract, minutes of a round, the congress
resolution and the rectification notice, as .docx (and PDF where LibreOffice is).

- ``templates`` builds the .docx templates in ``templates/docx/`` with python-docx,
  so they are reproducible and reviewed as code;
- ``context`` turns models into plain dicts (strings and lists) in one language; what it
  needs from other rooms comes as plain records they register at start-up
  (``negotiation_records`` from bargaining, ``breach_records`` from compliance);
- ``render`` is pure: (template, context) → .docx bytes;
- ``pdf`` converts .docx bytes to PDF with LibreOffice;
- ``contracts.services.documents`` stores the file and its record, and
  ``contracts.tasks.render_document`` runs it in the worker.
"""
