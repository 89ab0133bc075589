from celery import shared_task


@shared_task(acks_late=True)
def run_job(job_id: int) -> None:
    """Adapter: load the job and run it (STYLE.md item 7)."""
    from kaopei.core.jobs import job_run

    job_run(job_id=job_id)
