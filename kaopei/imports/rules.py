"""Who may import (DESIGN.md §1, §4.2): import batches, their files, previews, errors and
rollbacks are an HR admin's business; everyone else is refused."""

from __future__ import annotations

from kaopei.core.rules import is_hr_admin

can_manage_imports = is_hr_admin

__all__ = ["can_manage_imports"]
