"""backdoor-lint checkers: libcst rules for Python and text rules for every file.

Installed as `backdoor_lint.checkers`. Every module here that defines subclasses of
`PythonChecker` or `TextChecker` is picked up by `backdoor_lint.checkers.registry`.
"""
