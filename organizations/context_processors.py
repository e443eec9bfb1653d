from django.utils.functional import SimpleLazyObject

from .navigation import navigation_for


def tenancy(request):
    membership = getattr(request, "membership", None)
    return {
        "organization": getattr(request, "organization", None),
        "membership": membership,
        "nav": navigation_for(request),
        # The organisation switcher in the header. Lazy: a page that does not render the
        # switcher (an API call, an email, a partial) runs no query for it.
        "my_memberships": SimpleLazyObject(lambda: _my_memberships(request)),
    }


def _my_memberships(request) -> list:
    from .selectors import memberships_of_user

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return list(memberships_of_user(user=user))
