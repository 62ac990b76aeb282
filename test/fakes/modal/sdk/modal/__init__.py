# A stand-in for the public parts of the modal package that cutover's stats helper calls, so the
# real helper runs on a real python3 here (no Modal account can be reached): Function.from_name(
# app, name, environment_name=...).get_current_stats() returning the FunctionStats dataclass of
# py/modal/types.py, and modal.experimental.get_app_objects (py/modal/experimental/__init__.py).
# Its numbers come from FAKE_MODAL_SDK_STATS: {"app": {"function": {field: value}}}.
import dataclasses
import json
import os

__version__ = "1.5.4"


@dataclasses.dataclass(frozen=True)
class FunctionStats:
    backlog: int
    num_total_runners: int
    num_running_inputs: int
    input_headroom: int


def _apps():
    return json.loads(os.environ.get("FAKE_MODAL_SDK_STATS", "{}"))


class Function:
    def __init__(self, app, name, environment_name):
        self.app, self.name, self.environment_name = app, name, environment_name

    @classmethod
    def from_name(cls, app_name, name, *, environment_name=None):
        return cls(app_name, name, environment_name)

    def get_current_stats(self):
        functions = _apps().get(self.app)
        if functions is None or self.name not in functions:
            raise LookupError("Lookup failed for Function '%s' from the '%s' app" % (self.name, self.app))
        return FunctionStats(**functions[self.name])


class Cls:
    pass
