"""Group competitions: the list, "my competitions" and a competition's page for everyone
employed; organising (create, teams, open, review phase, close) for trainers and HR; a
team's submission for its members; a review for the reviewing team (404 for the rest, the
reviewed team included); expert scores for the competition's experts; the leaderboard for
organisers, HR and experts, and for participants once closed; a team's reviews for its
members once closed (before, they are sent back to the competition with a message).
Executives and supervisors outside a competition see neither its
leaderboard nor its reviews."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from kaopei.training.models import ReviewAssignment, SubmissionFile, Team
from kaopei.training.services import competitions as services
from tests.access import JSON, OK, REFUSED, answer, case, one, row
from tests.training.competitions_factories import clock, make_competition, scores

ORGANISERS = answer(403, trainer=200, hr=200)
OPEN = "MTX-CO"
CLOSED = "MTX-CC"


def build(world: Any) -> dict[str, object]:
    p = world.p
    make_competition(
        code=OPEN, teams={"Alpha": [p.alice], "Beta": [p.bob]}, experts=[p.trainer], times=clock()
    )
    past = clock(past=True)
    closed = make_competition(
        code=CLOSED, teams={"Alpha": [p.alice], "Beta": [p.bob]}, experts=[p.trainer], times=past
    )
    upload = SimpleUploadedFile("plan.txt", "年度服务方案".encode(), content_type="text/plain")
    services.submission_save(
        competition=closed, employee=p.alice, text="甲方案", files=[upload], now=past.submitting
    )
    services.submission_save(competition=closed, employee=p.bob, text="乙方案", now=past.submitting)
    services.competition_start_review(competition=closed, now=past.reviewing)
    by_alice = ReviewAssignment.objects.get(competition=closed, reviewer_team__name="Alpha")
    services.peer_review_submit(
        assignment=by_alice, employee=p.alice, scores=scores(closed, [4, 4, 4]), now=past.reviewing
    )
    services.competition_close(competition=closed, now=past.after_reviews)
    return {
        "competition_team_beta": Team.objects.get(competition=closed, name="Beta"),
        "competition_assignment_bob": ReviewAssignment.objects.get(
            competition=closed, reviewer_team__name="Beta"
        ),
        "competition_file_alice": SubmissionFile.objects.get(submission__team__competition=closed),
    }


MEMBERS = answer(403, alice=200, bob=200)

PAGES = {
    "training:competition_list": one(OK, post=answer(405)),
    "training:competition_mine": one(OK, post=answer(405)),
    # POST without data: the form again with its errors.
    "training:competition_create": one(ORGANISERS),
    "training:competition_detail": one(OK, post=answer(405), code=CLOSED),
    "training:competition_team_create": one(ORGANISERS, code=OPEN),
    # Phase changes: a confirmation page; POST is refused here (already open, before the
    # deadline, already closed): back to the competition with the reason.
    "training:competition_open": one(
        ORGANISERS, post=answer(403, trainer="refused", hr="refused"), code=OPEN
    ),
    "training:competition_start_review": one(
        ORGANISERS, post=answer(403, trainer="refused", hr="refused"), code=OPEN
    ),
    "training:competition_close": one(
        ORGANISERS, post=answer(403, trainer="refused", hr="refused"), code=CLOSED
    ),
    # POST without data: nothing to submit, the form again.
    "training:competition_submission": one(MEMBERS, code=OPEN),
    "training:competition_expert_score": one(
        answer(403, trainer=200), code=CLOSED, pk="@competition_team_beta"
    ),
    "training:competition_leaderboard": row(
        case(
            "closed",
            answer(403, alice=200, bob=200, trainer=200, hr=200),
            post=answer(405),
            code=CLOSED,
        ),
        case("open", answer(403, trainer=200, hr=200), post=answer(405), code=OPEN),
    ),
    # Before it closes the members are sent back to the competition with a message saying
    # when the reviews are shown.
    "training:competition_my_reviews": row(
        case("closed", MEMBERS, post=answer(405), code=CLOSED),
        case("open", answer(403, alice=REFUSED, bob=REFUSED), post=answer(405), code=OPEN),
    ),
    "training:competition_review": one(answer(404, bob=200), pk="@competition_assignment_bob"),
    "training:competition_file": one(
        answer(404, alice=200, bob=200, trainer=200, hr=200),
        post=answer(405),
        pk="@competition_file_alice",
    ),
}

API = {
    "GET /api/v1/training/competitions": one(answer(200, anon=401)),
    "GET /api/v1/training/competitions/{code}": one(answer(200, anon=401), code=CLOSED),
    "GET /api/v1/training/competitions/{code}/submission": one(
        answer(403, anon=401, alice=200, bob=200), code=OPEN
    ),
    # An empty text: nothing to submit (400) for the members.
    "PUT /api/v1/training/competitions/{code}/submission": one(
        answer(403, anon=401, alice=400, bob=400), data={JSON: '{"text": ""}'}, code=OPEN
    ),
    "GET /api/v1/training/review-assignments": one(answer(200, anon=401)),
    # Closed: the review phase is over (400) for the reviewing team.
    "POST /api/v1/training/review-assignments/{assignment_id}/review": one(
        answer(404, anon=401, bob=400),
        data={JSON: '{"scores": {}, "comment": ""}'},
        assignment_id="@competition_assignment_bob",
    ),
    "POST /api/v1/training/competitions/{code}/teams/{team_id}/expert-score": one(
        answer(403, anon=401, trainer=400),
        data={JSON: '{"scores": {}, "comment": ""}'},
        code=CLOSED,
        team_id="@competition_team_beta",
    ),
    "GET /api/v1/training/competitions/{code}/leaderboard": one(
        answer(403, anon=401, alice=200, bob=200, trainer=200, hr=200), code=CLOSED
    ),
}
