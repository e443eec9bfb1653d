"""Container health check of the web service: GET /healthz the way the TLS proxy would.

With DJANGO_DEBUG=false, Django redirects plain HTTP to HTTPS and answers 400 to a host that is not
in ALLOWED_HOSTS, so the request names an allowed host and says it came in over HTTPS.
"""

import os
import sys
import urllib.request

PORT = os.environ.get("PORT", "8000")


def allowed_host() -> str:
    for host in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def main() -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/healthz",
        headers={"Host": allowed_host(), "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (fixed URL)
            body = response.read().decode()
            healthy = response.status == 200
    except Exception as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    print(body)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
