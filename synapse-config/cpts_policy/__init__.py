"""CPTS room policy for Synapse: encrypted, private rooms; invitations to verified members only.

Load it with `modules: [{module: cpts_policy.CptsPolicy, config: {...}}]`, this folder's
parent on PYTHONPATH. The configuration is documented in config.py and docs/deploy.md.
"""

from .module import CptsPolicy

__all__ = ["CptsPolicy"]
