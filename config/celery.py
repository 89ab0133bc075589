import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
app = Celery("kaopei")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# With a broker, `celery -A config beat` removes uploads past retention every night (the demo,
# without a broker, does it after each import instead).
if os.environ.get("REDIS_URL"):
    app.conf.beat_schedule = {
        "purge-uploads": {
            "task": "kaopei.imports.tasks.purge_uploads",
            "schedule": crontab(hour=3, minute=30),
        }
    }
