"""Per-role sampling in a policy: a `[roles.NAME]` table changes how one role samples in that
mode, so a policy file tunes the meta-thinker or the synthesizer without touching code.

The defaults keep the roles that judge or write the answer, rather than propose, cool in every
mode: they sample as they always have, whatever the mode's own temperature.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from noetic.plugins import ROLES_GROUP, registered_names


class RoleSampling(BaseModel):
    """A role's departures from its mode's `sampling`; a field left out keeps the mode's."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    temperature: float | None = Field(None, ge=0.0, le=2.0)
    top_p: float | None = Field(None, gt=0.0, le=1.0)
    repeat_penalty: float | None = Field(None, ge=1.0, le=2.0)
    max_tokens: int | None = Field(None, ge=1, le=8192)


_COOL = RoleSampling(temperature=0.3, top_p=0.95, repeat_penalty=1.1)
ROLE_SAMPLING: dict[str, RoleSampling] = {
    "meta_thinker": _COOL,
    "mode_switcher": _COOL,
    "synthesizer": _COOL,
}


def over_defaults(roles: Mapping[str, RoleSampling]) -> dict[str, RoleSampling]:
    """`roles` over `ROLE_SAMPLING`, field by field: a table that sets only `temperature` keeps
    the role's other defaults. A role no installed package registers is refused (a typo would
    otherwise change nothing, silently)."""
    known = registered_names(ROLES_GROUP)
    merged = dict(ROLE_SAMPLING)
    for name, own in roles.items():
        if name not in known:
            raise ValueError(
                f"no installed package registers the role {name!r} (installed: {', '.join(known)})"
            )
        default = merged.get(name)
        given = own.model_dump(exclude_none=True)
        merged[name] = default.model_copy(update=given) if default is not None else own
    return merged
