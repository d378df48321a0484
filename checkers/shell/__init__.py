"""The shell analysis (tree-sitter-bash): one analyser for the agent hook, shell scripts and shell
text embedded in other files. See analyser.py for how it works."""
from backdoor_lint.checkers.shell.analyser import (  # noqa: F401 - the package's public names
    MAX_COMMAND,
    FileWrite,
    InlineCode,
    ShellAnalysis,
    ShellFinding,
    analyse,
    analyse_script,
    cred_path,
    is_git_hook_path,
    is_guard_config,
    is_secret_name,
    screen_inline,
)
