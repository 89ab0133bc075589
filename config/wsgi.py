"""The WSGI application (gunicorn config.wsgi; docs/deploy.md).

In production, static files are served from ``collectstatic``'s hashed copies. Without
them every page would be a 500 (its ``{% static %}`` tags have no manifest entry), so the
application refuses to start instead, saying what to run. ``kaopei serve`` runs the
steps (migrate, collectstatic) itself before it starts gunicorn.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _require_collected_static() -> None:
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage

    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest and not staticfiles_storage.exists(manifest):
        raise ImproperlyConfigured(
            f"Static files are not collected ({settings.STATIC_ROOT}/{manifest} is missing): "
            "run `kaopei collectstatic --noinput` before starting the web server, "
            "or start it with `kaopei serve` (docs/deploy.md)."
        )


_require_collected_static()
