// The Python program cutover runs (with `python3 -u -c`) to read a deployed app's live numbers
// through Modal's public SDK; no Modal CLI command prints them. It answers one JSON line per
// request line on stdin, so one interpreter (and one `import modal`) serves a whole watch.
//
// What it calls, all public (modal-client, py/modal):
// - modal.experimental.get_app_objects(app, environment_name=…) → the app's Function and Cls
//   names (py/modal/experimental/__init__.py, since modal 1.1); older clients: the names cutover
//   read from `modal deploy`'s output are used instead.
// - modal.Function.from_name(app, name, environment_name=…).get_current_stats() → FunctionStats
//   (backlog, num_total_runners, num_running_inputs, input_headroom; py/modal/types.py; clients
//   before 1.3.5 report backlog and num_total_runners only).
//
// The first line it prints says whether `import modal` works here, and which client it found.

/** The first line of the program, by which its output can be recognised. */
export const statsHelperMarker = '# cutover modal-stats helper, protocol 1';

export const statsHelperSource = `${statsHelperMarker}
import dataclasses, json, sys

# \`python -c\` puts the working directory first on sys.path: a folder named modal there is not the SDK.
sys.path = [entry for entry in sys.path if entry not in ("", ".")]

def say(value):
    sys.stdout.write(json.dumps(value) + "\\n")
    sys.stdout.flush()

try:
    import modal
except Exception as exc:
    say({"hello": 1, "python": sys.executable,
         "error": {"reason": "modal-not-installed", "message": "%s: %s" % (type(exc).__name__, exc)}})
    sys.exit(0)

if not hasattr(modal, "Function"):
    where = getattr(modal, "__file__", None) or list(getattr(modal, "__path__", []))
    say({"hello": 1, "python": sys.executable,
         "error": {"reason": "not-modal-sdk", "message": "%s is not Modal's SDK" % (where,)}})
    sys.exit(0)

say({"hello": 1, "python": sys.executable, "modal": getattr(modal, "__version__", "unknown")})

def function_names(app, environment, given):
    try:
        from modal.experimental import get_app_objects
    except ImportError:
        return list(given), "deploy-output"
    objects = get_app_objects(app, environment_name=environment)
    return [name for name, obj in objects.items() if isinstance(obj, modal.Function)], "get_app_objects"

def stats(app, environment, name):
    function = modal.Function.from_name(app, name, environment_name=environment)
    return dataclasses.asdict(function.get_current_stats())

for line in sys.stdin:
    try:
        request = json.loads(line)
        app, environment = request["app"], request.get("environment")
        names, source = function_names(app, environment, request.get("functions", []))
        answers = []
        for name in names:
            try:
                answers.append({"name": name, "stats": stats(app, environment, name)})
            except Exception as exc:
                answers.append({"name": name, "error": "%s: %s" % (type(exc).__name__, exc)})
        say({"functions": answers, "source": source})
    except Exception as exc:
        say({"error": {"reason": type(exc).__name__, "message": str(exc)}})
`;
