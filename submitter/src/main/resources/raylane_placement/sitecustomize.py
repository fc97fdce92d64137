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

With RAYLANE_PLACEMENT_GPUS as well (the GPUs Raylane reserved for the job on each node, a JSON object
keyed like the selector's values, e.g. {"gpu-1": 2, "gpu-2": 2}), the process keeps a ledger of the GPUs
it has pinned per node: each bundle that asks for GPUs is pinned to ONE node with room left in the ledger
(honouring the group's strategy), a GPU actor or task outside a group likewise, and removing a group,
killing an actor or the end of a task gives its GPUs back. What does not fit in the reservation is
pinned to a label value no node has, so Ray keeps it PENDING (it never spills onto GPUs reserved for
another job on a shared node), and a line on stderr says so. The ledger is per process.

Nothing else changes: CPU-only actors and tasks, and work inside a placement group (whose bundle
already carries the selector), are left as the program asked. Without the variable, or if Ray's API
differs from what is wrapped here, the job runs unchanged and a line on stderr says why.
See docs/scheduling.md "Placement that Ray obeys".
"""

import json
import os
import sys

SELECTOR_ENV = "RAYLANE_PLACEMENT_SELECTOR"
GPUS_ENV = "RAYLANE_PLACEMENT_GPUS"
# the keys that name one node per value (docs/scheduling.md); a pool-wide selector gets no ledger
NODE_KEYS = ("raylane.io/node", "ray.io/node-id")
# a label value no node carries: what does not fit in the reservation waits on it, PENDING in Ray
WAIT = "raylane-over-reservation"
_EPSILON = 1e-9
_WRAPPED = "_raylane_placement_wrapped"


def _warn(message):
    sys.stderr.write("raylane placement: " + message + "\n")


def _object_from_env(name, environ, valid, shape, consequence):
    """The JSON object in variable `name` whose items all pass `valid`, or None (unset, empty or malformed: said once on stderr)."""
    text = (os.environ if environ is None else environ).get(name, "").strip()
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError as ex:
        _warn("%s is not JSON (%s); %s" % (name, ex, consequence))
        return None
    if not isinstance(value, dict) or not value or not all(
            isinstance(k, str) and valid(v) for k, v in value.items()):
        _warn("%s must be a non-empty object of %s; %s" % (name, shape, consequence))
        return None
    return value


def selector_from_env(environ=None):
    """The selector named by RAYLANE_PLACEMENT_SELECTOR, or None when unset, empty or malformed."""
    return _object_from_env(SELECTOR_ENV, environ, lambda v: isinstance(v, str), "strings",
                            "placement not enforced")


def gpus_from_env(environ=None):
    """The GPUs reserved per node named by RAYLANE_PLACEMENT_GPUS, or None when unset, empty or malformed."""
    value = _object_from_env(
        GPUS_ENV, environ, lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0,
        "GPU counts", "GPUs per node not enforced")
    return None if value is None else {k: float(v) for k, v in value.items()}


def node_key(selector):
    """The selector's key that names nodes one per value, or None (a pool-wide selector)."""
    keys = [k for k in selector if k in NODE_KEYS]
    return keys[0] if len(keys) == 1 else None


def gpus_of(amount):
    """A GPU amount as a float; 0 for what is not a positive number."""
    try:
        value = float(amount or 0)
    except (TypeError, ValueError):
        return 0.0
    return value if value > 0 else 0.0


def assign(asks, strategy, free):
    """Where each bundle of a placement group goes, within the GPUs left per node. Pure.

    asks: the GPUs each bundle asks for; strategy: Ray's (None = PACK); free: node -> GPUs left.
    Returns (nodes, take): per bundle the node it is pinned to, None for a bundle without GPUs (left to
    the job's selector), or WAIT for every GPU bundle when the group does not fit (a group is placed
    whole or not at all, so it then holds nothing); take: node -> GPUs the group holds.
    Nodes are tried in sorted order (first fit): STRICT_PACK puts all GPU bundles on one node,
    STRICT_SPREAD each on a different node, SPREAD prefers a node the group does not use yet, PACK
    takes the first node with room.
    """
    strategy = strategy or "PACK"
    wanted = [i for i, gpus in enumerate(asks) if gpus > 0]
    nodes = [None] * len(asks)
    if not wanted:
        return nodes, {}
    waits = [WAIT if gpus > 0 else None for gpus in asks]
    left = dict(free)
    order = sorted(left)
    if strategy == "STRICT_PACK":
        total = sum(asks[i] for i in wanted)
        node = next((n for n in order if left[n] + _EPSILON >= total), None)
        if node is None:
            return waits, {}
        for i in wanted:
            nodes[i] = node
        return nodes, {node: total}
    take = {}
    for i in wanted:
        fits = [n for n in order if left[n] + _EPSILON >= asks[i]]
        fresh = [n for n in fits if n not in take]
        if strategy == "STRICT_SPREAD":
            fits = fresh
        elif strategy == "SPREAD":
            fits = fresh or fits
        if not fits:
            return waits, {}
        node = fits[0]
        left[node] -= asks[i]
        take[node] = take.get(node, 0.0) + asks[i]
        nodes[i] = node
    return nodes, take


def pinned(own, key, node):
    """A caller's label selector pinned to one node (or to WAIT) by `key`."""
    result = dict(own or {})
    result[key] = "in(%s)" % node
    return result


class Ledger:
    """The GPUs this process has pinned per node, within what Raylane reserved for the job."""

    def __init__(self, reserved, key):
        import threading

        self.reserved = dict(reserved)
        self.free = dict(reserved)
        self.key = key
        self.held = {}  # a group's, actor's or task's id -> {node: GPUs}
        self.lock = threading.Lock()

    def take(self, asks, strategy):
        """assign() against what is left; charges the ledger when it fits."""
        with self.lock:
            nodes, take = assign(asks, strategy, self.free)
            for node, gpus in take.items():
                self.free[node] -= gpus
            return nodes, take

    def hold(self, owner, take):
        if take:
            with self.lock:
                self.held[owner] = take

    def give_back(self, owner=None, take=None):
        with self.lock:
            take = self.held.pop(owner, None) if owner is not None else take
            for node, gpus in (take or {}).items():
                self.free[node] = min(self.reserved[node], self.free[node] + gpus)

    def describe(self):
        with self.lock:
            return ", ".join("%s %g of %g free" % (n, self.free[n], self.reserved[n]) for n in sorted(self.free))

    def waits(self, what, asks):
        _warn("%s asks %g GPUs, %g reserved for this job (%s in this process); it waits PENDING in Ray "
              "rather than take GPUs not reserved for it" % (what, sum(asks), sum(self.reserved.values()),
                                                             self.describe()))


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


def _key_of(kind, ray_id):
    """The ledger's key of a group, actor or task: its kind and Ray's id in hex."""
    return "%s:%s" % (kind, ray_id.hex() if hasattr(ray_id, "hex") else repr(ray_id))


def _wrap_placement_group(module, selector, ledger=None):
    original = module.placement_group
    if getattr(original, _WRAPPED, False):
        return original

    def placement_group(bundles, *args, **kwargs):
        selectors = bundle_selectors(bundles, kwargs.get("bundle_label_selector"), selector)
        take = {}
        if ledger is not None and isinstance(bundles, (list, tuple)):
            strategy = args[0] if args else kwargs.get("strategy")
            asks = [gpus_of(b.get("GPU")) if isinstance(b, dict) else 0.0 for b in bundles]
            nodes, take = ledger.take(asks, strategy)
            selectors = [s if n is None else pinned(s, ledger.key, n) for s, n in zip(selectors, nodes)]
            if WAIT in nodes:
                name = args[1] if len(args) > 1 else kwargs.get("name", "")
                ledger.waits("placement group %r (%s)" % (name, strategy or "PACK"), asks)
        kwargs["bundle_label_selector"] = selectors
        try:
            group = original(bundles, *args, **kwargs)
        except BaseException:
            if ledger is not None:
                ledger.give_back(take=take)
            raise
        if ledger is not None:
            ledger.hold(_key_of("pg", getattr(group, "id", None)), take)
        return group

    placement_group.__doc__ = original.__doc__
    placement_group.__wrapped__ = original
    setattr(placement_group, _WRAPPED, True)
    module.placement_group = placement_group
    return placement_group


def _wrap_remove_placement_group(module, ledger):
    original = module.remove_placement_group
    if getattr(original, _WRAPPED, False):
        return original

    def remove_placement_group(placement_group):
        original(placement_group)
        # Ray frees the bundles asynchronously: a group pinned there meanwhile waits a moment
        ledger.give_back(_key_of("pg", getattr(placement_group, "id", None)))

    remove_placement_group.__doc__ = original.__doc__
    remove_placement_group.__wrapped__ = original
    setattr(remove_placement_group, _WRAPPED, True)
    module.remove_placement_group = remove_placement_group
    return remove_placement_group


def _wrap_kill(ray_module, ledger):
    original = ray_module.kill
    if getattr(original, _WRAPPED, False):
        return

    def kill(actor, *args, **kwargs):
        original(actor, *args, **kwargs)
        ledger.give_back(_key_of("actor", getattr(actor, "_actor_id", None)))

    kill.__doc__ = original.__doc__
    kill.__wrapped__ = original
    setattr(kill, _WRAPPED, True)
    ray_module.kill = kill


def _held_until_done(result, ledger, take):
    """A task's GPUs go back to the ledger when its (first) result is ready; at once if it has none."""
    first = result[0] if isinstance(result, (list, tuple)) and result else result
    try:
        first.future().add_done_callback(lambda _: ledger.give_back(take=take))
    except Exception:  # a streaming generator or no result: pinned, not held
        ledger.give_back(take=take)


def _wrap_remote(cls, selector, ledger=None, kind="actor"):
    original = cls._remote
    if getattr(original, _WRAPPED, False):
        return

    def _remote(self, args=None, kwargs=None, **options):
        if ledger is None or not needs_selector(options):
            return original(self, args, kwargs, **with_selector(options, selector))
        asks = [gpus_of(options.get("num_gpus"))]
        nodes, take = ledger.take(asks, None)
        options = dict(options)
        options["label_selector"] = pinned(merged(options.get("label_selector"), selector), ledger.key, nodes[0])
        if nodes[0] == WAIT:
            ledger.waits("a GPU %s outside placement groups" % kind, asks)
        try:
            result = original(self, args, kwargs, **options)
        except BaseException:
            ledger.give_back(take=take)
            raise
        if take and kind == "actor":
            ledger.hold(_key_of("actor", getattr(result, "_actor_id", None)), take)
        elif take:
            _held_until_done(result, ledger, take)
        return result

    _remote.__wrapped__ = original
    setattr(_remote, _WRAPPED, True)
    cls._remote = _remote


def ledger_for(selector, gpus):
    """The ledger for this process, or None (no GPUs given, or a selector that names no single node)."""
    if not gpus:
        return None
    key = node_key(selector)
    if key is None:
        _warn("%s given but the selector names no node (%s); GPUs per node not enforced" % (GPUS_ENV, selector))
        return None
    return Ledger(gpus, key)


def install(selector, gpus=None):
    """Wraps Ray's entry points in this process; Ray must be importable. True when done."""
    import importlib

    import ray
    import ray.actor
    import ray.remote_function
    import ray.util

    ledger = ledger_for(selector, gpus)
    # the module, not the function of the same name that ray.util exports
    pg_module = importlib.import_module("ray.util.placement_group")

    wrapped = _wrap_placement_group(pg_module, selector, ledger)
    # `from ray.util import placement_group` and `ray.util.placement_group(...)` see the wrapper too
    ray.util.placement_group = wrapped
    if ledger is not None:
        ray.util.remove_placement_group = _wrap_remove_placement_group(pg_module, ledger)
        _wrap_kill(ray, ledger)
    _wrap_remote(ray.actor.ActorClass, selector, ledger, "actor")
    _wrap_remote(ray.remote_function.RemoteFunction, selector, ledger, "task")
    return True


class _AfterRayImport:
    """A meta path finder that installs the wrappers once `ray` has been imported, and only then:
    a process that never imports Ray (a shell, a tokenizer script) pays nothing."""

    def __init__(self, selector, gpus=None):
        self.selector = selector
        self.gpus = gpus

    def find_spec(self, name, path=None, target=None):
        if name != "ray":
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        loader, selector, gpus = spec.loader, self.selector, self.gpus
        exec_module = loader.exec_module

        def exec_then_install(module):
            exec_module(module)
            try:
                install(selector, gpus)
            except Exception as ex:  # the job must run even if Ray's API moved
                _warn("could not wrap Ray (%s: %s); placement not enforced in pid %d"
                      % (type(ex).__name__, ex, os.getpid()))

        loader.exec_module = exec_then_install
        return spec


def _activate():
    selector = selector_from_env()
    if selector is None:
        return
    gpus = gpus_from_env()
    if "ray" in sys.modules:
        install(selector, gpus)
    else:
        sys.meta_path.insert(0, _AfterRayImport(selector, gpus))


try:
    _activate()
except Exception as _ex:  # never stop Python from starting
    _warn("not active (%s: %s)" % (type(_ex).__name__, _ex))
