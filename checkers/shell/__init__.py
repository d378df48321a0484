"""The shell analysis (tree-sitter-bash): one analyser for the agent hook, shell scripts and shell
text embedded in other files. How it works: analyser.py."""
from backdoor_lint.checkers.shell.analyser import analyse, analyse_script
from backdoor_lint.checkers.shell.inline import screen_inline
from backdoor_lint.checkers.shell.values import MAX_COMMAND, FileWrite, InlineCode, Known, ShellAnalysis, ShellFinding
from backdoor_lint.checkers.shell.wordlists import cred_path, is_git_hook_path, is_guard_config, is_secret_name

__all__ = ["MAX_COMMAND", "FileWrite", "InlineCode", "Known", "ShellAnalysis", "ShellFinding", "analyse", "analyse_script",
           "cred_path", "is_git_hook_path", "is_guard_config", "is_secret_name", "screen_inline"]
