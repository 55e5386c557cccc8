from .context import acting_as, new_request_id


class RequestContextMiddleware:
    """Gives every request an id and makes its user the actor of whatever it writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request.headers.get("X-Request-Id", "")[:64] or new_request_id()
        user = getattr(request, "user", None)
        with acting_as(user, request_id=request.id):
            response = self.get_response(request)
        response["X-Request-Id"] = request.id
        return response
