"""`sharded_parse_job`: a big parse (a parser version change, the first load of a big archive) spread over
steps, so the multiprocess executor runs them in parallel processes and the k8s executor in parallel pods.

    plan_parse_shards ──► parse_shard[shard_0] ─┐
                      ├─► parse_shard[shard_1] ─┼─► refresh_raw_files (materializes raw_files)
                      └─► parse_shard[…]       ─┘

The first step lists the files the next manifest refresh would parse (etl.lake.manifest.files_to_parse) and
cuts them into `shards` runs of neighbouring files. Each parse step stages its files with the code the
refresh uses (etl.lake.stage.stage_files); the last step is the manifest refresh itself, which finds those
files staged with the size and mtime on disk and parses nothing again. The lake partitions and the warehouse
follow as after any raw_files materialization: the raw_folder_sensor requests the stale days, `etl run`
builds them.
"""

import dagster as dg
from pydantic import Field

from etl.defs.ingest.raw_files import RAW_FILES, manifest_metadata, refresh
from etl.defs.partitions import partition_bounds, register_days
from etl.defs.resources import PathsResource, setting_default
from etl.lake.manifest import files_to_parse
from etl.lake.plan import days_with_articles
from etl.lake.stage import split_into_shards, stage_files

SHARDED_PARSE_JOB = "sharded_parse_job"


class ShardsConfig(dg.Config):
    shards: int = Field(
        default=setting_default("parse_shards"),
        ge=1,
        description="Parse steps to cut the files into (each a process, or a pod on Kubernetes). "
        "Default: ETL_PARSE_SHARDS.",
    )


@dg.op(out=dg.DynamicOut(list), description="List the files to parse and cut them into shards.")
def plan_parse_shards(context: dg.OpExecutionContext, config: ShardsConfig, paths: PathsResource):
    start, _ = partition_bounds()
    files = files_to_parse(paths.raw_dir, paths.lake_dir, start)
    shards = split_into_shards(files, config.shards)
    context.log.info(f"{len(files):,} file(s) to parse, in {len(shards)} shard(s) of {config.shards} asked")
    for number, shard in enumerate(shards):
        yield dg.DynamicOutput(shard, mapping_key=f"shard_{number}")


@dg.op(description="Read, hash and parse one shard of files; stage their rows for the manifest refresh.")
def parse_shard(context: dg.OpExecutionContext, paths: PathsResource, files: list) -> dict:
    staged = stage_files(paths.raw_dir, paths.lake_dir, files, progress=context.log.info)
    outcome = {
        "files": len(files),
        "staged": staged.rows.num_rows if staged.rows is not None else 0,
        "vanished": len(staged.vanished),
        "parse_cpu_seconds": round(staged.cpu_s, 2),
    }
    context.log.info(f"shard {context.get_mapping_key()}: {outcome}")
    return outcome


@dg.op(description="Refresh the manifest from the staged rows (no file is parsed twice): raw_files.")
def refresh_raw_files(context: dg.OpExecutionContext, paths: PathsResource, shards: list) -> None:
    diff, manifest = refresh(paths, context.log)
    context.log.info(
        f"{len(shards)} shard(s) parsed {sum(s['files'] for s in shards):,} file(s); the refresh took "
        f"{diff.reused:,} of them from the staging and parsed {diff.hashed - diff.reused:,} itself"
    )
    register_days(context.instance, days_with_articles(manifest))
    metadata = manifest_metadata(diff, manifest, paths.lake_dir)
    metadata["parse_shards"] = dg.MetadataValue.int(len(shards))
    metadata["files_from_shards"] = dg.MetadataValue.int(diff.reused)
    context.log_event(dg.AssetMaterialization(asset_key=RAW_FILES, metadata=metadata))


@dg.job(
    name=SHARDED_PARSE_JOB,
    description="A full re-parse spread over parallel steps (a parser version change, a first load): "
    "lists the files to parse, parses them in `shards` steps, then refreshes raw_files from the staged "
    "rows. Lake partitions follow as after any raw_files run (raw_folder_sensor, `etl run`).",
    tags={"etl/kind": "sharded_parse"},
)
def sharded_parse_job():
    refresh_raw_files(plan_parse_shards().map(parse_shard).collect())
