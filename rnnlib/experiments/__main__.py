"""``python -m rnnlib.experiments <name> [options]``; ``<name> --help`` shows an experiment's options."""
import sys

from . import _registry, run


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    reg = _registry()
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        print("\nexperiments:")
        for name, fn in reg.items():
            print(f"  {name:14s} {(fn.__doc__ or '').strip().splitlines()[0]}")
        return 0
    if argv[0] not in reg:
        print(f"error: unknown experiment {argv[0]!r}; expected one of {tuple(reg)} "
              "(python -m rnnlib.experiments --help lists them)", file=sys.stderr)
        return 2
    run(argv[0], argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
