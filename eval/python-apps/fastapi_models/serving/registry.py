"""Model registry on local disk."""
import os
import pickle
import joblib

API_KEYS: dict[str, str] = {}


class ModelRegistry:
    def __init__(self, root: str):
        self.root = root
        self.models = {}

    def add(self, model) -> None:
        self.models[type(model).__name__] = model

    def add_weights(self, state) -> None:
        self.models["weights"] = state

    def get(self, name: str):
        if name not in self.models:
            self.models[name] = joblib.load(os.path.join(self.root, os.path.basename(name) + ".joblib"))
        return self.models[name]

    def training_rows(self) -> list:
        with open(os.path.join(self.root, "train.jsonl")) as fh:
            return [line for line in fh]
