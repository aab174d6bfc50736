from celery import shared_task


@shared_task(name="organisations.check_register_upload")
def check_register_upload(upload_id: int) -> None:
    """The dry run of a kept register file (takes the record's id; running it twice does no
    harm)."""
    from selfscan.organisations.jobs import run_check

    run_check(upload_id)
