"""Unit tests of raylane_placement/sitecustomize.py (the placement shim).

Run: python -m unittest discover -s submitter/src/test/python (PlacementShimPythonTest does, with the Ray
venv's python). The pure helpers are tested on plain dicts; the wrappers on a recording stand-in for Ray's
function; the last class imports the real Ray 2.60 (skipped where it is not installed) and checks what the
shim wrapped, in a fresh interpreter started exactly as a Ray worker of the job is: the shim's folder on
PYTHONPATH and the selector in RAYLANE_PLACEMENT_SELECTOR.
"""

import concurrent.futures
import contextlib
import importlib.util
import io
import json
import os
import subprocess
import sys
import types
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SHIM_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "main", "resources", "raylane_placement"))
SELECTOR = {"raylane.io/node": "in(gpu-1,gpu-2)"}


def load_shim():
    """The shim as a module of its own (no selector in this process's environment, so it activates nothing)."""
    spec = importlib.util.spec_from_file_location("raylane_shim_under_test", os.path.join(SHIM_DIR, "sitecustomize.py"))
    module = importlib.util.module_from_spec(spec)
    saved = os.environ.pop("RAYLANE_PLACEMENT_SELECTOR", None)
    try:
        spec.loader.exec_module(module)
    finally:
        if saved is not None:
            os.environ["RAYLANE_PLACEMENT_SELECTOR"] = saved
    return module


shim = load_shim()


class SelectorFromEnvTest(unittest.TestCase):

    def test_table(self):
        cases = [
            ("unset", {}, None),
            ("empty", {"RAYLANE_PLACEMENT_SELECTOR": " "}, None),
            ("not JSON", {"RAYLANE_PLACEMENT_SELECTOR": "in(a)"}, None),
            ("a list", {"RAYLANE_PLACEMENT_SELECTOR": "[]"}, None),
            ("empty object", {"RAYLANE_PLACEMENT_SELECTOR": "{}"}, None),
            ("non-string value", {"RAYLANE_PLACEMENT_SELECTOR": '{"a": 1}'}, None),
            ("the selector", {"RAYLANE_PLACEMENT_SELECTOR": json.dumps(SELECTOR)}, SELECTOR),
        ]
        for name, environ, expected in cases:
            with self.subTest(name):
                self.assertEqual(shim.selector_from_env(environ), expected)


class BundleSelectorsTest(unittest.TestCase):

    def test_table(self):
        two = [{"CPU": 3, "GPU": 1}, {"CPU": 3, "GPU": 1}]
        cases = [
            ("none given: one per bundle", two, None, [SELECTOR, SELECTOR]),
            ("given: merged per bundle", two, [{"zone": "a"}, {}],
             [{"zone": "a", "raylane.io/node": "in(gpu-1,gpu-2)"}, SELECTOR]),
            ("a conflicting key: Raylane's wins", two, [{"raylane.io/node": "gpu-9"}, {}], [SELECTOR, SELECTOR]),
            ("wrong length: replaced", two, [{}], [SELECTOR, SELECTOR]),
            ("no bundles", [], None, []),
        ]
        for name, bundles, given, expected in cases:
            with self.subTest(name):
                self.assertEqual(shim.bundle_selectors(bundles, given, SELECTOR), expected)

    def test_each_bundle_gets_its_own_dict(self):
        result = shim.bundle_selectors([{}, {}], None, SELECTOR)
        result[0]["x"] = "y"
        self.assertNotIn("x", result[1])
        self.assertNotIn("x", SELECTOR)


class ActorAndTaskOptionsTest(unittest.TestCase):

    def test_table(self):
        pg_strategy = types.SimpleNamespace(placement_group="pg")  # any strategy object
        cases = [
            ("GPU actor, default scheduling", {"num_gpus": 1}, True),
            ("fractional GPU", {"num_gpus": 0.5}, True),
            ("GPU with SPREAD", {"num_gpus": 1, "scheduling_strategy": "SPREAD"}, True),
            ("GPU with DEFAULT", {"num_gpus": 1, "scheduling_strategy": "DEFAULT"}, True),
            ("CPU only", {"num_cpus": 1}, False),
            ("num_gpus None", {"num_gpus": None}, False),
            ("num_gpus 0", {"num_gpus": 0}, False),
            ("in a placement group (strategy)", {"num_gpus": 1, "scheduling_strategy": pg_strategy}, False),
            ("in a placement group (deprecated option)", {"num_gpus": 1, "placement_group": "pg"}, False),
            ("placement_group option left at default", {"num_gpus": 1, "placement_group": "default"}, True),
            ("num_gpus not a number", {"num_gpus": "x"}, False),
        ]
        for name, options, expected in cases:
            with self.subTest(name):
                self.assertEqual(shim.needs_selector(options), expected)
                result = shim.with_selector(options, SELECTOR)
                if expected:
                    self.assertEqual(result["label_selector"], SELECTOR)
                else:
                    self.assertIs(result, options)

    def test_callers_selector_is_kept_and_not_mutated(self):
        options = {"num_gpus": 1, "label_selector": {"zone": "a"}}
        result = shim.with_selector(options, SELECTOR)
        self.assertEqual(result["label_selector"], {"zone": "a", "raylane.io/node": "in(gpu-1,gpu-2)"})
        self.assertEqual(options["label_selector"], {"zone": "a"})


class WrappersTest(unittest.TestCase):
    """The wrappers around a recording stand-in for Ray's functions."""

    def test_placement_group_gets_the_bundle_selectors_and_keeps_the_rest(self):
        calls = []

        def placement_group(bundles, strategy="PACK", name="", lifetime=None, bundle_label_selector=None):
            calls.append((bundles, strategy, name, lifetime, bundle_label_selector))
            return "pg"

        module = types.SimpleNamespace(placement_group=placement_group)
        wrapped = shim._wrap_placement_group(module, SELECTOR)
        bundles = [{"CPU": 3, "GPU": 1}] * 2
        # verl 0.9.1's call (single_controller/ray/base.py, RayResourcePool.get_placement_groups)
        self.assertEqual(module.placement_group(bundles=bundles, strategy="STRICT_PACK", name="g:0", lifetime=None),
                         "pg")
        self.assertEqual(calls, [(bundles, "STRICT_PACK", "g:0", None, [SELECTOR, SELECTOR])])
        self.assertIs(shim._wrap_placement_group(module, SELECTOR), wrapped, "wrapped once only")

    def test_remote_gets_the_selector_for_gpu_work_only(self):
        seen = []

        class ActorClass:
            def _remote(self, args=None, kwargs=None, **options):
                seen.append(options)

        shim._wrap_remote(ActorClass, SELECTOR)
        shim._wrap_remote(ActorClass, SELECTOR)  # a second install changes nothing
        ActorClass()._remote([], {}, num_gpus=1)
        ActorClass()._remote(args=[], kwargs={}, num_cpus=1)
        self.assertEqual(seen, [{"num_gpus": 1, "label_selector": SELECTOR}, {"num_cpus": 1}])


class GpusFromEnvTest(unittest.TestCase):

    def test_table(self):
        cases = [
            ("unset", {}, None),
            ("not JSON", {"RAYLANE_PLACEMENT_GPUS": "gpu-1=2"}, None),
            ("empty object", {"RAYLANE_PLACEMENT_GPUS": "{}"}, None),
            ("a string count", {"RAYLANE_PLACEMENT_GPUS": '{"gpu-1": "2"}'}, None),
            ("a negative count", {"RAYLANE_PLACEMENT_GPUS": '{"gpu-1": -1}'}, None),
            ("a boolean", {"RAYLANE_PLACEMENT_GPUS": '{"gpu-1": true}'}, None),
            ("counts", {"RAYLANE_PLACEMENT_GPUS": '{"gpu-1": 2, "gpu-2": 0.5}'}, {"gpu-1": 2.0, "gpu-2": 0.5}),
        ]
        for name, environ, expected in cases:
            with self.subTest(name):
                self.assertEqual(shim.gpus_from_env(environ), expected)

    def test_node_key(self):
        self.assertEqual(shim.node_key(SELECTOR), "raylane.io/node")
        self.assertEqual(shim.node_key({"ray.io/node-id": "in(ab)"}), "ray.io/node-id")
        self.assertIsNone(shim.node_key({"raylane.io/pool": "a"}), "a pool-wide selector names no node")
        self.assertIsNone(shim.ledger_for({"raylane.io/pool": "a"}, {"gpu-1": 2.0}))
        self.assertIsNone(shim.ledger_for(SELECTOR, None))


W = shim.WAIT


class AssignTest(unittest.TestCase):
    """Where a group's bundles go within the GPUs left per node (verl: STRICT_PACK, one GPU per bundle)."""

    def test_table(self):
        two_two = {"gpu-1": 2.0, "gpu-2": 2.0}
        cases = [
            ("STRICT_PACK: one node with room for all", [1, 1], "STRICT_PACK", two_two,
             ["gpu-1", "gpu-1"], {"gpu-1": 2}),
            ("STRICT_PACK: the first node is full", [1, 1], "STRICT_PACK", {"gpu-1": 1.0, "gpu-2": 2.0},
             ["gpu-2", "gpu-2"], {"gpu-2": 2}),
            ("STRICT_PACK: no one node has room: the group waits whole", [1, 1, 1], "STRICT_PACK", two_two,
             [W, W, W], {}),
            ("STRICT_PACK: CPU bundles are left to the job's selector", [0, 1], "STRICT_PACK", two_two,
             [None, "gpu-1"], {"gpu-1": 1}),
            ("STRICT_SPREAD: distinct nodes", [1, 1], "STRICT_SPREAD", two_two, ["gpu-1", "gpu-2"],
             {"gpu-1": 1, "gpu-2": 1}),
            ("STRICT_SPREAD: more bundles than nodes waits", [1, 1, 1], "STRICT_SPREAD", two_two, [W, W, W], {}),
            ("SPREAD: distinct nodes first, then any with room", [1, 1, 1], "SPREAD", two_two,
             ["gpu-1", "gpu-2", "gpu-1"], {"gpu-1": 2, "gpu-2": 1}),
            ("PACK: first fit", [1, 1, 1], "PACK", two_two, ["gpu-1", "gpu-1", "gpu-2"], {"gpu-1": 2, "gpu-2": 1}),
            ("no strategy is PACK", [2], None, {"gpu-1": 1.0, "gpu-2": 2.0}, ["gpu-2"], {"gpu-2": 2}),
            ("PACK beyond the reservation waits", [2, 2, 1], "PACK", two_two, [W, W, W], {}),
            ("fractional GPUs", [0.5, 0.5], "STRICT_PACK", {"gpu-1": 1.0}, ["gpu-1", "gpu-1"], {"gpu-1": 1}),
            ("no GPU asked: nothing pinned", [0, 0], "STRICT_PACK", {}, [None, None], {}),
        ]
        for name, asks, strategy, free, nodes, take in cases:
            with self.subTest(name):
                self.assertEqual(shim.assign([float(a) for a in asks], strategy, free), (nodes, take))

    def test_free_is_not_changed(self):
        free = {"gpu-1": 2.0}
        shim.assign([1.0], "PACK", free)
        self.assertEqual(free, {"gpu-1": 2.0})


class LedgerWrappersTest(unittest.TestCase):
    """The wrappers with a ledger: two jobs sharing gpu-1 (4 GPUs), this one reserved 2 of them."""

    def setUp(self):
        self.ledger = shim.Ledger({"gpu-1": 2.0}, "raylane.io/node")
        self.calls = []
        self.removed = []
        ids = iter(range(100))

        def placement_group(bundles, strategy="PACK", name="", lifetime=None, bundle_label_selector=None):
            self.calls.append((name, bundle_label_selector))
            return types.SimpleNamespace(id=("pg-%d" % next(ids)).encode())

        self.module = types.SimpleNamespace(placement_group=placement_group,
                                            remove_placement_group=self.removed.append)
        shim._wrap_placement_group(self.module, {"raylane.io/node": "in(gpu-1)"}, self.ledger)
        shim._wrap_remove_placement_group(self.module, self.ledger)

    def test_the_group_beyond_the_reservation_waits_and_a_removal_gives_the_gpus_back(self):
        bundles = [{"CPU": 3, "GPU": 1}] * 2
        pin, wait = {"raylane.io/node": "in(gpu-1)"}, {"raylane.io/node": "in(raylane-over-reservation)"}
        # verl 0.9.1 asking 2 nodes of 2 GPUs while Raylane gave the job 2 GPUs on gpu-1
        first = self.module.placement_group(bundles=bundles, strategy="STRICT_PACK", name="g:0", lifetime=None)
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            self.module.placement_group(bundles=bundles, strategy="STRICT_PACK", name="g:1", lifetime=None)
        self.assertEqual(self.calls, [("g:0", [pin, pin]), ("g:1", [wait, wait])])
        self.assertEqual(stderr.getvalue(),
                         "raylane placement: placement group 'g:1' (STRICT_PACK) asks 2 GPUs, 2 reserved for this job"
                         " (gpu-1 0 of 2 free in this process); it waits PENDING in Ray rather than take GPUs not"
                         " reserved for it\n")
        self.module.remove_placement_group(first)
        self.assertEqual(self.removed, [first])
        self.assertEqual(self.ledger.free, {"gpu-1": 2.0})
        self.module.placement_group(bundles=bundles, strategy="STRICT_PACK", name="g:2")
        self.assertEqual(self.calls[-1], ("g:2", [pin, pin]))

    def test_gpu_actors_and_tasks_take_from_the_ledger_too(self):
        futures = []

        class Ref:
            def future(self):
                future = concurrent.futures.Future()
                futures.append(future)
                return future

        class ActorClass:
            def _remote(self, args=None, kwargs=None, **options):
                return types.SimpleNamespace(_actor_id=b"actor-1", options=options)

        class RemoteFunction:
            def _remote(self, args=None, kwargs=None, **options):
                return Ref()

        killed = []
        ray_module = types.SimpleNamespace(kill=killed.append)
        selector = {"raylane.io/node": "in(gpu-1)"}
        shim._wrap_remote(ActorClass, selector, self.ledger, "actor")
        shim._wrap_remote(RemoteFunction, selector, self.ledger, "task")
        shim._wrap_kill(ray_module, self.ledger)

        actor = ActorClass()._remote([], {}, num_gpus=1)
        self.assertEqual(actor.options["label_selector"], {"raylane.io/node": "in(gpu-1)"})
        RemoteFunction()._remote([], {}, num_gpus=1)
        self.assertEqual(self.ledger.free, {"gpu-1": 0.0})
        with contextlib.redirect_stderr(io.StringIO()) as stderr:
            late = ActorClass()._remote([], {}, num_gpus=1)
        self.assertEqual(late.options["label_selector"], {"raylane.io/node": "in(raylane-over-reservation)"})
        self.assertIn("a GPU actor outside placement groups asks 1 GPUs, 2 reserved", stderr.getvalue())
        futures[0].set_result(None)  # the task ended
        self.assertEqual(self.ledger.free, {"gpu-1": 1.0})
        ray_module.kill(actor)
        self.assertEqual(killed, [actor])
        self.assertEqual(self.ledger.free, {"gpu-1": 2.0})
        cpu = ActorClass()._remote([], {}, num_cpus=1)
        self.assertNotIn("label_selector", cpu.options, "CPU work is left alone")


def ray_python():
    """An interpreter that has Ray: this one, else the Ray venv's."""
    if importlib.util.find_spec("ray") is not None:
        return sys.executable
    venv = os.environ.get("RAYLANE_RAY_VENV") or os.path.expanduser("~/.cache/raylane/ray-2.60.0")
    python = os.path.join(venv, "bin", "python")
    return python if os.access(python, os.X_OK) else None


PROBE = """
import json, ray, ray.actor, ray.remote_function, ray.util
from ray.util.placement_group import placement_group as imported
print(json.dumps({
    "module": getattr(ray.util.placement_group, "_raylane_placement_wrapped", False),
    "imported": getattr(imported, "_raylane_placement_wrapped", False),
    "actor": getattr(ray.actor.ActorClass._remote, "_raylane_placement_wrapped", False),
    "task": getattr(ray.remote_function.RemoteFunction._remote, "_raylane_placement_wrapped", False),
    "remove": getattr(ray.util.remove_placement_group, "_raylane_placement_wrapped", False),
    "kill": getattr(ray.kill, "_raylane_placement_wrapped", False),
}))
"""


@unittest.skipIf(ray_python() is None, "no Python with Ray 2.60 (run ray-cluster/install-ray.sh)")
class RealRayImportTest(unittest.TestCase):
    """A fresh interpreter as a worker of the job starts: the shim's folder first on PYTHONPATH."""

    def run_probe(self, selector, gpus=None):
        env = dict(os.environ)
        env["PYTHONPATH"] = SHIM_DIR
        env.pop("RAYLANE_PLACEMENT_SELECTOR", None)
        env.pop("RAYLANE_PLACEMENT_GPUS", None)
        if selector is not None:
            env["RAYLANE_PLACEMENT_SELECTOR"] = selector
        if gpus is not None:
            env["RAYLANE_PLACEMENT_GPUS"] = gpus
        done = subprocess.run([ray_python(), "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr

    def test_every_entry_point_is_wrapped_once_ray_is_imported(self):
        wrapped, _ = self.run_probe(json.dumps(SELECTOR))
        self.assertEqual(wrapped, {"module": True, "imported": True, "actor": True, "task": True,
                                   "remove": False, "kill": False})

    def test_with_the_gpus_per_node_removal_and_kill_are_wrapped_too(self):
        wrapped, _ = self.run_probe(json.dumps(SELECTOR), json.dumps({"gpu-1": 2, "gpu-2": 2}))
        self.assertEqual(wrapped, {"module": True, "imported": True, "actor": True, "task": True,
                                   "remove": True, "kill": True})

    def test_nothing_is_wrapped_without_the_selector(self):
        wrapped, _ = self.run_probe(None, json.dumps({"gpu-1": 2}))
        self.assertEqual(set(wrapped.values()), {False})

    def test_a_malformed_selector_says_so_and_wraps_nothing(self):
        wrapped, stderr = self.run_probe("in(gpu-1)")
        self.assertEqual(set(wrapped.values()), {False})
        self.assertIn("RAYLANE_PLACEMENT_SELECTOR is not JSON", stderr)


if __name__ == "__main__":
    unittest.main()
