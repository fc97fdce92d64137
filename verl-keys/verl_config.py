"""verl's own config tree, composed the way verl composes it at start-up: Raylane's judge of verl keys.

Runs in a venv of install-verl.sh: one verl installed without its dependencies, plus Hydra. It never imports
verl (verl's modules import torch and ray); it reads the package's files instead:

- the Hydra entry of each workload's module (the `@hydra.main(config_path=..., config_name=...)` decorator of
  verl/trainer/main_ppo.py, and of sft_trainer_ray.py or else sft_trainer.py), read with `ast`;
- the config tree under that module's config_path, composed with Hydra's compose API (the same defaults list,
  override grammar and struct checks as `@hydra.main`; the file-system path replaces hydra.main's
  `pkg://verl.trainer/config`, which names the same files);
- what verl's main_ppo does to the composed config before anything reads it: on versions whose main_ppo calls
  `migrate_legacy_reward_impl`, that function, taken from the installed package's source and run as is;
- where verl looks for the custom reward function: the expression `reward_fn_config = ...` of
  `get_custom_reward_fn` in verl/trainer/ppo/reward.py, evaluated against the config.
"""
import ast
import importlib.util
import os

from omegaconf import DictConfig, ListConfig, OmegaConf, open_dict

WORKLOADS = ("ppo", "sft")


def package_dir():
    """The installed verl package's folder, found without importing verl."""
    spec = importlib.util.find_spec("verl")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("verl is not installed in this Python (%s)" % os.sys.executable)
    return list(spec.submodule_search_locations)[0]


def version():
    from importlib.metadata import version as v
    return v("verl")


def _parse(path):
    with open(path, encoding="utf-8") as f:
        return ast.parse(f.read(), filename=path)


def entry_module(pkg, workload):
    """The module verl users (and Raylane) launch for the workload, as a dotted name."""
    if workload == "ppo":
        return "verl.trainer.main_ppo"
    # the Ray-native SFT trainer where the version has it (0.7.0+), else torchrun's engine trainer
    if os.path.exists(os.path.join(pkg, "trainer", "sft_trainer_ray.py")):
        return "verl.trainer.sft_trainer_ray"
    return "verl.trainer.sft_trainer"


def _module_file(pkg, module):
    return os.path.join(os.path.dirname(pkg), *module.split(".")) + ".py"


def hydra_entry(pkg, module):
    """(config_dir, config_name, version_base) of the module's @hydra.main decorator."""
    path = _module_file(pkg, module)
    for node in ast.walk(_parse(path)):
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                if isinstance(deco, ast.Call) and getattr(deco.func, "attr", None) == "main" \
                        and getattr(deco.func.value, "id", None) == "hydra":
                    kw = {k.arg: ast.literal_eval(k.value) for k in deco.keywords}
                    config_dir = os.path.normpath(os.path.join(os.path.dirname(path), kw["config_path"]))
                    return config_dir, kw["config_name"], kw.get("version_base")
    raise SystemExit("no @hydra.main in %s" % path)


class Composer:
    """Composes the config of one workload's entry module, as often as asked (Hydra initialized once)."""

    def __init__(self, pkg, workload):
        from hydra import initialize_config_dir
        self.pkg = pkg
        self.module = entry_module(pkg, workload)
        self.config_dir, self.config_name, version_base = hydra_entry(pkg, self.module)
        self._init = initialize_config_dir(config_dir=self.config_dir, version_base=version_base,
                                           job_name=self.module.rsplit(".", 1)[1])
        self._init.__enter__()

    def compose(self, overrides):
        """The config verl would start with, or raises Hydra's own exception (with Hydra's message)."""
        from hydra import compose
        return compose(config_name=self.config_name, overrides=list(overrides))

    def close(self):
        self._init.__exit__(None, None, None)


# a key part as Hydra's override grammar reads it (letters, digits, `_`, and `-` after the first character)
IDENTIFIER = __import__("re").compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def flatten(cfg, prefix=""):
    """Every key a plain `a.b=v` override may name: dict nodes and leaves (lists are leaves), without keys
    whose last part starts with `_` (`_target_` and the like) or that Hydra's grammar cannot name."""
    keys = []
    for key in cfg.keys():
        if not isinstance(key, str) or not IDENTIFIER.match(key) or key.startswith("_"):
            continue
        path = prefix + key
        keys.append(path)
        node = cfg._get_node(key)
        if isinstance(node, DictConfig) and not node._is_none() and not node._is_missing():
            keys.extend(flatten(node, path + "."))
    return keys


def leaves(cfg, prefix=""):
    """(path, value) of every leaf, unresolved (so interpolations stay as written)."""
    out = []
    for key in cfg.keys():
        path = prefix + str(key)
        node = cfg._get_node(key)
        if isinstance(node, DictConfig) and not node._is_none() and not node._is_missing():
            out.extend(leaves(node, path + "."))
        elif isinstance(node, ListConfig) and not node._is_none() and not node._is_missing():
            out.append((path, OmegaConf.to_container(node, resolve=False)))
        else:
            out.append((path, node._value()))
    return out


def _calls(tree, name):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if getattr(f, "id", None) == name or getattr(f, "attr", None) == name:
                return True
    return False


def _find_function(pkg, name):
    """verl's own function `name` (its source, compiled alone), searched in the package's files."""
    for folder, _dirs, files in os.walk(pkg):
        for file in sorted(files):
            if not file.endswith(".py"):
                continue
            path = os.path.join(folder, file)
            with open(path, encoding="utf-8") as f:
                if ("def " + name + "(") not in f.read():
                    continue
            for node in _parse(path).body:
                if isinstance(node, ast.FunctionDef) and node.name == name:
                    namespace = {"open_dict": open_dict, "OmegaConf": OmegaConf}
                    exec(compile(ast.Module(body=[node], type_ignores=[]), path, "exec"), namespace)
                    return namespace[name], path
    return None, None


def migrates_legacy_reward(pkg):
    """Whether verl's main_ppo moves the old top-level reward keys to reward.* before training (0.8 only)."""
    return _calls(_parse(_module_file(pkg, "verl.trainer.main_ppo")), "migrate_legacy_reward_impl")


def legacy_migration(pkg):
    """The package's migrate_legacy_reward_impl (0.8+; also shipped, but not called by main_ppo, in 0.9)."""
    return _find_function(pkg, "migrate_legacy_reward_impl")[0]


def startup(pkg, cfg):
    """The config as verl's main_ppo hands it to the trainer (migrated in place, as verl does)."""
    if migrates_legacy_reward(pkg):
        cfg = legacy_migration(pkg)(cfg)
    return cfg


def reward_function(pkg, cfg):
    """{path, name} of the custom reward function verl will load from this (started-up) config: the right-hand
    side of `reward_fn_config = ...` in get_custom_reward_fn (verl/trainer/ppo/reward.py), evaluated here."""
    path = os.path.join(pkg, "trainer", "ppo", "reward.py")
    for node in ast.walk(_parse(path)):
        if isinstance(node, ast.FunctionDef) and node.name == "get_custom_reward_fn":
            for stmt in ast.walk(node):
                if isinstance(stmt, ast.Assign) and any(getattr(t, "id", None) == "reward_fn_config"
                                                        for t in stmt.targets):
                    expr = compile(ast.Expression(body=stmt.value), path, "eval")
                    found = eval(expr, {}, {"config": cfg}) or {}
                    return {"path": found.get("path"), "name": found.get("name")}
    raise SystemExit("no get_custom_reward_fn/reward_fn_config in %s" % path)


def reward_read_from(pkg, composer, keys):
    """The reward-function key prefixes whose `.path`, set alone, is the path verl loads."""
    read = []
    for prefix in ("reward.custom_reward_function", "custom_reward_function"):
        if prefix + ".path" not in keys:
            continue
        cfg = startup(pkg, composer.compose([prefix + ".path=/raylane/probe.py"]))
        if reward_function(pkg, cfg)["path"] == "/raylane/probe.py":
            read.append(prefix)
    return read


LEGACY_FILE = "legacy_reward_impl"
PROBE = "raylane_probe"


def _top_defaults(config_dir, config_name):
    import yaml
    with open(os.path.join(config_dir, config_name + ".yaml"), encoding="utf-8") as f:
        return yaml.safe_load(f).get("defaults") or []


def legacy_keys(pkg, composer, keys):
    """The old top-level reward keys of 0.8+ (verl's `legacy_reward_impl` config, kept "for backward
    compatibility") and what becomes of each: [(key, status, target)]. status is `moved` when the version's
    main_ppo moves the value to `target` at start-up, `ignored` when nothing ever reads it. The target is where
    the package's own migrate_legacy_reward_impl puts the value (None: nowhere). A key that is a dict node
    stands for every key under it, including ones added with ++ (probed with a key of its own)."""
    if LEGACY_FILE not in _top_defaults(composer.config_dir, composer.config_name):
        return []
    import yaml
    with open(os.path.join(composer.config_dir, LEGACY_FILE + ".yaml"), encoding="utf-8") as f:
        roots = list(yaml.safe_load(f).keys())
    legacy = [k for k in keys if k.split(".")[0] in roots]
    base = composer.compose([])
    leaf_paths = {p for p, _ in leaves(base)}
    migrate = legacy_migration(pkg)
    moves = migrates_legacy_reward(pkg)

    def landed(overrides, sentinels):
        """sentinel → the keys holding it after the package's migration (None when migration fails)."""
        if migrate is None:
            return {s: [] for s in sentinels}
        try:
            cfg = migrate(composer.compose(overrides))
        except Exception:  # noqa: BLE001 - verl's own start-up would fail the same way
            return {s: None for s in sentinels}
        where = {s: [] for s in sentinels}
        for path, value in leaves(cfg):
            if isinstance(value, str) and value in where:
                where[value].append(path)
        return where

    table = []
    # the leaves all at once, each with its own sentinel value
    sentinel = {k: "raylane-sentinel-%d" % i for i, k in enumerate(legacy) if k in leaf_paths}
    where = landed(["%s=%s" % (k, s) for k, s in sentinel.items()], list(sentinel.values()))
    for key, s in sentinel.items():
        table.append((key, where[s]))
    # each dict node alone, with a key of its own under it (one added with ++)
    for key in legacy:
        if key in leaf_paths:
            continue
        s = "raylane-sentinel-%s" % key
        found = landed(["++%s.%s=%s" % (key, PROBE, s)], [s])[s]
        table.append((key, None if found is None else [p[: -len("." + PROBE)] for p in found
                                                         if p.endswith("." + PROBE)]))
    out = []
    for key, found in sorted(table):
        target = sorted(found)[0] if found else None
        out.append((key, "moved" if moves and target else "ignored", target))
    return out
