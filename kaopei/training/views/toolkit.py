"""The toolkit's pages (issue: practice)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from kaopei.training.selectors import toolkit as sel


@require_GET
def toolkit_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One version as an attachment: its file under the original name, or else its text
    in the reader's language as a UTF-8 ``.txt`` named after the item and the version."""
    version = sel.toolkit_version_get_for_user(user=request.user, pk=pk)
    if version.file:
        try:
            handle = version.file.open("rb")
        except (FileNotFoundError, OSError, ValueError):
            raise Http404 from None
        response: HttpResponseBase = FileResponse(
            handle,
            as_attachment=True,
            filename=version.original_name or version.file.name.rsplit("/", 1)[-1],
            content_type=version.content_type or "application/octet-stream",
        )
    else:
        item = version.item
        text = f"{item.local_title}\n{item.code} v{version.number}\n\n{version.local_body}\n"
        name = slugify(item.code) or "toolkit"
        response = HttpResponse(text.encode("utf-8"), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}-v{version.number}.txt"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
