"""Group competitions through their services: the flow from task to leaderboard, and bad
input refused with a message and nothing stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kaopei.core.errors import ApplicationError
from kaopei.core.models import Notification
from kaopei.training.models import (
    Competition,
    ExpertScore,
    PeerReview,
    ReviewAssignment,
    Submission,
    SubmissionFile,
    Team,
)
from kaopei.training.selectors import competitions as sel
from kaopei.training.services import competitions as services
from tests.conftest import Personas
from tests.factories import EmployeeFactory
from tests.training.competitions_factories import (
    CRITERIA,
    assignment_for,
    clock,
    make_competition,
    scores,
    team,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # The messages are checked in English (the default language is Chinese).
    with translation.override("en"):
        yield


@pytest.fixture
def comp(personas: Personas) -> Competition:
    p = personas
    return make_competition(
        teams={"Alpha": [p.alice], "Beta": [p.bob], "Gamma": [p.sup2]},
        experts=[p.trainer],
        times=clock(),
    )


def _create(**over: object) -> Competition:
    t = clock()
    kw: dict[str, object] = {
        "user": None,
        "code": "BAD",
        "title": "标题",
        "task": "任务",
        "opens_at": t.opens_at,
        "deadline_at": t.deadline_at,
        "review_deadline_at": t.review_deadline_at,
        "criteria": CRITERIA,
    }
    kw.update(over)
    return services.competition_create(**kw)  # type: ignore[arg-type]


def test_ranking_weights_not_adding_up_to_100_are_refused(db: object) -> None:
    with pytest.raises(ApplicationError, match="add up to 110"):
        _create(expert_weight=70, peer_weight=40)
    assert not Competition.objects.exists()


def test_criteria_weights_not_adding_up_to_100_are_refused(db: object) -> None:
    with pytest.raises(ApplicationError, match="criteria weights add up to 90"):
        _create(criteria=[services.CriterionIn("a", "a", 50), services.CriterionIn("b", "b", 40)])
    assert not Competition.objects.exists()


def test_a_code_that_clashes_with_a_page_address_is_refused(db: object) -> None:
    with pytest.raises(ApplicationError, match="cannot be used"):
        _create(code="mine")
    assert not Competition.objects.exists()


def test_deadlines_out_of_order_are_refused(db: object) -> None:
    t = clock()
    with pytest.raises(ApplicationError, match="in order"):
        _create(review_deadline_at=t.deadline_at)
    assert not Competition.objects.exists()


def test_a_person_in_two_teams_is_refused(comp: Competition, personas: Personas) -> None:
    with pytest.raises(ApplicationError, match="already in team Alpha"):
        services.team_create(competition=comp, name="Delta", members=[personas.sup, personas.alice])
    assert not Team.objects.filter(name="Delta").exists()


def test_an_expert_cannot_join_a_team(comp: Competition, personas: Personas) -> None:
    with pytest.raises(ApplicationError, match="expert"):
        services.team_create(competition=comp, name="Delta", members=[personas.trainer])


def test_opening_notifies_the_members(comp: Competition, personas: Personas) -> None:
    assert comp.status == Competition.Status.OPEN
    assert Notification.objects.filter(
        user=personas.alice.user, kind=services.COMPETITION_OPENED
    ).exists()


def test_a_member_submits_and_resubmits_keeping_the_version_count(
    comp: Competition, personas: Personas, media: object
) -> None:
    t = clock()
    services.submission_save(competition=comp, employee=personas.alice, text="v1", now=t.submitting)
    f = SimpleUploadedFile("plan.txt", "年度服务方案".encode(), content_type="text/plain")
    s = services.submission_save(
        competition=comp, employee=personas.alice, text="v2", files=[f], now=t.submitting
    )
    assert (s.version, s.text) == (2, "v2")
    assert SubmissionFile.objects.filter(submission=s).count() == 1


def test_after_the_deadline_a_submission_is_refused_and_nothing_stored(
    comp: Competition, personas: Personas
) -> None:
    with pytest.raises(ApplicationError, match="deadline"):
        services.submission_save(
            competition=comp, employee=personas.alice, text="late", now=comp.deadline_at
        )
    assert not Submission.objects.exists()


def test_a_disguised_file_is_refused_and_nothing_stored(
    comp: Competition, personas: Personas, media: object
) -> None:
    fake = SimpleUploadedFile("plan.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(ApplicationError, match="not really a PDF"):
        services.submission_save(
            competition=comp,
            employee=personas.alice,
            text="x",
            files=[fake],
            now=clock().submitting,
        )
    assert not Submission.objects.exists()


def test_someone_outside_the_teams_cannot_submit(comp: Competition, personas: Personas) -> None:
    with pytest.raises(ApplicationError):
        services.submission_save(
            competition=comp, employee=personas.sup, text="x", now=clock().submitting
        )


def _submit_all(comp: Competition, p: Personas) -> None:
    for who in (p.alice, p.bob, p.sup2):
        services.submission_save(
            competition=comp, employee=who, text=f"方案 {who.name}", now=clock().submitting
        )


def test_the_review_phase_cannot_start_before_the_deadline(
    comp: Competition, personas: Personas
) -> None:
    _submit_all(comp, personas)
    with pytest.raises(ApplicationError, match="not passed yet"):
        services.competition_start_review(competition=comp, now=clock().submitting)
    assert not ReviewAssignment.objects.exists()


def test_assignments_are_balanced_and_never_a_teams_own(
    comp: Competition, personas: Personas
) -> None:
    _submit_all(comp, personas)
    assignments = services.competition_start_review(competition=comp, now=clock().reviewing)
    assert len(assignments) == 6
    for a in ReviewAssignment.objects.select_related("submission"):
        assert a.reviewer_team_id != a.submission.team_id
    comp.refresh_from_db()
    assert comp.status == Competition.Status.REVIEWING


def _reviewing(comp: Competition, p: Personas) -> None:
    _submit_all(comp, p)
    services.competition_start_review(competition=comp, now=clock().reviewing)


def test_a_team_reviewing_itself_is_refused(comp: Competition, personas: Personas) -> None:
    _reviewing(comp, personas)
    own = ReviewAssignment.objects.filter(submission__team__name="Alpha").first()
    assert own is not None
    with pytest.raises(ApplicationError, match="own submission"):
        services.peer_review_submit(
            assignment=own,
            employee=personas.alice,
            scores=scores(comp, [5, 5, 5]),
            now=clock().reviewing,
        )
    assert not PeerReview.objects.exists()


def test_a_score_outside_the_scale_is_refused(comp: Competition, personas: Personas) -> None:
    _reviewing(comp, personas)
    a = assignment_for(comp, "Alpha")
    with pytest.raises(ApplicationError, match="outside the scale 1–5"):
        services.peer_review_submit(
            assignment=a,
            employee=personas.alice,
            scores=scores(comp, [6, 3, 3]),
            now=clock().reviewing,
        )
    with pytest.raises(ApplicationError, match="outside the scale"):
        services.expert_score_submit(
            team=team(comp, "Beta"),
            employee=personas.trainer,
            scores=scores(comp, [0, 3, 3]),
            now=clock().reviewing,
        )
    assert not PeerReview.objects.exists() and not ExpertScore.objects.exists()


def test_one_review_per_assignment(comp: Competition, personas: Personas) -> None:
    _reviewing(comp, personas)
    a = assignment_for(comp, "Alpha")
    services.peer_review_submit(
        assignment=a, employee=personas.alice, scores=scores(comp, [4, 4, 4]), now=clock().reviewing
    )
    with pytest.raises(ApplicationError, match="already reviewed"):
        services.peer_review_submit(
            assignment=a,
            employee=personas.alice,
            scores=scores(comp, [1, 1, 1]),
            now=clock().reviewing,
        )
    assert PeerReview.objects.count() == 1


def test_only_experts_give_expert_scores(comp: Competition, personas: Personas) -> None:
    _reviewing(comp, personas)
    with pytest.raises(ApplicationError, match="experts"):
        services.expert_score_submit(
            team=team(comp, "Beta"),
            employee=personas.hr,
            scores=scores(comp, [3, 3, 3]),
            now=clock().reviewing,
        )


def test_from_task_to_leaderboard(comp: Competition, personas: Personas) -> None:
    p = personas
    _reviewing(comp, p)
    now = clock().reviewing
    for reviewer, who, vals in (("Alpha", p.alice, [5, 4, 4]), ("Beta", p.bob, [3, 3, 3])):
        for a in ReviewAssignment.objects.filter(reviewer_team__name=reviewer):
            services.peer_review_submit(
                assignment=a, employee=who, scores=scores(comp, vals), now=now
            )
    for name, vals in (("Alpha", [5, 5, 5]), ("Beta", [3, 3, 3])):
        services.expert_score_submit(
            team=team(comp, name),
            employee=p.trainer,
            scores=scores(comp, vals),
            comment="好",
            now=now,
        )
    with pytest.raises(ApplicationError, match="not passed yet"):
        services.competition_close(competition=comp, now=now)
    services.competition_close(competition=comp, now=clock().after_reviews)
    standings = sel.leaderboard(comp)
    names = [s.name for s in standings]
    assert names[0] == "Alpha" and standings[0].rank == 1
    gamma = next(s for s in standings if s.name == "Gamma")
    assert gamma.partial and gamma.expert is None
    # Alpha's own reviews: reviewing teams are not named.
    _c, t, received = sel.own_reviews_for_user(user=p.alice.user, code=comp.code)
    assert t.name == "Alpha" and received["expert"][0]["comment"] == "好"
    assert all("Beta" not in str(r) and "Gamma" not in str(r) for r in received["peer"])


def test_more_reviews_than_teams_are_capped(personas: Personas) -> None:
    p = personas
    extra = EmployeeFactory()
    c = make_competition(
        code="CMP-2", teams={"A": [p.alice], "B": [extra]}, reviews_per_team=3, times=clock()
    )
    for who in (p.alice, extra):
        services.submission_save(competition=c, employee=who, text="x", now=clock().submitting)
    got = services.competition_start_review(
        competition=c, now=clock().reviewing + dt.timedelta(minutes=1)
    )
    assert len(got) == 2


def test_two_criteria_with_the_same_name_are_refused(db: object) -> None:
    same = [services.CriterionIn("方案", "Plan", 50), services.CriterionIn("方案", "Plan B", 50)]
    with pytest.raises(ApplicationError, match="Two criteria have the same name"):
        _create(criteria=same, expert_weight=0, peer_weight=100)
    english = [services.CriterionIn("甲", "Plan", 50), services.CriterionIn("乙", "plan", 50)]
    with pytest.raises(ApplicationError, match="Two criteria have the same name"):
        _create(criteria=english, expert_weight=0, peer_weight=100)
    assert not Competition.objects.exists()


@pytest.mark.parametrize("field", ["name", "name_en"])
def test_a_criterion_name_longer_than_its_column_is_refused(db: object, field: str) -> None:
    long = {"name": "甲", "name_en": "A", field: "长" * 121}
    criteria = [services.CriterionIn(long["name"], long["name_en"], 100)]
    with pytest.raises(ApplicationError, match="at most 120 characters"):
        _create(criteria=criteria, expert_weight=0, peer_weight=100)
    assert not Competition.objects.exists()


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"code": "C" * 41}, "at most 40 characters"),
        ({"title": "题" * 161}, "at most 160 characters"),
        ({"title_en": "T" * 161}, "at most 160 characters"),
    ],
)
def test_a_code_or_title_longer_than_its_column_is_refused(
    db: object, over: dict[str, str], message: str
) -> None:
    with pytest.raises(ApplicationError, match=message):
        _create(expert_weight=0, peer_weight=100, **over)
    assert not Competition.objects.exists()


def test_a_team_name_longer_than_its_column_is_refused(comp: Competition) -> None:
    with pytest.raises(ApplicationError, match="at most 80 characters"):
        services.team_create(
            competition=comp, name="队" * 81, members=[EmployeeFactory(name="新人")]
        )
    assert not Team.objects.filter(name="队" * 81).exists()


def test_an_expert_weight_without_experts_is_refused(db: object) -> None:
    with pytest.raises(ApplicationError, match="no experts"):
        _create(expert_weight=60, peer_weight=40)
    assert not Competition.objects.exists()
    c = _create(expert_weight=0, peer_weight=100)
    assert c.expert_weight == 0


def test_opening_without_experts_when_they_count_is_refused(personas: Personas) -> None:
    p = personas
    c = make_competition(
        teams={"Alpha": [p.alice], "Beta": [p.bob]}, experts=[p.trainer], open_it=False
    )
    c.experts.clear()
    with pytest.raises(ApplicationError, match="no experts"):
        services.competition_open(competition=c, now=clock().opens_at)
    c.refresh_from_db()
    assert c.status == Competition.Status.DRAFT


def test_opening_after_the_submission_deadline_is_refused(personas: Personas) -> None:
    p = personas
    past = clock(past=True)
    c = make_competition(
        teams={"Alpha": [p.alice], "Beta": [p.bob]}, experts=[p.trainer], open_it=False, times=past
    )
    with pytest.raises(ApplicationError, match="has already passed"):
        services.competition_open(competition=c)
    c.refresh_from_db()
    assert c.status == Competition.Status.DRAFT
    assert not Notification.objects.exists()


def test_the_review_pairs_follow_a_random_order_of_the_teams(
    comp: Competition, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[int]] = []

    class Reversing:
        def shuffle(self, items: list[int]) -> None:
            seen.append(list(items))
            items.reverse()

    monkeypatch.setattr(services.random, "SystemRandom", Reversing)
    comp.reviews_per_team = 1
    comp.save()
    _submit_all(comp, personas)
    services.competition_start_review(competition=comp, now=clock().reviewing)
    ids = sorted(Team.objects.filter(competition=comp).values_list("pk", flat=True))
    assert seen == [ids]
    order = ids[::-1]
    expected = {(order[i], order[(i + 1) % 3]) for i in range(3)}
    got = {
        (a.reviewer_team_id, a.submission.team_id)
        for a in ReviewAssignment.objects.select_related("submission")
    }
    assert got == expected


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "not a file type a competition submission accepts"),
        ("plan.txt", b"x" * (2 * 1024 * 1024), "is 2.0 MB; a submission file may be at most 1.0"),
    ],
)
def test_a_refused_file_is_named_a_submission_file(
    comp: Competition,
    personas: Personas,
    media: object,
    settings: object,
    name: str,
    content: bytes,
    message: str,
) -> None:
    settings.TRAINING_MATERIAL_MAX_BYTES = 1024 * 1024  # type: ignore[attr-defined]
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ApplicationError) as refused:
        services.submission_save(
            competition=comp,
            employee=personas.alice,
            text="x",
            files=[upload],
            now=clock().submitting,
        )
    assert message in str(refused.value.message)
    assert "course" not in str(refused.value.message)
    assert not Submission.objects.exists()
