"""`python -m rasa_server run ...`: Rasa's own command line, with the patches installed first.

`hrbot serve` starts the Rasa server this way; `rasa train` and `rasa test` stay unpatched.
With `--enable-api`, the API token is read from RASA_AUTH_TOKEN (or var/rasa-auth-token), so it
is not on the command line for `ps` to show.
"""

from __future__ import annotations

import sys

from bot.launcher import auth_token
from rasa_server.patches import PatchError, install


def main() -> int:
    try:
        install()
    except (PatchError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    if "--enable-api" in sys.argv and "--auth-token" not in sys.argv:
        # From RASA_AUTH_TOKEN (or var/), added here so it never appears on the command line.
        sys.argv += ["--auth-token", auth_token()]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
