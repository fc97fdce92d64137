"""Unit tests of raylane_placement/sitecustomize.py (the placement shim).

Run: python -m unittest discover -s submitter/src/test/python (PlacementShimPythonTest does, with the Ray
venv's python). The pure helpers are tested on plain dicts; the wrappers on a recording stand-in for Ray's
function; the last class imports the real Ray 2.60 (skipped where it is not installed) and checks what the
shim wrapped, in a fresh interpreter started exactly as a Ray worker of the job is: the shim's folder on
PYTHONPATH and the selector in RAYLANE_PLACEMENT_SELECTOR.
"""

import importlib.util
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
}))
"""


@unittest.skipIf(ray_python() is None, "no Python with Ray 2.60 (run ray-cluster/install-ray.sh)")
class RealRayImportTest(unittest.TestCase):
    """A fresh interpreter as a worker of the job starts: the shim's folder first on PYTHONPATH."""

    def run_probe(self, selector):
        env = dict(os.environ)
        env["PYTHONPATH"] = SHIM_DIR
        env.pop("RAYLANE_PLACEMENT_SELECTOR", None)
        if selector is not None:
            env["RAYLANE_PLACEMENT_SELECTOR"] = selector
        done = subprocess.run([ray_python(), "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr

    def test_every_entry_point_is_wrapped_once_ray_is_imported(self):
        wrapped, _ = self.run_probe(json.dumps(SELECTOR))
        self.assertEqual(wrapped, {"module": True, "imported": True, "actor": True, "task": True})

    def test_nothing_is_wrapped_without_the_selector(self):
        wrapped, _ = self.run_probe(None)
        self.assertEqual(wrapped, {"module": False, "imported": False, "actor": False, "task": False})

    def test_a_malformed_selector_says_so_and_wraps_nothing(self):
        wrapped, stderr = self.run_probe("in(gpu-1)")
        self.assertEqual(wrapped, {"module": False, "imported": False, "actor": False, "task": False})
        self.assertIn("RAYLANE_PLACEMENT_SELECTOR is not JSON", stderr)


if __name__ == "__main__":
    unittest.main()
