"""`python -m rasa_server run ...`: Rasa's own command line, with the patches installed first.

`hrbot serve` starts the Rasa server this way; `rasa train` and `rasa test` stay unpatched.
"""

from __future__ import annotations

import sys

from rasa_server.patches import PatchError, install


def main() -> int:
    try:
        install()
    except (PatchError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
