"""End to end: the Dagster webserver on 127.0.0.1, a partition run launched over GraphQL, its row count read
back over GraphQL and compared with the Parquet file."""

from __future__ import annotations

import os
import time

import dagster as dg
import pyarrow.parquet as pq
import pytest
from dagster_graphql import DagsterGraphQLClient
from dagster_server import dagster_server

from etl.lake.build import partition_file
from etl.settings import PROJECT_ROOT
from etl.synth import generate

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("webserver"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:gql"),
]

DAY = "2024-03-02"
MATERIALIZATION = """
query ($key: AssetKeyInput!, $partition: String!) {
  assetOrError(assetKey: $key) {
    ... on Asset {
      assetMaterializations(partitions: [$partition], limit: 1) {
        partition
        runId
        metadataEntries { label ... on IntMetadataEntry { intValue } }
      }
    }
  }
}
"""


@pytest.fixture
def webserver(tmp_path):
    home, raw = tmp_path / "dagster_home", tmp_path / "raw"
    home.mkdir()
    # Runs launch at once: the project's queue needs the daemon, and the daemon would also start the sensors.
    (home / "dagster.yaml").write_text(
        "run_coordinator:\n  module: dagster.core.run_coordinator\n  class: DefaultRunCoordinator\n"
        "telemetry:\n  enabled: false\n"
    )
    generate(raw, articles=60, days=3, start="2024-03-01", seed=5, keep_truth=False)
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "ETL_RAW_DIR": str(raw),
        "ETL_LAKE_DIR": str(tmp_path / "lake"),
        "ETL_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
        "ETL_REPORTS_DIR": str(tmp_path / "reports"),
    }
    log = tmp_path / "webserver.log"
    command = [str(PROJECT_ROOT / ".venv/bin/dagster-webserver"), "-w", "workspace.yaml", "-h", "127.0.0.1"]
    with dagster_server(command, env, log, timeout_s=120) as port:
        yield port, tmp_path / "lake", log, home


def test_partition_run_over_graphql(webserver):
    port, lake, log, home = webserver
    client = DagsterGraphQLClient("127.0.0.1", port_number=port)
    with dg.DagsterInstance.from_config(str(home)) as instance:  # a day with articles: the sensor's work
        instance.add_dynamic_partitions("pub_date", [DAY])
    run_id = client.submit_job_execution("daily_lake_job", tags={"dagster/partition": DAY})
    deadline = time.monotonic() + 180
    status = None
    while time.monotonic() < deadline:
        status = client.get_run_status(run_id).value
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            break
        time.sleep(1)
    assert status == "SUCCESS", log.read_text()[-3000:]

    data = client._execute(MATERIALIZATION, {"key": {"path": ["lake", "articles"]}, "partition": DAY})
    (mat,) = data["assetOrError"]["assetMaterializations"]
    assert (mat["partition"], mat["runId"]) == (DAY, run_id)
    row_count = {e["label"]: e.get("intValue") for e in mat["metadataEntries"]}["dagster/row_count"]
    assert row_count == pq.read_metadata(partition_file(lake, "articles", DAY)).num_rows > 0
