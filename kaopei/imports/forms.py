"""Forms of the import pages. They parse input only; the rules are in services.py."""

from __future__ import annotations

import os
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaopei.imports.importing import MESSAGES, SPECS
from kaopei.imports.models import ImportBatch

ACCEPTED_EXTENSIONS = (".csv", ".xlsx")
MODE_CHECK = "check"
MODE_IMPORT = "import"


def kind_choices() -> list[tuple[str, str]]:
    """Every import kind as ``(kind, "Label (kind)")``, rendered in the active language."""
    return [(kind, f"{spec.label} ({kind})") for kind, spec in SPECS.items()]


def _guess_or_kind() -> list[tuple[str, str]]:
    return [("", str(_("Guess from the headers"))), *kind_choices()]


def _any_or_kind() -> list[tuple[str, str]]:
    return [("", str(_("All kinds"))), *kind_choices()]


class UploadForm(forms.Form):
    """Step 1: the file and, optionally, its kind (else it is guessed from the headers)."""

    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
        error_messages={"required": _("Choose a file to import."), "empty": MESSAGES["file_empty"]},
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=_guess_or_kind, required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if os.path.splitext(name)[1].lower() not in ACCEPTED_EXTENSIONS:
            raise forms.ValidationError(
                str(MESSAGES["unsupported_extension"]).format(filename=name),
                code="unsupported_extension",
            )
        return upload


class PreviewKindForm(forms.Form):
    """The kind a preview maps the headers to (blank: the guess)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=_guess_or_kind, required=False)


class StartForm(forms.Form):
    """Run a checked batch: a dry run ("check") or the real import."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=kind_choices,
        error_messages={
            "required": _("Choose the kind of data in the file."),
            "invalid_choice": _("“%(value)s” is not an import kind."),
        },
    )
    mode = forms.ChoiceField(
        choices=[(MODE_CHECK, _("Check (dry run)")), (MODE_IMPORT, _("Import"))],
        initial=MODE_CHECK,
    )

    @property
    def dry_run(self) -> bool:
        return bool(self.cleaned_data.get("mode") != MODE_IMPORT)


class BatchFilterForm(forms.Form):
    """Filters of the import history."""

    q = forms.CharField(
        label=_("File name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Search file names")}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=_any_or_kind, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *ImportBatch.Status.choices],
        required=False,
    )
