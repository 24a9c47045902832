"""Launch a lake backfill over a day range through the Dagster webserver's GraphQL API: what the UI's
"Materialize → partition range → Launch backfill" does, so the lake's backfill policy applies (runs of
ETL_BACKFILL_PARTITIONS_PER_RUN days). Standard library only: runs from any machine that reaches the UI.

    kubectl -n news-warehouse port-forward svc/news-warehouse-dagster-webserver 3000:80 &
    python deploy/backfill.py 2024-01-01 2024-12-31 --url http://localhost:3000
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from datetime import date

LAKE_ASSETS = (["lake", "articles"],)  # the one lake asset: each partition writes both lake tables

MUTATION = """
mutation LaunchLakeBackfill($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on Error { message }
  }
}
"""


def backfill_params(first_day: str, last_day: str) -> dict:
    for day in (first_day, last_day):
        date.fromisoformat(day)  # ValueError names the bad day
    if last_day < first_day:
        raise ValueError(f"the range ends ({last_day}) before it starts ({first_day})")
    return {
        "partitionsByAssets": [
            {"assetKey": {"path": path}, "partitions": {"range": {"start": first_day, "end": last_day}}}
            for path in LAKE_ASSETS
        ],
        "title": f"lake {first_day} … {last_day}",
    }


def launch(url: str, first_day: str, last_day: str) -> str:
    """The new backfill's id; RuntimeError with the server's message when it refuses."""
    body = json.dumps({"query": MUTATION, "variables": {"params": backfill_params(first_day, last_day)}})
    request = urllib.request.Request(
        url.rstrip("/") + "/graphql", data=body.encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    return backfill_id(answer)


def backfill_id(answer: dict) -> str:
    if answer.get("errors"):
        raise RuntimeError(f"GraphQL errors: {answer['errors']}")
    result = answer["data"]["launchPartitionBackfill"]
    if result["__typename"] != "LaunchBackfillSuccess":
        raise RuntimeError(f"{result['__typename']}: {result.get('message', '')}")
    return result["backfillId"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first_day", help="first partition, YYYY-MM-DD")
    parser.add_argument("last_day", help="last partition, YYYY-MM-DD (included)")
    parser.add_argument("--url", default="http://localhost:3000", help="the Dagster webserver")
    args = parser.parse_args(argv)
    try:
        print(launch(args.url, args.first_day, args.last_day))
    except (ValueError, RuntimeError, OSError) as exc:
        print(f"backfill: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
