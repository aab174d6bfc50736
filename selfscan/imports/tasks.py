from celery import shared_task


@shared_task(name="imports.check_upload")
def check_upload(import_id: int) -> None:
    """The dry run of a kept upload (takes the record's id; running it twice does no harm)."""
    from selfscan.imports.jobs import run_check

    run_check(import_id)


@shared_task(name="imports.apply_upload")
def apply_upload(import_id: int) -> None:
    """Apply a confirmed upload, checked again (takes the record's id; applies at most once)."""
    from selfscan.imports.jobs import run_apply

    run_apply(import_id)
