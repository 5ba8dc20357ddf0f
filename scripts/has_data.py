"""Exit 0 when the warehouse holds imported data, 1 when it does not (used by `make run`).

The warehouse is HKDASH_DB, else data/warehouse.duckdb (relative to the repo root).
"Has data" means: the file exists and its `dataset_info` table has at least one row.
If the file exists but cannot be inspected (for instance it is locked by a running
server), it is assumed to hold data so that `make run` never overwrites it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    path = Path(os.environ.get("HKDASH_DB") or root / "data" / "warehouse.duckdb")
    if not path.exists() or path.stat().st_size == 0:
        print(f"warehouse {path}: not found")
        return 1
    try:
        import duckdb

        con = duckdb.connect(str(path), read_only=True)
        try:
            present = con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'dataset_info'"
            ).fetchone()[0]
            rows = con.execute("SELECT count(*) FROM dataset_info").fetchone()[0] if present else 0
        finally:
            con.close()
    except Exception as exc:  # locked, corrupt, or a newer format: never clobber it
        print(f"warehouse {path}: could not inspect ({exc.__class__.__name__}: {exc}); leaving it alone")
        return 0
    if rows:
        print(f"warehouse {path}: has data")
        return 0
    print(f"warehouse {path}: empty")
    return 1


if __name__ == "__main__":
    sys.exit(main())
