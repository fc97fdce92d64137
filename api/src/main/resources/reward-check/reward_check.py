# Raylane's reward file check (issue 13 item 5), run by the API as `python3 -I -S -c <this> FUNCTION [NAME...]`
# with the file's bytes on stdin. It parses the source with `ast` and never imports or runs it. It answers one
# JSON object on stdout:
#   {"result": "ok"}                                         the function is defined and verl can call it
#   {"result": "ok", "note": "..."}                         defined, but not by a `def` we can read
#   {"result": "syntax_error", "line": N, "message": "..."}
#   {"result": "function_missing"}
#   {"result": "incompatible", "message": "..."}
# verl (0.6.1 to 0.9.1) calls the function with keywords only: fn(data_source=..., solution_str=...,
# ground_truth=..., extra_info=..., **reward_kwargs) (verl/workers/reward_manager/naive.py and
# verl/experimental/reward_loop/reward_manager/naive.py; docs/reference/verl.md). NAME... are the reward_kwargs
# the job's overrides add; "--defined-only" as the first NAME skips the signature (a custom reward manager
# calls the function its own way).
import ast
import json
import sys

CALLED_WITH = ("data_source", "solution_str", "ground_truth", "extra_info")


def check(source, function, extra=(), defined_only=False):
    try:
        tree = ast.parse(source)
    except SyntaxError as ex:
        return {"result": "syntax_error", "line": ex.lineno or 0, "message": ex.msg or "invalid syntax"}
    except (ValueError, UnicodeDecodeError) as ex:
        # null bytes, or bytes that are not in the file's declared encoding
        return {"result": "syntax_error", "line": 0, "message": str(ex)}
    except (RecursionError, MemoryError):
        return {"result": "syntax_error", "line": 0, "message": "too deeply nested to parse"}
    binding = last_binding(tree, function)
    if binding is None:
        return {"result": "function_missing"}
    if isinstance(binding, ast.ClassDef):
        return {"result": "incompatible", "message": "'%s' is a class, not a function" % function}
    args = binding.args if isinstance(binding, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) else None
    if args is None:
        return {"result": "ok", "note": "'%s' is bound by an assignment or import: its signature is not checked" % function}
    if defined_only:
        return {"result": "ok"}
    problem = incompatibility(args, CALLED_WITH + tuple(extra))
    return {"result": "incompatible", "message": problem} if problem else {"result": "ok"}


def last_binding(tree, name):
    """The last top-level statement that binds name: that is the one verl gets after the module ran."""
    found = None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            found = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                found = node.value if isinstance(node.value, ast.Lambda) else node
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if any((a.asname or a.name.split(".")[0]) == name for a in node.names):
                found = node
    return found


def incompatibility(args, passed):
    """Why a keyword-only call with exactly `passed` fails against these parameters, or None."""
    named = {a.arg for a in args.args} | {a.arg for a in args.kwonlyargs}
    positional_only = [a.arg for a in args.posonlyargs]
    if not args.kwarg:
        for keyword in passed:
            if keyword not in named:
                return "does not accept the keyword '%s' that verl passes (add it, or **kwargs)" % keyword
    # positional parameters without a default are the last len(args.args) - len(defaults)
    positional = args.posonlyargs + args.args
    required = positional[: len(positional) - len(args.defaults)]
    required += [a for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is None]
    for param in required:
        if param.arg in positional_only:
            return "requires the positional-only '%s', but verl passes keywords only" % param.arg
        if param.arg not in passed:
            return "requires '%s', which verl does not pass (give it a default)" % param.arg
    return None


def main(argv):
    if len(argv) < 2:
        print(json.dumps({"result": "usage", "message": "reward_check FUNCTION [--defined-only] [NAME...]"}))
        return 2
    names = argv[2:]
    defined_only = bool(names) and names[0] == "--defined-only"
    if defined_only:
        names = names[1:]
    print(json.dumps(check(sys.stdin.buffer.read(), argv[1], names, defined_only)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
