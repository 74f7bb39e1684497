"""zerotrust-audit: audit a remote-access set-up against zero-trust principles.

The public library API lives in :mod:`zerotrust_audit.api`; the ``ztaudit``
command line is a thin layer over it.
"""

__version__ = "0.1.0"
