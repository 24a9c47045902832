"""deploy/backfill.py without a cluster: its parameters, and a launch against a local HTTP server standing in
for the webserver (the mutation itself runs against Dagster's GraphQL schema in test_backfill_fanout.py)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from deploy_support import deploy_backfill_script

script = deploy_backfill_script()


def test_params_name_the_lake_asset_over_the_range():
    params = script.backfill_params("2024-01-01", "2024-01-31")
    assert [p["assetKey"]["path"] for p in params["partitionsByAssets"]] == [["lake", "articles"]]
    assert {json.dumps(p["partitions"]) for p in params["partitionsByAssets"]} == {
        json.dumps({"range": {"start": "2024-01-01", "end": "2024-01-31"}})
    }


@pytest.mark.parametrize(("first", "last"), [("2024-02-30", "2024-03-01"), ("2024-03-02", "2024-03-01")])
def test_bad_ranges_are_refused(first, last):
    with pytest.raises(ValueError):
        script.backfill_params(first, last)


def serve(answer: dict):
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append((self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
            body = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


def test_launch_posts_the_mutation_and_returns_the_backfill_id():
    ok = {"data": {"launchPartitionBackfill": {"__typename": "LaunchBackfillSuccess", "backfillId": "abc"}}}
    server, seen = serve(ok)
    try:
        url = f"http://127.0.0.1:{server.server_port}/"
        assert script.launch(url, "2024-01-01", "2024-01-02") == "abc"
    finally:
        server.shutdown()
    ((path, request),) = seen
    assert path == "/graphql" and request["query"] == script.MUTATION
    assert request["variables"]["params"] == script.backfill_params("2024-01-01", "2024-01-02")


def test_a_refusal_exits_1_with_the_servers_message(capsys):
    refused = {"data": {"launchPartitionBackfill": {"__typename": "PythonError", "message": "boom"}}}
    server, _ = serve(refused)
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        assert script.main(["2024-01-01", "2024-01-02", "--url", url]) == 1
    finally:
        server.shutdown()
    assert "PythonError: boom" in capsys.readouterr().err
