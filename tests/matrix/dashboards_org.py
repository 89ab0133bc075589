"""Organisation dashboard (kaopei/dashboards/views_org.py, api_org.py): HR admins and
executives read the bank's figures and any unit's; supervisors, account managers and trainers
get 403. Every page only reads."""

from __future__ import annotations

from tests.access import GET_ONLY, answer, one

READERS = answer(403, exec=200, hr=200)
API_READERS = answer(403, anon=401, exec=200, hr=200)

PAGES = {
    "dashboards:org": one(READERS, post=GET_ONLY),
    "dashboards:unit": one(READERS, post=GET_ONLY, code="BJ"),
}

API = {
    "GET /api/v1/dashboards/org": one(API_READERS),
}
