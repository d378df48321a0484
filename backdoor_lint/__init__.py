"""backdoor-lint: static checks that block backdoor-shaped code before it lands."""

__version__ = "0.1.0"
