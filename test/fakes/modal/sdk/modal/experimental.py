# modal.experimental.get_app_objects: the names of an app's Functions and Clses, as unhydrated
# handles (py/modal/experimental/__init__.py). See __init__.py for what this stands in for.
from . import Function, _apps


def get_app_objects(app_name, *, environment_name=None, client=None):
    functions = _apps().get(app_name)
    if functions is None:
        raise LookupError("App '%s' not found" % app_name)
    return {name: Function(app_name, name, environment_name) for name in functions}
