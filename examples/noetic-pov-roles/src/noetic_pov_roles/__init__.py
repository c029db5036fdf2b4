"""Example Noetic roles: a devil's advocate critic and point-of-view experts that debate."""

from noetic_pov_roles.devils_advocate import DevilsAdvocate
from noetic_pov_roles.experts import AcousticsExpert, BiologyExpert, PoliticsExpert, PovExpert

__all__ = ["AcousticsExpert", "BiologyExpert", "DevilsAdvocate", "PoliticsExpert", "PovExpert"]
