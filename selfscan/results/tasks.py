from celery import shared_task


@shared_task(name="results.compute_round_results")
def compute_round_results(round_id: int) -> None:
    """Compute and store a round's aggregates if they are not current. Idempotent."""
    from selfscan.rounds.models import Round

    from .services import compute_now

    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is not None:
        compute_now(round_)
