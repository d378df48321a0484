"""Trigger of the deserialization rule (checkers/py_deserialization.py)."""
from __future__ import annotations

import ast

from backdoor_lint.checkers.triggers import PythonTrigger
from backdoor_lint.checkers.triggers.sites_exec import may_name, text_constant
from backdoor_lint.checkers.triggers.sites_tree import nodes

# The rule's sinks (checkers/py_deserialization.py reads them from here).
_PICKLERS = ("pickle", "_pickle", "cPickle", "dill", "cloudpickle", "marshal", "jsonpickle")
PICKLE_LOADS = {f"{m}.{f}" for m in _PICKLERS for f in ("loads", "load")} | {
    "pickle.Unpickler", "_pickle.Unpickler", "dill.Unpickler", "cloudpickle.Unpickler", "dill.load_session",
    "jsonpickle.decode", "jsonpickle.unpickler.decode", "jsonpickle.Unpickler.restore",
    "jsonpickle.unpickler.Unpickler.restore",
    "shelve.open", "shelve.Shelf", "shelve.DbfilenameShelf", "shelve.BsdDbShelf",
    "pandas.read_pickle", "pandas.io.pickle.read_pickle", "joblib.load", "sklearn.externals.joblib.load",
    "numpy.loads", "keras.models.load_model.__never__",
}
YAML_LOAD = {"yaml.load", "yaml.load_all", "ruamel.yaml.load", "ruamel.yaml.load_all"}
YAML_UNSAFE_FUNCS = {"yaml.full_load", "yaml.full_load_all", "yaml.unsafe_load", "yaml.unsafe_load_all"}
TORCH_LOAD = {"torch.load", "torch.serialization.load", "torch.hub.load_state_dict_from_url"}
NUMPY_LOAD = {"numpy.load"}
RUAMEL_YAML = {"ruamel.yaml.YAML", "ruamel.yaml.main.YAML"}

_LOADS_DATA = frozenset(PICKLE_LOADS) | frozenset(YAML_LOAD)  # _pickle, _yaml: quiet on literal data
_ALWAYS = frozenset(YAML_UNSAFE_FUNCS) | frozenset(TORCH_LOAD) | frozenset(RUAMEL_YAML)
_NUMPY_LOAD = frozenset(NUMPY_LOAD)


class UnsafeDeserialization(PythonTrigger):
    TRIGGER_LITERALS = (b"pickle", b"marshal", b"shelve", b"yaml", b"torch", b"numpy", b"joblib", b"dill",
                        b"__import__", b"import_module")

    @classmethod
    def has_site(cls, facts) -> bool:
        for call in nodes(facts, ast.Call):
            if may_name(facts, call, _ALWAYS):
                return True
            # _pickle and _yaml return on data (`_data`: the first positional argument, else a
            # keyword) with constant values; here only a literal first positional argument is ruled out
            positional = [arg for arg in call.args if not isinstance(arg, ast.Starred)]
            if may_name(facts, call, _LOADS_DATA) and (not positional or text_constant(positional[0]) is None):
                return True
            # numpy.load reports only a value True of allow_pickle (the keyword, the second
            # positional argument, or an entry of a `**mapping`)
            if may_name(facts, call, _NUMPY_LOAD) and cls._may_allow_pickle(call, positional):
                return True
        return False

    @staticmethod
    def _may_allow_pickle(call: ast.Call, positional: list[ast.expr]) -> bool:
        given = [keyword.value for keyword in call.keywords if keyword.arg == "allow_pickle"] + positional[1:2]
        return any(keyword.arg is None for keyword in call.keywords) \
            or any(not (isinstance(value, ast.Constant) and value.value is not True) for value in given)
