"""hr_admin: what the audit log and erasure add to shared pages and registries.

* a member's profile, for HR admins: a "Records" panel linking to the person's audit trail and,
  once they have left, to the erasure of their personal data;
* the erasure registry: hr_admin's own eraser (``hr_admin.erasure``).
"""

from __future__ import annotations

from organizations.panels import Panel, register_profile_panel


def profile_panel(request, member) -> dict | None:
    from .services.erasure import is_erased

    viewer = request.membership
    if not viewer.is_hr_admin or member.pk == viewer.pk:
        return None
    return {"member": member, "org_slug": request.organization.slug,
            "erased": is_erased(member)}


def register() -> None:
    from . import erasure

    erasure.register()
    register_profile_panel(Panel(key="hr_records", template="hr_admin/records/_profile_panel.html",
                                 context=profile_panel, column="main", order=90,
                                 stylesheets=("css/hr-records.css",)))
