"""Integrations (installed as `backdoor_lint.hooks`): pre-commit entry points and agent tool-call hooks."""
