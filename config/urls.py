from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from config.api import api
from kaopei.core import views as core_views
from kaopei.core import views_notifications
from kaopei.core.api import api_urls
from kaopei.core.forms import ThrottledAdminAuthenticationForm
from kaopei.dashboards.urls import dashboard_patterns
from kaopei.org import views as org_views

admin.site.site_header = "Kaopei 考培"
admin.site.site_title = "Kaopei 考培"
# The admin's sign-in goes through the same limits as Kaopei's (kaopei.core.throttle) and says so.
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="home", permanent=False)),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        core_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        core_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/me/", org_views.profile, name="profile"),
    path("accounts/tokens/", core_views.api_tokens, name="api_tokens"),
    path(
        "accounts/tokens/<id:pk>/revoke/",
        core_views.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("accounts/notifications/", include("kaopei.core.urls_notifications")),
    path("i18n/setlang/", views_notifications.set_language_view, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("home/", include("kaopei.dashboards.urls")),
    path("dashboards/", include((dashboard_patterns, "dashboards"))),
    path("org/", include("kaopei.org.urls")),
    path("imports/", include("kaopei.imports.urls")),
    path("assessment/", include("kaopei.assessment.urls")),
    path("feedback/", include("kaopei.feedback.urls")),
    path("training/", include("kaopei.training.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api_urls(api)),
]

handler400 = "kaopei.core.params.bad_request"
handler403 = "kaopei.core.views.error_403"
handler404 = "kaopei.core.views.error_404"
handler500 = "kaopei.core.views.error_500"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
