from celery import shared_task


@shared_task(name="exports.run_export")
def run_export(job_id: int) -> None:
    """Build an export file (takes the job id; running it twice does no harm)."""
    from selfscan.exports.services import run_job

    run_job(job_id)


@shared_task(name="exports.delete_old_jobs")
def delete_old_jobs() -> dict[str, int]:
    """Daily (beat): delete old finished, failed and stuck export jobs (idempotent)."""
    from selfscan.exports.services import delete_old_jobs as delete

    result = delete()
    return {"done": result.done, "failed": result.failed, "stuck": result.stuck}
