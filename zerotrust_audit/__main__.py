"""Allow ``python -m zerotrust_audit``."""

from zerotrust_audit.cli import main

if __name__ == "__main__":
    main()
