"""`ctlake insights export DIR`: CloudTrail's S3 layout, gzip content, stable names."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson

from ctlake.ingest import ingest
from ctlake.insights.export import export
from ctlake.lake import Lake, reader
from tests.conftest import WriteFile, make_record
from tests.insights.conftest import CALL, ERROR, create_insight_tables, run


def exported(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_export_writes_one_gzip_file_per_account_region_and_delivery_window(
    insight_lake: Lake, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run(insight_lake, "insights", "export", str(out))
    assert result.exit_code == 0, result.output
    assert "exported 4 records in 3 files" in result.stderr
    names = exported(out)
    assert len(names) == 3
    assert names[0].startswith(
        "CloudTrail-Insight/us-east-1/2024/05/01/"
        "111122223333_CloudTrail-Insight_us-east-1_20240501T1200Z_"
    )
    assert names[2].startswith(
        "CloudTrail-Insight/us-west-2/2024/05/02/"
        "444455556666_CloudTrail-Insight_us-west-2_20240502T0310Z_"
    )
    assert all(len(n.rsplit("_", 1)[1]) == len("0123456789abcdef.json.gz") for n in names)


def test_each_file_holds_the_records_of_its_window(insight_lake: Lake, tmp_path: Path) -> None:
    summary = export(insight_lake, tmp_path / "out")
    last = sorted(summary.paths)[-1]
    body = orjson.loads(gzip.decompress(last.read_bytes()))
    assert [r["eventID"] for r in body["Records"]] == [ERROR["start_id"], ERROR["end_id"]]


def test_exporting_again_overwrites_the_same_files_byte_for_byte(
    insight_lake: Lake, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    export(insight_lake, out)
    first = {name: (out / name).read_bytes() for name in exported(out)}
    export(insight_lake, out)
    assert {name: (out / name).read_bytes() for name in exported(out)} == first


def test_exported_files_ingest_back_as_aws_insights(insight_lake: Lake, tmp_path: Path) -> None:
    export(insight_lake, tmp_path / "out")
    other = Lake(tmp_path / "other")
    summary = ingest(other, [str(tmp_path / "out")])
    assert summary.insights == 4
    con = reader.connect(other)
    ids = sorted(row[0] for row in con.execute("SELECT eventID FROM aws_insights").fetchall())
    con.close()
    assert ids == sorted([CALL["start_id"], CALL["end_id"], ERROR["start_id"], ERROR["end_id"]])


def test_a_window_with_no_insight_any_more_loses_its_file_but_foreign_files_stay(
    lake: Lake, write_records: WriteFile, tmp_path: Path
) -> None:
    ingest(lake, [str(write_records("a.json", [make_record(1)]))])
    create_insight_tables(lake, [CALL, ERROR])
    out = tmp_path / "out"
    export(lake, out)
    aws_name = "444455556666_CloudTrail-Insight_us-west-2_20240502T0310Z_Mu0KsOhtH1ar15ZZ.json.gz"
    foreign = out / "CloudTrail-Insight/us-west-2/2024/05/02" / aws_name
    foreign.write_bytes(b"delivered by AWS")
    create_insight_tables(lake, [CALL])  # the models no longer find ERROR
    summary = export(lake, out)
    assert [p.name.split("_")[0] for p in summary.removed] == ["444455556666"]
    assert sorted(p.name for p in out.rglob("*.json.gz")) == sorted(
        [aws_name, *(p.name for p in summary.paths)]
    )
