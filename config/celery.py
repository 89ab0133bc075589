import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
app = Celery("kaopei")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _bulk_worker(**_kwargs: object) -> None:
    """A worker process runs jobs only: its bulk writers may shorten the GIL switch interval
    (never so in a web process; see kaopei/core/bulk.py)."""
    from kaopei.core.bulk import allow_fast_switching

    allow_fast_switching()


# With a broker, `celery -A config beat` removes uploads past retention every night (the demo,
# without a broker, does it after each import instead).
if os.environ.get("REDIS_URL"):
    app.conf.beat_schedule = {
        "purge-uploads": {
            "task": "kaopei.imports.tasks.purge_uploads",
            "schedule": crontab(hour=3, minute=30),
        },
        # 360 raters who have not answered, from three days before the deadline.
        "feedback-remind": {
            "task": "kaopei.feedback.tasks.feedback_remind",
            "schedule": crontab(hour=9, minute=0),
        },
        # HR hears of new suggestions once a day, never at the moment one is posted.
        "suggestions-digest": {
            "task": "kaopei.feedback.tasks.suggestions_digest",
            "schedule": crontab(hour=8, minute=0),
        },
    }
