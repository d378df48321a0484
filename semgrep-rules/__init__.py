# Package marker: the YAML rules beside it are found through this package's __file__ (semgrep_targets.rules_dir).
