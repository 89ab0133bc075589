"""Forms of the organisation pages. They parse input only; the rules are in services.py."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaopei.core.roles import ROLE_CHOICES
from kaopei.org.models import Competency, Employee, JobLevel, OrgUnit
from kaopei.org.selectors import Matrix

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _active_or_current(qs: Any, current_id: int | None) -> Any:
    """Active choices, plus the current one even when inactive (so editing still works)."""
    if current_id is None:
        return qs.filter(active=True)
    return qs.filter(Q(active=True) | Q(pk=current_id))


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.employee_no})"


# --- Org units ----------------------------------------------------------------------------


class OrgUnitForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name (Chinese)"), max_length=120)
    name_en = forms.CharField(
        label=_("Name (English)"),
        max_length=120,
        required=False,
        help_text=_("Shown to people who read Kaopei in English; the Chinese name otherwise."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgUnit.Kind.choices)
    parent = forms.ModelChoiceField(
        label=_("Parent unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("(none: a top-level unit)"),
    )

    def __init__(self, *args: Any, unit: OrgUnit | None = None, **kwargs: Any) -> None:
        if unit is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": unit.code,
                    "name": unit.name,
                    "name_en": unit.name_en,
                    "kind": unit.kind,
                    "parent": unit.parent,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _active_or_current(  # type: ignore[attr-defined]
            OrgUnit.objects.order_by("code"), unit.parent_id if unit else None
        )
        if unit is not None:
            # The code is fixed once created: import files and links refer to it.
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code cannot be changed.")


# --- Employees ----------------------------------------------------------------------------


class EmployeeForm(forms.Form):
    employee_no = forms.CharField(
        label=_("Employee number"),
        max_length=40,
        help_text=_("Also the login name. It cannot be changed later."),
    )
    name = forms.CharField(label=_("Name"), max_length=80)
    org_unit = forms.ModelChoiceField(label=_("Org unit"), queryset=OrgUnit.objects.none())
    level = forms.ModelChoiceField(
        label=_("Job level"), queryset=JobLevel.objects.order_by("rank", "code"), required=False
    )
    supervisor = EmployeeChoiceField(
        label=_("Supervisor"), queryset=Employee.objects.none(), required=False
    )
    email = forms.EmailField(label=_("Email"), required=False)
    hire_date = forms.DateField(label=_("Hire date"), required=False, widget=DATE_WIDGET)
    left_on = forms.DateField(label=_("Left on"), required=False, widget=DATE_WIDGET)
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    password1 = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Optional. Without one the person cannot sign in until you set it."),
    )
    password2 = forms.CharField(
        label=_("Initial password (again)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(
        self,
        *args: Any,
        employee: Employee | None = None,
        roles: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        if employee is not None:
            kwargs.setdefault(
                "initial",
                {
                    "employee_no": employee.employee_no,
                    "name": employee.name,
                    "org_unit": employee.org_unit_id,
                    "level": employee.level_id,
                    "supervisor": employee.supervisor_id,
                    "email": employee.email,
                    "hire_date": employee.hire_date,
                    "left_on": employee.left_on,
                    "roles": list(roles),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = _active_or_current(  # type: ignore[attr-defined]
            OrgUnit.objects.order_by("code"), employee.org_unit_id if employee else None
        )
        supervisors = _active_or_current(
            Employee.objects.order_by("name", "employee_no"),
            employee.supervisor_id if employee else None,
        )
        if employee is not None:
            supervisors = supervisors.exclude(pk=employee.pk)
            self.fields["employee_no"].disabled = True
            self.fields["employee_no"].help_text = _("The employee number cannot be changed.")
            del self.fields["password1"]
            del self.fields["password2"]
        else:
            del self.fields["left_on"]
        self.fields["supervisor"].queryset = supervisors  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "password1" in self.fields and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords do not match."))
        return cleaned


class EmployeeDeactivateForm(forms.Form):
    left_on = forms.DateField(
        label=_("Left on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leave blank for today."),
    )


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("New password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        return cleaned


STATUS_CHOICES = [
    ("active", pgettext_lazy("employee status", "Active")),
    ("inactive", _("Left")),
    ("all", _("All")),
]


class EmployeeFilterForm(forms.Form):
    """The people list's search and filters (GET). Invalid values are simply ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=80)
    unit = forms.ModelChoiceField(
        label=_("Org unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All units"),
    )
    level = forms.ModelChoiceField(
        label=_("Job level"),
        queryset=JobLevel.objects.order_by("rank", "code"),
        required=False,
        to_field_name="code",
        empty_label=_("All levels"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All roles")), *ROLE_CHOICES], required=False
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("Name or employee number"), "type": "search"}
        )

    def value(self, name: str, default: Any = None) -> Any:
        self.is_valid()  # fills cleaned_data; fields with invalid values are left out
        return self.cleaned_data.get(name) or default


# --- Job levels ---------------------------------------------------------------------------


class JobLevelForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name (Chinese)"), max_length=80)
    name_en = forms.CharField(label=_("Name (English)"), max_length=80, required=False)
    rank = forms.IntegerField(
        label=_("Rank"), min_value=0, max_value=999, help_text=_("A higher rank is more senior.")
    )
    is_sales = forms.BooleanField(
        label=_("Sales role"),
        required=False,
        initial=True,
        help_text=_("Sales targets are expected for this level."),
    )
    description = forms.CharField(
        label=_("Description (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, level: JobLevel | None = None, **kwargs: Any) -> None:
        if level is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": level.code,
                    "name": level.name,
                    "name_en": level.name_en,
                    "rank": level.rank,
                    "is_sales": level.is_sales,
                    "description": level.description,
                    "description_en": level.description_en,
                },
            )
        super().__init__(*args, **kwargs)
        if level is not None:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code cannot be changed.")


# --- Competencies -------------------------------------------------------------------------

ANCHOR_FIELDS = [f"anchor_{point}" for point in range(1, 6)]
ANCHOR_EN_FIELDS = [f"anchor_en_{point}" for point in range(1, 6)]


class CompetencyForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name (Chinese)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Competency.Category.choices)
    description = forms.CharField(
        label=_("Description (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, competency: Competency | None = None, **kwargs: Any) -> None:
        if competency is not None:
            anchors = {a.level: a for a in competency.anchors.all()}
            kwargs.setdefault(
                "initial",
                {
                    "code": competency.code,
                    "name": competency.name,
                    "name_en": competency.name_en,
                    "category": competency.category,
                    "description": competency.description,
                    "description_en": competency.description_en,
                    "active": competency.active,
                    **{
                        f"anchor_{p}": anchors[p].behaviour if p in anchors else ""
                        for p in range(1, 6)
                    },
                    **{
                        f"anchor_en_{p}": anchors[p].behaviour_en if p in anchors else ""
                        for p in range(1, 6)
                    },
                },
            )
        super().__init__(*args, **kwargs)
        for point, (name, name_en) in enumerate(
            zip(ANCHOR_FIELDS, ANCHOR_EN_FIELDS, strict=True), start=1
        ):
            self.fields[name] = forms.CharField(
                label=_("Level %(point)d behaviour (Chinese)") % {"point": point},
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[name_en] = forms.CharField(
                label=_("Level %(point)d behaviour (English)") % {"point": point},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
        if competency is None:
            del self.fields["active"]
        else:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code cannot be changed.")

    @property
    def anchors(self) -> list[str]:
        return [self.cleaned_data.get(name, "") for name in ANCHOR_FIELDS]

    @property
    def anchors_en(self) -> list[str]:
        return [self.cleaned_data.get(name, "") for name in ANCHOR_EN_FIELDS]

    def anchor_fields(self) -> list[forms.BoundField]:
        """Each point's Chinese then English behaviour."""
        pairs = zip(ANCHOR_FIELDS, ANCHOR_EN_FIELDS, strict=True)
        return [self[name] for pair in pairs for name in pair]

    def detail_fields(self) -> list[forms.BoundField]:
        anchors = {*ANCHOR_FIELDS, *ANCHOR_EN_FIELDS}
        return [self[name] for name in self.fields if name not in anchors]


SCALE_CHOICES = [("", "—"), *[(str(p), str(p)) for p in range(1, 6)]]


class MatrixForm(forms.Form):
    """One select (blank or 1–5) per cell of the competency matrix."""

    def __init__(self, *args: Any, matrix: Matrix, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matrix = matrix
        for group in matrix.groups:
            for row in group.rows:
                for level, value in zip(matrix.levels, row.cells, strict=True):
                    name = self.cell_name(level.pk, row.competency.pk)
                    label = f"{row.competency.local_name} · {level.local_name}"
                    self.fields[name] = forms.TypedChoiceField(
                        label=label,
                        widget=forms.Select(attrs={"aria-label": label}),
                        choices=SCALE_CHOICES,
                        coerce=int,
                        empty_value=None,
                        required=False,
                        initial="" if value is None else str(value),
                    )

    @staticmethod
    def cell_name(level_id: int, competency_id: int) -> str:
        return f"cell_{level_id}_{competency_id}"

    def grid(self) -> list[tuple[str, list[tuple[Competency, list[forms.BoundField]]]]]:
        """Bound fields laid out like the matrix: groups → rows → one field per level."""
        return [
            (
                group.label,
                [
                    (
                        row.competency,
                        [
                            self[self.cell_name(lvl.pk, row.competency.pk)]
                            for lvl in self.matrix.levels
                        ],
                    )
                    for row in group.rows
                ],
            )
            for group in self.matrix.groups
        ]

    def cells(self) -> dict[tuple[int, int], int | None]:
        """Cleaned values keyed ``(level_id, competency_id)``, ready for the service.

        Only cells that were posted: a competency or level added since the page was opened
        is left alone rather than cleared.
        """
        out: dict[tuple[int, int], int | None] = {}
        for group in self.matrix.groups:
            for row in group.rows:
                for level in self.matrix.levels:
                    name = self.cell_name(level.pk, row.competency.pk)
                    if name in self.data:
                        out[(level.pk, row.competency.pk)] = self.cleaned_data.get(name)
        return out
