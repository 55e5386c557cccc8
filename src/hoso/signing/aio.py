"""pyHanko's API is asynchronous; hoso's services are not. `run` drives a coroutine to
its end from synchronous code, in a worker thread when this thread already runs an event
loop (an ASGI server, a test driving a browser)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run(coro):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
