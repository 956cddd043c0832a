"""The columnar copy of an accepted payroll (SPEC §3): kept beside the upload as Parquet, read
back with the same values and dtypes."""

from pathlib import Path

import pandas as pd

from contracts.compliance.parsing import parse_payroll
from contracts.compliance.storage import payroll_frame_path, payroll_frame_read, payroll_frame_write

SAMPLE = Path("/work/shared/data/payroll-sample-gb18030.csv")


def test_an_accepted_frame_is_kept_beside_the_upload_and_read_back_unchanged(tmp_path):
    # given an accepted import
    frame = parse_payroll(SAMPLE, filename=SAMPLE.name).frame
    upload = tmp_path / "imports" / "42.csv"
    # when its frame is written and read back
    path = payroll_frame_write(frame, path=payroll_frame_path(upload))
    again = payroll_frame_read(path)
    # then it is beside the upload with the same values and dtypes, and no temporary file is left
    assert path == tmp_path / "imports" / "42.csv.parquet"
    pd.testing.assert_frame_equal(again, frame)
    assert [p.name for p in path.parent.iterdir()] == ["42.csv.parquet"]
