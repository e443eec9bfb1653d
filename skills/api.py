"""REST API of the skills app: frameworks, role profiles, career paths, check-ins and gaps.

Each view is parse → access → service or selector → serialise. An object named in the URL is
looked up in ``initial``, filtered on the caller's organisation, before the method is dispatched:
an id of another organisation is 404 whatever the method (answering 405 or 403 first would confirm
that it exists). Role checks come after that lookup, so a member who may not do something with an
object of their own organisation gets 403. Every write goes through a service of
``skills.services``; the services check the roles again and their refusals keep their message.
"""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from organizations import access as org_access
from organizations import selectors as org_selectors
from organizations.api_base import ScopedAPIView, error_responses
from organizations.api_errors import error_response
from organizations.models import Membership
from organizations.pagination import Pagination
from organizations.services import audit

from . import access, selectors
from . import serializers as s
from .models import (
    LearningResource,
    Level,
    MemberRole,
    RoleRequirement,
    SkillCategory,
    SkillLevelDescriptor,
)
from .services import assessments, interchange
from .services import frameworks as catalog

#: The largest framework file an import reads.
IMPORT_MAX_BYTES = 10 * 1024 * 1024

# --- Base ---------------------------------------------------------------------------------------

_errors = error_responses


class _SkillsView(ScopedAPIView):
    pagination_class = Pagination

    @property
    def is_hr(self) -> bool:
        return self.membership.is_hr_admin

    def require_hr(self) -> None:
        org_access.require_hr(self.membership)


# --- Querysets: the caller's organisation, joined for the serializers ---------------------------


def _frameworks(organization) -> QuerySet:
    levels = Level.objects.for_org(organization).order_by("rank")
    return selectors.framework_list(organization=organization).prefetch_related(
        Prefetch("levels", queryset=levels)
    )


def _categories(organization) -> QuerySet[SkillCategory]:
    return (SkillCategory.objects.for_org(organization).select_related("framework", "parent")
            .order_by("framework__name", "name", "pk"))


def _with_skill_detail(organization, skill):
    """Attach what each level means for ``skill`` and its learning resources (two queries)."""
    descriptors = (SkillLevelDescriptor.objects.for_org(organization).select_related("level")
                   .order_by("level__rank"))
    resources = LearningResource.objects.for_org(organization).order_by("title", "pk")
    prefetch_related_objects([skill], Prefetch("descriptors", queryset=descriptors),
                             Prefetch("resources", queryset=resources))
    return skill


def _resources(organization) -> QuerySet[LearningResource]:
    return LearningResource.objects.for_org(organization).order_by("title", "pk")


def _requirements(organization) -> QuerySet[RoleRequirement]:
    return (RoleRequirement.objects.for_org(organization).select_related("role", "skill")
            .order_by("skill__name", "pk"))


def _role_detail(organization, role_id):
    paths = selectors.path_list(organization=organization)
    return (
        selectors.role_list(organization=organization)
        .prefetch_related(
            Prefetch("requirements", queryset=_requirements(organization)),
            Prefetch("paths_out", queryset=paths),
            Prefetch("paths_in", queryset=paths),
        )
        .filter(pk=role_id)
        .first()
    )


def _member_role(organization, member: Membership) -> dict:
    link = (MemberRole.objects.for_org(organization).filter(member=member)
            .select_related("role").first())
    return {"member": member, "role": link.role if link else None,
            "since": link.since if link else None}


# --- Frameworks and levels ----------------------------------------------------------------------


class FrameworkListView(_SkillsView):
    serializer_class = s.FrameworkCreateSerializer

    @extend_schema(operation_id="skills_frameworks_list", tags=["skills: frameworks"],
                   responses={200: s.FrameworkSerializer(many=True), **_errors()})
    def get(self, request, org_slug):
        """The organisation's skills frameworks, by name, each with its scale of levels."""
        return self.paginated(_frameworks(self.organization), s.FrameworkSerializer)

    @extend_schema(operation_id="skills_frameworks_create", tags=["skills: frameworks"],
                   request=s.FrameworkCreateSerializer,
                   responses={201: s.FrameworkSerializer, **_errors(400, 403)})
    def post(self, request, org_slug):
        """Add a framework, optionally with its scale of levels (HR admins)."""
        self.require_hr()
        data = self.parse(s.FrameworkCreateSerializer, request.data)
        levels = [(level["name"], level.get("descriptor", "")) for level in data.pop("levels", [])]
        framework = catalog.framework_create(organization=self.organization,
                                             actor=self.membership, levels=levels, **data)
        framework = self.lookup(_frameworks(self.organization), framework.pk)
        return Response(s.FrameworkSerializer(framework).data, status=status.HTTP_201_CREATED)


class FrameworkDetailView(_SkillsView):
    serializer_class = s.FrameworkUpdateSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.framework = self.lookup(_frameworks(self.organization), kwargs["framework_id"])

    @extend_schema(operation_id="skills_frameworks_retrieve", tags=["skills: frameworks"],
                   responses={200: s.FrameworkSerializer, **_errors()})
    def get(self, request, org_slug, framework_id):
        """One framework with its levels."""
        return Response(s.FrameworkSerializer(self.framework).data)

    @extend_schema(operation_id="skills_frameworks_partial_update", tags=["skills: frameworks"],
                   request=s.FrameworkUpdateSerializer,
                   responses={200: s.FrameworkSerializer, **_errors(400, 403)})
    def patch(self, request, org_slug, framework_id):
        """Rename a framework or change its description (HR admins)."""
        self.require_hr()
        data = self.parse(s.FrameworkUpdateSerializer, request.data, partial=True)
        catalog.framework_update(organization=self.organization, actor=self.membership,
                                 framework=self.framework, **data)
        framework = self.lookup(_frameworks(self.organization), self.framework.pk)
        return Response(s.FrameworkSerializer(framework).data)

    @extend_schema(operation_id="skills_frameworks_destroy", tags=["skills: frameworks"],
                   responses={204: None, **_errors(400, 403)})
    def delete(self, request, org_slug, framework_id):
        """Delete a framework with its levels, categories and skills (HR admins).

        Refused (400) while a role profile uses it.
        """
        self.require_hr()
        catalog.framework_delete(organization=self.organization, actor=self.membership,
                                 framework=self.framework)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LevelListView(_SkillsView):
    serializer_class = s.LevelInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.framework = access.access_framework_by_id(membership=self.membership,
                                                       framework_id=kwargs["framework_id"])

    @extend_schema(operation_id="skills_levels_list", tags=["skills: frameworks"],
                   responses={200: s.FrameworkLevelSerializer(many=True), **_errors()})
    def get(self, request, org_slug, framework_id):
        """The framework's levels, lowest rank first."""
        levels = selectors.level_list(organization=self.organization, framework=self.framework)
        return self.paginated(levels, s.FrameworkLevelSerializer)

    @extend_schema(operation_id="skills_levels_create", tags=["skills: frameworks"],
                   request=s.LevelInputSerializer,
                   responses={201: s.FrameworkLevelSerializer, **_errors(400, 403)})
    def post(self, request, org_slug, framework_id):
        """Add a level at the top of the scale (HR admins)."""
        self.require_hr()
        data = self.parse(s.LevelInputSerializer, request.data)
        level = catalog.level_create(organization=self.organization, actor=self.membership,
                                     framework=self.framework, **data)
        return Response(s.FrameworkLevelSerializer(level).data, status=status.HTTP_201_CREATED)


class LevelDetailView(_SkillsView):
    serializer_class = s.LevelUpdateSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.level = access.access_level_by_id(membership=self.membership,
                                               level_id=kwargs["level_id"])

    @extend_schema(operation_id="skills_levels_retrieve", tags=["skills: frameworks"],
                   responses={200: s.FrameworkLevelSerializer, **_errors()})
    def get(self, request, org_slug, level_id):
        """One level of a framework's scale."""
        return Response(s.FrameworkLevelSerializer(self.level).data)

    @extend_schema(operation_id="skills_levels_partial_update", tags=["skills: frameworks"],
                   request=s.LevelUpdateSerializer,
                   responses={200: s.FrameworkLevelSerializer, **_errors(400, 403)})
    def patch(self, request, org_slug, level_id):
        """Rename a level or change its generic descriptor; its rank never changes (HR admins)."""
        self.require_hr()
        data = self.parse(s.LevelUpdateSerializer, request.data, partial=True)
        level = catalog.level_update(organization=self.organization, actor=self.membership,
                                     level=self.level, **data)
        return Response(s.FrameworkLevelSerializer(level).data)

    @extend_schema(operation_id="skills_levels_destroy", tags=["skills: frameworks"],
                   responses={204: None, **_errors(400, 403)})
    def delete(self, request, org_slug, level_id):
        """Delete a level no one is rated at or required to reach; the ranks above move down
        one (HR admins)."""
        self.require_hr()
        catalog.level_delete(organization=self.organization, actor=self.membership,
                             level=self.level)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Categories ---------------------------------------------------------------------------------


class CategoryListView(_SkillsView):
    serializer_class = s.CategoryInputSerializer

    @extend_schema(operation_id="skills_categories_list", tags=["skills: frameworks"],
                   parameters=[s.CategoryListQuerySerializer],
                   responses={200: s.SkillCategorySerializer(many=True), **_errors(400)})
    def get(self, request, org_slug):
        """Skill categories, by framework and name; ``parent`` gives the tree."""
        params = self.parse(s.CategoryListQuerySerializer, request.query_params.dict())
        categories = _categories(self.organization)
        if params.get("framework") is not None:
            categories = categories.filter(framework=params["framework"])
        return self.paginated(categories, s.SkillCategorySerializer)

    @extend_schema(operation_id="skills_categories_create", tags=["skills: frameworks"],
                   request=s.CategoryInputSerializer,
                   responses={201: s.SkillCategorySerializer, **_errors(400, 403)})
    def post(self, request, org_slug):
        """Add a category to a framework, at the top or inside another one (HR admins)."""
        self.require_hr()
        data = self.parse(s.CategoryInputSerializer, request.data)
        category = catalog.category_create(organization=self.organization,
                                           actor=self.membership, **data)
        category = self.lookup(_categories(self.organization), category.pk)
        return Response(s.SkillCategorySerializer(category).data,
                        status=status.HTTP_201_CREATED)


class CategoryDetailView(_SkillsView):
    serializer_class = s.CategoryUpdateSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.category = access.access_category_by_id(membership=self.membership,
                                                     category_id=kwargs["category_id"])

    @extend_schema(operation_id="skills_categories_retrieve", tags=["skills: frameworks"],
                   responses={200: s.SkillCategorySerializer, **_errors()})
    def get(self, request, org_slug, category_id):
        """One skill category."""
        return Response(s.SkillCategorySerializer(self.category).data)

    @extend_schema(operation_id="skills_categories_partial_update", tags=["skills: frameworks"],
                   request=s.CategoryUpdateSerializer,
                   responses={200: s.SkillCategorySerializer, **_errors(400, 403)})
    def patch(self, request, org_slug, category_id):
        """Rename a category or move it in the tree, never under itself (HR admins)."""
        self.require_hr()
        data = self.parse(s.CategoryUpdateSerializer, request.data, partial=True)
        catalog.category_update(organization=self.organization, actor=self.membership,
                                category=self.category, **data)
        category = self.lookup(_categories(self.organization), self.category.pk)
        return Response(s.SkillCategorySerializer(category).data)

    @extend_schema(operation_id="skills_categories_destroy", tags=["skills: frameworks"],
                   responses={204: None, **_errors(400, 403)})
    def delete(self, request, org_slug, category_id):
        """Delete a category; its skills and sub-categories move up to its parent (HR admins)."""
        self.require_hr()
        catalog.category_delete(organization=self.organization, actor=self.membership,
                                category=self.category)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Skills -------------------------------------------------------------------------------------


class SkillListView(_SkillsView):
    serializer_class = s.SkillCreateSerializer

    @extend_schema(operation_id="skills_skills_list", tags=["skills: skills"],
                   parameters=[s.SkillListQuerySerializer],
                   responses={200: s.SkillSerializer(many=True), **_errors(400)})
    def get(self, request, org_slug):
        """Skills, by name, with their framework, category and emerging or retired flags."""
        params = self.parse(s.SkillListQuerySerializer, request.query_params.dict())
        skills = selectors.skill_list(organization=self.organization,
                                      framework=params.get("framework"),
                                      query=params.get("q", ""), include_retired=True)
        if params.get("emerging") is not None:
            skills = skills.filter(is_emerging=params["emerging"])
        if params.get("retired") is not None:
            skills = skills.filter(is_retired=params["retired"])
        return self.paginated(skills, s.SkillSerializer)

    @extend_schema(operation_id="skills_skills_create", tags=["skills: skills"],
                   request=s.SkillCreateSerializer,
                   responses={201: s.SkillDetailSerializer, **_errors(400, 403)})
    def post(self, request, org_slug):
        """Add a skill to a framework (HR admins)."""
        self.require_hr()
        data = self.parse(s.SkillCreateSerializer, request.data)
        skill = catalog.skill_create(organization=self.organization, actor=self.membership,
                                     **data)
        skill = _with_skill_detail(self.organization, skill)
        return Response(s.SkillDetailSerializer(skill).data, status=status.HTTP_201_CREATED)


class _SkillObjectView(_SkillsView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.skill = access.access_skill_by_id(membership=self.membership,
                                               skill_id=kwargs["skill_id"])

    def _output(self) -> Response:
        skill = selectors.skill_get(organization=self.organization, skill_id=self.skill.pk)
        return Response(s.SkillDetailSerializer(_with_skill_detail(self.organization, skill)).data)


class SkillDetailView(_SkillObjectView):
    serializer_class = s.SkillUpdateSerializer

    @extend_schema(operation_id="skills_skills_retrieve", tags=["skills: skills"],
                   responses={200: s.SkillDetailSerializer, **_errors()})
    def get(self, request, org_slug, skill_id):
        """One skill, with what each level means for it and learning resources."""
        skill = _with_skill_detail(self.organization, self.skill)
        return Response(s.SkillDetailSerializer(skill).data)

    @extend_schema(operation_id="skills_skills_partial_update", tags=["skills: skills"],
                   request=s.SkillUpdateSerializer,
                   responses={200: s.SkillDetailSerializer, **_errors(400, 403)})
    def patch(self, request, org_slug, skill_id):
        """Edit, retire or reinstate a skill, or flag it as emerging (HR admins).

        Flagging a skill as emerging tells the members whose roles need it, in the app and by
        email; changing only ``emerging_note`` of an emerging skill tells no one again. Retiring
        a skill removes it from every role profile's requirements.
        """
        self.require_hr()
        data = self.parse(s.SkillUpdateSerializer, request.data, partial=True)
        context = self.service_context
        emerging, note = data.pop("is_emerging", None), data.pop("emerging_note", None)
        retired = data.pop("is_retired", None)
        skill = self.skill
        if note is not None and emerging is None and not skill.is_emerging:
            raise DjangoValidationError({"emerging_note": gettext_lazy(
                "Only an emerging skill has a note: send is_emerging true with it.")})
        if data:
            skill = catalog.skill_update(skill=skill, **context, **data)
        if retired is True:
            catalog.skill_retire(skill=skill, **context)
        elif retired is False:
            skill = catalog.skill_reinstate(skill=skill, **context)
        if emerging is True or (emerging is None and note is not None):
            note = note if note is not None else skill.emerging_note
            catalog.skill_flag_emerging(skill=skill, note=note, **context)
        elif emerging is False:
            catalog.skill_unflag_emerging(skill=skill, **context)
        return self._output()


class SkillDescriptorsView(_SkillObjectView):
    serializer_class = s.DescriptorsInputSerializer

    @extend_schema(operation_id="skills_descriptors_update", tags=["skills: skills"],
                   request=s.DescriptorsInputSerializer,
                   responses={200: s.SkillDetailSerializer, **_errors(400, 403)})
    def put(self, request, org_slug, skill_id):
        """Say what levels of the framework mean for this skill (HR admins).

        An empty description removes a level's descriptor; levels not listed stay as they are.
        """
        self.require_hr()
        data = self.parse(s.DescriptorsInputSerializer, request.data)
        for row in data["descriptors"]:
            catalog.descriptor_set(organization=self.organization, actor=self.membership,
                                   skill=self.skill, level=row["level"],
                                   description=row["description"])
        return self._output()


class SkillResourceListView(_SkillObjectView):
    serializer_class = s.ResourceInputSerializer

    @extend_schema(operation_id="skills_resources_list", tags=["skills: skills"],
                   responses={200: s.LearningResourceSerializer(many=True), **_errors()})
    def get(self, request, org_slug, skill_id):
        """Learning resources for the skill, by title."""
        resources = _resources(self.organization).filter(skill=self.skill)
        return self.paginated(resources, s.LearningResourceSerializer)

    @extend_schema(operation_id="skills_resources_create", tags=["skills: skills"],
                   request=s.ResourceInputSerializer,
                   responses={201: s.LearningResourceSerializer, **_errors(400, 403)})
    def post(self, request, org_slug, skill_id):
        """Suggest a course, book, mentoring or other way to learn the skill (HR admins)."""
        self.require_hr()
        data = self.parse(s.ResourceInputSerializer, request.data)
        resource = catalog.resource_create(organization=self.organization,
                                           actor=self.membership, skill=self.skill, **data)
        return Response(s.LearningResourceSerializer(resource).data,
                        status=status.HTTP_201_CREATED)


class ResourceDetailView(_SkillsView):
    serializer_class = s.ResourceInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.resource = access.access_resource_by_id(membership=self.membership,
                                                     resource_id=kwargs["resource_id"])

    @extend_schema(operation_id="skills_resources_retrieve", tags=["skills: skills"],
                   responses={200: s.LearningResourceSerializer, **_errors()})
    def get(self, request, org_slug, resource_id):
        """One learning resource."""
        return Response(s.LearningResourceSerializer(self.resource).data)

    @extend_schema(operation_id="skills_resources_partial_update", tags=["skills: skills"],
                   request=s.ResourceInputSerializer,
                   responses={200: s.LearningResourceSerializer, **_errors(400, 403)})
    def patch(self, request, org_slug, resource_id):
        """Edit a learning resource (HR admins)."""
        self.require_hr()
        data = self.parse(s.ResourceInputSerializer, request.data, partial=True)
        resource = catalog.resource_update(organization=self.organization,
                                           actor=self.membership, resource=self.resource,
                                           **data)
        return Response(s.LearningResourceSerializer(resource).data)

    @extend_schema(operation_id="skills_resources_destroy", tags=["skills: skills"],
                   responses={204: None, **_errors(403)})
    def delete(self, request, org_slug, resource_id):
        """Remove a learning resource (HR admins)."""
        self.require_hr()
        catalog.resource_delete(organization=self.organization, actor=self.membership,
                                resource=self.resource)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Role profiles and requirements -------------------------------------------------------------


class RoleListView(_SkillsView):
    serializer_class = s.RoleInputSerializer

    @extend_schema(operation_id="skills_roles_list", tags=["skills: roles"],
                   parameters=[s.RoleListQuerySerializer],
                   responses={200: s.RoleProfileSerializer(many=True), **_errors(400)})
    def get(self, request, org_slug):
        """Role profiles, by job family, grade and title.

        Withdrawn (inactive) role profiles are listed for HR admins only.
        """
        params = self.parse(s.RoleListQuerySerializer, request.query_params.dict())
        roles = selectors.role_list(organization=self.organization, active_only=not self.is_hr,
                                    query=params.get("q", ""))
        if params.get("framework") is not None:
            roles = roles.filter(framework=params["framework"])
        if params.get("family"):
            roles = roles.filter(family__iexact=params["family"])
        if params.get("track"):
            roles = roles.filter(track=params["track"])
        if params.get("is_active") is not None:
            roles = roles.filter(is_active=params["is_active"])
        return self.paginated(roles, s.RoleProfileSerializer)

    @extend_schema(operation_id="skills_roles_create", tags=["skills: roles"],
                   request=s.RoleInputSerializer,
                   responses={201: s.RoleProfileDetailSerializer, **_errors(400, 403)})
    def post(self, request, org_slug):
        """Add a role profile (HR admins); its required skills are added one by one."""
        self.require_hr()
        data = self.parse(s.RoleInputSerializer, request.data)
        role = catalog.role_create(organization=self.organization, actor=self.membership,
                                   **data)
        role = _role_detail(self.organization, role.pk)
        return Response(s.RoleProfileDetailSerializer(role).data, status=status.HTTP_201_CREATED)


class _RoleObjectView(_SkillsView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.role = access.access_role_by_id(membership=self.membership,
                                             role_id=kwargs["role_id"])


class RoleDetailView(_RoleObjectView):
    serializer_class = s.RoleUpdateSerializer

    @extend_schema(operation_id="skills_roles_retrieve", tags=["skills: roles"],
                   responses={200: s.RoleProfileDetailSerializer, **_errors()})
    def get(self, request, org_slug, role_id):
        """One role profile with its required skills and career paths in and out.

        Withdrawn (inactive) role profiles are visible to HR admins only.
        """
        role = _role_detail(self.organization, self.role.pk)
        return Response(s.RoleProfileDetailSerializer(role).data)

    @extend_schema(operation_id="skills_roles_partial_update", tags=["skills: roles"],
                   request=s.RoleUpdateSerializer,
                   responses={200: s.RoleProfileDetailSerializer, **_errors(400, 403)})
    def patch(self, request, org_slug, role_id):
        """Edit a role profile, or withdraw it (``is_active`` false) or offer it again
        (HR admins)."""
        self.require_hr()
        data = self.parse(s.RoleUpdateSerializer, request.data, partial=True)
        context = self.service_context
        active = data.pop("is_active", None)
        role = self.role
        if data:
            role = catalog.role_update(role=role, **context, **data)
        if active is True:
            catalog.role_reactivate(role=role, **context)
        elif active is False:
            catalog.role_deactivate(role=role, **context)
        role = _role_detail(self.organization, role.pk)
        return Response(s.RoleProfileDetailSerializer(role).data)


class RoleRequirementListView(_RoleObjectView):
    serializer_class = s.RequirementInputSerializer

    @extend_schema(operation_id="skills_requirements_list", tags=["skills: roles"],
                   responses={200: s.RoleRequirementSerializer(many=True), **_errors()})
    def get(self, request, org_slug, role_id):
        """The skills the role requires, by skill name."""
        requirements = _requirements(self.organization).filter(role=self.role)
        return self.paginated(requirements, s.RoleRequirementSerializer)

    @extend_schema(
        operation_id="skills_requirements_create", tags=["skills: roles"],
        request=s.RequirementInputSerializer,
        responses={201: s.RoleRequirementSerializer,
                   200: OpenApiResponse(s.RoleRequirementSerializer,
                                        description=gettext_lazy("The role already required the "
                                                                 "skill; the requirement was "
                                                                 "changed.")),
                   **_errors(400, 403)},
    )
    def post(self, request, org_slug, role_id):
        """Require a skill of the role's framework at a minimum level (HR admins)."""
        self.require_hr()
        data = self.parse(s.RequirementInputSerializer, request.data)
        existed = (RoleRequirement.objects.for_org(self.organization)
                   .filter(role=self.role, skill=data["skill"]).exists())
        requirement = catalog.requirement_set(organization=self.organization,
                                              actor=self.membership, role=self.role, **data)
        requirement = self.lookup(_requirements(self.organization), requirement.pk)
        return Response(s.RoleRequirementSerializer(requirement).data,
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class RequirementDetailView(_SkillsView):
    serializer_class = s.RequirementUpdateSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.requirement = access.access_requirement_by_id(
            membership=self.membership, requirement_id=kwargs["requirement_id"])

    @extend_schema(operation_id="skills_requirements_retrieve", tags=["skills: roles"],
                   responses={200: s.RoleRequirementSerializer, **_errors()})
    def get(self, request, org_slug, requirement_id):
        """One required skill of a role profile."""
        return Response(s.RoleRequirementSerializer(self.requirement).data)

    @extend_schema(operation_id="skills_requirements_partial_update", tags=["skills: roles"],
                   request=s.RequirementUpdateSerializer,
                   responses={200: s.RoleRequirementSerializer, **_errors(400, 403)})
    def patch(self, request, org_slug, requirement_id):
        """Change the minimum level or the importance of a required skill (HR admins)."""
        self.require_hr()
        data = self.parse(s.RequirementUpdateSerializer, request.data, partial=True)
        requirement = self.requirement
        catalog.requirement_set(
            organization=self.organization, actor=self.membership, role=requirement.role,
            skill=requirement.skill, min_level=data.get("min_level", requirement.min_level),
            importance=data.get("importance", requirement.importance),
        )
        requirement = self.lookup(_requirements(self.organization), requirement.pk)
        return Response(s.RoleRequirementSerializer(requirement).data)

    @extend_schema(operation_id="skills_requirements_destroy", tags=["skills: roles"],
                   responses={204: None, **_errors(403)})
    def delete(self, request, org_slug, requirement_id):
        """Stop requiring the skill for the role (HR admins)."""
        self.require_hr()
        catalog.requirement_remove(organization=self.organization, actor=self.membership,
                                   requirement=self.requirement)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Career paths -------------------------------------------------------------------------------


class PathListView(_SkillsView):
    serializer_class = s.PathInputSerializer

    @extend_schema(operation_id="skills_paths_list", tags=["skills: roles"],
                   parameters=[s.PathListQuerySerializer],
                   responses={200: s.CareerPathSerializer(many=True), **_errors(400)})
    def get(self, request, org_slug):
        """Career paths between role profiles."""
        params = self.parse(s.PathListQuerySerializer, request.query_params.dict())
        paths = selectors.path_list(organization=self.organization)
        if params.get("role") is not None:
            role = params["role"]
            paths = paths.filter(Q(from_role=role) | Q(to_role=role))
        if params.get("kind"):
            paths = paths.filter(kind=params["kind"])
        return self.paginated(paths, s.CareerPathSerializer)

    @extend_schema(operation_id="skills_paths_create", tags=["skills: roles"],
                   request=s.PathInputSerializer,
                   responses={201: s.CareerPathSerializer, **_errors(400, 403)})
    def post(self, request, org_slug):
        """Add a move from one role profile to another (HR admins)."""
        self.require_hr()
        data = self.parse(s.PathInputSerializer, request.data)
        path = catalog.path_create(organization=self.organization, actor=self.membership,
                                   **data)
        return Response(s.CareerPathSerializer(path).data, status=status.HTTP_201_CREATED)


class PathDetailView(_SkillsView):
    serializer_class = s.PathInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.path = access.access_path_by_id(membership=self.membership,
                                             path_id=kwargs["path_id"])

    @extend_schema(operation_id="skills_paths_retrieve", tags=["skills: roles"],
                   responses={200: s.CareerPathSerializer, **_errors()})
    def get(self, request, org_slug, path_id):
        """One career path."""
        return Response(s.CareerPathSerializer(self.path).data)

    @extend_schema(operation_id="skills_paths_partial_update", tags=["skills: roles"],
                   request=s.PathInputSerializer,
                   responses={200: s.CareerPathSerializer, **_errors(400, 403)})
    def patch(self, request, org_slug, path_id):
        """Change a career path's roles, kind, typical time or notes (HR admins)."""
        self.require_hr()
        data = self.parse(s.PathInputSerializer, request.data, partial=True)
        path = catalog.path_update(organization=self.organization, actor=self.membership,
                                   path=self.path, **data)
        return Response(s.CareerPathSerializer(path).data)

    @extend_schema(operation_id="skills_paths_destroy", tags=["skills: roles"],
                   responses={204: None, **_errors(403)})
    def delete(self, request, org_slug, path_id):
        """Remove a career path (HR admins)."""
        self.require_hr()
        catalog.path_delete(organization=self.organization, actor=self.membership,
                            path=self.path)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- A member's role, gaps, closest roles and pathway -------------------------------------------


class MyRoleView(_SkillsView):
    serializer_class = s.MemberRoleSerializer

    @extend_schema(operation_id="skills_my_role_retrieve", tags=["skills: members"],
                   responses={200: s.MemberRoleSerializer, **_errors()})
    def get(self, request, org_slug):
        """The caller's current role profile (``role`` is null when none is set)."""
        return Response(s.MemberRoleSerializer(_member_role(self.organization,
                                                            self.membership)).data)


class _MemberObjectView(_SkillsView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Members the caller may not look at are 404, as in the organisation's member API.
        self.member = org_access.access_member_by_id(membership=self.membership,
                                                     member_id=kwargs["member_id"])

    def require_skills_reader(self) -> None:
        """Skill levels are for the member, a manager in their reporting line and HR admins.

        Leaders see aggregates only, so they get 403 like any other colleague.
        """
        if self.member.pk == self.membership.pk or self.is_hr:
            return
        if not access.can_manage_check_ins_of(viewer=self.membership, member=self.member):
            raise PermissionDenied(gettext_lazy(
                "Only this person, a manager in their reporting line and HR admins see their "
                "skill levels."))

    def audit_read(self, action: str, **detail) -> None:
        if self.member.pk != self.membership.pk:
            audit(organization=self.organization, actor=self.membership, action=action,
                  subject=self.member, **detail)


class MemberRoleView(_MemberObjectView):
    serializer_class = s.MemberRoleInputSerializer

    @extend_schema(operation_id="skills_member_role_retrieve", tags=["skills: members"],
                   responses={200: s.MemberRoleSerializer, **_errors()})
    def get(self, request, org_slug, member_id):
        """A member's current role profile."""
        return Response(s.MemberRoleSerializer(_member_role(self.organization,
                                                            self.member)).data)

    @extend_schema(operation_id="skills_member_role_update", tags=["skills: members"],
                   request=s.MemberRoleInputSerializer,
                   responses={200: s.MemberRoleSerializer, **_errors(400, 403)})
    def put(self, request, org_slug, member_id):
        """Set or clear a member's current role profile (HR admins, and managers for people in
        their reporting line)."""
        if not (self.is_hr or access.can_manage_check_ins_of(viewer=self.membership,
                                                             member=self.member)):
            raise PermissionDenied(gettext_lazy(
                "Only HR or this person's manager can set their role."))
        data = self.parse(s.MemberRoleInputSerializer, request.data)
        assessments.member_role_set(member=self.member, role=data["role"],
                                    **self.service_context)
        return Response(s.MemberRoleSerializer(_member_role(self.organization,
                                                            self.member)).data)


class MemberGapsView(_MemberObjectView):
    serializer_class = s.SkillGapAnalysisSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.role = access.access_role_by_id(membership=self.membership,
                                             role_id=kwargs["role_id"])

    @extend_schema(operation_id="skills_member_gaps_retrieve", tags=["skills: members"],
                   responses={200: s.SkillGapAnalysisSerializer, **_errors(403)})
    def get(self, request, org_slug, member_id, role_id):
        """The gap analysis of a member against a role profile.

        Per required skill: the required level, the member's validated level (else their own),
        the gap and, for a gap, learning resources; and the overall readiness. For the member,
        a manager in their reporting line and HR admins; reading someone else's is audit-logged.
        """
        self.require_skills_reader()
        report = selectors.gap_analysis(organization=self.organization, member=self.member,
                                        role=self.role)
        self.audit_read("skills.gaps_viewed", role_id=self.role.pk)
        return Response(s.SkillGapAnalysisSerializer(report).data)


class MemberClosestRolesView(_MemberObjectView):
    serializer_class = s.RoleReadinessSerializer

    @extend_schema(operation_id="skills_member_closest_roles_list", tags=["skills: members"],
                   responses={200: s.RoleReadinessSerializer(many=True), **_errors(403)})
    def get(self, request, org_slug, member_id):
        """Every active role profile ranked by the member's readiness for it, closest first.

        For the member, a manager in their reporting line and HR admins; reading someone else's
        is audit-logged.
        """
        self.require_skills_reader()
        ranked = selectors.closest_roles(organization=self.organization, member=self.member)
        self.audit_read("skills.closest_roles_viewed")
        return self.paginated(ranked, s.RoleReadinessSerializer)


class MyPathwayView(_SkillsView):
    serializer_class = s.PathwaySerializer

    @extend_schema(operation_id="skills_my_pathway_retrieve", tags=["skills: members"],
                   responses={200: s.PathwaySerializer, **_errors()})
    def get(self, request, org_slug):
        """Where the caller can go from their current role, one and two moves away, with their
        readiness for each role."""
        route = selectors.pathway(organization=self.organization, member=self.membership)
        # Every move's origin is already loaded: the current role for the first moves, the
        # role in between for the second ones. Naming them saves a query per move.
        for step in route.one_move:
            step.path.from_role = route.current
        for step in route.two_moves:
            for via in step.via:
                via.first.from_role = route.current
                via.path.from_role = via.role
        return Response(s.PathwaySerializer(route).data)


# --- Check-ins ----------------------------------------------------------------------------------


def _check_in_detail(organization, check_in) -> dict:
    """A check-in loaded by ``selectors.check_in_get`` with its scale and each item's history."""
    items = list(check_in.item_list)
    history = defaultdict(list)
    for change in selectors.check_in_history(organization=organization, check_in=check_in):
        history[change.item_id].append(change)
    for item in items:
        item.history_list = history[item.pk]
    framework_id = check_in.role.framework_id if check_in.role is not None else next(
        (item.skill.framework_id for item in items if item.skill is not None), None)
    levels = (list(selectors.level_list(organization=organization, framework=framework_id))
              if framework_id is not None else [])
    check_in.item_count = len(items)
    check_in.rated_count = sum(1 for item in items if item.self_level is not None)
    return {"check_in": check_in, "levels": levels, "items": items}


class CheckInListView(_SkillsView):
    serializer_class = s.CheckInStartSerializer

    @extend_schema(operation_id="skills_check_ins_list", tags=["skills: check-ins"],
                   parameters=[s.CheckInListQuerySerializer],
                   responses={200: s.SkillCheckInSerializer(many=True), **_errors(400, 403)})
    def get(self, request, org_slug):
        """The caller's check-ins and their direct reports', newest first.

        ``member`` narrows to one person: the caller, someone in their reporting line, or anyone
        for HR admins.
        """
        params = self.parse(s.CheckInListQuerySerializer, request.query_params.dict())
        check_ins = selectors.check_in_list(organization=self.organization,
                                            status=params.get("status"))
        member = params.get("member")
        if member is None:
            check_ins = check_ins.filter(
                Q(member=self.membership)
                | Q(member__manager=self.membership, member__is_active=True)
            )
        elif (member.pk == self.membership.pk or self.is_hr
              or access.can_manage_check_ins_of(viewer=self.membership, member=member)):
            check_ins = check_ins.filter(member=member)
        else:
            raise PermissionDenied(gettext_lazy(
                "You can see your own check-ins and those of people in your reporting line."))
        return self.paginated(check_ins, s.SkillCheckInSerializer)

    @extend_schema(operation_id="skills_check_ins_create", tags=["skills: check-ins"],
                   request=s.CheckInStartSerializer,
                   responses={201: s.SkillCheckInDetailSerializer, **_errors(400, 403)})
    def post(self, request, org_slug):
        """Start a check-in: rate yourself against your current role or any other active one.

        The role's required skills are copied into the check-in, so later changes to the role do
        not change it.
        """
        data = self.parse(s.CheckInStartSerializer, request.data)
        role = data.get("role") or selectors.current_role(organization=self.organization,
                                                          member=self.membership)
        if role is None:
            raise DjangoValidationError({"role": gettext_lazy(
                "You have no current role yet: choose the role to rate yourself against.")})
        check_in = assessments.check_in_start(member=self.membership, role=role,
                                              **self.service_context)
        check_in = selectors.check_in_get(organization=self.organization,
                                          check_in_id=check_in.pk)
        return Response(s.SkillCheckInDetailSerializer(
            _check_in_detail(self.organization, check_in)).data, status=status.HTTP_201_CREATED)


class _CheckInObjectView(_SkillsView):
    serializer_class = s.SkillCheckInDetailSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_in = access.access_check_in_by_id(membership=self.membership,
                                                     check_in_id=kwargs["check_in_id"])

    def _output(self) -> Response:
        check_in = selectors.check_in_get(organization=self.organization,
                                          check_in_id=self.check_in.pk)
        return Response(s.SkillCheckInDetailSerializer(
            _check_in_detail(self.organization, check_in)).data)


class CheckInDetailView(_CheckInObjectView):
    @extend_schema(operation_id="skills_check_ins_retrieve", tags=["skills: check-ins"],
                   responses={200: s.SkillCheckInDetailSerializer, **_errors(403)})
    def get(self, request, org_slug, check_in_id):
        """One check-in with the member's and the manager's levels side by side and every change.

        For the member, a manager in their reporting line and HR admins; reading someone else's
        is audit-logged.
        """
        if self.check_in.member_id != self.membership.pk:
            audit(organization=self.organization, actor=self.membership,
                  action="skills.check_in_viewed", subject=self.check_in.member,
                  check_in_id=self.check_in.pk)
        return Response(s.SkillCheckInDetailSerializer(
            _check_in_detail(self.organization, self.check_in)).data)


def _ratings_body(data):
    """Accept ``{"ratings": {...}}`` and the bare ``{"<item id>": level}`` form alike."""
    if (hasattr(data, "keys") and "ratings" not in data and data
            and all(str(key).isdigit() for key in data)):
        return {"ratings": dict(data.items())}
    return data


class CheckInSelfRatingsView(_CheckInObjectView):
    @extend_schema(operation_id="skills_check_ins_self_ratings_update",
                   tags=["skills: check-ins"], request=s.RatingsInputSerializer,
                   responses={200: s.SkillCheckInDetailSerializer, **_errors(400, 403)})
    def put(self, request, org_slug, check_in_id):
        """The member rates themself, ``{"ratings": {"<item id>": <level rank or null>}}``,
        while the check-in is a draft. Items not listed keep their level."""
        data = self.parse(s.RatingsInputSerializer, _ratings_body(request.data))
        assessments.check_in_rate_self(check_in=self.check_in, ratings=data["ratings"],
                                       **self.service_context)
        return self._output()


class CheckInSubmitView(_CheckInObjectView):
    @extend_schema(operation_id="skills_check_ins_submit", tags=["skills: check-ins"],
                   request=None,
                   responses={200: s.SkillCheckInDetailSerializer, **_errors(400, 403)})
    def post(self, request, org_slug, check_in_id):
        """The member hands the check-in to their manager; the self-assessment is then fixed."""
        assessments.check_in_submit(check_in=self.check_in, **self.service_context)
        return self._output()


class CheckInManagerRatingsView(_CheckInObjectView):
    @extend_schema(operation_id="skills_check_ins_manager_ratings_update",
                   tags=["skills: check-ins"], request=s.ManagerRatingsInputSerializer,
                   responses={200: s.SkillCheckInDetailSerializer, **_errors(400, 403)})
    def put(self, request, org_slug, check_in_id):
        """A manager in the member's reporting line rates the submitted check-in's skills and
        comments on them. Never the member themself."""
        data = self.parse(s.ManagerRatingsInputSerializer, _ratings_body(request.data))
        assessments.check_in_rate_manager(check_in=self.check_in, ratings=data.get("ratings", {}),
                                          comments=data.get("comments"),
                                          **self.service_context)
        return self._output()


class CheckInValidateView(_CheckInObjectView):
    @extend_schema(operation_id="skills_check_ins_validate", tags=["skills: check-ins"],
                   request=s.CheckInValidateSerializer,
                   responses={200: s.SkillCheckInDetailSerializer, **_errors(400, 403)})
    def post(self, request, org_slug, check_in_id):
        """A manager in the member's reporting line validates the check-in, with a comment.

        For each skill, the manager's level (else the member's) becomes the member's validated
        level. Never the member themself.
        """
        data = self.parse(s.CheckInValidateSerializer, request.data)
        assessments.check_in_validate(check_in=self.check_in, comment=data.get("comment", ""),
                                      **self.service_context)
        return self._output()


# --- Managers and HR: validation queue and team matrix ------------------------------------------


class ValidationQueueView(_SkillsView):
    serializer_class = s.SkillCheckInSerializer

    @extend_schema(operation_id="skills_validation_queue_list", tags=["skills: check-ins"],
                   responses={200: s.SkillCheckInSerializer(many=True), **_errors(403)})
    def get(self, request, org_slug):
        """Check-ins of the caller's direct reports waiting for validation, oldest first
        (managers)."""
        org_access.require_manager(self.membership)
        queue = selectors.validation_queue(organization=self.organization,
                                           manager=self.membership)
        return self.paginated(queue, s.SkillCheckInSerializer)


class TeamMatrixView(_SkillsView):
    serializer_class = s.TeamMatrixSerializer

    @extend_schema(operation_id="skills_team_matrix_retrieve", tags=["skills: check-ins"],
                   parameters=[s.TeamMatrixQuerySerializer],
                   responses={200: s.TeamMatrixSerializer, **_errors(400, 403)})
    def get(self, request, org_slug):
        """Members by skills, with each member's level coloured on its scale.

        Managers see their direct reports; HR admins choose a team with ``team``. Rows are
        paginated like any list (``page``, ``page_size``). Every read is audit-logged.
        """
        params = self.parse(s.TeamMatrixQuerySerializer, request.query_params.dict())
        team = params.get("team")
        if team is not None:
            self.require_hr()
            members = (Membership.objects.for_org(self.organization)
                       .filter(team=team, is_active=True).select_related("user")
                       .order_by("user__last_name", "user__first_name", "pk"))
        elif getattr(self.membership, "is_manager", False):
            members = org_selectors.direct_reports(organization=self.organization,
                                                   manager=self.membership)
        elif self.is_hr:
            raise DjangoValidationError({"team": gettext_lazy("Choose a team.")})
        else:
            raise PermissionDenied(gettext_lazy(
                "The team matrix is for managers and HR admins."))
        page = self.paginate_queryset(members)
        matrix = selectors.team_matrix(organization=self.organization, members=page,
                                       role=params.get("role"))
        audit(organization=self.organization, actor=self.membership,
              action="skills.team_matrix_viewed", team_id=team.pk if team else None,
              members=[m.pk for m in page])
        body = SimpleNamespace(
            count=self.paginator.page.paginator.count,
            next=self.paginator.get_next_link(),
            previous=self.paginator.get_previous_link(),
            role=matrix.role,
            skills=matrix.skills,
            scales=[{"framework": framework_id, "levels": levels}
                    for framework_id, levels in sorted(matrix.scales.items())],
            rows=matrix.rows,
        )
        return Response(s.TeamMatrixSerializer(body).data)


# --- Import and export --------------------------------------------------------------------------


class _FileFormatNegotiation(DefaultContentNegotiation):
    """``?format=`` names the exported file's format here, not the renderer of the answer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class FrameworkExportView(_SkillsView):
    serializer_class = s.FrameworkExportQuerySerializer
    content_negotiation_class = _FileFormatNegotiation

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.framework = access.access_framework_by_id(membership=self.membership,
                                                       framework_id=kwargs["framework_id"])

    @extend_schema(
        operation_id="skills_frameworks_export", tags=["skills: frameworks"],
        parameters=[s.FrameworkExportQuerySerializer],
        responses={
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=gettext_lazy("The framework as one JSON document."),
            ),
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description=gettext_lazy("The framework as one CSV file."),
            ),
            **_errors(400, 403),
        },
    )
    def get(self, request, org_slug, framework_id):
        """The whole framework as a file that the import reads back: levels, categories, skills
        with descriptors and resources, role profiles with requirements, career paths
        (HR admins)."""
        self.require_hr()
        fmt = self.parse(s.FrameworkExportQuerySerializer,
                         request.query_params.dict())["format"]
        content = interchange.framework_export(organization=self.organization,
                                               framework=self.framework, fmt=fmt)
        content_type = ("application/json" if fmt == interchange.JSON
                        else "text/csv; charset=utf-8")
        response = HttpResponse(content, content_type=content_type)
        filename = f"{slugify(self.framework.name) or 'framework'}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class FrameworkImportView(_SkillsView):
    serializer_class = s.FrameworkImportSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="skills_frameworks_import", tags=["skills: frameworks"],
        request={"multipart/form-data": s.FrameworkImportSerializer},
        responses={
            200: OpenApiResponse(s.FrameworkImportReportSerializer, description=gettext_lazy(
                "A dry run found no problem, or the import updated an existing framework.")),
            201: OpenApiResponse(s.FrameworkImportReportSerializer, description=gettext_lazy(
                "The import created a new framework.")),
            **_errors(400, 403),
        },
    )
    def post(self, request, org_slug):
        """Import a framework file (JSON or CSV, as the export writes them), or only check it
        with ``dry_run`` (HR admins).

        The file is checked whole first: with any problem nothing is saved, and the answer is a
        400 whose ``errors.file`` lists every problem with its place (CSV line and column, or
        JSON pointer). A framework of the same name is updated in place; nothing is deleted.
        """
        self.require_hr()
        data = self.parse(s.FrameworkImportSerializer, request.data)
        upload = data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise DjangoValidationError({"file": gettext_lazy(
                "The file is larger than %(mb)d MB.") % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)}})
        report = interchange.framework_import(
            data=upload.read(), fmt=data["format"], dry_run=data["dry_run"],
            **self.service_context,
        )
        if not report.ok:
            messages = [str(problem) for problem in report.errors]
            if report.more_errors:
                messages.append(str(gettext_lazy("… and %(n)d more problems.")
                                    % {"n": report.more_errors}))
            response = error_response(
                status.HTTP_400_BAD_REQUEST,
                str(gettext_lazy("The file has problems; nothing was imported.")),
            )
            response.data["errors"] = {"file": messages}
            return response
        created = report.applied and report.framework_created
        return Response(s.FrameworkImportReportSerializer(report).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
