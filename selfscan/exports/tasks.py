from celery import shared_task


@shared_task(name="exports.run_export")
def run_export(job_id: int) -> None:
    """Build an export file (takes the job id; running it twice does no harm)."""
    from selfscan.exports.services import run_job

    run_job(job_id)
