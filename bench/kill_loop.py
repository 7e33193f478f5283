"""Many SIGKILLs before a release (the suite runs 200): python bench/kill_loop.py [KILLS]

Uses the same child and checks as tests/reliability/test_kill.py on a fresh database in a
temporary folder; prints kills survived / attempted and the edits committed meanwhile.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from duibiao_tui.domain.models import EnterpriseInput  # noqa: E402
from duibiao_tui.store.store import Store  # noqa: E402
from tests.reliability.test_kill import check_file, kill_once  # noqa: E402


def main() -> None:
    kills = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kill.db"
        store = Store.open(path, officer="bench")
        enterprise_id = store.add_enterprise(EnterpriseInput(name="镇江市试验厂")).id
        store.close()
        rng = random.Random(int(time.time()))
        reported: set[str] = set()
        survived = 0
        started = time.perf_counter()
        for tag in range(kills):
            reported |= set(kill_once(path, enterprise_id, tag, rng.uniform(0.002, 0.08)))
            check_file(path, reported)
            survived += 1
        took = time.perf_counter() - started
    print(
        f"kills survived / attempted: {survived} / {kills}; committed edits checked: "
        f"{len(reported)}; {took:.0f} s"
    )


if __name__ == "__main__":
    main()
