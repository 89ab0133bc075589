"""Quizzes pages: the question bank and quizzes of a course (managers), taking a quiz
(anyone employed), and results with the item analysis (trainers and HR)."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.core.spreadsheets import csv_text_cell, xlsx_cell
from kaopei.training.forms_quizzes import (
    QuestionFilterForm,
    QuestionForm,
    QuizForm,
    ResultsFilterForm,
)
from kaopei.training.models import Question
from kaopei.training.rules import can_manage_catalogue, can_see_quiz_results
from kaopei.training.selectors import quizzes as sel
from kaopei.training.services import quizzes as services

PER_PAGE = 50


def _error(form: object, exc: ApplicationError) -> None:
    form.add_error(None, str(exc.message))  # type: ignore[attr-defined]


# --- Question bank and quizzes (managers) --------------------------------------------------


@require_GET
def question_bank(request: HttpRequest, code: str) -> HttpResponse:
    course = sel.course_for_bank(user=request.user, code=code)
    form = QuestionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = sel.question_list(
        course=course,
        q=data.get("q", ""),
        kind=data.get("kind", ""),
        competency_id=data["competency"].pk if data.get("competency") else None,
        active=data.get("active", ""),
    )
    query_string, filtered = list_filters(request)
    return render_list(
        request,
        "training/quizzes/question_bank.html",
        {
            "course": course,
            "form": form,
            "page_obj": paginate(request, rows, PER_PAGE),
            "query_string": query_string,
            "filtered": filtered,
            "quizzes": sel.course_quizzes(course=course, user=request.user),
        },
    )


def _question_form_page(
    request: HttpRequest, course: object, question: Question | None
) -> HttpResponse:
    form = (
        QuestionForm(request.POST, question=question)
        if request.method == "POST"
        else QuestionForm(question=question)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.question_save(
                course=course,  # type: ignore[arg-type]
                question=question,
                code=d["code"],
                kind=d["kind"],
                text=d["text"],
                text_en=d["text_en"],
                explanation=d["explanation"],
                explanation_en=d["explanation_en"],
                competency=d["competency"],
                options=form.options(),
                user=request.user,
            )
        except ApplicationError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("training:question_bank", code=course.code)  # type: ignore[attr-defined]
    return render(
        request,
        "training/quizzes/question_form.html",
        {"course": course, "form": form, "question": question},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, code: str) -> HttpResponse:
    course = sel.course_for_bank(user=request.user, code=code)
    return _question_form_page(request, course, None)


@never_cache
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = sel.question_for_manager(user=request.user, pk=pk)
    return _question_form_page(request, question.course, question)


@never_cache
@require_http_methods(["GET", "POST"])
def question_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then delete the question (or deactivate it when it has answers)."""
    question = sel.question_for_manager(user=request.user, pk=pk)
    has_answers = question.answers.exists()
    if request.method == "POST":
        if request.POST.get("activate") == "1":
            services.question_set_active(question=question, active=True, user=request.user)
            messages.success(request, _("The question is active again."))
        elif services.question_remove(question=question, user=request.user):
            messages.success(request, _("The question is deleted."))
        else:
            messages.success(request, _("The question has answers: it is deactivated instead."))
        return redirect("training:question_bank", code=question.course.code)
    return render(
        request,
        "training/quizzes/question_remove.html",
        {"question": question, "course": question.course, "has_answers": has_answers},
    )


def _quiz_form_page(request: HttpRequest, course: object, quiz: object) -> HttpResponse:
    form = (
        QuizForm(request.POST, course=course, quiz=quiz)  # type: ignore[arg-type]
        if request.method == "POST"
        else QuizForm(course=course, quiz=quiz)  # type: ignore[arg-type]
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            saved = services.quiz_save(
                course=course,  # type: ignore[arg-type]
                quiz=quiz,  # type: ignore[arg-type]
                kind=d["kind"],
                title=d["title"],
                title_en=d["title_en"],
                pass_mark=d["pass_mark"],
                max_attempts=d["max_attempts"],
                time_limit_minutes=d["time_limit_minutes"],
                question_count=d["question_count"],
                shuffle_questions=d["shuffle_questions"],
                shuffle_options=d["shuffle_options"],
                questions=list(d["questions"]),
                user=request.user,
            )
        except ApplicationError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("The quiz is saved."))
            return redirect("training:quiz_detail", pk=saved.pk)
    return render(
        request, "training/quizzes/quiz_form.html", {"course": course, "form": form, "quiz": quiz}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def quiz_create(request: HttpRequest, code: str) -> HttpResponse:
    course = sel.course_for_bank(user=request.user, code=code)
    return _quiz_form_page(request, course, None)


@never_cache
@require_http_methods(["GET", "POST"])
def quiz_edit(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = sel.quiz_for_manager(user=request.user, pk=pk)
    return _quiz_form_page(request, quiz.course, quiz)


@require_POST
def quiz_publish(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = sel.quiz_for_manager(user=request.user, pk=pk)
    try:
        services.quiz_publish(
            quiz=quiz, published=request.POST.get("published") == "1", user=request.user
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("The quiz is published.") if quiz.published else _("The quiz is withdrawn."),
        )
    return redirect("training:quiz_detail", pk=quiz.pk)


# --- Taking a quiz -------------------------------------------------------------------------


@never_cache
@require_GET
def quiz_detail(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = sel.quiz_for_reader(user=request.user, pk=pk)
    employee = sel.reader_employee(request.user)
    return render(
        request,
        "training/quizzes/quiz_detail.html",
        {
            "quiz": quiz,
            "course": quiz.course,
            "status": sel.learner_status(quiz=quiz, employee=employee),
            "can_take": employee is not None and quiz.published,
            "question_total": sel.quiz_overview(quiz=quiz)["active_questions"],
            "drawn": min(
                quiz.question_count or 10**6, sel.quiz_overview(quiz=quiz)["active_questions"]
            ),
            "manager": can_manage_catalogue(request.user),
            "results": can_see_quiz_results(request.user),
        },
    )


@require_POST
def quiz_start(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = sel.quiz_for_reader(user=request.user, pk=pk)
    employee = sel.reader_employee(request.user)
    if employee is None:
        raise PermissionDenied
    try:
        attempt, resumed = services.attempt_start(quiz=quiz, employee=employee)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("training:quiz_detail", pk=quiz.pk)
    if resumed:
        messages.info(request, _("You have an attempt open: carry on with it."))
    return redirect("training:attempt_take", pk=attempt.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def attempt_take(request: HttpRequest, pk: int) -> HttpResponse:
    """The open attempt's questions in its order; POST submits the answers."""
    attempt = sel.attempt_for_owner(user=request.user, pk=pk)
    if not services.attempt_is_open(attempt):
        return redirect("training:attempt_result", pk=attempt.pk)
    error = ""
    if request.method == "POST":
        raw = {
            key.removeprefix("q"): request.POST.getlist(key)
            for key in request.POST
            if key.startswith("q") and key[1:].isdigit()
        }
        try:
            services.attempt_submit(
                attempt=attempt,
                employee=attempt.employee,
                answers=services.parse_answers(raw),
            )
        except services.TimeIsUp as exc:
            messages.error(request, str(exc.message))
            return redirect("training:attempt_result", pk=attempt.pk)
        except ApplicationError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("Your answers are submitted."))
            return redirect("training:attempt_result", pk=attempt.pk)
    remaining = (
        max(0, int((attempt.deadline_at - timezone.now()).total_seconds()))
        if attempt.deadline_at
        else None
    )
    return render(
        request,
        "training/quizzes/attempt_take.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "items": sel.attempt_questions(attempt=attempt),
            "remaining": remaining,
            "error": error,
        },
        status=400 if error else 200,
    )


@never_cache
@require_GET
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = sel.attempt_for_owner(user=request.user, pk=pk)
    if services.attempt_is_open(attempt):
        return redirect("training:attempt_take", pk=attempt.pk)
    return render(
        request,
        "training/quizzes/attempt_result.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "items": sel.attempt_questions(attempt=attempt),
            "revealed": sel.answers_revealed(attempt=attempt),
        },
    )


# --- Results (trainers and HR) -------------------------------------------------------------

EXPORT_HEADER = ("employee_no", "name", "attempt", "score", "passed", "started_at", "submitted_at")


def _export(quiz: object, rows: object, fmt: str) -> HttpResponse:
    table = [
        (
            a.employee.employee_no,
            a.employee.name,
            a.number,
            a.score,
            "" if a.passed is None else ("yes" if a.passed else "no"),
            timezone.localtime(a.started_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M") if a.submitted_at else "",
        )
        for a in rows  # type: ignore[attr-defined]
    ]
    name = f"quiz-{quiz.pk}-results"  # type: ignore[attr-defined]
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("results")
        ws.append(list(EXPORT_HEADER))
        for r in table:
            ws.append([xlsx_cell(ws, v) for v in r])
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(EXPORT_HEADER)
    for r in table:
        writer.writerow([csv_text_cell(v) if isinstance(v, str) else v for v in r])
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@never_cache
@require_GET
def quiz_results(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = sel.quiz_for_results(user=request.user, pk=pk)
    form = ResultsFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = sel.results_rows(
        quiz=quiz, q=data.get("q", ""), passed=data.get("passed", ""), scored=data.get("scored", "")
    )
    fmt = request.GET.get("export", "")
    if fmt in ("csv", "xlsx"):
        return _export(quiz, rows, fmt)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    query_string, filtered = list_filters(request)
    return render_list(
        request,
        "training/quizzes/quiz_results.html",
        {
            "quiz": quiz,
            "course": quiz.course,
            "form": form,
            "page_obj": paginate(request, rows, PER_PAGE),
            "query_string": query_string,
            "export_query": query.urlencode(),
            "filtered": filtered,
            "summary": sel.results_summary(quiz=quiz),
        },
    )


@never_cache
@require_GET
def item_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = sel.quiz_for_results(user=request.user, pk=pk)
    return render(
        request,
        "training/quizzes/item_analysis.html",
        {"quiz": quiz, "course": quiz.course, "rows": sel.item_analysis(quiz=quiz)},
    )
