import pytest

from tally.api.http import HttpError
from tally.api.routing import Router, compile_pattern


def show(ctx, project_id):
    return "show", project_id


def index(ctx):
    return "index"


def create(ctx):
    return "create"


@pytest.fixture
def router():
    r = Router()
    r.add("GET", "/projects", index)
    r.add("POST", "/projects", create)
    r.add("get", "/projects/{project_id:int}", show)
    r.add("GET", "/files/{name}", show)
    return r


def test_a_matching_route_gives_its_handler_and_converted_parameters(router):
    assert router.match("GET", "/projects") == (index, {})
    assert router.match("POST", "/projects") == (create, {})
    handler, params = router.match("GET", "/projects/42")
    assert handler is show and params == {"project_id": 42} and isinstance(params["project_id"], int)
    assert router.match("GET", "/files/report.csv") == (show, {"name": "report.csv"})


def test_a_trailing_slash_is_ignored(router):
    assert router.match("GET", "/projects/") == (index, {})
    assert router.match("GET", "/projects/7/")[1] == {"project_id": 7}


def test_unknown_paths_are_404(router):
    for path in ("/nothing", "/projects/abc", "/projects/1/2", "/files/a/b"):
        with pytest.raises(HttpError) as caught:
            router.match("GET", path)
        assert caught.value.status == 404


def test_a_wrong_method_is_405_with_the_allowed_methods(router):
    with pytest.raises(HttpError) as caught:
        router.match("DELETE", "/projects")
    assert caught.value.status == 405
    assert caught.value.headers["Allow"] == "GET, POST"
    with pytest.raises(HttpError) as caught:
        router.match("PATCH", "/projects/3")
    assert (caught.value.status, caught.value.headers["Allow"]) == (405, "GET")


def test_registering_a_route_twice_is_an_error(router):
    with pytest.raises(ValueError):
        router.add("GET", "/projects", create)
    router.add("PUT", "/projects", create)


def test_the_decorator_registers_too():
    r = Router()

    @r.route("GET", "/health")
    def health(ctx):
        return "ok"

    assert r.match("GET", "/health") == (health, {})


def test_compile_pattern_checks_the_pattern():
    regex, converters = compile_pattern("/a/{x:int}/b/{y}")
    assert regex.match("/a/1/b/two") and not regex.match("/a/one/b/two")
    assert set(converters) == {"x", "y"}
    with pytest.raises(ValueError):
        compile_pattern("no-slash")
    with pytest.raises(ValueError):
        compile_pattern("/a/{x}/{x}")
