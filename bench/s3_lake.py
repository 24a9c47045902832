"""Bench (run by hand, not collected by pytest): `etl run` with the lake in a local folder against the lake on
S3 (a moto server started here on 127.0.0.1), on the same synthetic raw files, alternating, N rounds.

    .venv/bin/python bench/s3_lake.py [--articles 1400] [--days 45] [--rounds 2] [--out /tmp/bench_s3]

Prints, per round and side, the wall time of a first run (manifest + lake + warehouse) and of a rerun with
nothing new, with the number of S3 requests each made (counted from the server's access log). moto answers
from memory on the same machine, so a real object store adds its round-trip time to every request.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def requests_logged(log: Path) -> int:
    return sum(1 for line in log.read_text(errors="replace").splitlines() if "HTTP/1.1" in line)


def etl_run(out: Path, env: dict, name: str, lake: str) -> tuple[float, list[str]]:
    home = out / f"home_{name}"
    home.mkdir(exist_ok=True)
    shutil.copy(ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    env = {
        **env,
        "DAGSTER_HOME": str(home),
        "ETL_RAW_DIR": str(out / "raw"),
        "ETL_LAKE_DIR": lake,
        "ETL_WAREHOUSE": str(out / f"warehouse_{name}.duckdb"),
        "ETL_REPORTS_DIR": str(out / f"reports_{name}"),
    }
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "etl.cli", "run", "--no-sample"],
        env=env,
        capture_output=True,
        text=True,
        cwd=out,
    )
    wall = time.perf_counter() - began
    if done.returncode:
        raise SystemExit(f"etl run ({name}) failed:\n{done.stderr[-4000:]}")
    return wall, [line for line in done.stderr.splitlines() if "succeeded in" in line]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1400)
    parser.add_argument("--days", type=int, default=45)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", default="/tmp/bench_s3")
    args = parser.parse_args()
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    port, log = free_port(), out / "moto.log"
    with open(log, "w") as sink:
        server = subprocess.Popen(
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], stdout=sink, stderr=sink
        )
    try:
        env = {
            **os.environ,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        }
        os.environ.update(env)
        import boto3

        for _ in range(100):
            try:
                boto3.client("s3").create_bucket(Bucket="bench")
                break
            except Exception:  # the server is still starting
                time.sleep(0.1)
        from etl.synth import generate

        sample = generate(out / "raw", articles=args.articles, days=args.days, keep_truth=False)
        print(sample.line(), flush=True)
        for rnd in range(args.rounds):
            for side in ("local", "s3"):
                lake = (
                    str(out / f"lake_{rnd}") if side == "local" else f"s3://bench/{uuid.uuid4().hex[:8]}/lake"
                )
                name = f"{side}{rnd}"
                n0 = requests_logged(log)
                first, steps = etl_run(out, env, name, lake)
                n1 = requests_logged(log)
                again, _ = etl_run(out, env, name, lake)
                n2 = requests_logged(log)
                print(
                    f"round {rnd} {side:5}: first run {first:6.1f} s ({n1 - n0:,} S3 requests); "
                    f"rerun with nothing new {again:5.1f} s ({n2 - n1:,} S3 requests)",
                    flush=True,
                )
                for line in steps:
                    print(f"    {line.removeprefix('etl run:').strip()}", flush=True)
    finally:
        server.terminate()
        server.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
