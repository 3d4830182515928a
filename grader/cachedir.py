"""Where `grade` keeps what it can rebuild (the answer parser's tables) between runs: a per-user folder.

Nothing depends on it: a folder that cannot be made means no cache, and the
caller builds from scratch, as it would on the first run.
"""

from __future__ import annotations

from pathlib import Path


def cache_file(name: str) -> str | None:
    """The path of `name` in the user's cache folder for grade (made if missing), or None without one."""
    from platformdirs import user_cache_dir

    folder = Path(user_cache_dir("grade", appauthor=False))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only home, a file where the folder should be
        return None
    return str(folder / name)
