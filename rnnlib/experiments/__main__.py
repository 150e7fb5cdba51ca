"""``python -m rnnlib.experiments <name> [options]``: run the experiment module ``<name>``."""
import importlib
import pkgutil
import sys

import rnnlib.experiments as pkg


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    names = sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_"))
    if not argv or argv[0] not in names:
        print(f"usage: python -m rnnlib.experiments <name> [options]; name is one of {names}", file=sys.stderr)
        return 2
    return importlib.import_module(f"rnnlib.experiments.{argv[0]}").main(argv[1:]) or 0


if __name__ == "__main__":
    sys.exit(main())
