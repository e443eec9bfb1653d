"""Small helpers for views of every app."""

from django.http import HttpResponseNotAllowed


def refuse_unless_post(request):
    """``405`` for anything but POST, else ``None``.

    Views that act on an object named in the URL call this *after* looking the object up, so
    that another organisation's id is 404 whatever the method: answering 405 first would confirm
    that the URL names something.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None
