"""PDF from .docx with LibreOffice, where it is installed.

Each conversion gets its own temporary profile (``-env:UserInstallation``): two
conversions sharing a profile collide on its lock file, and a profile left
behind by a killed run can stall the next one. LibreOffice runs in its own
process group so a timeout kills the whole tree (``soffice`` starts
``soffice.bin`` as a child).
"""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

DEFAULT_TIMEOUT = 120  # seconds; a cold start with a fresh profile takes a few


class PdfUnavailable(Exception):
    """LibreOffice is not installed here."""


class PdfConversionFailed(Exception):
    """LibreOffice ran but gave no PDF (an error or a timeout)."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice_path() is not None


def docx_to_pdf(docx: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The PDF of ``docx``; ``PdfUnavailable`` without LibreOffice, ``PdfConversionFailed`` on failure."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="concord-pdf-") as work:
        work_dir = Path(work)
        profile, out_dir = work_dir / "profile", work_dir / "out"
        out_dir.mkdir()
        source = work_dir / "document.docx"
        source.write_bytes(docx)
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(source),
        ]
        process = subprocess.Popen(  # noqa: S603 - a fixed command on a file we wrote
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env={**os.environ, "HOME": str(work_dir)},
        )
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfConversionFailed(f"LibreOffice took longer than {timeout} s") from None
        target = out_dir / "document.pdf"
        if process.returncode != 0 or not target.exists():
            message = err.decode("utf-8", "replace").strip()[-500:]
            raise PdfConversionFailed(f"LibreOffice exited with {process.returncode}: {message}")
        return target.read_bytes()
