"""Raylane's placement shim: keeps a job's GPU work on the nodes Raylane reserved for it.

Raylane's submitter puts this folder first on the job's PYTHONPATH and the job's label selector in
RAYLANE_PLACEMENT_SELECTOR (a JSON object, e.g. {"raylane.io/node": "in(gpu-1,gpu-2)"}). Python imports
`sitecustomize` at start-up in every process of the job (the driver and every Ray worker, since Ray gives
the job's runtime_env env_vars to all of them). When that process imports Ray, this module wraps, in
Ray 2.60 (ray/util/placement_group.py, ray/actor.py, ray/remote_function.py):

- placement_group(): every bundle gets the selector (`bundle_label_selector`, merged with what the
  caller gave; on a conflicting key Raylane's value wins), so a bundle can only be placed on a reserved
  node, and a group that does not fit there stays PENDING instead of spilling onto other nodes;
- ActorClass._remote / RemoteFunction._remote: an actor or task that asks for GPUs (num_gpus > 0) and
  is not scheduled into a placement group or onto a fixed node gets the selector (`label_selector`).

Nothing else changes: CPU-only actors and tasks, and work inside a placement group (whose bundle
already carries the selector), are left as the program asked. Without the variable, or if Ray's API
differs from what is wrapped here, the job runs unchanged and a line on stderr says why.
See docs/scheduling.md "Placement that Ray obeys".
"""

import json
import os
import sys

SELECTOR_ENV = "RAYLANE_PLACEMENT_SELECTOR"
_WRAPPED = "_raylane_placement_wrapped"


def _warn(message):
    sys.stderr.write("raylane placement: " + message + "\n")


def selector_from_env(environ=None):
    """The selector named by RAYLANE_PLACEMENT_SELECTOR, or None when unset, empty or malformed."""
    text = (os.environ if environ is None else environ).get(SELECTOR_ENV, "").strip()
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError as ex:
        _warn("%s is not JSON (%s); placement not enforced" % (SELECTOR_ENV, ex))
        return None
    if not isinstance(value, dict) or not value or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        _warn("%s must be a non-empty object of strings; placement not enforced" % SELECTOR_ENV)
        return None
    return value


def merged(own, selector):
    """A caller's label selector with Raylane's keys added (Raylane's value wins on a shared key)."""
    result = dict(own or {})
    result.update(selector)
    return result


def bundle_selectors(bundles, given, selector):
    """The bundle_label_selector for `bundles`: one selector per bundle, each with Raylane's keys."""
    count = len(bundles) if isinstance(bundles, (list, tuple)) else 0
    if isinstance(given, (list, tuple)) and len(given) == count:
        return [merged(g, selector) for g in given]
    # none given (or a malformed one, which Ray refuses anyway): the same selector for every bundle
    return [dict(selector) for _ in range(count)]


def _in_placement_group(options):
    strategy = options.get("scheduling_strategy")
    if options.get("placement_group") not in (None, "default"):
        return True
    # PlacementGroupSchedulingStrategy and NodeAffinity/NodeLabel strategies are objects; Ray's
    # plain strategies are the strings "DEFAULT" and "SPREAD" (ray/util/scheduling_strategies.py)
    return strategy is not None and not isinstance(strategy, str)


def needs_selector(options):
    """Whether an actor or task with these (merged) options is GPU work Ray could place anywhere."""
    gpus = options.get("num_gpus") or 0
    try:
        gpus = float(gpus)
    except (TypeError, ValueError):
        return False
    return gpus > 0 and not _in_placement_group(options)


def with_selector(options, selector):
    """The options an actor or task is created with: unchanged unless `needs_selector`."""
    if not needs_selector(options):
        return options
    result = dict(options)
    result["label_selector"] = merged(options.get("label_selector"), selector)
    return result


def _wrap_placement_group(module, selector):
    original = module.placement_group
    if getattr(original, _WRAPPED, False):
        return original

    def placement_group(bundles, *args, **kwargs):
        kwargs["bundle_label_selector"] = bundle_selectors(
            bundles, kwargs.get("bundle_label_selector"), selector)
        return original(bundles, *args, **kwargs)

    placement_group.__doc__ = original.__doc__
    placement_group.__wrapped__ = original
    setattr(placement_group, _WRAPPED, True)
    module.placement_group = placement_group
    return placement_group


def _wrap_remote(cls, selector):
    original = cls._remote
    if getattr(original, _WRAPPED, False):
        return

    def _remote(self, args=None, kwargs=None, **options):
        return original(self, args, kwargs, **with_selector(options, selector))

    _remote.__wrapped__ = original
    setattr(_remote, _WRAPPED, True)
    cls._remote = _remote


def install(selector):
    """Wraps Ray's entry points in this process; Ray must be importable. True when done."""
    import importlib

    import ray.actor
    import ray.remote_function
    import ray.util

    # the module, not the function of the same name that ray.util exports
    pg_module = importlib.import_module("ray.util.placement_group")

    wrapped = _wrap_placement_group(pg_module, selector)
    # `from ray.util import placement_group` and `ray.util.placement_group(...)` see the wrapper too
    ray.util.placement_group = wrapped
    _wrap_remote(ray.actor.ActorClass, selector)
    _wrap_remote(ray.remote_function.RemoteFunction, selector)
    return True


class _AfterRayImport:
    """A meta path finder that installs the wrappers once `ray` has been imported, and only then:
    a process that never imports Ray (a shell, a tokenizer script) pays nothing."""

    def __init__(self, selector):
        self.selector = selector

    def find_spec(self, name, path=None, target=None):
        if name != "ray":
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        loader, selector = spec.loader, self.selector
        exec_module = loader.exec_module

        def exec_then_install(module):
            exec_module(module)
            try:
                install(selector)
            except Exception as ex:  # the job must run even if Ray's API moved
                _warn("could not wrap Ray (%s: %s); placement not enforced in pid %d"
                      % (type(ex).__name__, ex, os.getpid()))

        loader.exec_module = exec_then_install
        return spec


def _activate():
    selector = selector_from_env()
    if selector is None:
        return
    if "ray" in sys.modules:
        install(selector)
    else:
        sys.meta_path.insert(0, _AfterRayImport(selector))


try:
    _activate()
except Exception as _ex:  # never stop Python from starting
    _warn("not active (%s: %s)" % (type(_ex).__name__, _ex))
