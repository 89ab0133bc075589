"""Factories shared by the test suite (factory_boy)."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from kaopei.org.models import Competency, Employee, JobLevel, LevelExpectation, OrgUnit

PASSWORD = "Kaopei-test-2026"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"机构{n}")
    kind = OrgUnit.Kind.TEAM


class JobLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobLevel
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"L{n}")
    name = factory.Sequence(lambda n: f"职级{n}")
    rank = factory.Sequence(lambda n: n + 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee
        django_get_or_create = ("employee_no",)

    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    name = factory.Sequence(lambda n: f"员工{n}")
    org_unit = factory.SubFactory(OrgUnitFactory)
    level = factory.SubFactory(JobLevelFactory)


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:02d}")
    name = factory.Sequence(lambda n: f"能力{n}")


class LevelExpectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LevelExpectation

    level = factory.SubFactory(JobLevelFactory)
    competency = factory.SubFactory(CompetencyFactory)
    expected = 3


def employee_with_login(
    employee_no: str,
    name: str,
    unit: OrgUnit,
    level: JobLevel | None,
    roles: list[str],
    supervisor: Employee | None = None,
) -> Employee:
    user = UserFactory(username=employee_no, roles=roles)
    return EmployeeFactory(
        employee_no=employee_no,
        name=name,
        org_unit=unit,
        level=level,
        supervisor=supervisor,
        user=user,
    )
