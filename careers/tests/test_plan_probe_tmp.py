import pytest
from careers.factories import DevelopmentActionFactory
pytestmark = pytest.mark.django_db

def test_probe(people, login):
    DevelopmentActionFactory(member=people.employee, status="done")
    DevelopmentActionFactory(member=people.employee, shared_with_manager=False)
    c = login(people.employee)
    r = c.get(f"/api/v1/o/{people.org.slug}/career/actions/")
    assert r.json()["count"] == 2, r.json()
    r = c.get(f"/api/v1/o/{people.org.slug}/career/actions/", {"shared_with_manager": "false"})
    assert r.json()["count"] == 1
