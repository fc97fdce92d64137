"""Composes override lists with the verl installed in this Python exactly as verl does at start-up, for the
build's tests (jobspec's VerlHydraComposeTest). Reads JSON from the file named by argv[1]:

  {"cases": [{"id": "...", "workload": "ppo"|"sft", "overrides": ["a.b=1", ...], "dump": false}, ...]}

and prints one JSON object: {"verl": "<version>", "results": [{"id", "ok", "error", "reward", "config"}]}, where
error is Hydra's message when composition fails, reward is the {path, name} of the custom reward function
verl's PPO start-up would load from the composed config (verl_config.reward_function), and config, when dump is
true, maps every leaf key of the started-up config to its value (interpolations unresolved).
"""
import json
import sys

import verl_config as vc


def run(cases):
    pkg = vc.package_dir()
    results = {}
    # Hydra holds one global initialization at a time: one workload's cases after the other
    for workload in sorted({c["workload"] for c in cases}):
        composer = vc.Composer(pkg, workload)
        try:
            for case in (c for c in cases if c["workload"] == workload):
                results[case["id"]] = check(pkg, composer, case)
        finally:
            composer.close()
    return [results[c["id"]] for c in cases]


def check(pkg, composer, case):
    result = {"id": case["id"], "ok": False, "error": None, "reward": None, "config": None}
    try:
        cfg = composer.compose(case["overrides"])
        if case["workload"] == "ppo":
            cfg = vc.startup(pkg, cfg)
            result["reward"] = vc.reward_function(pkg, cfg)
        if case.get("dump"):
            result["config"] = dict(vc.leaves(cfg))
        result["ok"] = True
    except Exception as e:  # noqa: BLE001 - Hydra's own exception is the verdict
        result["error"] = "%s: %s" % (type(e).__name__, e)
    return result


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        request = json.load(f)
    json.dump({"verl": vc.version(), "results": run(request["cases"])}, sys.stdout, default=str)
