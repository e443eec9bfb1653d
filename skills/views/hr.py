"""HR's editors: skills frameworks (levels, categories, skills), role profiles, career paths.

Every view looks its object up scoped to the request's organisation first (another organisation's
id is 404 for everyone), then requires an HR admin (403 for other members of this organisation),
then checks the method: so a foreign id never learns whether a route accepts GET or POST.
"""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from organizations import access
from organizations.forms import add_service_errors
from organizations.http import refuse_unless_post

from .. import access as skills_access
from .. import forms_hr as forms
from ..models import (
    CareerPath,
    Framework,
    Importance,
    LearningResource,
    Level,
    MemberRole,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillCategory,
    SkillLevelDescriptor,
)
from ..services import frameworks as services
from ..translations import language_codes

SKILLS_PAGE_SIZE = 50
PATHS_PAGE_SIZE = 100


# --- Access -------------------------------------------------------------------------------------


def _hr(request, obj):
    """Security invariant: ``obj`` was looked up scoped to the request's organisation (404 for
    another organisation's id, for every caller) before this role check, so only a row of the
    caller's own organisation can be ``PermissionDenied``, for a member who is not HR."""
    access.require_hr(request.membership)
    return obj


def _framework(request, framework_id) -> Framework:
    return _hr(request, skills_access.access_framework_by_id(
        membership=request.membership, framework_id=framework_id))


def _level(request, level_id) -> Level:
    return _hr(request, skills_access.access_level_by_id(
        membership=request.membership, level_id=level_id))


def _category(request, category_id) -> SkillCategory:
    return _hr(request, skills_access.access_category_by_id(
        membership=request.membership, category_id=category_id))


def _skill(request, skill_id) -> Skill:
    return _hr(request, skills_access.access_skill_by_id(
        membership=request.membership, skill_id=skill_id))


def _resource(request, resource_id) -> LearningResource:
    return _hr(request, skills_access.access_resource_by_id(
        membership=request.membership, resource_id=resource_id))


def _role(request, role_id) -> RoleProfile:
    return _hr(request, skills_access.access_role_by_id(
        membership=request.membership, role_id=role_id, include_inactive=True))


def _requirement(request, requirement_id) -> RoleRequirement:
    return _hr(request, skills_access.access_requirement_by_id(
        membership=request.membership, requirement_id=requirement_id))


def _path(request, path_id) -> CareerPath:
    return _hr(request, skills_access.access_path_by_id(
        membership=request.membership, path_id=path_id))


def _owned_by(form, form_id: str):
    """Tie a form's inputs to a <form id=…> elsewhere in the page (a table row's cells)."""
    for field in form.fields.values():
        field.widget.attrs["form"] = form_id
    return form


def _languages(request) -> list[str]:
    """The languages HR may give texts in besides the organisation's own."""
    own = request.organization.default_language
    return [code for code in language_codes() if code != own]


def _kw(org_slug, **ids) -> dict:
    return {"org_slug": org_slug, **ids}


# --- Reads (bounded: a fixed number of queries whatever the row count) -------------------------


def _count_of(model, organization, link: str, **filters):
    """A correlated COUNT(*) of ``model`` rows pointing at the outer row through ``link``."""
    rows = (model.objects.for_org(organization).filter(**{link: OuterRef("pk")}, **filters)
            .order_by().values(link).annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _levels(organization, framework_id) -> list[Level]:
    return list(Level.objects.for_org(organization).filter(framework_id=framework_id)
                .order_by("rank"))


def _category_tree(organization, framework_id):
    """Categories of a framework as (flat depth-first list, roots); each node knows its depth,
    children and a "Parent / Child" label."""
    categories = list(
        SkillCategory.objects.for_org(organization).filter(framework_id=framework_id)
        .annotate(skill_count=_count_of(Skill, organization, "category", is_retired=False))
        .order_by("name")
    )
    by_parent: dict = {}
    for c in categories:
        c.children_list = []
        by_parent.setdefault(c.parent_id, []).append(c)
    known = {c.pk for c in categories}
    flat: list = []

    def walk(nodes, depth, prefix):
        for node in nodes:
            node.depth = depth
            node.path_label = f"{prefix} / {node.name}" if prefix else node.name
            flat.append(node)
            node.children_list = by_parent.get(node.pk, [])
            walk(node.children_list, depth + 1, node.path_label)

    roots = [c for c in categories if c.parent_id is None or c.parent_id not in known]
    walk(roots, 0, "")
    return flat, roots


def _skill_rows(organization, framework, search: forms.SkillSearchForm):
    qs = (Skill.objects.for_org(organization).filter(framework=framework)
          .select_related("category")
          .annotate(role_count=_count_of(RoleRequirement, organization, "skill"))
          .order_by("name", "pk"))
    data = search.cleaned_data if search.is_valid() else {}
    status = data.get("status") or ""
    if status == "emerging":
        qs = qs.filter(is_emerging=True, is_retired=False)
    elif status == "retired":
        qs = qs.filter(is_retired=True)
    elif status != "all":
        qs = qs.filter(is_retired=False)
    if data.get("category") is not None:
        qs = qs.filter(category=data["category"])
    for word in (data.get("q") or "").split()[:5]:
        qs = qs.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return qs


def _frameworks(organization) -> list[Framework]:
    return list(Framework.objects.for_org(organization).order_by("name"))


def _all_roles(organization) -> list[RoleProfile]:
    return list(RoleProfile.objects.for_org(organization).order_by("family", "title", "pk"))


# --- Frameworks ---------------------------------------------------------------------------------


def _framework_list_context(request, create_form=None) -> dict:
    org = request.organization
    frameworks = list(
        Framework.objects.for_org(org)
        .annotate(
            skill_count=_count_of(Skill, org, "framework", is_retired=False),
            emerging_count=_count_of(Skill, org, "framework", is_retired=False,
                                     is_emerging=True),
            level_count=_count_of(Level, org, "framework"),
            role_count=_count_of(RoleProfile, org, "framework"),
        )
        .order_by("name")
    )
    return {
        "frameworks": frameworks,
        "create_form": create_form or forms.FrameworkCreateForm(prefix="framework"),
        "import_url": _import_url(request),
    }


def _optional_url(request, name: str, **ids) -> str | None:
    """A page of the framework import/export area, when it is installed."""
    try:
        return reverse(name, kwargs=_kw(request.organization.slug, **ids))
    except NoReverseMatch:
        return None


def _import_url(request) -> str | None:
    return _optional_url(request, "skills:framework_import")


def framework_list(request, org_slug):
    access.require_hr(request.membership)
    form = None
    if request.method == "POST":
        form = forms.FrameworkCreateForm(request.POST, prefix="framework")
        if form.is_valid():
            data = form.cleaned_data
            try:
                framework = services.framework_create(
                    organization=request.organization, actor=request.membership,
                    name=data["name"], description=data["description"],
                    levels=services.STARTER_SCALE if data["starter_scale"] else (),
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Framework “%(name)s” created. Add its skills next.")
                                 % {"name": framework.name})
                return redirect("skills:framework_detail", **_kw(org_slug,
                                                                 framework_id=framework.pk))
    context = _framework_list_context(request, create_form=form)
    return render(request, "skills/hr/framework_list.html", context,
                  status=400 if form is not None else 200)


def _framework_detail_context(request, framework, **bound) -> dict:
    org = request.organization
    levels = _levels(org, framework.pk)
    flat, roots = _category_tree(org, framework.pk)
    search = forms.SkillSearchForm(request.GET or None, categories=flat)
    page = Paginator(_skill_rows(org, framework, search), SKILLS_PAGE_SIZE).get_page(
        request.GET.get("page"))
    totals = Skill.objects.for_org(org).filter(framework=framework).aggregate(
        current=Count("pk", filter=Q(is_retired=False)),
        emerging=Count("pk", filter=Q(is_retired=False, is_emerging=True)),
        retired=Count("pk", filter=Q(is_retired=True)),
    )
    role_count = RoleProfile.objects.for_org(org).filter(framework=framework).count()
    edit_level = bound.get("level_form")
    for level in levels:
        if edit_level is not None and edit_level.prefix == f"level-{level.pk}":
            level.form = edit_level
        else:
            level.form = forms.LevelForm(prefix=f"level-{level.pk}",
                                         initial={"name": level.name,
                                                  "descriptor": level.descriptor},
                                         languages=_languages(request),
                                         translations=level.translations)
        _owned_by(level.form, f"level-form-{level.pk}")
    edit_category = bound.get("category_edit_form")
    for category in flat:
        if edit_category is not None and edit_category.prefix == f"category-{category.pk}":
            category.form = edit_category
        else:
            category.form = forms.CategoryForm(
                prefix=f"category-{category.pk}", categories=flat, exclude=category,
                initial={"name": category.name,
                         "parent": str(category.parent_id) if category.parent_id else ""},
                languages=_languages(request), translations=category.translations,
            )
    return {
        "framework": framework,
        "levels": levels,
        "categories": flat,
        "category_roots": roots,
        "search": search,
        "searching": bool(request.GET.get("q") or request.GET.get("category")
                          or request.GET.get("status")),
        "page": page,
        "totals": totals,
        "role_count": role_count,
        "framework_form": bound.get("framework_form") or forms.FrameworkForm(
            prefix="framework",
            initial={"name": framework.name, "description": framework.description},
            languages=_languages(request), translations=framework.translations),
        "new_level_form": bound.get("new_level_form") or forms.LevelForm(prefix="new-level"),
        "category_form": bound.get("category_form") or forms.CategoryForm(
            prefix="category", categories=flat),
        "skill_form": bound.get("skill_form") or forms.SkillForm(prefix="skill",
                                                                 categories=flat),
        "import_url": _import_url(request),
        "export_url": _optional_url(request, "skills:framework_export",
                                    framework_id=framework.pk),
    }


def _render_framework(request, framework, status=200, **bound):
    context = _framework_detail_context(request, framework, **bound)
    if request.htmx and request.method == "GET":
        return render(request, "skills/hr/_skill_results.html", context)
    return render(request, "skills/hr/framework_detail.html", context, status=status)


def framework_detail(request, org_slug, framework_id):
    """The framework editor; a POST here saves its name and description."""
    framework = _framework(request, framework_id)
    if request.method == "POST":
        form = forms.FrameworkForm(request.POST, prefix="framework",
                                   languages=_languages(request),
                                   translations=framework.translations)
        if form.is_valid():
            try:
                services.framework_update(organization=request.organization,
                                          actor=request.membership, framework=framework,
                                          **form.cleaned_data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Framework saved."))
                return redirect("skills:framework_detail",
                                **_kw(org_slug, framework_id=framework.pk))
        framework.refresh_from_db()
        return _render_framework(request, framework, status=400, framework_form=form)
    return _render_framework(request, framework)


def framework_delete(request, org_slug, framework_id):
    framework = _framework(request, framework_id)
    back = reverse("skills:framework_detail", kwargs=_kw(org_slug, framework_id=framework.pk))
    if request.method == "POST":
        try:
            services.framework_delete(organization=request.organization,
                                      actor=request.membership, framework=framework)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return redirect(back)
        messages.success(request, _("Framework “%(name)s” deleted.") % {"name": framework.name})
        return redirect("skills:framework_list", org_slug=org_slug)
    org = request.organization
    roles = list(RoleProfile.objects.for_org(org).filter(framework=framework)
                 .order_by("title")[:20])
    skill_count = Skill.objects.for_org(org).filter(framework=framework).count()
    return render(request, "skills/hr/confirm.html", {
        "title": _("Delete “%(name)s”?") % {"name": framework.name},
        "back_url": back,
        "framework": framework,
        "blocked": bool(roles),
        "blockers": [r.title for r in roles],
        "blocked_text": _("These role profiles use the framework. Move them to another "
                          "framework or delete them first."),
        "consequences": [
            _("Its %(n)d skill(s), its levels and categories are deleted.") % {"n": skill_count},
            _("Members' ratings in these skills are deleted. This cannot be undone."),
        ],
        "confirm_label": _("Delete the framework"),
    })


# --- Levels -------------------------------------------------------------------------------------


def level_create(request, org_slug, framework_id):
    framework = _framework(request, framework_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = forms.LevelForm(request.POST, prefix="new-level")
    if form.is_valid():
        try:
            level = services.level_create(organization=request.organization,
                                          actor=request.membership, framework=framework,
                                          **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Level %(level)s added.") % {"level": level})
            return redirect("skills:framework_detail", **_kw(org_slug, framework_id=framework.pk))
    return _render_framework(request, framework, status=400, new_level_form=form)


def level_update(request, org_slug, level_id):
    level = _level(request, level_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = forms.LevelForm(request.POST, prefix=f"level-{level.pk}",
                           languages=_languages(request), translations=level.translations)
    if form.is_valid():
        try:
            services.level_update(organization=request.organization, actor=request.membership,
                                  level=level, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Level %(level)s saved.") % {"level": level})
            return redirect("skills:framework_detail",
                            **_kw(org_slug, framework_id=level.framework_id))
    return _render_framework(request, level.framework, status=400, level_form=form)


def level_delete(request, org_slug, level_id):
    level = _level(request, level_id)
    back = reverse("skills:framework_detail", kwargs=_kw(org_slug,
                                                         framework_id=level.framework_id))
    if request.method == "POST":
        try:
            services.level_delete(organization=request.organization, actor=request.membership,
                                  level=level)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Level %(level)s deleted.") % {"level": level})
        return redirect(back)
    usage = services.level_usage(organization=request.organization, level=level)
    blockers = []
    if usage["requirements"]:
        blockers.append(_("%(n)d role requirement(s) ask for this level.")
                        % {"n": usage["requirements"]})
    if usage["ratings"] or usage["check_in_items"]:
        blockers.append(_("Members have been rated at this level."))
    return render(request, "skills/hr/confirm.html", {
        "title": _("Delete level %(level)s?") % {"level": level},
        "back_url": back,
        "framework": level.framework,
        "blocked": bool(blockers),
        "blockers": blockers,
        "blocked_text": _("This level is in use. Rename it instead, or change the requirements "
                          "first."),
        "consequences": [
            _("Levels above it move down one rank, and so do the requirements and ratings that "
              "refer to them: they keep naming the same level."),
            _("Its descriptors for every skill are deleted."),
        ],
        "confirm_label": _("Delete the level"),
    })


# --- Categories ---------------------------------------------------------------------------------


def category_create(request, org_slug, framework_id):
    framework = _framework(request, framework_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    flat, _roots = _category_tree(request.organization, framework.pk)
    form = forms.CategoryForm(request.POST, prefix="category", categories=flat)
    if form.is_valid():
        try:
            category = services.category_create(organization=request.organization,
                                                actor=request.membership, framework=framework,
                                                **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Category “%(name)s” added.") % {"name": category.name})
            return redirect("skills:framework_detail", **_kw(org_slug, framework_id=framework.pk))
    return _render_framework(request, framework, status=400, category_form=form)


def category_update(request, org_slug, category_id):
    category = _category(request, category_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    flat, _roots = _category_tree(request.organization, category.framework_id)
    form = forms.CategoryForm(request.POST, prefix=f"category-{category.pk}", categories=flat,
                              exclude=category, languages=_languages(request),
                              translations=category.translations)
    if form.is_valid():
        try:
            services.category_update(organization=request.organization,
                                     actor=request.membership, category=category,
                                     **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Category “%(name)s” saved.") % {"name": category.name})
            return redirect("skills:framework_detail",
                            **_kw(org_slug, framework_id=category.framework_id))
    return _render_framework(request, category.framework, status=400, category_edit_form=form)


def category_delete(request, org_slug, category_id):
    category = _category(request, category_id)
    back = reverse("skills:framework_detail",
                   kwargs=_kw(org_slug, framework_id=category.framework_id))
    if request.method == "POST":
        try:
            services.category_delete(organization=request.organization,
                                     actor=request.membership, category=category)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Category “%(name)s” deleted.") % {"name": category.name})
        return redirect(back)
    org = request.organization
    skill_count = Skill.objects.for_org(org).filter(category=category).count()
    child_count = SkillCategory.objects.for_org(org).filter(parent=category).count()
    where = category.parent.name if category.parent_id else _("the top level")
    return render(request, "skills/hr/confirm.html", {
        "title": _("Delete the category “%(name)s”?") % {"name": category.name},
        "back_url": back,
        "framework": category.framework,
        "consequences": [
            _("Its %(skills)d skill(s) and %(children)d sub-categories move to %(where)s. No skill "
              "is deleted.") % {"skills": skill_count, "children": child_count, "where": where},
        ],
        "confirm_label": _("Delete the category"),
    })


# --- Skills -------------------------------------------------------------------------------------


def skill_create(request, org_slug, framework_id):
    framework = _framework(request, framework_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    flat, _roots = _category_tree(request.organization, framework.pk)
    form = forms.SkillForm(request.POST, prefix="skill", categories=flat)
    if form.is_valid():
        try:
            skill = services.skill_create(organization=request.organization,
                                          actor=request.membership, framework=framework,
                                          **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Skill “%(name)s” added.") % {"name": skill.name})
            return redirect("skills:framework_detail", **_kw(org_slug, framework_id=framework.pk))
    return _render_framework(request, framework, status=400, skill_form=form)


def _skill_detail_context(request, skill, **bound) -> dict:
    org = request.organization
    levels = _levels(org, skill.framework_id)
    texts = dict(SkillLevelDescriptor.objects.for_org(org).filter(skill=skill)
                 .values_list("level_id", "description"))
    flat, _roots = _category_tree(org, skill.framework_id)
    resources = list(LearningResource.objects.for_org(org).filter(skill=skill)
                     .order_by("title", "pk"))
    edit_resource = bound.get("resource_edit_form")
    for resource in resources:
        if edit_resource is not None and edit_resource.prefix == f"resource-{resource.pk}":
            resource.form = edit_resource
        else:
            resource.form = forms.ResourceForm(
                prefix=f"resource-{resource.pk}",
                initial={"title": resource.title, "kind": resource.kind, "url": resource.url,
                         "hours": resource.hours},
            )
    requirements = list(RoleRequirement.objects.for_org(org).filter(skill=skill)
                        .select_related("role").order_by("role__title"))
    level_names = {level.rank: level for level in levels}
    for requirement in requirements:
        requirement.level = level_names.get(requirement.min_level)
    return {
        "skill": skill,
        "framework": skill.framework,
        "levels": levels,
        "requirements": requirements,
        "resources": resources,
        "skill_form": bound.get("skill_form") or forms.SkillEditForm(
            prefix="skill", categories=flat,
            initial={"name": skill.name, "description": skill.description,
                     "category": str(skill.category_id) if skill.category_id else "",
                     "external_uri": skill.external_uri},
            languages=_languages(request), translations=skill.translations),
        "descriptors_form": bound.get("descriptors_form") or forms.DescriptorsForm(
            prefix="desc", levels=levels, initial_texts=texts),
        "emerging_form": bound.get("emerging_form") or forms.EmergingForm(
            prefix="emerging", initial={"note": skill.emerging_note}),
        "resource_form": bound.get("resource_form") or forms.ResourceForm(prefix="resource"),
    }


def _render_skill(request, skill, status=200, **bound):
    return render(request, "skills/hr/skill_detail.html",
                  _skill_detail_context(request, skill, **bound), status=status)


def skill_detail(request, org_slug, skill_id):
    """The skill editor; a POST here saves its name, category and description."""
    skill = _skill(request, skill_id)
    if request.method == "POST":
        flat, _roots = _category_tree(request.organization, skill.framework_id)
        form = forms.SkillEditForm(request.POST, prefix="skill", categories=flat,
                                   languages=_languages(request),
                                   translations=skill.translations)
        if form.is_valid():
            try:
                services.skill_update(organization=request.organization,
                                      actor=request.membership, skill=skill, **form.cleaned_data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Skill “%(name)s” saved.") % {"name": skill.name})
                return redirect("skills:skill_detail", **_kw(org_slug, skill_id=skill.pk))
        skill = _skill(request, skill_id)
        return _render_skill(request, skill, status=400, skill_form=form)
    return _render_skill(request, skill)


def skill_descriptors(request, org_slug, skill_id):
    skill = _skill(request, skill_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    levels = _levels(request.organization, skill.framework_id)
    form = forms.DescriptorsForm(request.POST, prefix="desc", levels=levels)
    if form.is_valid():
        try:
            for level, text in form.texts():
                services.descriptor_set(organization=request.organization,
                                        actor=request.membership, skill=skill, level=level,
                                        description=text)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Level descriptors for “%(name)s” saved.")
                             % {"name": skill.name})
            return redirect("skills:skill_detail", **_kw(org_slug, skill_id=skill.pk))
    return _render_skill(request, skill, status=400, descriptors_form=form)


def skill_retire(request, org_slug, skill_id):
    skill = _skill(request, skill_id)
    back = reverse("skills:skill_detail", kwargs=_kw(org_slug, skill_id=skill.pk))
    if request.method == "POST":
        removed = services.skill_retire(organization=request.organization,
                                        actor=request.membership, skill=skill)
        messages.success(request, _("“%(name)s” is retired; it was removed from %(n)d role "
                                    "profile(s).") % {"name": skill.name, "n": removed})
        return redirect(back)
    roles = [r.role.title for r in RoleRequirement.objects.for_org(request.organization)
             .filter(skill=skill).select_related("role").order_by("role__title")[:50]]
    consequences = [
        _("Members' ratings and check-in history in this skill are kept."),
        _("It is no longer offered for new requirements or check-ins, and no longer emerging."),
    ]
    if roles:
        consequences.insert(0, _("It is removed from these role profiles: %(roles)s.")
                            % {"roles": ", ".join(roles)})
    return render(request, "skills/hr/confirm.html", {
        "title": _("Retire “%(name)s”?") % {"name": skill.name},
        "back_url": back,
        "framework": skill.framework,
        "consequences": consequences,
        "confirm_label": _("Retire the skill"),
    })


def skill_reinstate(request, org_slug, skill_id):
    skill = _skill(request, skill_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    services.skill_reinstate(organization=request.organization, actor=request.membership,
                             skill=skill)
    messages.success(request, _("“%(name)s” is offered again. Add it back to the role profiles "
                                "that need it.") % {"name": skill.name})
    return redirect("skills:skill_detail", **_kw(org_slug, skill_id=skill.pk))


def skill_flag_emerging(request, org_slug, skill_id):
    skill = _skill(request, skill_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = forms.EmergingForm(request.POST, prefix="emerging")
    if form.is_valid():
        was_emerging = skill.is_emerging
        try:
            services.skill_flag_emerging(organization=request.organization,
                                         actor=request.membership, skill=skill,
                                         note=form.cleaned_data["note"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if was_emerging:
                messages.success(request, _("The note is updated."))
            else:
                messages.success(request, _("“%(name)s” is flagged as emerging. People whose "
                                            "roles need it will be told.") % {"name": skill.name})
            return redirect("skills:skill_detail", **_kw(org_slug, skill_id=skill.pk))
    return _render_skill(request, skill, status=400, emerging_form=form)


def skill_unflag_emerging(request, org_slug, skill_id):
    skill = _skill(request, skill_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    services.skill_unflag_emerging(organization=request.organization, actor=request.membership,
                                   skill=skill)
    messages.success(request, _("“%(name)s” is no longer marked as emerging.")
                     % {"name": skill.name})
    return redirect("skills:skill_detail", **_kw(org_slug, skill_id=skill.pk))


# --- Learning resources -------------------------------------------------------------------------


def resource_create(request, org_slug, skill_id):
    skill = _skill(request, skill_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = forms.ResourceForm(request.POST, prefix="resource")
    if form.is_valid():
        try:
            resource = services.resource_create(organization=request.organization,
                                                actor=request.membership, skill=skill,
                                                **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("“%(title)s” added.") % {"title": resource.title})
            return redirect("skills:skill_detail", **_kw(org_slug, skill_id=skill.pk))
    return _render_skill(request, skill, status=400, resource_form=form)


def resource_update(request, org_slug, resource_id):
    resource = _resource(request, resource_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = forms.ResourceForm(request.POST, prefix=f"resource-{resource.pk}")
    if form.is_valid():
        try:
            services.resource_update(organization=request.organization,
                                     actor=request.membership, resource=resource,
                                     **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("“%(title)s” saved.") % {"title": resource.title})
            return redirect("skills:skill_detail", **_kw(org_slug, skill_id=resource.skill_id))
    skill = _skill(request, resource.skill_id)
    return _render_skill(request, skill, status=400, resource_edit_form=form)


def resource_delete(request, org_slug, resource_id):
    resource = _resource(request, resource_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    services.resource_delete(organization=request.organization, actor=request.membership,
                             resource=resource)
    messages.success(request, _("“%(title)s” removed.") % {"title": resource.title})
    return redirect("skills:skill_detail", **_kw(org_slug, skill_id=resource.skill_id))


# --- Role profiles ------------------------------------------------------------------------------


def _role_list_context(request, create_form=None) -> dict:
    org = request.organization
    query = request.GET.get("q", "").strip()[:100]
    show_inactive = request.GET.get("inactive") == "1"
    roles = (
        RoleProfile.objects.for_org(org).select_related("framework")
        .annotate(
            requirement_count=_count_of(RoleRequirement, org, "role"),
            core_count=_count_of(RoleRequirement, org, "role", importance=Importance.CORE),
            holder_count=_count_of(MemberRole, org, "role"),
            path_count=_count_of(CareerPath, org, "from_role"),
        )
        .order_by("family", "grade", "title", "pk")
    )
    if not show_inactive:
        roles = roles.filter(is_active=True)
    for word in query.split()[:5]:
        roles = roles.filter(Q(title__icontains=word) | Q(family__icontains=word)
                             | Q(grade__icontains=word))
    roles = list(roles)
    families = [(family, list(members))
                for family, members in groupby(roles, key=lambda r: r.family)]
    frameworks = _frameworks(org)
    inactive_count = RoleProfile.objects.for_org(org).filter(is_active=False).count()
    return {
        "families": families,
        "role_total": len(roles),
        "inactive_count": inactive_count,
        "query": query,
        "show_inactive": show_inactive,
        "frameworks": frameworks,
        "known_families": sorted({r.family for r in roles if r.family}),
        "create_form": create_form or forms.RoleForm(prefix="role", frameworks=frameworks),
    }


def role_list(request, org_slug):
    access.require_hr(request.membership)
    form = None
    if request.method == "POST":
        form = forms.RoleForm(request.POST, prefix="role",
                              frameworks=_frameworks(request.organization))
        if form.is_valid():
            try:
                role = services.role_create(organization=request.organization,
                                            actor=request.membership, **form.cleaned_data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Role profile “%(title)s” created. Add the skills it "
                                            "requires.") % {"title": role.title})
                return redirect("skills:role_detail", **_kw(org_slug, role_id=role.pk))
    return render(request, "skills/hr/role_list.html", _role_list_context(request, form),
                  status=400 if form is not None else 200)


def _role_detail_context(request, role, **bound) -> dict:
    org = request.organization
    levels = _levels(org, role.framework_id)
    level_by_rank = {level.rank: level for level in levels}
    skills = list(Skill.objects.for_org(org)
                  .filter(framework_id=role.framework_id, is_retired=False)
                  .select_related("category").order_by("name"))
    requirements = list(
        RoleRequirement.objects.for_org(org).filter(role=role)
        .select_related("skill__category")
        .order_by("importance", "skill__name")
    )
    edit = bound.get("requirement_edit_form")
    for requirement in requirements:
        requirement.level = level_by_rank.get(requirement.min_level)
        if edit is not None and edit.prefix == f"req-{requirement.pk}":
            requirement.form = edit
        else:
            requirement.form = forms.RequirementChangeForm(
                prefix=f"req-{requirement.pk}", levels=levels,
                initial={"min_level": requirement.min_level,
                         "importance": requirement.importance},
            )
        _owned_by(requirement.form, f"req-form-{requirement.pk}")
    required_ids = {r.skill_id for r in requirements}
    paths_out = list(CareerPath.objects.for_org(org).filter(from_role=role)
                     .select_related("from_role", "to_role").order_by("to_role__title"))
    paths_in = list(CareerPath.objects.for_org(org).filter(to_role=role)
                    .select_related("from_role", "to_role").order_by("from_role__title"))
    roles = _all_roles(org)
    frameworks = _frameworks(org)
    holder_count = MemberRole.objects.for_org(org).filter(role=role).count()
    return {
        "role": role,
        "framework": role.framework,
        "levels": levels,
        "requirements": requirements,
        "core_count": sum(1 for r in requirements if r.importance == Importance.CORE),
        "unrequired_skill_count": sum(1 for s in skills if s.pk not in required_ids),
        "paths_out": paths_out,
        "paths_in": paths_in,
        "holder_count": holder_count,
        "role_form": bound.get("role_form") or forms.RoleForm(
            prefix="role", frameworks=frameworks,
            initial={"title": role.title, "framework": str(role.framework_id),
                     "family": role.family, "track": role.track, "grade": role.grade,
                     "description": role.description},
            languages=_languages(request), translations=role.translations),
        "requirement_form": bound.get("requirement_form") or forms.RequirementForm(
            prefix="req", skills=[s for s in skills if s.pk not in required_ids],
            levels=levels),
        "path_form": bound.get("path_form") or forms.RolePathForm(prefix="path", roles=roles,
                                                                  role=role),
        "known_families": sorted({r.family for r in roles if r.family}),
    }


def _render_role(request, role, status=200, **bound):
    return render(request, "skills/hr/role_detail.html",
                  _role_detail_context(request, role, **bound), status=status)


def role_detail(request, org_slug, role_id):
    """The role profile editor; a POST here saves the role's own fields."""
    role = _role(request, role_id)
    if request.method == "POST":
        form = forms.RoleForm(request.POST, prefix="role",
                              frameworks=_frameworks(request.organization),
                              languages=_languages(request), translations=role.translations)
        if form.is_valid():
            try:
                services.role_update(organization=request.organization,
                                     actor=request.membership, role=role, **form.cleaned_data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Role profile “%(title)s” saved.")
                                 % {"title": role.title})
                return redirect("skills:role_detail", **_kw(org_slug, role_id=role.pk))
        role = _role(request, role_id)
        return _render_role(request, role, status=400, role_form=form)
    return _render_role(request, role)


def role_deactivate(request, org_slug, role_id):
    role = _role(request, role_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    services.role_deactivate(organization=request.organization, actor=request.membership,
                             role=role)
    messages.success(request, _("“%(title)s” is withdrawn: its holders keep it, but it is no "
                                "longer offered as a next role.") % {"title": role.title})
    return redirect("skills:role_detail", **_kw(org_slug, role_id=role.pk))


def role_reactivate(request, org_slug, role_id):
    role = _role(request, role_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    services.role_reactivate(organization=request.organization, actor=request.membership,
                             role=role)
    messages.success(request, _("“%(title)s” is active again.") % {"title": role.title})
    return redirect("skills:role_detail", **_kw(org_slug, role_id=role.pk))


def requirement_add(request, org_slug, role_id):
    role = _role(request, role_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    org = request.organization
    skills = list(Skill.objects.for_org(org)
                  .filter(framework_id=role.framework_id, is_retired=False)
                  .select_related("category").order_by("name"))
    levels = _levels(org, role.framework_id)
    form = forms.RequirementForm(request.POST, prefix="req", skills=skills, levels=levels)
    if form.is_valid():
        try:
            requirement = services.requirement_set(organization=org, actor=request.membership,
                                                   role=role, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("“%(title)s” now requires %(skill)s.")
                             % {"title": role.title, "skill": requirement.skill.name})
            return redirect("skills:role_detail", **_kw(org_slug, role_id=role.pk))
    return _render_role(request, role, status=400, requirement_form=form)


def requirement_update(request, org_slug, requirement_id):
    requirement = _requirement(request, requirement_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    role = _role(request, requirement.role_id)
    levels = _levels(request.organization, role.framework_id)
    form = forms.RequirementChangeForm(request.POST, prefix=f"req-{requirement.pk}",
                                       levels=levels)
    if form.is_valid():
        try:
            services.requirement_set(organization=request.organization,
                                     actor=request.membership, role=role,
                                     skill=requirement.skill, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Requirement for %(skill)s saved.")
                             % {"skill": requirement.skill.name})
            return redirect("skills:role_detail", **_kw(org_slug, role_id=role.pk))
    return _render_role(request, role, status=400, requirement_edit_form=form)


def requirement_remove(request, org_slug, requirement_id):
    requirement = _requirement(request, requirement_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    services.requirement_remove(organization=request.organization, actor=request.membership,
                                requirement=requirement)
    messages.success(request, _("%(skill)s is no longer required for “%(title)s”.")
                     % {"skill": requirement.skill.name, "title": requirement.role.title})
    return redirect("skills:role_detail", **_kw(org_slug, role_id=requirement.role_id))


def role_path_create(request, org_slug, role_id):
    role = _role(request, role_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = forms.RolePathForm(request.POST, prefix="path",
                              roles=_all_roles(request.organization), role=role)
    if form.is_valid():
        from_role, to_role = form.path_ends(role)
        data = {k: form.cleaned_data[k] for k in ("kind", "typical_months", "notes")}
        try:
            services.path_create(organization=request.organization, actor=request.membership,
                                 from_role=from_role, to_role=to_role, **data)
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                e = ValidationError({("other_role" if k in ("from_role", "to_role") else k): v
                                     for k, v in e.error_dict.items()})
            add_service_errors(form, e)
        else:
            messages.success(request, _("Career path %(from)s → %(to)s added.")
                             % {"from": from_role.title, "to": to_role.title})
            return redirect("skills:role_detail", **_kw(org_slug, role_id=role.pk))
    return _render_role(request, role, status=400, path_form=form)


# --- Career paths -------------------------------------------------------------------------------


def _path_list_context(request, form=None) -> dict:
    org = request.organization
    paths = (CareerPath.objects.for_org(org).select_related("from_role", "to_role")
             .order_by("from_role__title", "to_role__title", "pk"))
    page = Paginator(paths, PATHS_PAGE_SIZE).get_page(request.GET.get("page"))
    roles = _all_roles(org)
    return {
        "page": page,
        "role_count": len(roles),
        "form": form or forms.PathForm(prefix="path", roles=roles),
    }


def path_list(request, org_slug):
    access.require_hr(request.membership)
    form = None
    if request.method == "POST":
        form = forms.PathForm(request.POST, prefix="path",
                              roles=_all_roles(request.organization))
        if form.is_valid():
            try:
                path = services.path_create(organization=request.organization,
                                            actor=request.membership, **form.cleaned_data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Career path %(path)s added.") % {"path": path})
                return redirect("skills:path_list", org_slug=org_slug)
    return render(request, "skills/hr/path_list.html", _path_list_context(request, form),
                  status=400 if form is not None else 200)


def path_delete(request, org_slug, path_id):
    path = _path(request, path_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    services.path_delete(organization=request.organization, actor=request.membership, path=path)
    messages.success(request, _("Career path %(path)s deleted.") % {"path": path})
    target = request.POST.get("next", "")
    prefix = reverse("skills:path_list", kwargs={"org_slug": org_slug}).rsplit("paths/", 1)[0]
    if target.startswith(prefix) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("skills:path_list", org_slug=org_slug)
