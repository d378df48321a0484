# Package marker so the YAML rules beside it can be read with importlib.resources.
