"""Group competitions pages and API: what each person sees and does."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from kaopei.training.models import Competition, PeerReview, ReviewAssignment, Submission
from kaopei.training.services import competitions as services
from tests.conftest import Personas
from tests.training.competitions_factories import clock, make_competition, scores

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def closed(personas: Personas) -> Competition:
    p = personas
    past = clock(past=True)
    c = make_competition(
        code="CC", teams={"Alpha": [p.alice], "Beta": [p.bob]}, experts=[p.trainer], times=past
    )
    services.submission_save(competition=c, employee=p.alice, text="甲方案", now=past.submitting)
    services.submission_save(competition=c, employee=p.bob, text="乙方案", now=past.submitting)
    services.competition_start_review(competition=c, now=past.reviewing)
    for who, reviewer in ((p.alice, "Alpha"), (p.bob, "Beta")):
        a = ReviewAssignment.objects.get(competition=c, reviewer_team__name=reviewer)
        services.peer_review_submit(
            assignment=a,
            employee=who,
            scores=scores(c, [5, 4, 3] if who == p.bob else [2, 2, 2]),
            comment=f"{reviewer} 的意见",
            now=past.reviewing,
        )
    for t in c.teams.all():
        services.expert_score_submit(
            team=t,
            employee=p.trainer,
            scores=scores(c, [4, 4, 4]),
            comment="专家点评",
            now=past.reviewing,
        )
    services.competition_close(competition=c, now=past.after_reviews)
    return c


def test_the_list_filters_by_status_and_hides_drafts_from_learners(personas: Personas) -> None:
    p = personas
    make_competition(code="OPEN1", teams={"A": [p.alice], "B": [p.bob]})
    make_competition(code="DRAFT1", teams={"A": [p.alice], "B": [p.bob]}, open_it=False)
    alice = p.client(p.alice)
    body = alice.get(reverse("training:competition_list"), **EN).content.decode()
    assert "OPEN1" in body and "DRAFT1" not in body
    body = (
        p.client(p.trainer)
        .get(reverse("training:competition_list") + "?status=draft", **EN)
        .content.decode()
    )
    assert "DRAFT1" in body and "OPEN1" not in body
    mine = p.client(p.sup).get(reverse("training:competition_mine"), **EN).content.decode()
    assert "OPEN1" not in mine


def test_an_organiser_creates_a_competition_and_bad_weights_store_nothing(
    personas: Personas,
) -> None:
    t = clock()
    data = {
        "code": "NEW-1",
        "title": "方案大赛",
        "task": "设计方案",
        "opens_at": t.opens_at.strftime("%Y-%m-%dT%H:%M"),
        "deadline_at": t.deadline_at.strftime("%Y-%m-%dT%H:%M"),
        "review_deadline_at": t.review_deadline_at.strftime("%Y-%m-%dT%H:%M"),
        "scale_min": 1,
        "scale_max": 5,
        "expert_weight": 70,
        "peer_weight": 40,
        "reviews_per_team": 2,
        "criteria": "需求 | Needs | 60\n方案 | Plan | 40",
    }
    client = personas.client(personas.trainer)
    r = client.post(reverse("training:competition_create"), data, **EN)
    assert r.status_code == 200 and "add up to 110" in r.content.decode()
    assert not Competition.objects.exists()
    data["peer_weight"] = 30
    r = client.post(reverse("training:competition_create"), data, **EN)
    assert r.status_code == 200 and "no experts" in r.content.decode()
    assert not Competition.objects.exists()
    data["experts"] = [str(personas.trainer.pk)]
    r = client.post(reverse("training:competition_create"), data, **EN)
    assert r.status_code == 302
    assert Competition.objects.get(code="NEW-1").criteria.count() == 2


def test_a_member_submits_on_the_page_and_after_the_deadline_is_refused(
    personas: Personas,
) -> None:
    p = personas
    c = make_competition(code="S1", teams={"A": [p.alice], "B": [p.bob]})
    url = reverse("training:competition_submission", args=["S1"])
    r = p.client(p.alice).post(url, {"text": "我们的方案"}, **EN)
    assert r.status_code == 302
    assert Submission.objects.get(team__name="A").text == "我们的方案"
    Competition.objects.filter(pk=c.pk).update(
        deadline_at=c.opens_at + (c.deadline_at - c.opens_at) / 1000
    )
    r = p.client(p.bob).post(url, {"text": "迟到的方案"}, **EN)
    assert r.status_code == 200 and "deadline" in r.content.decode()
    assert not Submission.objects.filter(team__name="B").exists()


def test_the_leaderboard_shows_the_weights_chart_and_table(
    closed: Competition, personas: Personas
) -> None:
    r = personas.client(personas.alice).get(
        reverse("training:competition_leaderboard", args=["CC"]), **EN
    )
    body = r.content.decode()
    assert r.status_code == 200
    assert 'data-weights="60 40"' in body and 'id="leaderboard-chart"' in body
    assert 'data-team="Alpha" data-rank="1"' in body
    assert "<script>" not in body.replace('<script id="leaderboard-chart"', "")


def test_a_team_sees_its_reviews_without_the_reviewing_teams_names(
    closed: Competition, personas: Personas
) -> None:
    body = (
        personas.client(personas.alice)
        .get(reverse("training:competition_my_reviews", args=["CC"]), **EN)
        .content.decode()
    )
    assert "Beta 的意见" in body and "专家点评" in body
    assert "Beta" not in body.replace("Beta 的意见", "")


def test_the_api_gives_the_leaderboard_and_refuses_a_late_review(
    closed: Competition, personas: Personas
) -> None:
    p = personas
    r = p.client(p.alice).get("/api/v1/training/competitions/CC/leaderboard", **EN)
    data = r.json()
    assert r.status_code == 200 and data["expert_weight"] == 60 and data["final"] is True
    assert data["standings"][0]["team"] == "Alpha" and data["standings"][0]["rank"] == 1
    a = ReviewAssignment.objects.get(competition=closed, reviewer_team__name="Beta")
    r = p.client(p.bob).post(
        f"/api/v1/training/review-assignments/{a.pk}/review",
        json.dumps({"scores": scores(closed, [3, 3, 3]), "comment": ""}),
        content_type="application/json",
        **EN,
    )
    assert r.status_code in (400, 409)
    assert PeerReview.objects.filter(assignment=a).count() == 1


def test_the_api_submission_put_and_a_score_outside_the_scale(personas: Personas) -> None:
    p = personas
    make_competition(code="API1", teams={"A": [p.alice], "B": [p.bob]})
    r = p.client(p.alice).put(
        "/api/v1/training/competitions/API1/submission",
        json.dumps({"text": "文字方案"}),
        content_type="application/json",
        **EN,
    )
    assert r.status_code == 200 and r.json()["version"] == 1
    r = p.client(p.sup).get("/api/v1/training/competitions/API1/submission", **EN)
    assert r.status_code == 403


def test_a_member_uploads_files_with_the_submission(personas: Personas, media: object) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = personas
    make_competition(code="F1", teams={"A": [p.alice], "B": [p.bob]})
    files = [
        SimpleUploadedFile("计划.txt", "年度计划".encode(), content_type="text/plain"),
        SimpleUploadedFile("清单.md", "- 回访".encode(), content_type="text/markdown"),
    ]
    r = p.client(p.alice).post(
        reverse("training:competition_submission", args=["F1"]),
        {"text": "", "attachments": files},
        **EN,
    )
    assert r.status_code == 302
    names = sorted(
        Submission.objects.get(team__name="A").files.values_list("original_name", flat=True)
    )
    assert names == ["清单.md", "计划.txt"]


def test_the_list_page_runs_a_fixed_number_of_queries(
    personas: Personas, django_assert_max_num_queries: object
) -> None:
    p = personas
    for n in range(4):
        make_competition(code=f"Q{n}", teams={f"A{n}": [p.alice], f"B{n}": [p.bob]})
    client = p.client(p.alice)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(reverse("training:competition_list"), **EN).status_code == 200


def test_who_submitted_is_shown_to_organisers_and_experts_only(personas: Personas) -> None:
    p = personas
    past = clock(past=True)
    c = make_competition(
        code="RV",
        teams={"A": [p.alice], "B": [p.bob], "C": [p.sup2]},
        experts=[p.trainer],
        times=past,
    )
    for who in (p.alice, p.bob):
        services.submission_save(competition=c, employee=who, text="方案", now=past.submitting)
    services.competition_start_review(competition=c, now=past.reviewing)
    url = reverse("training:competition_detail", args=["RV"])
    for who in (p.alice, p.sup2, p.exec):
        body = p.client(who).get(url, **EN).content.decode()
        assert 'data-team="A"' in body
        assert "data-submitted" not in body and ">Submitted</th>" not in body
    for who in (p.trainer, p.hr):
        body = p.client(who).get(url, **EN).content.decode()
        assert body.count("data-submitted") == 3 and ">Submitted</th>" in body


def test_before_closing_my_reviews_says_when_they_are_shown(personas: Personas) -> None:
    p = personas
    make_competition(code="MR", teams={"A": [p.alice], "B": [p.bob]}, experts=[p.trainer])
    r = p.client(p.alice).get(
        reverse("training:competition_my_reviews", args=["MR"]), follow=True, **EN
    )
    assert r.status_code == 200
    assert r.redirect_chain[-1][0] == reverse("training:competition_detail", args=["MR"])
    assert "shown here once the competition closes" in r.content.decode()
    assert (
        p.client(p.sup).get(reverse("training:competition_my_reviews", args=["MR"])).status_code
        == 403
    )


def test_the_create_page_refuses_a_rubric_with_a_repeated_or_long_name(
    personas: Personas,
) -> None:
    t = clock()
    data = {
        "code": "NEW-1",
        "title": "新竞赛",
        "task": "任务",
        "opens_at": t.opens_at.strftime("%Y-%m-%dT%H:%M"),
        "deadline_at": t.deadline_at.strftime("%Y-%m-%dT%H:%M"),
        "review_deadline_at": t.review_deadline_at.strftime("%Y-%m-%dT%H:%M"),
        "scale_min": 1,
        "scale_max": 5,
        "expert_weight": 0,
        "peer_weight": 100,
        "reviews_per_team": 2,
    }
    client = personas.client(personas.trainer)
    url = reverse("training:competition_create")
    for criteria, message in (
        ("方案 | Plan | 50\n方案 | Plan again | 50", "Two criteria have the same name"),
        ("长" * 121 + " | Long | 100", "at most 120 characters"),
    ):
        r = client.post(url, {**data, "criteria": criteria}, **EN)
        assert r.status_code == 200
        assert message in r.content.decode()
    r = client.post(
        url, {**data, "expert_weight": 60, "peer_weight": 40, "criteria": "方案 | Plan | 100"}, **EN
    )
    assert "no experts" in r.content.decode()
    assert not Competition.objects.exists()
