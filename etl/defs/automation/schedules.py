"""Daily schedule: yesterday's partition, once the day is over (UTC)."""

from datetime import timedelta

import dagster as dg

from etl.defs.automation.jobs import daily_lake_job
from etl.defs.partitions import PUB_DATE


@dg.schedule(
    job=daily_lake_job,
    cron_schedule="30 0 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="At 00:30 UTC: refresh the manifest and rebuild the previous day's lake partition.",
)
def daily_lake_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
    day = (context.scheduled_execution_time - timedelta(days=1)).date().isoformat()
    if not context.instance.has_dynamic_partition(PUB_DATE, day):
        # Partitions are the days with articles: the raw folder sensor adds the day when its files arrive.
        return dg.SkipReason(f"no article dated {day} has been seen, so {day} is no lake partition")
    return dg.RunRequest(run_key=f"daily-{day}", partition_key=day, tags={"etl/trigger": "schedule"})
