from .navigation import navigation_for


def tenancy(request):
    membership = getattr(request, "membership", None)
    return {
        "organization": getattr(request, "organization", None),
        "membership": membership,
        "nav": navigation_for(request),
    }
