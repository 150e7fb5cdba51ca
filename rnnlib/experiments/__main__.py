"""``python -m rnnlib.experiments <name> [options]``; ``<name> --help`` shows an experiment's options."""
import sys

from . import _registry, run


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    reg = _registry()
    if not argv or argv[0] in ("-h", "--help"):
        out = sys.stdout if argv else sys.stderr          # no name at all is a usage error (exit 2)
        print(__doc__.strip(), file=out)
        print("\nexperiments:", file=out)
        for name, fn in reg.items():
            doc = (fn.__doc__ or (sys.modules[fn.__module__].__doc__ or "")).strip().splitlines()
            print(f"  {name:14s} {doc[0] if doc else ''}", file=out)
        return 0 if argv else 2
    if argv[0] not in reg:
        print(f"error: unknown experiment {argv[0]!r}; expected one of {tuple(reg)} "
              "(python -m rnnlib.experiments --help lists them)", file=sys.stderr)
        return 2
    result = run(argv[0], argv[1:])
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
