"""Running awaitables side by side without `asyncio.gather`'s loose ends.

`gather` leaves the other awaitables running when one fails, and `TaskGroup` wraps the failure in
an `ExceptionGroup`, which would turn a `NoeticError` into a traceback. Here the first failure
cancels the rest and is raised as it is.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


async def gather_or_cancel(coroutines: Iterable[Coroutine[Any, Any, T]]) -> list[T]:
    """The results in order; on the first failure the others are cancelled and awaited."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
