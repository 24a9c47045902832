"""Daily schedule: yesterday's partition, once the day is over (UTC)."""

from datetime import timedelta

import dagster as dg

from etl.defs.automation.jobs import daily_lake_job


@dg.schedule(
    job=daily_lake_job,
    cron_schedule="30 0 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="At 00:30 UTC: refresh the manifest and rebuild the previous day's lake partition.",
)
def daily_lake_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    day = (context.scheduled_execution_time - timedelta(days=1)).date().isoformat()
    return dg.RunRequest(run_key=f"daily-{day}", partition_key=day, tags={"etl/trigger": "schedule"})
