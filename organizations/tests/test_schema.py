"""The OpenAPI document of the whole project, and the pages that serve it."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


@pytest.fixture
def generated_schema():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = {"warnings": dict(GENERATOR_STATS._warn_cache),
                "errors": dict(GENERATOR_STATS._error_cache)}
    GENERATOR_STATS.reset()
    return schema, problems


def test_schema_of_the_whole_project_generates_with_no_warnings_or_errors(generated_schema):
    schema, problems = generated_schema
    assert problems == {"warnings": {}, "errors": {}}
    validate_schema(schema)


def test_schema_operation_ids_are_unique(generated_schema):
    schema, _problems = generated_schema
    operation_ids = [operation["operationId"] for item in schema["paths"].values()
                     for operation in item.values() if isinstance(operation, dict)]
    assert len(operation_ids) == len(set(operation_ids))


def test_schema_documents_the_organisation_endpoints_and_their_errors(generated_schema):
    schema, _problems = generated_schema
    members = schema["paths"]["/api/v1/o/{org_slug}/members/"]["get"]
    assert {p["name"] for p in members["parameters"]} >= {"org_slug", "q", "team", "is_active",
                                                          "page", "page_size"}
    assert {"200", "400", "401", "404"} <= set(members["responses"])
    detail = schema["paths"]["/api/v1/o/{org_slug}/members/{member_id}/"]
    assert set(detail) >= {"get", "patch"}
    assert "/api/v1/o/{org_slug}/invitations/{invitation_id}/resend/" in schema["paths"]
    invitation = schema["components"]["schemas"]["Invitation"]["properties"]
    assert not {"token", "token_hash"} & set(invitation)
    assert {"personalToken", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


@pytest.mark.django_db
def test_schema_document_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/o/{org_slug}/members/" in response.content


@pytest.mark.django_db
def test_api_docs_page_answers(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
