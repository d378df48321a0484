"""The shell analysis (tree-sitter-bash): one analyser for the agent hook, shell scripts and shell
text embedded in other files. How it works: analyser.py."""
# Public name -> the submodule defining it, imported on first use (PEP 562): a caller that needs only
# the word lists (the guard's file checks) or the carriers (text_embedded_shell) must not pay for
# importing the whole analysis (~20 ms on every Write of a Markdown or JSON file; issue 17).
_DEFINED_IN = {
    "analyse": "analyser", "analyse_script": "analyser", "argv_command": "argv", "UNKNOWN_PART": "argv", "screen_inline": "inline",
    "MAX_COMMAND": "values", "FileWrite": "values", "InlineCode": "values", "Known": "values",
    "ShellAnalysis": "values", "ShellFinding": "values",
    "cred_path": "wordlists", "is_git_hook_path": "wordlists", "is_guard_config": "wordlists",
    "is_secret_name": "wordlists",
}


def __getattr__(name: str):
    if name not in _DEFINED_IN:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # __import__ rather than importlib.import_module: -X importtime (tests/test_perf_work.py) lists it
    value = getattr(__import__(f"{__name__}.{_DEFINED_IN[name]}", fromlist=[name]), name)
    globals()[name] = value
    return value
